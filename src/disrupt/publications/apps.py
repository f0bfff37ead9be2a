from django.apps import AppConfig


class PublicationsConfig(AppConfig):
    name = "disrupt.publications"
    verbose_name = "Publications"
