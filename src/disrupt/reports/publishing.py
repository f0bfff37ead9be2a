"""Writes of the texts the group publishes, each a `do_*` function in one transaction.

A text (`Publication`) is a chain of versions. `do_generate` writes a new draft from the
data; `do_edit` writes a new draft from a person's edit; `do_approve` releases the newest
draft (co-chairs of the period only) and supersedes the version released before. No version
ever changes its text: until a new approval, the version released before stays the one on
release, whatever drafts follow it.

Figures come from `totals.for_publication`, so what a text says is what may be published:
small per-country victim counts are withheld there, and a withheld group total is left out
of the text rather than guessed.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from disrupt.access import policy
from disrupt.audit.choices import AuditAction
from disrupt.audit.recorder import record
from disrupt.lib.dates import format_day
from disrupt.lib.documents import docx_bytes
from disrupt.lib.text import parse_body
from disrupt.programme.choices import MeetingKind
from disrupt.programme.models import Meeting, PeriodOfAction
from disrupt.reports import texts, totals
from disrupt.reports.choices import PublicationKind, PublicationStatus
from disrupt.reports.models import Publication, PublicationVersion

# A text approved for release is public; a draft is for the group until the co-chairs approve it.
RELEASED_MARKING = "TLP:CLEAR"
DRAFT_MARKING = "TLP:GREEN"


# --- The data a text is made from ----------------------------------------------------------------


def publication_figures(user: Any, period: PeriodOfAction) -> texts.Figures:
    """Indicator code -> group total as it may be published; withheld totals are left out."""
    figures: dict[str, Any] = {}
    currencies: dict[str, str] | None = None
    for row in totals.for_publication(user, period).rows:
        if row.total.suppressed or row.total.quantity is None:
            continue
        quantity = row.total.quantity
        if row.indicator.has_currency:
            # Money is published only with its currency, when the reports used exactly one.
            currencies = _currencies(user, period) if currencies is None else currencies
            currency = currencies.get(row.indicator.code, "")
            if not currency or row.published is not None:
                continue
            figures[row.indicator.code] = texts.Money(quantity, currency)
        else:
            figures[row.indicator.code] = quantity
    return figures


def _currencies(user: Any, period: PeriodOfAction) -> dict[str, str]:
    """Indicator code -> the one currency its reported total is in (none when mixed or unknown)."""
    found = {}
    for outcome in totals.period_outcomes(user, period):
        amounts = outcome.reported.amounts if outcome.reported is not None else {}
        if len(amounts) == 1 and next(iter(amounts)):
            found[outcome.indicator.code] = next(iter(amounts))
    return found


def previous_period(period: PeriodOfAction) -> PeriodOfAction | None:
    return PeriodOfAction.objects.filter(number__lt=period.number).order_by("-number").first()


def planning_meeting(period: PeriodOfAction) -> Meeting | None:
    """The workshop a co-chairs' statement reports by default: the period's planning workshop."""
    meetings = period.meetings.order_by("-starts_on")
    return meetings.filter(kind=MeetingKind.PLANNING).first() or meetings.first()


def compose(
    user: Any, period: PeriodOfAction, kind: str, meeting: Meeting | None = None
) -> tuple[texts.Text, texts.Figures]:
    """The text of `kind` for `period` as the data stand now, and the figures it used."""
    if kind == PublicationKind.CO_CHAIRS_STATEMENT:
        if meeting is None:
            raise ValidationError({"meeting": "Choose the workshop the statement reports."})
        before = previous_period(period)
        recalled = (before, publication_figures(user, before)) if before is not None else None
        return texts.co_chairs_statement(meeting, recalled), recalled[1] if recalled else {}
    figures = publication_figures(user, period)
    if kind == PublicationKind.OUTCOME_SUMMARY:
        return texts.outcome_summary(period, figures), figures
    if kind == PublicationKind.MEDIA_RELEASE:
        return texts.media_release(period, figures), figures
    raise ValidationError({"kind": f"Unknown kind of text: {kind!r}."})


# --- Writes -------------------------------------------------------------------------------------------


def _next_number(publication: Publication) -> int:
    # The publication row is locked by the caller, so two writers cannot take one number.
    return (publication.versions.aggregate(top=Max("number"))["top"] or 0) + 1


def _add_version(
    user: Any,
    publication: Publication,
    title: str,
    body: str,
    change_summary: str,
    figures: texts.Figures | None = None,
) -> PublicationVersion:
    Publication.objects.select_for_update().filter(pk=publication.pk).first()
    version = PublicationVersion(
        publication=publication,
        number=_next_number(publication),
        title=title.strip(),
        body=body.strip() + "\n",
        change_summary=change_summary.strip(),
        created_by=user,
        figures={code: quantity.display for code, quantity in (figures or {}).items()},
    )
    version.full_clean()
    version.save()
    return version


def do_generate(
    user: Any, period: PeriodOfAction, kind: str, meeting: Meeting | None = None
) -> PublicationVersion:
    """A new draft of the period's text of `kind`, written from the data as they stand."""
    if not policy.may_draft_publications(user, period):
        raise PermissionDenied("Only the secretariat and the period's co-chairs draft its texts.")
    if kind not in PublicationKind.values:
        raise ValidationError({"kind": f"Unknown kind of text: {kind!r}."})
    if kind == PublicationKind.CO_CHAIRS_STATEMENT:
        meeting = meeting or planning_meeting(period)
        if meeting is None:
            raise ValidationError({"meeting": "The period has no meeting to write a statement about."})
        if meeting.period_id != period.pk:
            raise ValidationError({"meeting": "The meeting is not one of this period's."})
    else:
        meeting = None
    text, figures = compose(user, period, kind, meeting)
    with transaction.atomic():
        publication, _ = Publication.objects.get_or_create(period=period, kind=kind, meeting=meeting)
        today = format_day(timezone.localdate())
        return _add_version(
            user, publication, text.title, text.body, f"Generated from the data on {today}.", figures
        )


