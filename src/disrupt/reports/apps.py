from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "disrupt.reports"
    verbose_name = "Reports"
