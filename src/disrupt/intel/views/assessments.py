"""Syndicate assessments: list, new (from a community of an analysis), detail, edit, DOCX."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from disrupt.access import policy
from disrupt.audit.recorder import record_read
from disrupt.intel import actions
from disrupt.intel import assessments as documents
from disrupt.intel.choices import JobStatus
from disrupt.intel.filters import AssessmentFilter
from disrupt.intel.forms import AssessmentForm, MemberFormSet
from disrupt.intel.models import AnalysisRun, Assessment
from disrupt.intel.views.common import (
    add_errors,
    sharing_page,
    user_of,
    visible,
    visible_or_404,
    who_can_read,
)
from disrupt.lib.text import grouped, parse_body


def _assessments(request: HttpRequest) -> Any:
    return visible(
        request, Assessment.objects.select_related("owner_agency__country", "created_by", "updated_by")
    )


@login_required
@require_GET
def assessment_list(request: HttpRequest) -> HttpResponse:
    assessments = _assessments(request).prefetch_related("countries")
    filterset = AssessmentFilter(request.GET or None, queryset=assessments, request=request)
    page = Paginator(filterset.qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "intel/assessment_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "assessments": page.object_list,
            "can_create": policy.can_create(request.user, Assessment),
        },
    )


def _members_data(formset: Any) -> list[dict[str, Any]]:
    return [
        {"ftm_id": form.cleaned_data["ftm_id"], "role": form.cleaned_data.get("role", "")}
        for form in formset.forms
        if form.cleaned_data.get("keep") and form.cleaned_data.get("ftm_id")
    ]


def _save(request: HttpRequest, form: AssessmentForm, formset: Any, **where: Any) -> Assessment | None:
    data = form.cleaned_data
    try:
        return actions.do_save_assessment(
            user_of(request),
            title=data["title"],
            summary=data["summary"],
            modus_operandi=data["modus_operandi"],
            financial_network=data["financial_network"],
            routes=data["routes"],
            handling_code=data["handling_code"],
            countries=data["countries"],
            plans=data["plans"],
            members=_members_data(formset),
            **where,
        )
    except ValidationError as error:
        add_errors(form, error)
        return None


def _source_run(request: HttpRequest) -> tuple[AnalysisRun | None, int | None]:
    """The analysis and community the new assessment starts from (?analysis=&community=)."""
    raw_run, raw_community = request.GET.get("analysis"), request.GET.get("community")
    if not raw_run:
        return None, None
    try:
        run_pk = int(raw_run)
        community = int(raw_community) if raw_community not in (None, "") else None
    except ValueError as error:
        raise Http404("No such analysis.") from error
    run = visible_or_404(request, AnalysisRun.objects.all(), run_pk)
    if run.status != JobStatus.DONE:
        raise Http404("This analysis has no results yet.")
    return run, community


@login_required
def assessment_create(request: HttpRequest) -> HttpResponse:
    if not policy.can_create(request.user, Assessment):
        raise PermissionDenied("Only officers of an agency write assessments.")
    run, community = _source_run(request)
    draft: dict[str, Any] = {}
    if run is not None and community is not None:
        draft = documents.draft_from_community(run, user_of(request), community)
    initial = {key: value for key, value in draft.items() if key != "members"}
    form = AssessmentForm(request.POST or None, user=request.user, initial=initial)
    formset = MemberFormSet(request.POST or None, initial=draft.get("members", []), prefix="members")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        assessment = _save(request, form, formset, analysis=run, community=community)
        if assessment is not None:
            messages.success(request, "Assessment saved.")
            return redirect(assessment)
    return render(
        request,
        "intel/assessment_form.html",
        {"form": form, "formset": formset, "run": run, "community": community, "assessment": None},
    )


def _run_of(request: HttpRequest, assessment: Assessment) -> AnalysisRun | None:
    """The analysis it began from, if the reader may see it (only its requester may)."""
    if not assessment.analysis_id:
        return None
    return visible(request, AnalysisRun.objects.filter(pk=assessment.analysis_id)).first()  # type: ignore[no-any-return]


@login_required
@require_GET
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = visible_or_404(request, _assessments(request), pk)
    record_read(assessment, assessment.handling_code, request=request)
    run = _run_of(request, assessment)
    return render(
        request,
        "intel/assessment_detail.html",
        {
            "assessment": assessment,
            "members": list(assessment.members.select_related("entity")),
            "countries": list(assessment.countries.all()),
            "plans": list(policy.visible_to(request.user, assessment.plans.all())),
            "run": run,
            "can_edit": policy.can_edit_assessment(request.user, assessment),
            "can_share": policy.owns_record(request.user, assessment),
            # The written sections as the DOCX has them, bullets as lists.
            "sections": [
                (heading, grouped(parse_body(getattr(assessment, field))))
                for field, heading in documents.SECTIONS
            ],
            "who_can_read": who_can_read(assessment),
        },
    )


@login_required
def assessment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = visible_or_404(request, _assessments(request), pk)
    if not policy.can_edit_assessment(request.user, assessment):
        raise PermissionDenied("Only officers of the author's agency change an assessment.")
    initial = {
        "title": assessment.title,
        "handling_code": assessment.handling_code,
        "summary": assessment.summary,
        "modus_operandi": assessment.modus_operandi,
        "financial_network": assessment.financial_network,
        "routes": assessment.routes,
        "countries": list(assessment.countries.all()),
        "plans": list(assessment.plans.all()),
    }
    members = [
        {"ftm_id": m.ftm_id, "caption": m.caption, "schema": m.schema, "country": m.country, "role": m.role}
        for m in assessment.members.all()
    ]
    form = AssessmentForm(request.POST or None, user=request.user, initial=initial)
    formset = MemberFormSet(request.POST or None, initial=members, prefix="members")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        saved = _save(request, form, formset, assessment=assessment)
        if saved is not None:
            messages.success(request, f"Assessment saved as version {saved.version}.")
            return redirect(saved)
    return render(
        request,
        "intel/assessment_form.html",
        {
            "form": form,
            "formset": formset,
            "assessment": assessment,
            "run": _run_of(request, assessment),
            "community": None,
        },
    )


@login_required
@require_GET
def assessment_docx(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = visible_or_404(request, _assessments(request), pk)
    return documents.docx_download(assessment, request)


@login_required
def assessment_sharing(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = visible_or_404(request, Assessment.objects.select_related("owner_agency"), pk)
    return sharing_page(request, assessment, back=assessment.get_absolute_url())
