from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "disrupt.search"
    verbose_name = "Search"
