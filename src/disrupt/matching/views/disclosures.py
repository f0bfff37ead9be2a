"""Disclosure: the requests a user's agency made and received, the owner's decision, the
requester's withdrawal, and the disclosed copy (a read above GREEN goes on the audit trail)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from disrupt.access import policy
from disrupt.audit.recorder import record_read
from disrupt.intel.ftm import ftm_model
from disrupt.intel.views.common import add_errors, user_of, visible, visible_or_404
from disrupt.matching import actions
from disrupt.matching.choices import DisclosureStatus
from disrupt.matching.forms import DecisionForm, WithdrawForm
from disrupt.matching.models import Disclosure, DisclosureRequest, Hit

LIST_LIMIT = 100


def _requests(request: HttpRequest) -> Any:
    return visible(
        request,
        DisclosureRequest.objects.select_related(
            "owner_agency__country", "requesting_agency__country", "requested_by", "plan"
        ),
    )


def _open_first(requests: Any) -> Any:
    """Open requests first, the most overdue at the top; decided ones after, newest first."""
    now = timezone.now()
    rank = Case(
        When(Q(status=DisclosureStatus.PENDING, due_at__lt=now), then=Value(0)),
        When(status=DisclosureStatus.PENDING, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return requests.annotate(rank=rank).order_by("rank", "due_at", "-requested_at", "-pk")


@login_required
@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    agency_id = getattr(request.user, "agency_id", None)
    requests = _requests(request)
    incoming = _open_first(requests.exclude(requesting_agency=agency_id))
    outgoing = requests.filter(requesting_agency=agency_id).order_by("-requested_at", "-pk")
    incoming_rows = list(incoming[:LIST_LIMIT])
    return render(
        request,
        "matching/request_list.html",
        {
            "incoming": incoming_rows,
            "outgoing": list(outgoing[:LIST_LIMIT]),
            "to_decide": sum(1 for row in incoming_rows if row.is_open),
            "limit": LIST_LIMIT,
        },
    )


def _labelled(schema_name: str, properties: dict[str, list[str]]) -> list[dict[str, Any]]:
    schema = ftm_model().get(schema_name)
    rows = []
    for name, values in properties.items():
        prop = schema.get(name) if schema is not None else None
        rows.append({"name": name, "label": prop.label if prop is not None else name, "values": values})
    return sorted(rows, key=lambda row: str(row["label"]).lower())


def _decision_form(request: HttpRequest, disclosure_request: DisclosureRequest) -> DecisionForm:
    """The owner's form. The subject's values appear only to whoever may read its record, and
    that read goes on the trail as any read of the entity does."""
    subject = disclosure_request.subject
    entity = subject.entity
    properties: dict[str, list[str]] | None = None
    if entity is not None and subject.collection is not None:
        if policy.can_view(request.user, entity):
            properties = dict(entity.properties)
            record_read(
                subject.collection, subject.collection.handling_code, request=request, entity=entity.ftm_id
            )
        else:
            # An overdue request's focal point of another agency: property names, not values.
            properties = {name: [] for name in entity.properties}
    return DecisionForm(
        request.POST if request.method == "POST" else None,
        record_code=subject.record.handling_code,
        schema=subject.schema,
        properties=properties,
    )


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    related = _requests(request).select_related(
        "hit", "subject__entity", "subject__collection", "subject__upload", "decided_by"
    )
    disclosure_request = visible_or_404(request, related, pk)
    user = user_of(request)
    can_decide = policy.can_decide_disclosure(user, disclosure_request)
    if request.method == "POST" and not can_decide:
        raise PermissionDenied("Only the owner decides, while the request is open.")
    form = _decision_form(request, disclosure_request) if can_decide else None
    if form is not None and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_decide_disclosure(
                user,
                disclosure_request,
                grant=data["grant"],
                properties=data.get("properties") or (),
                reason=data.get("reason") or "",
                entity=data.get("entity"),
                handling_code=data.get("handling_code") or None,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "Decision recorded; the requester has been told.")
            return redirect(disclosure_request)
    visible_copy = visible(request, Disclosure.objects.filter(request=disclosure_request)).first()
    hits = visible(request, Hit.objects.filter(pk=disclosure_request.hit_id))
    is_owner_side = user.agency_id != disclosure_request.requesting_agency_id
    subject = disclosure_request.subject
    entity_visible = is_owner_side and subject.entity is not None and policy.can_view(user, subject.entity)
    context = {
        "req": disclosure_request,
        "form": form,
        "can_decide": can_decide,
        "can_withdraw": disclosure_request.is_open and disclosure_request.requested_by_id == user.pk,
        "withdraw_form": WithdrawForm(),
        "disclosure": visible_copy,
        "hit_visible": hits.exists(),
        "is_owner_side": is_owner_side,
        "subject": subject if is_owner_side else None,
        "entity_visible": entity_visible,
        "granted": _labelled(subject.schema, {name: [] for name in disclosure_request.granted_properties}),
    }
    status = 400 if form is not None and form.errors else 200
    return render(request, "matching/request_detail.html", context, status=status)


@login_required
@require_POST
def request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    disclosure_request = visible_or_404(request, _requests(request), pk)
    form = WithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    actions.do_withdraw_disclosure(user_of(request), disclosure_request, reason=reason)
    messages.success(request, f"{disclosure_request.reference} withdrawn.")
    return redirect(disclosure_request)


@login_required
@require_GET
def disclosure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    copies = visible(
        request,
        Disclosure.objects.select_related(
            "owner_agency__country",
            "request__decided_by",
            "request__requesting_agency__country",
            "request__requested_by",
            "source_collection",
            "source_upload",
        ),
    )
    copy = visible_or_404(request, copies, pk)
    record_read(copy, copy.handling_code, request=request, reference=copy.reference)
    schema = ftm_model().get(copy.schema)
    return render(
        request,
        "matching/disclosure_detail.html",
        {
            "copy": copy,
            "schema_label": schema.label if schema is not None else copy.schema,
            "properties": _labelled(copy.schema, copy.properties),
            "req": copy.request,
        },
    )
