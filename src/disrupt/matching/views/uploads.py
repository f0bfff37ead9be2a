"""Selector-only uploads: the list, the form, an upload's progress and refusal, deletion."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRefresh

from disrupt.access import policy
from disrupt.intel.choices import JobStatus
from disrupt.intel.views.common import add_errors, render_htmx, user_of, visible, visible_or_404
from disrupt.matching import actions
from disrupt.matching.forms import UploadForm
from disrupt.matching.models import MatchingJob, SelectorUpload


def _uploads(request: HttpRequest) -> Any:
    return visible(request, SelectorUpload.objects.select_related("owner_agency__country", "created_by"))


@login_required
@require_GET
def upload_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(_uploads(request), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "matching/upload_list.html",
        {
            "page_obj": page,
            "uploads": page.object_list,
            "can_upload": policy.can_upload_selectors(request.user),
            "agency_id": getattr(request.user, "agency_id", None),
        },
    )


@login_required
def upload_create(request: HttpRequest) -> HttpResponse:
    if not policy.can_upload_selectors(request.user):
        raise PermissionDenied("Only an agency's officers upload selectors.")
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            upload = actions.do_upload_selectors(
                user_of(request),
                name=data["name"],
                upload_file=data["file"],
                original_name=data["file"].name or "selectors.json",
                handling_code=data["handling_code"],
                plans=data["plans"],
                shared_agencies=data["shared_agencies"],
                shared_countries=data["shared_countries"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, f"“{upload.name}” is queued: every record is checked before any is matched."
            )
            return redirect(upload)
    return render(request, "matching/upload_form.html", {"form": form})


@login_required
@require_GET
def upload_detail(request: HttpRequest, pk: int) -> HttpResponse:
    upload = visible_or_404(request, _uploads(request), pk)
    job = visible(request, MatchingJob.objects.filter(upload=upload)).first()
    if request.htmx and (job is None or job.is_finished):  # type: ignore[attr-defined]
        # The outcome (counts, refusal) is the whole page's business: load it afresh.
        return HttpResponseClientRefresh()
    context = {
        "upload": upload,
        "job": job,
        "plans": list(policy.visible_to(request.user, upload.plans.all())),
        "can_edit": policy.can_edit_upload(request.user, upload),
        "refused": upload.status == JobStatus.INVALID,
    }
    return render_htmx(request, "matching/upload_detail.html", "intel/includes/job_progress.html", context)


@login_required
@require_POST
def upload_delete(request: HttpRequest, pk: int) -> HttpResponse:
    upload = visible_or_404(request, _uploads(request), pk)
    if not policy.can_edit_upload(request.user, upload):
        raise PermissionDenied("Only the owning agency's officers delete its uploads.")
    if request.POST.get("confirm") != "yes":
        messages.error(request, "Nothing was deleted: tick the box to confirm.")
        return redirect(upload)
    actions.do_delete_upload(user_of(request), upload)
    messages.success(request, f"“{upload.name}” deleted, with its records and their hits.")
    return redirect(reverse("matching:upload_list"))
