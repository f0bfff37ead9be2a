"""Matching jobs: one job's progress; matching on demand (an administrator over everything, a
collection's owner on one collection); the wide values an administrator excludes or allows."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRefresh

from disrupt.access import policy
from disrupt.intel.models import Collection
from disrupt.intel.views.common import render_htmx, user_of, visible, visible_or_404
from disrupt.matching import actions
from disrupt.matching.choices import JobKind, WideValueStatus
from disrupt.matching.models import MatchingJob, WideValue

# Kinds of run an administrator asks for on the run page.
ON_DEMAND = (JobKind.BULK, JobKind.REINDEX)


def _jobs(request: HttpRequest) -> Any:
    return visible(request, MatchingJob.objects.select_related("collection", "upload", "requested_by"))


@login_required
@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = visible_or_404(request, _jobs(request), pk)
    if request.htmx and job.is_finished:  # type: ignore[attr-defined]
        return HttpResponseClientRefresh()
    return render_htmx(request, "matching/job_detail.html", "intel/includes/job_progress.html", {"job": job})


def _administrator(request: HttpRequest) -> None:
    # Nobody else needs to know the page exists.
    if not policy.is_matching_administrator(request.user):
        raise Http404("No such page.")


@login_required
def run(request: HttpRequest) -> HttpResponse:
    """Match everything again, or re-index under the configured keys."""
    _administrator(request)
    error = ""
    if request.method == "POST":
        try:
            job = actions.do_request_matching(user_of(request), kind=request.POST.get("kind", ""))
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            messages.success(request, f"{job.get_kind_display()}: queued.")
            return redirect(job)
    jobs = visible(request, MatchingJob.objects.filter(collection__isnull=True, upload__isnull=True))
    return render(
        request,
        "matching/run.html",
        {
            "kinds": [(kind, kind.label) for kind in ON_DEMAND],
            "error": error,
            "jobs": list(jobs.select_related("requested_by")[:20]),
            "capped": WideValue.objects.filter(status=WideValueStatus.CAPPED).count(),
        },
        status=400 if error else 200,
    )


@login_required
@require_POST
def collection_match(request: HttpRequest, pk: int) -> HttpResponse:
    """The "Match now" button of a collection's page: its owner's officers."""
    collection = visible_or_404(request, Collection.objects.select_related("owner_agency"), pk)
    job = actions.do_request_matching(user_of(request), collection=collection)
    messages.success(request, f"Matching of “{collection.name}” is queued.")
    return redirect(job)


@login_required
@require_GET
def wide_values(request: HttpRequest) -> HttpResponse:
    _administrator(request)
    values = visible(request, WideValue.objects.select_related("decided_by"))
    status = request.GET.get("status", "")
    if status in WideValueStatus.values:
        values = values.filter(status=status)
    page = Paginator(values, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "matching/wide_values.html",
        {
            "page_obj": page,
            "values": page.object_list,
            # The status's first word: "Capped", "Excluded", "Allowed".
            "statuses": [
                (value, str(label).split()[0].rstrip(":")) for value, label in WideValueStatus.choices
            ],
            "status": status,
        },
    )


@login_required
@require_POST
def wide_value_decide(request: HttpRequest, pk: int) -> HttpResponse:
    _administrator(request)
    value = get_object_or_404(visible(request, WideValue.objects.all()), pk=pk)
    status = request.POST.get("status", "")
    try:
        actions.do_decide_wide_value(user_of(request), value, status)
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
    else:
        verb = "excluded for good" if status == WideValueStatus.EXCLUDED else "allowed: it makes hits again"
        messages.success(request, f"{value.get_kind_display()} {value.short_digest}… {verb}.")
    return redirect(reverse("matching:wide_values"))
