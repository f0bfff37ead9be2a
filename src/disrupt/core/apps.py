from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "disrupt.core"
    verbose_name = "Core"
