from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "disrupt.programme"
    verbose_name = "Programme"
