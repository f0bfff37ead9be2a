"""Writes of cross-border matching: uploads, matching runs, judgements, disclosure, wide values.

Pages and the API only call these. Each asks the access policy first (Http404 for what the user
may not know exists, PermissionDenied for what they may see but not do), raises ValidationError
naming the field for bad input, and writes its audit entry in the same transaction. A disclosure
request counts as an enquiry the requesting country sent (exchange/queries.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from disrupt.access import policy
from disrupt.access.choices import HandlingCode
from disrupt.audit.choices import AuditAction
from disrupt.audit.recorder import record
from disrupt.directory.choices import RoleCode
from disrupt.directory.models import Agency, Country, User
from disrupt.intel.choices import JobStatus
from disrupt.intel.ftm import caption_of, validate_entity
from disrupt.intel.models import Collection
from disrupt.lib import references
from disrupt.matching.choices import DisclosureStatus, JobKind, Verdict, WideValueStatus
from disrupt.matching.models import (
    Disclosure,
    DisclosureRequest,
    Hit,
    Judgement,
    MatchingJob,
    Selector,
    SelectorUpload,
    Subject,
    WideValue,
)
from disrupt.matching.notices import officers_of, stricter, tell
from disrupt.programme.models import Plan

# A selector file of a million records is about 300 MB.
MAX_UPLOAD_BYTES = 1024**3


def _agency_of(user: User) -> int:
    """The officer's agency (the policy let only officers of an agency this far)."""
    if user.agency_id is None:
        raise PermissionDenied("Only the officers of an agency do this.")
    return user.agency_id


def _visible_or_404(user: User, obj: Any) -> None:
    if not policy.can_view(user, obj):
        raise Http404("No such record.")


# --- Jobs --------------------------------------------------------------------------------------------


def _enqueue(job: MatchingJob) -> None:
    from disrupt.matching import tasks

    result = tasks.run_matching.enqueue(job.pk)
    MatchingJob.objects.filter(pk=job.pk).update(task_id=str(result.id))


def queue_collection(collection: Collection, user: User | None = None) -> MatchingJob:
    """Match a collection that changed. A job already waiting for it takes the change along."""
    waiting = MatchingJob.objects.filter(
        kind=JobKind.COLLECTION, collection=collection, status=JobStatus.QUEUED
    ).first()
    if waiting is not None:
        return waiting
    job = MatchingJob.objects.create(kind=JobKind.COLLECTION, collection=collection, requested_by=user)
    transaction.on_commit(lambda: _enqueue(job))
    return job


def forget_entity(entity: Any) -> None:
    """Before an entity is deleted: whoever held values through it (a passport's holder) is
    matched again, since those values go with it."""
    Subject.objects.filter(
        pk__in=Selector.objects.filter(source__entity=entity)
        .exclude(subject__entity=entity)
        .values("subject")
    ).update(dirty=True)


@transaction.atomic
def do_request_matching(
    user: User, collection: Collection | None = None, kind: str = JobKind.BULK
) -> MatchingJob:
    """Match one collection now (its owner), or everything / re-index (an administrator)."""
    if collection is not None:
        _visible_or_404(user, collection)
        if not policy.can_edit_collection(user, collection):
            raise PermissionDenied("Only the owning agency's officers run matching on a collection.")
        job = queue_collection(collection, user)
    else:
        if not policy.is_matching_administrator(user):
            raise PermissionDenied("Only the secretariat runs matching over everything.")
        if kind not in {JobKind.BULK, JobKind.REINDEX}:
            raise ValidationError({"kind": f"Choose {JobKind.BULK!r} or {JobKind.REINDEX!r}."})
        job = MatchingJob.objects.create(kind=kind, requested_by=user)
        transaction.on_commit(lambda: _enqueue(job))
    record(
        AuditAction.MATCHING_REQUESTED,
        actor=user,
        target=collection,
        detail={"job": job.pk, "kind": job.kind},
    )
    return job


# --- Selector-only uploads ---------------------------------------------------------------------------


def _store(stream: IO[bytes]) -> tuple[str, int, str]:
    folder = Path(settings.DATA_DIR) / "selector-uploads"
    folder.mkdir(parents=True, exist_ok=True)
    stored = f"{uuid.uuid4().hex}.json"
    digest, size = hashlib.sha256(), 0
    with open(folder / stored, "wb") as out:
        while chunk := stream.read(1024 * 1024):
            size += len(chunk)
            if size > MAX_UPLOAD_BYTES:
                out.close()
                (folder / stored).unlink(missing_ok=True)
                raise ValidationError({"file": f"The file is larger than {MAX_UPLOAD_BYTES // 1024**2} MB."})
            digest.update(chunk)
            out.write(chunk)
    if size == 0:
        (folder / stored).unlink(missing_ok=True)
        raise ValidationError({"file": "The file is empty."})
    return stored, size, digest.hexdigest()


