"""Hits: the user's hits as their side sees them (`present.hit_for`), one hit with its
judgement and disclosure forms, and the requests made on it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from disrupt.access import policy
from disrupt.intel.views.common import add_errors, user_of, visible, visible_or_404
from disrupt.matching import actions
from disrupt.matching.choices import SelectorKind
from disrupt.matching.filters import HitFilterSet
from disrupt.matching.forms import DisclosureRequestForm, JudgementForm
from disrupt.matching.models import DisclosureRequest, Hit
from disrupt.matching.present import hit_for, related_for_hits

PAGE_SIZE = 25
# What an empty choice of each filter says on the page (django-filter's default is dashes).
ANY = {"plan": "Any plan", "kind": "Anything", "verdict": "Any verdict", "disclosure": "Asked or not"}


def _worded(filterset: HitFilterSet) -> None:
    """Filter choices in words: "Any plan" rather than dashes, "Still matching" rather than "Yes"."""
    fields = filterset.form.fields
    for name, label in ANY.items():
        field = fields[name]
        if hasattr(field, "queryset"):
            field.empty_label = label  # type: ignore[attr-defined]
        else:
            field.choices = [(v, label if v == "" else text) for v, text in field.choices]  # type: ignore[attr-defined]
    current = fields["current"].widget
    current.choices = [("unknown", "Current or not"), ("true", "Still matching"), ("false", "No longer")]  # type: ignore[attr-defined]
    fields["min_score"].widget.attrs.update({"inputmode": "decimal", "placeholder": "0 to 1"})


def _hits(request: HttpRequest) -> Any:
    hits = Hit.objects.select_related(*related_for_hits()).prefetch_related("judgements", "requests")
    return visible(request, hits)


@login_required
@require_GET
def hit_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    filterset = HitFilterSet(request.GET or None, queryset=_hits(request), user=user)
    _worded(filterset)
    # An invalid filter (a plan that is not there, a score that is not a number) shows its error
    # on its field and lists nothing, rather than everything.
    hits = filterset.qs if not filterset.is_bound or filterset.is_valid() else Hit.objects.none()
    page = Paginator(hits, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [hit_for(user, hit) for hit in page.object_list]
    return render(
        request,
        "matching/hit_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "rows": rows,
            "new_count": sum(1 for row in rows if row.is_new),
            "is_officer": policy.is_officer(user),
        },
    )


def _detail(
    request: HttpRequest,
    hit: Hit,
    *,
    judgement_form: JudgementForm | None = None,
    request_form: DisclosureRequestForm | None = None,
) -> HttpResponse:
    user = user_of(request)
    view = hit_for(user, hit)
    mine = next((j for j in hit.judgements.all() if j.agency_id == user.agency_id), None)
    if judgement_form is None:
        initial = {"verdict": mine.verdict, "note": mine.note} if mine else {}
        judgement_form = JudgementForm(initial=initial)
    if request_form is None:
        request_form = DisclosureRequestForm(user=user)
    on_hit = DisclosureRequest.objects.filter(hit=hit).select_related(
        "requested_by", "requesting_agency__country", "owner_agency__country", "plan"
    )
    requests = list(visible(request, on_hit))
    has_open = any(r.is_open and r.requesting_agency_id == user.agency_id for r in requests)
    failed = judgement_form.is_bound or request_form.is_bound
    return render(
        request,
        "matching/hit_detail.html",
        {
            "row": view,
            "hit": hit,
            "judgement": mine,
            "judgement_form": judgement_form,
            "request_form": request_form,
            "requests": requests,
            "has_open_request": has_open,
            "exact": hit.kind != SelectorKind.PERSON,
        },
        status=400 if failed else 200,
    )


@login_required
@require_GET
def hit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, visible_or_404(request, _hits(request), pk))


@login_required
@require_POST
def hit_judge(request: HttpRequest, pk: int) -> HttpResponse:
    hit = visible_or_404(request, _hits(request), pk)
    form = JudgementForm(request.POST)
    if form.is_valid():
        try:
            judgement = actions.do_judge_hit(
                user_of(request), hit, form.cleaned_data["verdict"], form.cleaned_data["note"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"Hit {hit.pk}: {judgement.get_verdict_display().lower()}.")
            return redirect(hit)
    return _detail(request, hit, judgement_form=form)


@login_required
@require_POST
def hit_request(request: HttpRequest, pk: int) -> HttpResponse:
    hit = visible_or_404(request, _hits(request), pk)
    user = user_of(request)
    form = DisclosureRequestForm(request.POST, user=user)
    if form.is_valid():
        try:
            disclosure_request = actions.do_request_disclosure(
                user, hit, form.cleaned_data["purpose"], plan=form.cleaned_data["plan"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                f"{disclosure_request.reference} sent to {disclosure_request.owner_agency.name}: "
                f"they decide by {timezone.localtime(disclosure_request.due_at):%d %b %Y %H:%M}.",
            )
            return redirect(disclosure_request)
    return _detail(request, hit, request_form=form)
