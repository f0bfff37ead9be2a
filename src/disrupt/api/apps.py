from django.apps import AppConfig


class APIConfig(AppConfig):
    name = "disrupt.api"
    verbose_name = "API"
