"""What the hub matches: subjects, their blind selectors and their person encodings.

A *subject* is one thing that can match: an entity a collection holds in the clear, or a record
of a selector-only upload. Both are indexed the same way, as keyed digests (`Selector`) and, for
people, keyed Bloom-filter encodings with keyed blocking keys (`PersonEncoding`, `BlockKey`), so
the hub matches an upload exactly as it matches raw-held data. No raw value is stored here: a
digest is HMAC-SHA256 under the members' matching key, which lives in a file, never in the
database (matching/keys.py, docs/matching.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from disrupt.access.models import OperationalRecord
from disrupt.intel.choices import JobStatus
from disrupt.matching.bloom import block_of
from disrupt.matching.choices import SelectorKind, WideValueStatus


class SelectorUploadQuerySet(models.QuerySet["SelectorUpload"]):
    def visible_to(self, user: Any) -> SelectorUploadQuerySet:
        from disrupt.access.policy import visible_to

        return visible_to(user, self)  # type: ignore[return-value]


class SelectorUpload(OperationalRecord):
    """A file of encodings a member made on its own machine (`disrupt selectors encode`).

    It holds digests and encodings only; the member keeps the raw values. Its handling code
    is the code of the records it stands for: a hit on one of them shows it to the other side.
    """

    name = models.CharField(max_length=200, help_text="What the encodings stand for, in the owner's words.")
    plans = models.ManyToManyField("programme.Plan", blank=True, related_name="selector_uploads")
    key_id = models.CharField(
        max_length=16, help_text="The key the file was encoded under (its fingerprint)."
    )
    original_name = models.CharField(max_length=255)
    stored_name = models.CharField(max_length=255, help_text="Under DATA_DIR/selector-uploads/.")
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    message = models.TextField(blank=True, help_text="Why the file was refused (record and field).")
    record_count = models.PositiveIntegerField(default=0)
    selector_count = models.PositiveIntegerField(default=0)
    person_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    objects = SelectorUploadQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("matching:upload_detail", args=[self.pk])

    @property
    def path(self) -> Path:
        return Path(settings.DATA_DIR) / "selector-uploads" / self.stored_name


class Subject(models.Model):
    """One matchable thing: an entity of a collection, or a record of a selector upload."""

    collection = models.ForeignKey(
        "intel.Collection", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    entity = models.OneToOneField(
        "intel.Entity", on_delete=models.CASCADE, null=True, blank=True, related_name="match_subject"
    )
    upload = models.ForeignKey(
        SelectorUpload, on_delete=models.CASCADE, null=True, blank=True, related_name="subjects"
    )
    # The FtM id for an entity, the opaque reference for an uploaded record.
    ref = models.CharField(max_length=200)
    schema = models.CharField(max_length=64)
    owner_agency = models.ForeignKey("directory.Agency", on_delete=models.PROTECT, related_name="+")
    # A digest of what was indexed, so re-indexing skips what did not change.
    fingerprint = models.CharField(max_length=64, blank=True)
    # Indexed (or re-indexed) but not yet compared with everyone else.
    dirty = models.BooleanField(default=True)
    indexed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(collection__isnull=False, upload__isnull=True))
                | (Q(collection__isnull=True, upload__isnull=False)),
                name="subject_held_or_uploaded",
            ),
            models.UniqueConstraint(fields=["upload", "ref"], name="subject_once_per_upload"),
        ]
        indexes = [
            models.Index(fields=["collection", "dirty"]),
            models.Index(fields=["upload", "dirty"]),
        ]

    def __str__(self) -> str:
        return f"{self.schema} {self.ref}"

    @property
    def record(self) -> Any:
        """The operational record the subject is read through: its collection or its upload."""
        return self.collection if self.collection_id else self.upload

    @property
    def is_uploaded(self) -> bool:
        return self.upload_id is not None


class Selector(models.Model):
    """A keyed digest of one normalised identifier of a subject."""

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="selectors")
    # The subject whose entity the value was read from: the subject itself, or a passport or an
    # account it holds (the value is then attributed to the holder, so one person is one hit).
    source = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="+")
    key_id = models.CharField(max_length=16)
    kind = models.CharField(max_length=16, choices=SelectorKind.choices)
    digest = models.BinaryField(max_length=32)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "source", "key_id", "kind", "digest"], name="selector_once"
            ),
        ]
        indexes = [
            models.Index(fields=["key_id", "digest"], name="selector_digest"),
            models.Index(fields=["source"], name="selector_source"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of subject {self.subject_id}"


class PersonEncoding(models.Model):
    """A person's name and birth as a keyed Bloom filter (compared by Dice similarity)."""

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="encodings")
    key_id = models.CharField(max_length=16)
    bloom = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["subject", "key_id"], name="encoding_once_per_key")]

    def __str__(self) -> str:
        return f"Person encoding of subject {self.subject_id}"


class BlockKey(models.Model):
    """A keyed blocking key of a person encoding: only encodings sharing one are compared.

    `block` is the key's top bits (bloom.block_keys): encodings of one block are compared whole
    while the block is small, and only where their whole key (the sub-block) agrees once it is
    large (engine.person_candidates, kernels._blocks).
    """

    encoding = models.ForeignKey(PersonEncoding, on_delete=models.CASCADE, related_name="blocks")
    key = models.BigIntegerField()
    block = models.BigIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["key"], name="blockkey_key"),
            models.Index(fields=["block"], name="blockkey_block"),
        ]
        constraints = [models.UniqueConstraint(fields=["encoding", "key"], name="blockkey_once")]

    def __str__(self) -> str:
        return f"Block {self.key} of encoding {self.encoding_id}"

    @classmethod
    def of(cls, encoding: PersonEncoding, key: int) -> BlockKey:
        return cls(encoding=encoding, key=key, block=block_of(key))


class WideValue(models.Model):
    """A digest held by too many records to mean anything (a test number, a shared office phone).

    It makes no hits while capped; an administrator excludes it for good or allows it. Only the
    digest, its kind and how many hold it are known here, never the value.
    """

    key_id = models.CharField(max_length=16)
    kind = models.CharField(max_length=16, choices=SelectorKind.choices)
    digest = models.BinaryField(max_length=32)
    holders = models.PositiveIntegerField(default=0, help_text="Records holding it when last counted.")
    owners = models.PositiveIntegerField(default=0, help_text="Agencies holding it when last counted.")
    status = models.CharField(max_length=10, choices=WideValueStatus.choices, default=WideValueStatus.CAPPED)
    first_seen = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["status", "-holders", "pk"]
        constraints = [models.UniqueConstraint(fields=["key_id", "digest"], name="wide_value_once")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.short_digest} ({self.holders} records)"

    @property
    def short_digest(self) -> str:
        return bytes(self.digest).hex()[:16]
