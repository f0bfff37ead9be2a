"""What goes into the search index for each kind of record, and how it is kept up to date.

`SOURCES` maps each searchable model to a function giving its document. The search filters
documents through `access.policy.visible_to` of these same models, so adding a model here
is all it takes to make it searchable, and its visibility comes with it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.db.models import F, Func, TextField, Value
from django.utils import timezone

from disrupt.search.choices import SearchKind
from disrupt.search.models import SearchDocument


@dataclass
class Document:
    kind: str
    title: str
    body: str
    url: str
    handling_code: str = ""
    country_id: int | None = None
    period_id: int | None = None


def _lines(*parts: Any) -> str:
    return "\n".join(str(part) for part in parts if part)


def _first_period_id(plan: Any) -> int | None:
    period = plan.periods.order_by("number").first()
    return period.pk if period else None


def _period(period: Any) -> Document:
    return Document(
        SearchKind.PERIOD, str(period), period.summary, period.get_absolute_url(), period_id=period.pk
    )


def _meeting(meeting: Any) -> Document:
    return Document(
        SearchKind.MEETING,
        meeting.title,
        _lines(meeting.get_kind_display(), meeting.city, meeting.outcome_statement),
        meeting.get_absolute_url(),
        country_id=meeting.host_country_id,
        period_id=meeting.period_id,
    )


def _plan(plan: Any) -> Document:
    return Document(
        SearchKind.PLAN,
        f"{plan.reference} {plan.title}",
        plan.summary,
        plan.get_absolute_url(),
        handling_code=plan.handling_code,
        country_id=plan.lead_country_id,
        period_id=_first_period_id(plan),
    )


def _country(country: Any) -> Document:
    return Document(
        SearchKind.COUNTRY,
        country.name,
        _lines(country.official_name, country.code, country.alpha3),
        country.get_absolute_url(),
        country_id=country.pk,
    )


def _agency(agency: Any) -> Document:
    return Document(
        SearchKind.AGENCY,
        agency.name,
        _lines(agency.short_name, agency.get_kind_display()),
        agency.get_absolute_url(),
        country_id=agency.country_id,
    )


def _enquiry(enquiry: Any) -> Document:
    replies = enquiry.replies.order_by("created_at", "pk").values_list("body", flat=True)
    return Document(
        SearchKind.ENQUIRY,
        f"{enquiry.reference} {enquiry.subject}",
        _lines(enquiry.body, *replies),
        enquiry.get_absolute_url(),
        handling_code=enquiry.handling_code,
        country_id=enquiry.owner_agency.country_id,
        period_id=_first_period_id(enquiry.plan) if enquiry.plan_id else None,
    )


def _attachment(attachment: Any) -> Document:
    """Only the file's name and the enquiry it belongs to: the contents are not indexed."""
    enquiry = attachment.enquiry
    return Document(
        SearchKind.ATTACHMENT,
        attachment.original_name,
        f"Attached to {enquiry.reference}",
        enquiry.get_absolute_url(),
        handling_code=enquiry.handling_code,
        country_id=enquiry.owner_agency.country_id,
        period_id=_first_period_id(enquiry.plan) if enquiry.plan_id else None,
    )


def _collection(collection: Any) -> Document:
    """Its name and summary; its entities are searched on their own page (intel:entity_search)."""
    return Document(
        SearchKind.COLLECTION,
        collection.name,
        collection.summary,
        collection.get_absolute_url(),
        handling_code=collection.handling_code,
        country_id=collection.owner_agency.country_id,
        period_id=_first_period_of(collection.plans.all()),
    )


def _assessment(assessment: Any) -> Document:
    members = assessment.members.order_by("position", "pk").values_list("caption", "role")
    return Document(
        SearchKind.ASSESSMENT,
        assessment.title,
        _lines(
            assessment.summary,
            assessment.modus_operandi,
            assessment.financial_network,
            assessment.routes,
            *(f"{caption} ({role})" if role else caption for caption, role in members),
        ),
        assessment.get_absolute_url(),
        handling_code=assessment.handling_code,
        country_id=assessment.owner_agency.country_id,
        period_id=_first_period_of(assessment.plans.all()),
    )


def _first_period_of(plans: Any) -> int | None:
    for plan in plans.order_by("pk"):
        found = _first_period_id(plan)
        if found is not None:
            return found
    return None


SOURCES: dict[str, Callable[[Any], Document]] = {
    "programme.periodofaction": _period,
    "programme.meeting": _meeting,
    "programme.plan": _plan,
    "directory.country": _country,
    "directory.agency": _agency,
    "exchange.enquiry": _enquiry,
    "exchange.attachment": _attachment,
    "intel.collection": _collection,
    "intel.assessment": _assessment,
}


def source_models() -> list[type[models.Model]]:
    """The searchable models that exist in this installation."""
    found = []
    for label in SOURCES:
        try:
            found.append(apps.get_model(label))
        except LookupError:
            continue
    return found


def index(record: models.Model) -> SearchDocument:
    """Write (or rewrite) the document of one record."""
    document = SOURCES[record._meta.label_lower](record)
    content_type = ContentType.objects.get_for_model(record)
    saved, _ = SearchDocument.objects.update_or_create(
        content_type=content_type,
        object_id=record.pk,
        defaults={
            "kind": document.kind,
            "title": document.title[:300],
            "body": document.body,
            "url": document.url,
            "handling_code": document.handling_code,
            "country_id": document.country_id,
            "period_id": document.period_id,
        },
    )
    refresh_vectors(SearchDocument.objects.filter(pk=saved.pk))
    return saved


def unindex(model: type[models.Model], pk: Any) -> None:
    content_type = ContentType.objects.get_for_model(model)
    SearchDocument.objects.filter(content_type=content_type, object_id=pk).delete()


def refresh_vectors(documents: models.QuerySet[SearchDocument]) -> None:
    """On PostgreSQL, recompute the stored tsvector (titles weigh more than bodies)."""
    if connection.vendor != "postgresql":
        return
    from django.contrib.postgres.search import SearchVector

    def words(name: str) -> Func:
        # PostgreSQL's parser keeps "dawn-registry.pdf" or "JPA7-02" as odd single tokens;
        # split at punctuation first, as SQLite's tokenizer does, so each part can be found.
        return Func(
            F(name),
            Value(r"[\W_]+"),
            Value(" "),
            Value("g"),
            function="regexp_replace",
            output_field=TextField(),
        )

    documents.update(
        search_vector=SearchVector(words("title"), weight="A", config="english")
        + SearchVector(words("body"), weight="B", config="english")
    )


def reindex_all() -> int:
    """Rebuild the whole index from the records (the `disrupt reindex` command)."""
    started = timezone.now()
    count = 0
    for model in source_models():
        for record in model._default_manager.all().iterator(chunk_size=500):
            index(record)
            count += 1
    # Whatever was not rewritten belongs to a record that no longer exists.
    SearchDocument.objects.filter(updated_at__lt=started).delete()
    return count
