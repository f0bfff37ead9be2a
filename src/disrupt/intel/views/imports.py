"""Imports: the upload form (FtM JSON lines, or CSV/XLSX with a mapping) and the job's page,
whose progress htmx polls until the worker has finished."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET
from django_htmx.http import HttpResponseClientRefresh

from disrupt.access import policy
from disrupt.intel import actions
from disrupt.intel.choices import JobStatus
from disrupt.intel.forms import ImportForm
from disrupt.intel.models import Collection, ImportJob
from disrupt.intel.views.common import add_errors, render_htmx, user_of, visible, visible_or_404

# Errors shown on the page (the job keeps the first 200).
SHOWN_ERRORS = 50


@login_required
def import_create(request: HttpRequest, pk: int) -> HttpResponse:
    collection = visible_or_404(request, Collection.objects.select_related("owner_agency"), pk)
    if not policy.can_edit_collection(request.user, collection):
        raise PermissionDenied("Only officers of the owning agency import into a collection.")
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = actions.do_start_import(
                user_of(request),
                collection,
                name=upload.name or "upload",
                stream=upload,
                format=form.cleaned_data["format"],
                mapping=form.cleaned_data["mapping"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"“{job.original_name}” is queued for import.")
            return redirect(job)
    return render(request, "intel/import_form.html", {"collection": collection, "form": form})


@login_required
@require_GET
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    jobs = visible(request, ImportJob.objects.select_related("collection__owner_agency", "created_by"))
    job = visible_or_404(request, jobs, pk)
    if request.htmx and job.is_finished:  # type: ignore[attr-defined]
        # The outcome (counts, errors) is the whole page's business: load it afresh.
        return HttpResponseClientRefresh()
    context = {
        "job": job,
        "collection": job.collection,
        "errors": job.errors[:SHOWN_ERRORS],
        "more_errors": max(0, job.error_count - SHOWN_ERRORS),
        "refused": job.status == JobStatus.INVALID,
    }
    return render_htmx(request, "intel/import_detail.html", "intel/includes/job_progress.html", context)
