"""Collections of FollowTheMoney entities, owned by an agency under a handling code.

A collection is an operational record (`access.models.OperationalRecord`): one agency owns it,
its TLP code and sharing decide who may read it, and its entities are read through it
(`Entity.access_parent`). An entity is stored as FollowTheMoney has it (schema, id and the
property dict, already cleaned by FtM), with a few columns copied out of it for the graph:
the two ends of a link, a payment's amount and currency, and the entity's country.

Rows written by an import that has not finished are *pending*: the default manager never
returns them, so an import is seen whole or not at all (intel/imports.py).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from disrupt.access.models import OperationalRecord
from disrupt.intel.choices import VersionCause

# FollowTheMoney ids are hashes or slugs; longer ones are refused with a clear error on import.
MAX_ENTITY_ID = 200


class CollectionQuerySet(models.QuerySet["Collection"]):
    def visible_to(self, user: Any) -> CollectionQuerySet:
        from disrupt.access.policy import visible_to

        return visible_to(user, self)  # type: ignore[return-value]


class Collection(OperationalRecord):
    """A body of entities one agency holds: a case file, a data set, an analyst's working set."""

    name = models.CharField(max_length=200)
    summary = models.TextField(blank=True, help_text="What the collection holds and where it came from.")
    plans = models.ManyToManyField(
        "programme.Plan",
        blank=True,
        related_name="collections",
        help_text="The joint investigation plans this material belongs to (this does not share it).",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CollectionQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("intel:collection_detail", args=[self.pk])

    @property
    def country_code(self) -> str:
        """The owner's country, lower-case as FtM writes it ('' for an international body)."""
        country = self.owner_agency.country
        return country.code.lower() if country else ""


class LiveEntities(models.Manager["Entity"]):
    """Entities of finished imports and edits; pending rows of an import under way are never seen."""

    def get_queryset(self) -> EntityQuerySet:
        return EntityQuerySet(self.model, using=self._db).filter(pending=False)


class EntityQuerySet(models.QuerySet["Entity"]):
    def visible_to(self, user: Any) -> EntityQuerySet:
        from disrupt.access.policy import visible_to

        return visible_to(user, self)  # type: ignore[return-value]

    def nodes(self) -> EntityQuerySet:
        """Things (people, companies, accounts, vessels…), not the links between them."""
        return self.filter(source="")

    def links(self) -> EntityQuerySet:
        return self.exclude(source="")


class Entity(models.Model):
    """One FollowTheMoney entity of a collection: a thing, or a link between two things."""

    access_parent: ClassVar[str] = "collection"

    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="entities")
    ftm_id = models.CharField("FtM id", max_length=MAX_ENTITY_ID)
    schema = models.CharField(max_length=64, db_index=True)
    caption = models.CharField(max_length=500, blank=True)
    properties = models.JSONField(default=dict, help_text="FtM properties: name -> list of values.")
    # Copied out of the properties for the graph (see analysis.from_ftm); empty for a thing.
    source = models.CharField(max_length=MAX_ENTITY_ID, blank=True)
    target = models.CharField(max_length=MAX_ENTITY_ID, blank=True)
    amount = models.FloatField(null=True, blank=True)
    currency = models.CharField(max_length=8, blank=True)
    country = models.CharField(max_length=8, blank=True, help_text="FtM country code (lower case).")
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Written by an import still under way (or refused): invisible until the import is applied.
    pending = models.BooleanField(default=False)
    import_job = models.ForeignKey(
        "intel.ImportJob", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = LiveEntities()
    all_rows = EntityQuerySet.as_manager()

    class Meta:
        ordering = ["schema", "caption", "pk"]
        verbose_name_plural = "entities"
        base_manager_name = "all_rows"
        constraints = [
            models.UniqueConstraint(
                fields=["collection", "ftm_id"], condition=Q(pending=False), name="entity_once_per_collection"
            ),
            models.UniqueConstraint(
                fields=["import_job", "ftm_id"], condition=Q(pending=True), name="entity_once_per_import"
            ),
        ]
        indexes = [
            models.Index(fields=["collection", "schema"]),
            models.Index(fields=["collection", "ftm_id"]),
            # An entity's page and API detail find its links by either end, across collections.
            models.Index(fields=["source"], condition=~Q(source=""), name="entity_link_source"),
            models.Index(fields=["target"], condition=~Q(target=""), name="entity_link_target"),
        ]

    def __str__(self) -> str:
        return f"{self.schema}: {self.caption or self.ftm_id}"

    def get_absolute_url(self) -> str:
        return reverse("intel:entity_detail", args=[self.pk])

    @property
    def is_link(self) -> bool:
        return bool(self.source)

    def to_ftm(self) -> dict[str, Any]:
        """The entity as a FollowTheMoney dict, as it is exported (key order fixed)."""
        return {"id": self.ftm_id, "schema": self.schema, "properties": self.properties}


class EntityVersion(models.Model):
    """An earlier state of an entity, kept when it was edited, replaced by an import, or deleted."""

    access_parent: ClassVar[str] = "collection"

    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="+")
    entity = models.ForeignKey(
        Entity, on_delete=models.SET_NULL, null=True, blank=True, related_name="versions"
    )
    ftm_id = models.CharField("FtM id", max_length=MAX_ENTITY_ID)
    number = models.PositiveIntegerField()
    schema = models.CharField(max_length=64)
    properties = models.JSONField(default=dict)
    cause = models.CharField(max_length=10, choices=VersionCause.choices)
    reason = models.CharField(max_length=300, blank=True)
    replaced_at = models.DateTimeField(default=timezone.now)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["ftm_id", "-number"]
        indexes = [models.Index(fields=["collection", "ftm_id"])]

    def __str__(self) -> str:
        return f"{self.ftm_id} v{self.number} ({self.get_cause_display()})"
