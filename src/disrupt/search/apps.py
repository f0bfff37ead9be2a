from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


def _build_missing_index(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    """An installation migrated onto this app already has records: index them once."""
    from disrupt.search.indexing import reindex_all, source_models
    from disrupt.search.models import SearchDocument

    tables = connections[using].introspection.table_names()
    if SearchDocument._meta.db_table not in tables:
        return  # the search app was migrated backwards
    if SearchDocument.objects.using(using).exists():
        return
    if any(model._default_manager.using(using).exists() for model in source_models()):
        reindex_all()


class SearchConfig(AppConfig):
    name = "disrupt.search"
    verbose_name = "Search"

    def ready(self) -> None:
        from disrupt.search import signals

        signals.connect()
        post_migrate.connect(_build_missing_index, sender=self, dispatch_uid="search-build-missing-index")
