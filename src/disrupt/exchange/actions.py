"""Writes of the exchange: send an enquiry, reply, attach, close, withdraw, widen its sharing.

Pages and the API only call these. Each checks the access policy first and raises
PermissionDenied (or Http404 where the user may not know the record exists); a rule about the
data raises ValidationError naming the field it concerns. Each writes its audit entry and
queues its notifications inside the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import IO, TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from disrupt.access import policy
from disrupt.access.choices import HandlingCode, SharingRequestStatus
from disrupt.access.models import SharingRequest
from disrupt.audit.choices import AuditAction
from disrupt.audit.recorder import record
from disrupt.directory.models import Agency, Country, User
from disrupt.exchange import attachments
from disrupt.exchange.choices import EnquiryKind, EnquiryPriority, EnquiryStatus
from disrupt.exchange.models import Attachment, Enquiry, Reply
from disrupt.lib import references
from disrupt.notifications.actions import notify

if TYPE_CHECKING:
    from disrupt.programme.models import Plan

# (name shown to people, readable binary stream) — an uploaded file, or any file opened "rb".
Upload = tuple[str, IO[bytes]]


def _people_of(agencies: Iterable[Agency] | QuerySet[Agency], *, besides: Any = None) -> QuerySet[User]:
    """The officers of `agencies` who may read restricted records (observers are told nothing)."""
    people = User.objects.filter(
        agency__in=list(agencies), is_active=True, roles__code__in=policy.ENQUIRY_SENDERS
    ).distinct()
    return people.exclude(pk=besides.pk) if besides is not None else people


def _notify(people: Iterable[User], enquiry: Enquiry, verb: str) -> None:
    notify(
        people, verb=verb, record=enquiry, url=enquiry.get_absolute_url(), handling_code=enquiry.handling_code
    )


def next_reference(year: int) -> str:
    """ENQ-2026-0001, ENQ-2026-0002… (call inside the transaction)."""
    return references.next_reference(Enquiry.objects.all(), f"ENQ-{year}-", width=4)


def _save_with_reference(enquiry: Enquiry, year: int, attempts: int = 5) -> None:
    """Give the enquiry the year's next reference; two senders at once cannot get the same one
    (the unique constraint refuses the second, which takes the next)."""
    for attempt in range(attempts):
        enquiry.reference = next_reference(year)
        try:
            with transaction.atomic():
                enquiry.save()
            return
        except IntegrityError:
            if attempt == attempts - 1:
                raise


def _check_files(uploads: Iterable[Upload]) -> list[tuple[Upload, attachments.CheckedFile]]:
    """Check every file before anything is written: one refused file refuses the whole send."""
    checked, errors = [], []
    for name, stream in uploads:
        try:
            checked.append(((name, stream), attachments.check(name, stream)))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError({"attachments": errors})
    return checked


def _save_attachments(
    user: User, enquiry: Enquiry, checked: list[tuple[Upload, attachments.CheckedFile]], reply: Reply | None
) -> list[Attachment]:
    made = []
    for (name, stream), result in checked:
        attachment = Attachment(
            enquiry=enquiry,
            reply=reply,
            original_name=name[:255],
            size=result.size,
            content_type=result.file_type.content_type,
            sha256=attachments.store(stream),
            uploaded_by=user,
            virus_scanned=result.scanned,
        )
        attachment.full_clean()
        attachment.save()
        made.append(attachment)
    return made


def do_send_enquiry(
    user: User,
    *,
    recipients: Iterable[Agency],
    subject: str,
    body: str,
    kind: str = EnquiryKind.INFORMATION,
    handling_code: str = HandlingCode.AMBER,
    priority: str = EnquiryPriority.ROUTINE,
    due_on: dt.date | None = None,
    plan: Plan | None = None,
    files: Iterable[Upload] = (),
    source_reliability: str = "",
    information_accuracy: str = "",
) -> Enquiry:
    """`user` sends an enquiry from their agency to `recipients`, which are shared with it.

    Refuses (ValidationError) an enquiry to nobody or to the sender's own agency, TLP:RED
    (an enquiry goes to agencies), and any attachment that fails the checks.
    """
    if not policy.can_send_enquiry(user):
        raise PermissionDenied("Only focal points, investigators and analysts of an agency send enquiries.")
    recipients = list(recipients)
    if not recipients:
        raise ValidationError({"recipients": "Choose at least one agency to send the enquiry to."})
    if any(agency.pk == user.agency_id for agency in recipients):
        raise ValidationError({"recipients": "Your own agency is the sender, not a recipient."})
    if plan is not None and not policy.can_view(user, plan):
        raise ValidationError({"plan": "No such plan."})
    assert user.agency_id is not None  # can_send_enquiry checked it
    checked = _check_files(files)
    with transaction.atomic():
        now = timezone.now()
        enquiry = Enquiry(
            owner_agency_id=user.agency_id,
            created_by=user,
            kind=kind,
            handling_code=handling_code,
            subject=subject,
            body=body,
            priority=priority,
            due_on=due_on,
            plan=plan,
            created_at=now,
            source_reliability=source_reliability,
            information_accuracy=information_accuracy,
        )
        enquiry.full_clean(exclude=["reference"])
        enquiry.clean_sharing(recipients, (), (), ())
        _save_with_reference(enquiry, now.year)
        enquiry.recipients.set(recipients)
        # Addressing an agency shares the enquiry with it.
        enquiry.shared_agencies.set(recipients)
        _save_attachments(user, enquiry, checked, None)
        record(
            AuditAction.DISCLOSURE,
            actor=user,
            target=enquiry,
            detail={"to_agencies": sorted(str(agency) for agency in recipients), "code": handling_code},
        )
        _notify(_people_of(recipients), enquiry, "sent you an enquiry")
    return enquiry


def do_reply(user: User, enquiry: Enquiry, *, body: str, files: Iterable[Upload] = ()) -> Reply:
    """Write in the thread. A reply from an addressed agency marks the enquiry answered."""
    if not policy.can_reply_enquiry(user, enquiry):
        raise PermissionDenied(
            "Only officers of the sending and the addressed agencies reply, while it is open."
        )
    assert user.agency_id is not None  # can_reply_enquiry checked it
    checked = _check_files(files)
    with transaction.atomic():
        reply = Reply(enquiry=enquiry, author=user, agency_id=user.agency_id, body=body)
        reply.full_clean()
        reply.save()
        _save_attachments(user, enquiry, checked, reply)
        from_owner = user.agency_id == enquiry.owner_agency_id
        if not from_owner and enquiry.status == EnquiryStatus.OPEN:
            enquiry.status = EnquiryStatus.ANSWERED
        enquiry.save(update_fields=["status", "updated_at"])
        if from_owner:
            people = _people_of(enquiry.recipients.all(), besides=user)
        else:
            people = _people_of([enquiry.owner_agency], besides=user)
        _notify(people, enquiry, "replied to an enquiry")
    return reply


def do_attach(user: User, enquiry: Enquiry, upload: Upload, *, reply: Reply | None = None) -> Attachment:
    """Add one file to a live enquiry (or one of its replies)."""
    if not policy.can_reply_enquiry(user, enquiry):
        raise PermissionDenied(
            "Only officers of the sending and the addressed agencies add files, while it is open."
        )
    if reply is not None and reply.enquiry_id != enquiry.pk:
        raise ValidationError({"reply": "The reply belongs to another enquiry."})
    checked = _check_files([upload])
    with transaction.atomic():
        return _save_attachments(user, enquiry, checked, reply)[0]


def _set_status(user: User, enquiry: Enquiry, status: str, verb: str) -> Enquiry:
    if not policy.owns_record(user, enquiry):
        raise PermissionDenied(
            "Only the enquiry's author or a focal point of the sending agency may do this."
        )
    if enquiry.status in {EnquiryStatus.CLOSED, EnquiryStatus.WITHDRAWN}:
        raise ValidationError({"status": f"The enquiry is already {enquiry.get_status_display().lower()}."})
    with transaction.atomic():
        enquiry.status = status
        enquiry.save(update_fields=["status", "updated_at"])
        _notify(_people_of(enquiry.recipients.all(), besides=user), enquiry, verb)
    return enquiry


def do_close(user: User, enquiry: Enquiry) -> Enquiry:
    """The sender closes the enquiry: nothing more is needed."""
    return _set_status(user, enquiry, EnquiryStatus.CLOSED, "closed an enquiry")


def do_withdraw(user: User, enquiry: Enquiry) -> Enquiry:
    """The sender withdraws the enquiry: the recipients need not answer it."""
    return _set_status(user, enquiry, EnquiryStatus.WITHDRAWN, "withdrew an enquiry")


# --- Widening the sharing: a recipient asks, the owner decides ---------------------------------------


def sharing_requests_for(record_: Any) -> QuerySet[SharingRequest]:
    return SharingRequest.objects.filter(
        content_type=ContentType.objects.get_for_model(record_), object_id=record_.pk
    ).select_related("requested_by__agency", "decided_by")


def do_request_widening(
    user: User,
    record_: Any,
    *,
    agencies: Iterable[Agency] = (),
    countries: Iterable[Country] = (),
    reason: str,
) -> SharingRequest:
    """A reader outside the owning agency asks its owner to share `record_` with more agencies
    (or, at TLP:AMBER, countries). Only what is not already shared may be asked for."""
    if not policy.can_request_widening(user, record_):
        raise PermissionDenied(
            "Only readers outside the owning agency may ask, for AMBER and AMBER+STRICT records."
        )
    shared = set(record_.shared_agencies.values_list("pk", flat=True)) | {record_.owner_agency_id}
    new_agencies = [agency for agency in agencies if agency.pk not in shared]
    shared_countries = set(record_.shared_countries.values_list("pk", flat=True))
    new_countries = [country for country in countries if country.pk not in shared_countries]
    if not reason.strip():
        raise ValidationError({"reason": "Say why the record should be shared more widely."})
    if not new_agencies and not new_countries:
        raise ValidationError(
            {"agencies": "Name at least one agency (or country) it is not already shared with."}
        )
    if record_.handling_code == HandlingCode.AMBER_STRICT and new_countries:
        raise ValidationError(
            {"countries": "TLP:AMBER+STRICT goes to named agencies only: ask for agencies, not countries."}
        )
    with transaction.atomic():
        request = SharingRequest.objects.create(record=record_, requested_by=user, reason=reason.strip())
        request.agencies.set(new_agencies)
        request.countries.set(new_countries)
        owners = [record_.created_by] if record_.created_by else []
        owners += list(
            User.objects.filter(agency=record_.owner_agency_id, is_active=True, roles__code="focal_point")
        )
        notify(
            [person for person in owners if person.pk != user.pk],
            verb="asked to share a record more widely",
            record=record_,
            url=record_.get_absolute_url(),
            handling_code=record_.handling_code,
        )
    return request


def do_decide_widening(
    user: User, request: SharingRequest, *, grant: bool, comment: str = ""
) -> SharingRequest:
    """The owning agency (the record's author or its focal point) grants or refuses a request.

    Granting adds the agencies (and, at TLP:AMBER, countries) to the record's sharing —
    never recipients who may reply, only readers — and records the widening in the audit trail.
    """
    record_ = request.record
    if record_ is None or not policy.owns_record(user, record_):
        raise PermissionDenied("Only the record's author or a focal point of its agency decides.")
    if request.status != SharingRequestStatus.PENDING:
        raise ValidationError({"status": "This request has already been decided."})
    agencies = list(request.agencies.all())
    countries = list(request.countries.all())
    with transaction.atomic():
        request.status = SharingRequestStatus.GRANTED if grant else SharingRequestStatus.REFUSED
        request.decided_by = user
        request.decided_at = timezone.now()
        request.decision_comment = comment.strip()
        request.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])
        if grant:
            # Re-check against the code: it may have changed since the request was made.
            record_.clean_sharing(agencies, countries, (), ())
            record_.shared_agencies.add(*agencies)
            record_.shared_countries.add(*countries)
            record(
                AuditAction.SHARING_WIDENED,
                actor=user,
                target=record_,
                detail={
                    "agencies": sorted(str(agency) for agency in agencies),
                    "countries": sorted(country.code for country in countries),
                    "requested_by": request.requested_by.email,
                },
            )
        notify(
            [request.requested_by],
            verb="granted your request to share" if grant else "refused your request to share",
            record=record_,
            url=record_.get_absolute_url(),
            handling_code=record_.handling_code,
        )
    return request