def do_upload_selectors(
    user: User,
    *,
    name: str,
    upload_file: IO[bytes],
    original_name: str = "selectors.json",
    handling_code: str = HandlingCode.AMBER,
    plans: Iterable[Plan] = (),
    shared_agencies: Iterable[Agency] = (),
    shared_countries: Iterable[Country] = (),
) -> SelectorUpload:
    """Keep a selector file (`disrupt selectors encode`) and queue it: the worker checks every
    record first and writes nothing from a file with an error."""
    if not policy.can_upload_selectors(user):
        raise PermissionDenied("Only an agency's officers upload selectors.")
    if not name.strip():
        raise ValidationError({"name": "Say what the encodings stand for."})
    if handling_code not in HandlingCode.values:
        raise ValidationError({"handling_code": f"Unknown handling code {handling_code!r}."})
    plans, agencies, countries = list(plans), list(shared_agencies), list(shared_countries)
    upload = SelectorUpload(
        owner_agency_id=_agency_of(user),
        created_by=user,
        handling_code=handling_code,
        name=name.strip()[:200],
    )
    upload.clean_sharing(agencies, countries, [], [])
    stored, size, sha256 = _store(upload_file)
    try:
        with transaction.atomic():
            upload.original_name = Path(original_name).name[:255] or "selectors.json"
            upload.stored_name, upload.size, upload.sha256 = stored, size, sha256
            upload.save()
            upload.plans.set(plans)
            upload.shared_agencies.set(agencies)
            upload.shared_countries.set(countries)
            job = MatchingJob.objects.create(kind=JobKind.UPLOAD, upload=upload, requested_by=user)
            record(
                AuditAction.SELECTORS_UPLOADED,
                actor=user,
                target=upload,
                detail={"file": upload.original_name, "bytes": size, "sha256": sha256, "job": job.pk},
            )
            transaction.on_commit(lambda: _enqueue(job))
    except Exception:
        (Path(settings.DATA_DIR) / "selector-uploads" / stored).unlink(missing_ok=True)
        raise
    return upload


@transaction.atomic
def do_delete_upload(user: User, upload: SelectorUpload) -> None:
    """The owner withdraws an upload: its subjects and their hits go (disclosed copies stay)."""
    _visible_or_404(user, upload)
    if not policy.can_edit_upload(user, upload):
        raise PermissionDenied("Only the owning agency's officers delete its uploads.")
    record(AuditAction.SELECTORS_UPLOADED, actor=user, target=upload, detail={"deleted": True})
    path = upload.path
    upload.delete()
    transaction.on_commit(lambda: path.unlink(missing_ok=True))


# --- Judgements ----------------------------------------------------------------------------------------


def _hit_for_officer(user: User, hit: Hit) -> None:
    if not policy.can_judge_hit(user, hit):
        raise Http404("No such hit.")


@transaction.atomic
def do_judge_hit(user: User, hit: Hit, verdict: str, note: str = "") -> Judgement:
    """One side confirms or rejects a hit. A rejected hit is never raised to that side again."""
    _hit_for_officer(user, hit)
    if verdict not in Verdict.values:
        raise ValidationError({"verdict": f"Choose {Verdict.CONFIRMED!r} or {Verdict.REJECTED!r}."})
    judgement, _ = Judgement.objects.update_or_create(
        hit=hit,
        agency_id=_agency_of(user),
        defaults={
            "verdict": verdict,
            "note": note.strip()[:500],
            "judged_by": user,
            "judged_at": timezone.now(),
        },
    )
    record(AuditAction.HIT_JUDGED, actor=user, target=None, detail={"hit": hit.pk, "verdict": verdict})
    return judgement


# --- Disclosure -------------------------------------------------------------------------------------


def _save_with_reference(request: DisclosureRequest, attempts: int = 5) -> None:
    for attempt in range(attempts):
        request.reference = references.next_reference(
            DisclosureRequest.objects.all(), f"DSC-{request.requested_at.year}-", width=4
        )
        try:
            with transaction.atomic():
                request.save()
            return
        except IntegrityError:
            if attempt == attempts - 1:
                raise


