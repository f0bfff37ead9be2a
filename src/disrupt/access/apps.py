from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "disrupt.access"
    verbose_name = "Access"
