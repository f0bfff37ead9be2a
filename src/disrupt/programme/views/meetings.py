"""Meeting pages: list, detail, create and edit, the statement document, action items."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from disrupt.access import policy
from disrupt.audit.choices import AuditAction
from disrupt.audit.recorder import record
from disrupt.programme.filters import MeetingFilter
from disrupt.programme.forms.meetings import (
    DOCUMENT_TYPES,
    ActionItemForm,
    ActionProgressForm,
    MeetingForm,
    StatementUploadForm,
)
from disrupt.programme.models import ActionItem, Meeting

PAGE_SIZE = 25


def _visible_meeting(request: HttpRequest, pk: int) -> Meeting:
    meetings = policy.visible_to(request.user, Meeting.objects.all())
    return get_object_or_404(meetings.select_related("host_country", "period"), pk=pk)


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    meetings = policy.visible_to(request.user, Meeting.objects.all()).select_related("host_country", "period")
    filterset = MeetingFilter(request.GET or None, queryset=meetings)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "programme/meeting_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "meetings": page.object_list,
            "can_create": policy.can_create(request.user, Meeting),
        },
    )


def _detail_context(
    request: HttpRequest, meeting: Meeting, upload_form: StatementUploadForm | None
) -> dict[str, Any]:
    items = list(
        policy.visible_to(request.user, meeting.action_items.all()).select_related(
            "owner_user", "owner_agency", "owner_country"
        )
    )
    for item in items:
        item.can_edit = policy.can_edit(request.user, item)  # type: ignore[attr-defined]
    can_edit = policy.can_edit(request.user, meeting)
    return {
        "meeting": meeting,
        "action_items": items,
        "can_edit": can_edit,
        "can_add_action": can_edit,
        "upload_form": upload_form or (StatementUploadForm() if can_edit else None),
    }


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _visible_meeting(request, pk)
    return render(request, "programme/meeting_detail.html", _detail_context(request, meeting, None))


@login_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    if not policy.can_create(request.user, Meeting):
        raise PermissionDenied("The secretariat and the co-chairs record meetings.")
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        meeting = form.save()
        messages.success(request, f"Meeting “{meeting.title}” recorded.")
        return redirect(meeting)
    return render(request, "programme/meeting_form.html", {"form": form, "meeting": None})


@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _visible_meeting(request, pk)
    if not policy.can_edit(request.user, meeting):
        raise PermissionDenied("Only the secretariat and the meeting's co-chairs edit it.")
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Meeting saved.")
        return redirect(meeting)
    return render(request, "programme/meeting_form.html", {"form": form, "meeting": meeting})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def meeting_statement(request: HttpRequest, pk: int) -> HttpResponseBase:
    """GET downloads the original statement document; POST replaces it (editors only)."""
    meeting = _visible_meeting(request, pk)
    if request.method != "POST":
        response = _download_statement(meeting)
        record(AuditAction.DOWNLOAD, target=meeting, request=request, detail={"document": "statement"})
        return response
    if not policy.can_edit(request.user, meeting):
        raise PermissionDenied("Only the secretariat and the meeting's co-chairs attach its statement.")
    form = StatementUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "programme/meeting_detail.html", _detail_context(request, meeting, form))
    name = f"{slugify(meeting.title)[:80] or 'statement'}.{form.document_type.extension}"
    with transaction.atomic():
        old = meeting.statement_document.name
        meeting.statement_document.save(name, form.cleaned_data["document"], save=False)
        meeting.save(update_fields=["statement_document"])
    if old and old != meeting.statement_document.name:
        meeting.statement_document.storage.delete(old)
    messages.success(request, f"Statement document attached ({form.document_type.label}).")
    return redirect(meeting)


def _download_statement(meeting: Meeting) -> HttpResponseBase:
    document = meeting.statement_document
    name = document.name or ""
    if not name or not document.storage.exists(name):
        raise Http404("This meeting has no statement document.")
    extension = name.rsplit(".", 1)[-1].lower()
    kind = DOCUMENT_TYPES.get(extension)
    response = FileResponse(
        document.open("rb"),
        as_attachment=True,
        filename=name.rsplit("/", 1)[-1],
        content_type=kind.content_type if kind else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def action_create(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _visible_meeting(request, pk)
    # An action belongs to its meeting: whoever may edit the meeting records its actions.
    if not (policy.can_create(request.user, ActionItem) and policy.can_edit(request.user, meeting)):
        raise PermissionDenied("The secretariat and the meeting's co-chairs record its actions.")
    form = ActionItemForm(request.POST or None, user=request.user, instance=ActionItem(meeting=meeting))
    if request.method == "POST" and form.is_valid():
        item = form.save()
        messages.success(request, "Action recorded.")
        return redirect(item)
    return render(request, "programme/action_form.html", {"form": form, "meeting": meeting, "item": None})


@login_required
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    items = policy.visible_to(request.user, ActionItem.objects.all()).select_related("meeting")
    item = get_object_or_404(items, pk=pk)
    if not policy.can_edit(request.user, item):
        raise PermissionDenied("You may not change this action.")
    full = policy.can_edit(request.user, item.meeting)
    form: ActionItemForm | ActionProgressForm
    if full:
        form = ActionItemForm(request.POST or None, user=request.user, instance=item)
    else:
        # The owner reports progress; what was agreed stays as the meeting recorded it.
        form = ActionProgressForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Action saved.")
        return redirect(item)
    return render(
        request,
        "programme/action_form.html",
        {"form": form, "meeting": item.meeting, "item": item, "owner_only": not full},
    )
