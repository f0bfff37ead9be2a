"""Enquiry pages: inbox and outbox, a new enquiry, the thread, its files and its sharing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from disrupt.access import policy
from disrupt.access.describe import who_can_read
from disrupt.access.models import SharingRequest
from disrupt.audit.choices import AuditAction
from disrupt.audit.recorder import record
from disrupt.directory.models import Agency, User
from disrupt.exchange import actions
from disrupt.exchange.attachments import scanner
from disrupt.exchange.export import rows, with_threads
from disrupt.exchange.filters import EnquiryFilter
from disrupt.exchange.forms import DecisionForm, EnquiryForm, ReplyForm, WideningRequestForm
from disrupt.exchange.models import Attachment, Enquiry

PAGE_SIZE = 25


def visible_enquiries(request: HttpRequest) -> Any:
    return policy.visible_to(request.user, Enquiry.objects.all())


def _visible_enquiry(request: HttpRequest, pk: int) -> Enquiry:
    enquiries = visible_enquiries(request).select_related("owner_agency__country", "created_by", "plan")
    return get_object_or_404(enquiries, pk=pk)


def _user(request: HttpRequest) -> User:
    """The signed-in user (every view here requires one)."""
    assert isinstance(request.user, User)
    return request.user


def _add_errors(form: BaseForm, error: ValidationError) -> None:
    """Puts an action's ValidationError on the form's fields where it names one."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages_ in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages_)


def _uploads(request: HttpRequest) -> list[actions.Upload]:
    return [(upload.name or "attachment", upload) for upload in request.FILES.getlist("attachments")]


@login_required
def enquiry_list(request: HttpRequest) -> HttpResponse:
    enquiries = (
        visible_enquiries(request)
        .select_related("owner_agency__country")
        .prefetch_related(Prefetch("recipients", queryset=Agency.objects.select_related("country")))
    )
    filterset = EnquiryFilter(request.GET or None, queryset=enquiries, request=request)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "exchange/enquiry_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "enquiries": page.object_list,
            "can_send": policy.can_create(request.user, Enquiry),
            "agency_id": getattr(request.user, "agency_id", None),
        },
    )


