"""`record()`: the one way an entry joins the audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Model
from django.http import HttpRequest
from django.utils import timezone

from disrupt.audit.context import current_request
from disrupt.audit.models import GENESIS, AuditEntry

# Key of the PostgreSQL advisory lock that serialises writers of the chain.
CHAIN_LOCK = 0x0A0D17


def record(
    action: str,
    actor: Any = None,
    target: Model | None = None,
    detail: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
    country_id: int | None = None,
    infer_actor: bool = True,
) -> AuditEntry:
    """Append one entry to the trail and return it.

    Without `actor`, the signed-in user of `request` (or of the request being served) acts.
    `country_id` overrides the country derived from `target`.
    """
    request = request or current_request.get()
    if actor is None and infer_actor and request is not None:
        user = getattr(request, "user", None)
        actor = user if user is not None and user.is_authenticated else None
    entry = AuditEntry(
        at=timezone.now(),
        actor=actor if actor is not None and actor.pk else None,
        actor_label=(getattr(actor, "email", "") or "")[:254] if actor is not None else "",
        action=action,
        detail=detail or {},
        ip_address=_client_ip(request),
        country_id=country_id if country_id is not None else _country_of(target),
    )
    if target is not None:
        entry.target_type = ContentType.objects.get_for_model(target)
        entry.target_id = str(target.pk)
        entry.target_label = _label_of(target)[:300]
    with transaction.atomic():
        _lock_chain()
        last = AuditEntry.objects.order_by("-sequence").only("sequence", "hash").first()
        entry.sequence = last.sequence + 1 if last else 1
        entry.previous_hash = last.hash if last else GENESIS
        entry.hash = entry.compute_hash()
        entry.save(force_insert=True)
    return entry


def _lock_chain() -> None:
    """Let one writer at a time read the head of the chain and append to it.

    PostgreSQL: a transaction-scoped advisory lock. (Locking the last row with SELECT … FOR
    UPDATE would not do: a waiting writer would wake up holding the head it read before the
    other committed, and an empty table has no row to lock.) SQLite: every transaction begins
    IMMEDIATE (settings), which already takes the database's single write lock.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])


def _client_ip(request: HttpRequest | None) -> str | None:
    # REMOTE_ADDR only: a forwarded-for header is whatever the client wants it to be.
    address = request.META.get("REMOTE_ADDR") if request is not None else None
    return address or None


def _operational(target: Model) -> Any:
    """The operational record `target` is, or belongs to (a reply's enquiry), else None."""
    from disrupt.access.models import OperationalRecord

    if isinstance(target, OperationalRecord):
        return target
    parent = getattr(target, "access_parent", None)
    return getattr(target, parent, None) if parent else None


def _label_of(target: Model) -> str:
    """What the trail calls the target. Above GREEN an operational record is named by its kind and
    reference only: its subject is content, and the trail's readers (the secretariat, focal points
    of the owner's country) may not be among those it is shared with."""
    from disrupt.access.policy import OPEN_CODES

    operational = _operational(target)
    if operational is None or operational.handling_code in OPEN_CODES:
        return str(target)
    reference = getattr(operational, "reference", "") or f"#{operational.pk}"
    name = f"{operational._meta.verbose_name} {reference}"
    if operational is not target:
        name = f"{target._meta.verbose_name} {target.pk} of {name}"
    return f"{name} ({operational.get_handling_code_display()})"


def _country_of(target: Model | None) -> int | None:
    """The country a record belongs to, for the focal points who may see who touched it."""
    if target is None:
        return None
    operational = _operational(target)
    if operational is not None:
        # An operational record belongs to its owning agency's country (none for an organisation's).
        agency = operational.owner_agency
        return agency.country_id if agency is not None else None
    label = target._meta.label_lower
    if label == "directory.country":
        return int(target.pk)
    if label == "programme.plan":
        return getattr(target, "lead_country_id", None)
    if label == "programme.meeting":
        return getattr(target, "host_country_id", None)
    for name in ("country_id", "owner_country_id"):
        value = getattr(target, name, None)
        if isinstance(value, int):
            return value
    return None


def record_read(target: Model, code: str, request: HttpRequest | None = None, **detail: Any) -> None:
    """A read of one record above TLP:GREEN goes on the trail (pages and API alike); reads of
    CLEAR and GREEN records, open to everyone signed in, do not."""
    from disrupt.access.policy import OPEN_CODES
    from disrupt.audit.choices import AuditAction

    if code not in OPEN_CODES:
        record(AuditAction.READ, target=target, request=request, detail={"code": code, **detail})
