"""Writes of network intelligence: collections, imports, entity edits, analyses, assessments.

Pages and the API only call these. Each checks the access policy first (PermissionDenied, or
Http404 where the user may not know the record exists), raises ValidationError naming the field
for bad data, and writes its audit entry inside the same transaction. Jobs are queued once the
transaction commits, so a worker never looks for a row that is not there yet.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from disrupt.access import policy
from disrupt.access.choices import HandlingCode
from disrupt.audit.choices import AuditAction
from disrupt.audit.recorder import record
from disrupt.directory.models import Agency, Country, User
from disrupt.intel import tasks
from disrupt.intel.choices import ImportFormat, VersionCause
from disrupt.intel.ftm import caption_of, graph_columns, validate_entity
from disrupt.intel.models import (
    AnalysisRun,
    Assessment,
    AssessmentMember,
    Collection,
    Entity,
    EntityVersion,
    ImportJob,
)
from disrupt.matching.actions import forget_entity, queue_collection
from disrupt.notifications.actions import notify
from disrupt.programme.models import Plan

# Largest file an import takes (a million synthetic entities is about 400 MB of JSON lines).
MAX_IMPORT_BYTES = 2 * 1024**3


def _visible_or_404(user: User, record: Any) -> None:
    if not policy.can_view(user, record):
        raise Http404("No such record.")


# --- Collections -----------------------------------------------------------------------------------


@transaction.atomic
def do_create_collection(
    user: User,
    *,
    name: str,
    summary: str = "",
    handling_code: str = HandlingCode.AMBER,
    plans: Iterable[Plan] = (),
) -> Collection:
    """A new, empty collection of the user's agency, at first readable by that agency only
    (AMBER and above) or by everyone signed in (CLEAR, GREEN)."""
    if not policy.can_create(user, Collection):
        raise PermissionDenied("Only officers of an agency hold collections.")
    plans = list(plans)
    visible_plans = policy.visible_to(user, Plan.objects.filter(pk__in=[p.pk for p in plans]))
    if len(plans) != visible_plans.count():
        raise ValidationError({"plans": "No such plan."})
    collection = Collection(
        owner_agency=user.agency,
        created_by=user,
        name=name.strip(),
        summary=summary.strip(),
        handling_code=handling_code,
    )
    collection.full_clean()
    collection.save()
    collection.plans.set(plans)
    record(AuditAction.COLLECTION_CREATED, actor=user, target=collection)
    return collection


# --- Imports ----------------------------------------------------------------------------------------


def _store_upload(stream: IO[bytes], limit: int = MAX_IMPORT_BYTES) -> tuple[str, int]:
    """Copy the upload under DATA_DIR/imports/ with a name of our own; refuse it past `limit`."""
    stored = f"{uuid.uuid4().hex}.upload"
    path = ImportJob(stored_name=stored).path
    path.parent.mkdir(parents=True, exist_ok=True)
    size = 0
    with path.open("wb") as out:
        while chunk := stream.read(1024 * 1024):
            size += len(chunk)
            if size > limit:
                out.close()
                path.unlink(missing_ok=True)
                raise ValidationError({"file": f"The file is larger than {limit // 1024**2} MB."})
            out.write(chunk)
    if size == 0:
        path.unlink(missing_ok=True)
        raise ValidationError({"file": "The file is empty."})
    return stored, size


def do_start_import(
    user: User,
    collection: Collection,
    *,
    name: str,
    stream: IO[bytes],
    format: str = ImportFormat.FTM,
    mapping: dict[str, Any] | None = None,
) -> ImportJob:
    """Keep the file and queue its import; the worker checks every line and applies all or none."""
    _visible_or_404(user, collection)
    if not policy.can_edit_collection(user, collection):
        raise PermissionDenied("Only the owning agency's officers import into a collection.")
    if format not in ImportFormat.values:
        raise ValidationError({"format": f"Unknown format {format!r}."})
    if format != ImportFormat.FTM and not mapping:
        raise ValidationError({"mapping": "A CSV or spreadsheet import needs a column mapping."})
    if mapping:
        from disrupt.intel.mapping import check_mapping

        check_mapping(mapping)  # raises ValidationError naming the part of the mapping at fault
    stored, size = _store_upload(stream)
    try:
        with transaction.atomic():
            job = ImportJob.objects.create(
                collection=collection,
                created_by=user,
                format=format,
                original_name=Path(name).name[:255] or "upload",
                stored_name=stored,
                size=size,
                mapping=mapping or {},
                progress_total=size,
            )
            record(
                AuditAction.IMPORT_STARTED,
                actor=user,
                target=collection,
                detail={"import": job.pk, "file": job.original_name, "bytes": size},
            )
            transaction.on_commit(lambda: _enqueue_import(job))
    except Exception:
        ImportJob(stored_name=stored).path.unlink(missing_ok=True)
        raise
    return job


def _enqueue_import(job: ImportJob) -> None:
    result = tasks.run_import.enqueue(job.pk)
    ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id))


def discard_upload(job: ImportJob) -> None:
    """The kept file, once the import is finished either way (the entities are in the database)."""
    job.path.unlink(missing_ok=True)
    shutil.rmtree(job.path.with_suffix(".parts"), ignore_errors=True)


# --- Analyses ---------------------------------------------------------------------------------------


def do_request_analysis(
    user: User, collections: Iterable[Collection] | None = None, parameters: dict[str, Any] | None = None
) -> AnalysisRun:
    """Queue an analysis over the given collections (default: every collection the user may see).

    The job reads the entities through the access policy again when it runs: a collection
    whose sharing narrowed in between is left out then.
    """
    if not policy.can_create(user, AnalysisRun):
        raise PermissionDenied("Only officers of an agency run analyses.")
    visible = Collection.objects.visible_to(user)
    if collections is None:
        chosen = list(visible)
    else:
        wanted = {c.pk for c in collections}
        chosen = list(visible.filter(pk__in=wanted))
        if len(chosen) != len(wanted):
            raise Http404("No such collection.")
    if not chosen:
        raise ValidationError({"collections": "Choose at least one collection you may read."})
    with transaction.atomic():
        run = AnalysisRun.objects.create(requested_by=user, parameters=parameters or {})
        run.collections.set(chosen)
        record(
            AuditAction.ANALYSIS_REQUESTED,
            actor=user,
            detail={"analysis": run.pk, "collections": sorted(c.pk for c in chosen)},
        )
        transaction.on_commit(lambda: _enqueue_analysis(run))
    return run


def _enqueue_analysis(run: AnalysisRun) -> None:
    result = tasks.run_analysis.enqueue(run.pk)
    AnalysisRun.objects.filter(pk=run.pk).update(task_id=str(result.id))


# --- Assessments ------------------------------------------------------------------------------------


def _assessment_members(
    user: User, assessment: Assessment, members: Iterable[dict[str, Any]]
) -> list[AssessmentMember]:
    """The members as rows. An entity new to the assessment must be one the author may read
    (its caption, kind and country are copied from it); one already in it is kept as written,
    even if the entity has since been edited or deleted."""
    wanted = [m for m in members if str(m.get("ftm_id") or "").strip()]
    kept = {m.ftm_id: m for m in assessment.members.all()} if assessment.pk else {}
    new_ids = {str(m["ftm_id"]) for m in wanted} - set(kept)
    found: dict[str, Entity] = {}
    for entity in policy.visible_to(user, Entity.objects.filter(ftm_id__in=new_ids)).order_by("pk"):
        found.setdefault(entity.ftm_id, entity)
    missing = sorted(new_ids - set(found))
    if missing:
        raise ValidationError({"members": f"No such entity: {', '.join(missing[:5])}."})
    rows: list[AssessmentMember] = []
    seen: set[str] = set()
    for position, member in enumerate(wanted):
        ftm_id = str(member["ftm_id"])
        if ftm_id in seen:
            continue
        seen.add(ftm_id)
        role = str(member.get("role") or "").strip()[:120]
        if ftm_id in kept:
            old = kept[ftm_id]
            rows.append(
                AssessmentMember(
                    assessment=assessment,
                    entity_id=old.entity_id,
                    ftm_id=ftm_id,
                    caption=old.caption,
                    schema=old.schema,
                    country=old.country,
                    role=role,
                    position=position,
                )
            )
            continue
        entity = found[ftm_id]
        rows.append(
            AssessmentMember(
                assessment=assessment,
                entity=entity,
                ftm_id=ftm_id,
                caption=(entity.caption or ftm_id)[:500],
                schema=entity.schema,
                country=entity.country,
                role=role,
                position=position,
            )
        )
    return rows


@transaction.atomic
def do_save_assessment(
    user: User,
    *,
    title: str,
    summary: str = "",
    modus_operandi: str = "",
    financial_network: str = "",
    routes: str = "",
    handling_code: str = HandlingCode.AMBER,
    countries: Iterable[Country] = (),
    plans: Iterable[Plan] = (),
    members: Iterable[dict[str, Any]] = (),
    analysis: AnalysisRun | None = None,
    community: int | None = None,
    assessment: Assessment | None = None,
) -> Assessment:
    """Write a new assessment (with `analysis` and `community` it began from), or a new version
    of `assessment`. `members` are dicts with `ftm_id` and `role`, in the order shown."""
    if assessment is None:
        if not policy.can_create(user, Assessment):
            raise PermissionDenied("Only officers of an agency write assessments.")
        if analysis is not None:
            _visible_or_404(user, analysis)
        assessment = Assessment(
            owner_agency=user.agency,
            created_by=user,
            analysis=analysis,
            community=community,
        )
    else:
        assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
        _visible_or_404(user, assessment)
        if not policy.can_edit_assessment(user, assessment):
            raise PermissionDenied("Only officers of the author's agency change an assessment.")
        assessment.version += 1
    plans = list(plans)
    if len(plans) != policy.visible_to(user, Plan.objects.filter(pk__in=[p.pk for p in plans])).count():
        raise ValidationError({"plans": "No such plan."})
    assessment.title = title.strip()
    assessment.summary = summary.strip()
    assessment.modus_operandi = modus_operandi.strip()
    assessment.financial_network = financial_network.strip()
    assessment.routes = routes.strip()
    assessment.handling_code = handling_code
    assessment.updated_at = timezone.now()
    assessment.updated_by = user
    assessment.full_clean()
    rows = _assessment_members(user, assessment, members)
    assessment.save()
    assessment.countries.set(list(countries))
    assessment.plans.set(plans)
    assessment.members.all().delete()
    AssessmentMember.objects.bulk_create(rows)
    record(
        AuditAction.ASSESSMENT_SAVED,
        actor=user,
        target=assessment,
        detail={"assessment": assessment.pk, "version": assessment.version, "members": len(rows)},
    )
    return assessment


# --- Entities ---------------------------------------------------------------------------------------
# Every change keeps the state it replaces as an EntityVersion (its number is the version it was),
# so an entity's history reads back from its first state. Imports do the same (intel/imports.py).


def _check_entity(data: dict[str, Any]) -> dict[str, Any]:
    """The entity cleaned by followthemoney, or ValidationError naming each property at fault."""
    cleaned, problems = validate_entity(data)
    if cleaned is None:
        errors: dict[str, list[str]] = {}
        for problem in problems:
            errors.setdefault(problem.property or "properties", []).append(problem.message)
        raise ValidationError(errors)
    return cleaned


def _may_edit(user: User, collection: Collection) -> None:
    _visible_or_404(user, collection)
    if not policy.can_edit_collection(user, collection):
        raise PermissionDenied("Only officers of the owning agency change its entities.")


def _fill_entity(entity: Entity, cleaned: dict[str, Any], collection: Collection) -> None:
    columns = graph_columns(cleaned["schema"], cleaned["properties"], collection.country_code)
    entity.schema = cleaned["schema"]
    entity.properties = cleaned["properties"]
    entity.caption = caption_of(cleaned)
    entity.source, entity.target = columns.source, columns.target
    entity.amount, entity.currency = columns.amount, columns.currency
    entity.country = columns.country[:8]


def _keep_version(user: User, entity: Entity, cause: str, reason: str) -> EntityVersion:
    return EntityVersion.objects.create(
        collection_id=entity.collection_id,
        entity=entity,
        ftm_id=entity.ftm_id,
        number=entity.version,
        schema=entity.schema,
        properties=entity.properties,
        cause=cause,
        reason=reason.strip()[:300],
        replaced_by=user,
    )


def _locked(entity: Entity) -> Entity:
    """The entity as it is now, locked until the change commits (two edits never interleave)."""
    try:
        return (
            # `of`: PostgreSQL locks no row of an outer join (an agency may have no country).
            Entity.objects.select_for_update(of=("self",))
            .select_related("collection__owner_agency__country")
            .get(pk=entity.pk)
        )
    except Entity.DoesNotExist:
        raise Http404("No such entity.") from None


@transaction.atomic
def do_add_entity(
    user: User,
    collection: Collection,
    schema: str,
    properties: dict[str, Any],
    *,
    ftm_id: str | None = None,
) -> Entity:
    """A new entity in the collection (a random FtM id unless one is given)."""
    _may_edit(user, collection)
    collection = (
        Collection.objects.select_for_update(of=("self",))
        .select_related("owner_agency__country")
        .get(pk=collection.pk)
    )
    cleaned = _check_entity({"id": ftm_id or uuid.uuid4().hex, "schema": schema, "properties": properties})
    if Entity.objects.filter(collection=collection, ftm_id=cleaned["id"]).exists():
        raise ValidationError({"id": f"The collection already has an entity {cleaned['id']!r}."})
    now = timezone.now()
    entity = Entity(
        collection=collection, ftm_id=cleaned["id"], created_at=now, updated_at=now, updated_by=user
    )
    _fill_entity(entity, cleaned, collection)
    entity.save()
    record(
        AuditAction.ENTITY_CHANGED,
        actor=user,
        target=collection,
        detail={"entity": entity.ftm_id, "schema": entity.schema, "version": 1, "added": True},
    )
    queue_collection(collection)
    return entity


@transaction.atomic
def do_edit_entity(user: User, entity: Entity, properties: dict[str, Any], reason: str = "") -> Entity:
    """New properties for the entity (its schema and id stay); the state before is kept."""
    entity = _locked(entity)
    _may_edit(user, entity.collection)
    cleaned = _check_entity({"id": entity.ftm_id, "schema": entity.schema, "properties": properties})
    if cleaned["properties"] == entity.properties:
        return entity  # nothing changed: no version, no audit entry
    changed = sorted(
        name
        for name in {*cleaned["properties"], *entity.properties}
        if cleaned["properties"].get(name) != entity.properties.get(name)
    )
    _keep_version(user, entity, VersionCause.EDIT, reason)
    _fill_entity(entity, cleaned, entity.collection)
    entity.version += 1
    entity.updated_at = timezone.now()
    entity.updated_by = user
    entity.save()
    record(
        AuditAction.ENTITY_CHANGED,
        actor=user,
        target=entity.collection,
        detail={
            "entity": entity.ftm_id,
            "version": entity.version,
            "changed": changed,
            "reason": reason[:300],
        },
    )
    queue_collection(entity.collection)
    return entity


@transaction.atomic
def do_delete_entity(user: User, entity: Entity, reason: str = "") -> EntityVersion:
    """Remove the entity from its collection; its last state is kept (cause DELETE)."""
    entity = _locked(entity)
    collection = entity.collection
    _may_edit(user, collection)
    kept = _keep_version(user, entity, VersionCause.DELETE, reason)
    ftm_id, version = entity.ftm_id, entity.version
    forget_entity(entity)
    entity.delete()
    record(
        AuditAction.ENTITY_DELETED,
        actor=user,
        target=collection,
        detail={"entity": ftm_id, "version": version, "reason": reason[:300]},
    )
    queue_collection(collection)
    return kept


# --- Sharing: the owner decides who reads a collection or an assessment ------------------------------


@transaction.atomic
def do_set_sharing(
    user: User,
    record_: Collection | Assessment,
    *,
    handling_code: str,
    agencies: Iterable[Agency] = (),
    countries: Iterable[Country] = (),
    plans: Iterable[Plan] = (),
    people: Iterable[User] = (),
) -> Collection | Assessment:
    """Set the handling code and sharing of a collection or an assessment, as its owner.

    Only the record's author or a focal point of the owning agency decides (a recipient can never
    pass it on). The code limits the sharing exactly as for enquiries (`clean_sharing`). The
    change is on the audit trail with what was added and removed; the people who may read the
    record now and could not before are told.
    """
    if not policy.owns_record(user, record_):
        raise PermissionDenied("Only the author or a focal point of the owning agency shares it.")
    if handling_code not in HandlingCode.values:
        raise ValidationError({"handling_code": f"Unknown handling code {handling_code!r}."})
    agencies, countries, plans, people = list(agencies), list(countries), list(plans), list(people)
    record_.handling_code = handling_code
    record_.clean_sharing(agencies, countries, plans, people)
    was = _sharing_of(record_)
    candidates = _possible_readers(record_, agencies, countries, plans, people)
    readers_before = {person.pk for person in candidates if policy.can_view(person, record_)}
    record_.save(update_fields=["handling_code"])
    record_.shared_agencies.set(agencies)
    record_.shared_countries.set(countries)
    record_.shared_plans.set(plans)
    record_.named_people.set(people)
    now = _sharing_of(record_)
    told = [
        person
        for person in candidates
        if person.pk not in readers_before and person.pk != user.pk and policy.can_view(person, record_)
    ]
    record(
        # Wider when someone reads it now who could not before, or the code itself opened up.
        AuditAction.SHARING_WIDENED
        if told or _rank(now["code"]) > _rank(was["code"])
        else AuditAction.SHARING_CHANGED,
        actor=user,
        target=record_,
        detail={
            "handling_code": {"from": was["code"], "to": now["code"]},
            **{
                f"{name}_{change}": sorted(set(a) - set(b))
                for name in ("agencies", "countries", "plans", "people")
                for change, a, b in (("added", now[name], was[name]), ("removed", was[name], now[name]))
                if set(a) - set(b)
            },
        },
    )
    notify(
        told,
        verb=f"shared a {record_._meta.verbose_name} with you",
        record=record_,
        url=record_.get_absolute_url(),
        handling_code=handling_code,
    )
    return record_


def _rank(code: Any) -> int:
    """Wider codes rank higher."""
    order = [HandlingCode.RED, HandlingCode.AMBER_STRICT, HandlingCode.AMBER, HandlingCode.GREEN]
    return order.index(code) if code in order else len(order)


def _sharing_of(record_: Any) -> dict[str, Any]:
    return {
        "code": record_.handling_code,
        "agencies": [str(a) for a in record_.shared_agencies.order_by("pk")],
        "countries": list(record_.shared_countries.order_by("code").values_list("code", flat=True)),
        "plans": list(record_.shared_plans.order_by("reference").values_list("reference", flat=True)),
        "people": [p.email for p in record_.named_people.order_by("pk")],
    }


def _possible_readers(
    record_: Any, agencies: list[Agency], countries: list[Country], plans: list[Plan], people: list[User]
) -> list[User]:
    """The officers the old or the new sharing could reach; the policy then decides each one."""
    from django.db.models import Q

    plan_ids = [p.pk for p in plans] + list(record_.shared_plans.values_list("pk", flat=True))
    country_ids = (
        [c.pk for c in countries]
        + list(record_.shared_countries.values_list("pk", flat=True))
        + list(Plan.objects.filter(pk__in=plan_ids).values_list("lead_country", flat=True))
        + list(Plan.objects.filter(pk__in=plan_ids).values_list("partner_countries", flat=True))
    )
    agency_ids = [a.pk for a in agencies] + list(record_.shared_agencies.values_list("pk", flat=True))
    person_ids = [p.pk for p in people] + list(record_.named_people.values_list("pk", flat=True))
    return list(
        User.objects.filter(is_active=True)
        .filter(
            Q(agency__in=agency_ids, roles__code__in=policy.RESTRICTED_READERS)
            | Q(agency__country__in=[c for c in country_ids if c], roles__code__in=policy.RESTRICTED_READERS)
            | Q(pk__in=person_ids)
        )
        .distinct()
    )