@login_required
@require_GET
def enquiry_export(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered list as CSV, threads included; only what the user may see; recorded."""
    filterset = EnquiryFilter(request.GET or None, queryset=visible_enquiries(request), request=request)
    enquiries = with_threads(request.user, filterset.qs)
    record(
        AuditAction.EXPORT,
        request=request,
        detail={"of": "enquiries", "count": enquiries.count(), "filters": dict(request.GET.items())},
    )
    response = StreamingHttpResponse(rows(enquiries), content_type="text/csv; charset=utf-8")
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="enquiries-{stamp}.csv"'
    return response


@login_required
def enquiry_create(request: HttpRequest) -> HttpResponse:
    if not policy.can_create(request.user, Enquiry):
        raise PermissionDenied("Only focal points, investigators and analysts of an agency send enquiries.")
    form = EnquiryForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            enquiry = actions.do_send_enquiry(
                _user(request),
                recipients=data["recipients"],
                subject=data["subject"],
                body=data["body"],
                kind=data["kind"],
                handling_code=data["handling_code"],
                priority=data["priority"],
                due_on=data["due_on"],
                plan=data["plan"],
                files=_uploads(request),
                source_reliability=data["source_reliability"],
                information_accuracy=data["information_accuracy"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"Enquiry {enquiry.reference} sent.")
            return redirect(enquiry)
    return render(request, "exchange/enquiry_form.html", {"form": form, "scanning": scanner() is not None})


def _detail_context(request: HttpRequest, enquiry: Enquiry, **forms: Any) -> dict[str, Any]:
    user = request.user
    replies = list(
        policy.visible_to(user, enquiry.replies.all())
        .select_related("author", "agency")
        .prefetch_related("attachments")
    )
    files = list(policy.visible_to(user, enquiry.attachments.filter(reply__isnull=True)))
    can_reply = policy.can_reply_enquiry(user, enquiry)
    owns = policy.owns_record(user, enquiry)
    can_widen = policy.can_request_widening(user, enquiry)
    requests = list(
        policy.visible_to(user, actions.sharing_requests_for(enquiry)).prefetch_related(
            "agencies", "countries"
        )
    )
    return {
        "enquiry": enquiry,
        "recipients": list(enquiry.recipients.select_related("country")),
        "replies": replies,
        "files": files,
        "who_can_read": who_can_read(enquiry, owner="sending agency"),
        "can_reply": can_reply,
        "owns": owns,
        "is_live": enquiry.is_open,
        "reply_form": forms.get("reply_form") or (ReplyForm() if can_reply else None),
        "widening_form": forms.get("widening_form")
        or (WideningRequestForm(record=enquiry) if can_widen else None),
        "decision_form": DecisionForm() if owns else None,
        "sharing_requests": requests,
        "pending_requests": [r for r in requests if r.status == "pending"],
        "scanning": scanner() is not None,
    }


def _render_detail(request: HttpRequest, enquiry: Enquiry, status: int = 200, **forms: Any) -> HttpResponse:
    return render(
        request, "exchange/enquiry_detail.html", _detail_context(request, enquiry, **forms), status=status
    )


@login_required
@require_GET
def enquiry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enquiry = _visible_enquiry(request, pk)
    if enquiry.is_restricted:
        record(AuditAction.READ, target=enquiry, request=request, detail={"code": enquiry.handling_code})
    return _render_detail(request, enquiry)


@login_required
@require_POST
def enquiry_reply(request: HttpRequest, pk: int) -> HttpResponse:
    enquiry = _visible_enquiry(request, pk)
    if not policy.can_reply_enquiry(request.user, enquiry):
        raise PermissionDenied(
            "Only officers of the sending and the addressed agencies reply, while it is open."
        )
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.do_reply(_user(request), enquiry, body=form.cleaned_data["body"], files=_uploads(request))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Reply sent.")
            return redirect(enquiry)
    return _render_detail(request, enquiry, status=400, reply_form=form)


@login_required
@require_POST
def enquiry_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Close or withdraw (the sending agency's author or focal point)."""
    enquiry = _visible_enquiry(request, pk)
    action = {"close": actions.do_close, "withdraw": actions.do_withdraw}.get(request.POST.get("action", ""))
    if action is None:
        messages.error(request, "Choose to close or to withdraw the enquiry.")
        return redirect(enquiry)
    try:
        action(_user(request), enquiry)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Enquiry {enquiry.get_status_display().lower()}.")
    return redirect(enquiry)


@login_required
@require_POST
def sharing_request_create(request: HttpRequest, pk: int) -> HttpResponse:
    enquiry = _visible_enquiry(request, pk)
    if not policy.can_request_widening(request.user, enquiry):
        raise PermissionDenied("Only readers outside the sending agency may ask to share it more widely.")
    form = WideningRequestForm(request.POST, record=enquiry)
    if form.is_valid():
        try:
            actions.do_request_widening(
                _user(request),
                enquiry,
                agencies=form.cleaned_data["agencies"],
                countries=form.cleaned_data.get("countries") or (),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Your request went to the sending agency, which decides.")
            return redirect(enquiry)
    return _render_detail(request, enquiry, status=400, widening_form=form)


@login_required
@require_POST
def sharing_request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    requests = policy.visible_to(request.user, SharingRequest.objects.filter(content_type__model="enquiry"))
    sharing_request = get_object_or_404(requests, pk=pk)
    enquiry = _visible_enquiry(request, sharing_request.object_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose to grant or to refuse the request.")
        return redirect(enquiry)
    grant = form.cleaned_data["decision"] == "grant"
    try:
        actions.do_decide_widening(
            _user(request), sharing_request, grant=grant, comment=form.cleaned_data["comment"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Sharing widened." if grant else "Request refused.")
    return redirect(enquiry)


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    attachment = get_object_or_404(
        policy.visible_to(request.user, Attachment.objects.select_related("enquiry")), pk=pk
    )
    return serve_attachment(request, attachment)


def serve_attachment(request: HttpRequest, attachment: Attachment) -> HttpResponseBase:
    """The stored bytes as a download (never shown inline), with the sniffed type; recorded."""
    path = attachment.path
    if not path.is_file():
        raise Http404("This file is missing from the store.")
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    record(
        AuditAction.DOWNLOAD,
        target=attachment.enquiry,
        request=request,
        detail={"attachment": attachment.pk, "name": attachment.original_name, "sha256": attachment.sha256},
    )
    return response
