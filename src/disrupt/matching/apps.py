from django.apps import AppConfig


class MatchingConfig(AppConfig):
    """Cross-border hit/no-hit matching on blind selectors, and the owner's disclosure of a hit."""

    name = "disrupt.matching"
    verbose_name = "Cross-border matching"