def do_edit(
    user: Any, publication: Publication, title: str, body: str, change_summary: str
) -> PublicationVersion:
    """A new draft with a person's changes; the versions before it stay as they were."""
    if not policy.can_edit_publication(user, publication):
        raise PermissionDenied("Only the secretariat and the period's co-chairs edit its texts.")
    errors = {}
    if not title.strip():
        errors["title"] = "Give the text a title."
    if not parse_body(body):
        errors["body"] = "The text is empty."
    if not change_summary.strip():
        errors["change_summary"] = "Say what you changed and why."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return _add_version(user, publication, title, body, change_summary)


def do_approve(user: Any, version: PublicationVersion) -> PublicationVersion:
    """Release `version` (the newest draft); the version released before becomes superseded."""
    with transaction.atomic():
        Publication.objects.select_for_update().filter(pk=version.publication_id).first()
        version = PublicationVersion.objects.select_related("publication__period").get(pk=version.pk)
        if not policy.co_chairs_period(user, version.publication.period):
            raise PermissionDenied("Only the co-chairs of the period approve its texts for release.")
        if not policy.can_approve_publication(user, version):
            raise ValidationError("Only the newest version, while it is a draft, can be approved.")
        for released in version.publication.versions.filter(status=PublicationStatus.APPROVED):
            released.status = PublicationStatus.SUPERSEDED
            released.save(update_fields=["status"])
        version.status = PublicationStatus.APPROVED
        version.approved_by = user
        version.approved_at = timezone.now()
        version.save(update_fields=["status", "approved_by", "approved_at"])
        record(
            AuditAction.DISCLOSURE,
            actor=user,
            target=version.publication,
            detail={"event": "publication approved for release", "version": version.number},
        )
    return version


# --- Reading and downloading ---------------------------------------------------------------------


def shown_version(user: Any, publication: Publication) -> PublicationVersion | None:
    """What `user` reads first: the newest version they may see (drafters see the newest draft;
    everyone else, the version on release)."""
    versions = policy.visible_to(user, publication.versions.all())
    return versions.order_by("-number").first()


def marking(version: PublicationVersion) -> str:
    return RELEASED_MARKING if version.is_released else DRAFT_MARKING


def status_line(version: PublicationVersion) -> str:
    if version.status == PublicationStatus.APPROVED and version.approved_at:
        return f"Approved for release on {format_day(timezone.localdate(version.approved_at))}"
    if version.status == PublicationStatus.SUPERSEDED:
        return f"Version {version.number}, released and since superseded"
    return f"Draft, version {version.number}: not approved for release"


def version_docx(version: PublicationVersion) -> bytes:
    dated = version.approved_at or version.created_at
    return docx_bytes(
        title=version.title,
        blocks=parse_body(version.body),
        marking=marking(version),
        dated=f"{format_day(timezone.localdate(dated))} · {status_line(version)}",
        footer=f"{marking(version)} · {version.publication.get_kind_display()}, version {version.number}",
    )


def docx_filename(version: PublicationVersion) -> str:
    publication = version.publication
    kind = publication.kind.replace("_", "-")
    return f"jpa{publication.period.number}-{kind}-v{version.number}.docx"


def do_download(user: Any, version: PublicationVersion) -> bytes:
    """The DOCX of a version the caller has checked `user` may read; the download is on the trail."""
    data = version_docx(version)
    record(
        AuditAction.DOWNLOAD,
        actor=user,
        target=version.publication,
        detail={"version": version.number, "format": "docx", "status": version.status},
    )
    return data
