from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "disrupt.deadlines"
    verbose_name = "Deadlines"
