from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "disrupt.directory"
    verbose_name = "Directory"
