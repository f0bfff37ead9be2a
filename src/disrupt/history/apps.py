from django.apps import AppConfig


class HistoryConfig(AppConfig):
    name = "disrupt.history"
    verbose_name = "History"
