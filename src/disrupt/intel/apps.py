from django.apps import AppConfig


class IntelConfig(AppConfig):
    """Network intelligence: collections of FollowTheMoney entities, their analysis and views."""

    name = "disrupt.intel"
    verbose_name = "Network intelligence"