@transaction.atomic
def do_request_disclosure(user: User, hit: Hit, purpose: str, plan: Plan | None = None) -> DisclosureRequest:
    """Ask the owner of the other side of a hit to disclose their record."""
    if not policy.can_request_disclosure(user, hit):
        raise Http404("No such hit.")
    if not purpose.strip():
        raise ValidationError({"purpose": "Say why you need the record."})
    if plan is not None and not policy.can_view(user, plan):
        raise ValidationError({"plan": "No such plan."})
    hit = Hit.objects.select_related("subject_a", "subject_b").get(pk=hit.pk)
    _, theirs = hit.side_of(user.agency_id)
    if DisclosureRequest.objects.filter(
        hit=hit, subject=theirs, requesting_agency=user.agency_id, status=DisclosureStatus.PENDING
    ).exists():
        raise ValidationError({"hit": "Your agency already has a request open on this hit."})
    now = timezone.now()
    request = DisclosureRequest(
        hit=hit,
        subject=theirs,
        owner_agency_id=theirs.owner_agency_id,
        requested_by=user,
        requesting_agency_id=_agency_of(user),
        plan=plan,
        purpose=purpose.strip(),
        requested_at=now,
        due_at=now + dt.timedelta(hours=settings.MATCHING_DISCLOSURE_HOURS),
    )
    _save_with_reference(request)
    record(
        AuditAction.DISCLOSURE_REQUESTED,
        actor=user,
        target=None,
        detail={"request": request.reference, "hit": hit.pk, "owner_agency": theirs.owner_agency_id},
    )
    tell(officers_of(theirs), "asked you to disclose a record", request, theirs.record.handling_code)
    return request


def _properties_of(
    request: DisclosureRequest, entity: dict[str, Any] | None
) -> tuple[str, dict[str, Any], int | None]:
    """(schema, properties, version) the owner may disclose from: the entity held, or for an
    uploaded subject (the hub holds no content) the FtM entity the owner gives now."""
    subject = request.subject
    held = subject.entity
    if held is not None:
        return held.schema, dict(held.properties), held.version
    if not entity:
        raise ValidationError(
            {"entity": "The hub holds no content of an uploaded record: give the entity to disclose."}
        )
    if not isinstance(entity, dict):
        raise ValidationError({"entity": "Give the entity as a FollowTheMoney JSON object."})
    cleaned, problems = validate_entity(
        {**entity, "id": subject.ref, "schema": entity.get("schema") or subject.schema}
    )
    if cleaned is None:
        raise ValidationError(
            {"entity": "; ".join(f"{p.property or 'entity'}: {p.message}" for p in problems[:5])}
        )
    return cleaned["schema"], cleaned["properties"], None


@transaction.atomic
def do_decide_disclosure(
    user: User,
    request: DisclosureRequest,
    *,
    grant: str,
    properties: Sequence[str] = (),
    reason: str = "",
    entity: dict[str, Any] | None = None,
    handling_code: str | None = None,
) -> DisclosureRequest:
    """The owner grants all, grants the properties chosen, or refuses with a reason."""
    request = (
        DisclosureRequest.objects.select_for_update(of=("self",))
        .select_related("subject__entity")
        .get(pk=request.pk)
    )
    if not policy.can_view(user, request):
        raise Http404("No such request.")
    if not policy.can_decide_disclosure(user, request):
        raise PermissionDenied("Only the owner decides, while the request is open.")
    if grant not in {"all", "some", "none"}:
        raise ValidationError({"grant": "Choose all, some or none."})
    now = timezone.now()
    request.decided_by, request.decided_at, request.reason = user, now, reason.strip()
    if grant == "none":
        if not request.reason:
            raise ValidationError({"reason": "Give the requester a reason for the refusal."})
        request.status = DisclosureStatus.REFUSED
        request.save(update_fields=["status", "decided_by", "decided_at", "reason"])
        record(AuditAction.DISCLOSURE_REFUSED, actor=user, target=None, detail={"request": request.reference})
        tell([request.requested_by], "refused your disclosure request", request, HandlingCode.GREEN)
        return request
    schema, held, version = _properties_of(request, entity)
    chosen = sorted(held) if grant == "all" else list(dict.fromkeys(properties))
    unknown = [name for name in chosen if name not in held]
    if unknown:
        raise ValidationError({"properties": f"The record has no {', '.join(unknown)}."})
    if not chosen:
        raise ValidationError({"properties": "Choose at least one property, or refuse."})
    source = request.subject.record
    code = stricter(source.handling_code, handling_code or source.handling_code)
    if handling_code and handling_code not in HandlingCode.values:
        raise ValidationError({"handling_code": f"Unknown handling code {handling_code!r}."})
    granted = {name: held[name] for name in chosen}
    copy = Disclosure(
        request=request,
        reference=request.reference,
        owner_agency_id=request.owner_agency_id,
        created_by=user,
        handling_code=code,
        schema=schema,
        caption=caption_of({"id": request.subject.ref, "schema": schema, "properties": granted})[:500],
        properties=granted,
        source_ref=request.subject.ref,
        source_version=version,
        source_collection_id=request.subject.collection_id,
        source_upload_id=request.subject.upload_id,
        disclosed_at=now,
    )
    copy.save()
    # The requesting agency reads the copy; under RED only the requester.
    if code == HandlingCode.RED:
        copy.named_people.set([request.requested_by])
    else:
        copy.shared_agencies.set([request.requesting_agency])
    request.status = (
        DisclosureStatus.GRANTED if grant == "all" or set(chosen) == set(held) else DisclosureStatus.PARTIAL
    )
    request.granted_properties = chosen
    request.save(update_fields=["status", "decided_by", "decided_at", "reason", "granted_properties"])
    record(
        AuditAction.DISCLOSURE,
        actor=user,
        target=copy,
        detail={"request": request.reference, "properties": chosen, "code": code},
    )
    tell([request.requested_by], "disclosed a record to you", copy, code)
    return request


