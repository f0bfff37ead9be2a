from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "disrupt.notifications"
    verbose_name = "Notifications"