@transaction.atomic
def do_withdraw_disclosure(user: User, request: DisclosureRequest, reason: str = "") -> DisclosureRequest:
    if not policy.can_view(user, request):
        raise Http404("No such request.")
    if request.requested_by_id != user.pk or not request.is_open:
        raise PermissionDenied("Only the requester withdraws an open request.")
    request.status, request.reason, request.decided_at = (
        DisclosureStatus.WITHDRAWN,
        reason.strip(),
        timezone.now(),
    )
    request.save(update_fields=["status", "reason", "decided_at"])
    record(AuditAction.DISCLOSURE_WITHDRAWN, actor=user, target=None, detail={"request": request.reference})
    return request


def focal_points_for(agency: Agency) -> list[User]:
    """The owner's focal points: the agency's own, or else its country's."""
    people = User.objects.filter(is_active=True, roles__code=RoleCode.FOCAL_POINT).distinct()
    own = list(people.filter(agency=agency))
    if own or agency.country_id is None:
        return own
    return list(people.filter(agency__country=agency.country_id))


def escalate_overdue(now: dt.datetime | None = None) -> int:
    """Requests past their deadline go to the owner's focal points, once each."""
    now = now or timezone.now()
    count = 0
    overdue = DisclosureRequest.objects.filter(
        status=DisclosureStatus.PENDING, due_at__lt=now, escalated_at__isnull=True
    ).select_related("owner_agency", "subject__collection", "subject__upload")
    for request in overdue:
        with transaction.atomic():
            people = focal_points_for(request.owner_agency)
            request.escalated_at = now
            request.save(update_fields=["escalated_at"])
            request.escalated_to.set(people)
            record(
                AuditAction.DISCLOSURE_ESCALATED,
                actor=None,
                target=None,
                detail={"request": request.reference, "to": [p.pk for p in people]},
                country_id=request.owner_agency.country_id,
                infer_actor=False,
            )
            tell(
                people,
                "sent you an overdue disclosure request",
                request,
                request.subject.record.handling_code,
            )
            count += 1
    return count


# --- Wide values -------------------------------------------------------------------------------------


@transaction.atomic
def do_decide_wide_value(user: User, value: WideValue, status: str) -> WideValue:
    if not policy.is_matching_administrator(user):
        raise Http404("No such value.")
    if status not in {WideValueStatus.EXCLUDED, WideValueStatus.ALLOWED}:
        raise ValidationError({"status": "Choose excluded or allowed."})
    value.status, value.decided_by, value.decided_at = status, user, timezone.now()
    value.save(update_fields=["status", "decided_by", "decided_at"])
    record(
        AuditAction.WIDE_VALUE_DECIDED,
        actor=user,
        target=None,
        detail={"value": value.pk, "kind": value.kind, "status": status},
    )
    if status == WideValueStatus.ALLOWED:
        # The records holding it are compared again, now that it may make hits.
        Subject.objects.filter(selectors__digest=value.digest, selectors__key_id=value.key_id).update(
            dirty=True
        )
        # A bulk job that starts at the matching stage compares only what is dirty (runs.py).
        job = MatchingJob.objects.create(kind=JobKind.BULK, requested_by=user, stage="Matching")
        transaction.on_commit(lambda: _enqueue(job))
    return value
