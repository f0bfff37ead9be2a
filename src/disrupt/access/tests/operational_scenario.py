"""The operational records of the matrix and one person for each relationship to them.

For every handling code there is one enquiry owned by the Indonesian National Police, with a
reply and an attachment, and (network intelligence) one collection with an entity and an earlier
state of it, and one syndicate assessment with a member, and (cross-border matching) one
selector upload and one disclosed copy of the entity, owned and shared the same way.
Each enquiry carries every kind of sharing at once — agencies (AFP and
IOM), a country (Malaysia), a plan (led by Sri Lanka, in the 7th period co-chaired by New
Zealand) and a named person (a New Zealand police officer) — even those its code refuses. The
records are written straight to the database, not through the exchange's forms, so that the
test shows the access policy itself, not a form's validation, keeps each code's promise.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model
from django.utils import timezone

from disrupt.access.choices import HandlingCode
from disrupt.conftest import Cast, build_cast, make_agency, make_user
from disrupt.directory.choices import RoleCode
from disrupt.directory.models import Agency, Country, User
from disrupt.exchange.models import Attachment, Enquiry, Reply, attachment_path
from disrupt.programme.choices import PlanStatus
from disrupt.programme.models import Plan

# A minimal, well-formed PDF.
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

# One word per code, so each record has words found nowhere else (search, lists, exports). None
# ends as an English suffix would ("red" would: the stemmer cuts "…memberred" to "…member", which
# the search's prefix match then finds in every member's word).
CODE_WORDS = {
    HandlingCode.CLEAR: "clear",
    HandlingCode.GREEN: "green",
    HandlingCode.AMBER: "amber",
    HandlingCode.AMBER_STRICT: "strict",
    HandlingCode.RED: "scarlet",
}


def token(kind: str, code: str) -> str:
    """The word only the record of this kind and code contains, e.g. 'quokkareplyamber'."""
    return f"quokka{kind}{CODE_WORDS[code]}"


@dataclass
class OperationalScenario:
    cast: Cast
    people: dict[str, User]  # relationship -> the person
    records: dict[tuple[str, str], Model] = field(default_factory=dict)  # (kind, code) -> record

    def record(self, kind: str, code: str) -> Any:
        return self.records[kind, code]


def build_people(cast: Cast) -> dict[str, User]:
    malaysia = make_agency("Royal Malaysia Police", "MY", short="PDRM")
    sri_lanka = make_agency("Sri Lanka Police", "LK", short="SLP")
    nz_police = make_agency("New Zealand Police", "NZ", short="NZP")
    return {
        "author": cast.investigator_id,
        "owner": cast.focal_id,
        "shared-agency": cast.analyst_au,
        "same-country": cast.investigator_au_abf,
        "shared-country": make_user("inv@pdrm.test", "Mei Malaysia", malaysia, RoleCode.INVESTIGATOR),
        "plan-country": make_user("inv@slp.test", "Lal Lanka", sri_lanka, RoleCode.INVESTIGATOR),
        "named-person": make_user("inv@nzp.test", "Nikau Named", nz_police, RoleCode.INVESTIGATOR),
        "other-country": cast.investigator_th,
        "observer": cast.observer,
        "secretariat": cast.secretariat,
        "co-chair": cast.co_chair,
    }


def _store(content: bytes) -> str:
    sha256 = hashlib.sha256(content).hexdigest()
    path = attachment_path(sha256)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return sha256


def build_operational_scenario() -> OperationalScenario:
    cast = build_cast()
    people = build_people(cast)
    scenario = OperationalScenario(cast=cast, people=people)
    shared = list(Agency.objects.filter(short_name__in=["AFP", "IOM"]))
    plan = Plan.objects.create(
        reference="JPA7-90",
        title="Fishing crews recruited in Negombo",
        lead_country=Country.objects.get(code="LK"),
        status=PlanStatus.APPROVED,
        handling_code=HandlingCode.AMBER,
        by_sea=True,
    )
    plan.periods.set([cast.period])  # co-chaired by New Zealand: the co-chair reads the plan only
    counterpart = build_counterpart(people)
    for code in CODE_WORDS:
        enquiry = Enquiry.objects.create(
            reference=f"MTX-{CODE_WORDS[code].upper()}",
            owner_agency=cast.investigator_id.agency,
            created_by=people["author"],
            handling_code=code,
            subject=f"Matrix check {token('enquiry', code)}",
            body="A synthetic enquiry for the access matrix.",
        )
        enquiry.recipients.set(shared)
        enquiry.shared_agencies.set(shared)
        enquiry.shared_countries.set([Country.objects.get(code="MY")])
        enquiry.shared_plans.set([plan])
        enquiry.named_people.set([people["named-person"]])
        reply = Reply.objects.create(
            enquiry=enquiry,
            author=people["shared-agency"],
            agency=people["shared-agency"].agency,
            body=f"Answer {token('reply', code)}",
        )
        content = PDF_BYTES + token("attachment", code).encode()
        attachment = Attachment.objects.create(
            enquiry=enquiry,
            original_name=f"{token('attachment', code)} report.pdf",
            size=len(content),
            content_type="application/pdf",
            sha256=_store(content),
            uploaded_by=people["author"],
        )
        scenario.records["enquiry", code] = enquiry
        scenario.records["reply", code] = reply
        scenario.records["attachment", code] = attachment
        build_intel_records(scenario, code, shared, plan)
        build_matching_records(scenario, code, shared, plan, counterpart)
    return scenario


def _share_everywhere(record: Any, shared: list[Agency], plan: Plan, people: dict[str, User]) -> None:
    """Every kind of sharing at once, as each enquiry has, even those the code refuses."""
    record.shared_agencies.set(shared)
    record.shared_countries.set([Country.objects.get(code="MY")])
    record.shared_plans.set([plan])
    record.named_people.set([people["named-person"]])


def build_intel_records(scenario: OperationalScenario, code: str, shared: list[Agency], plan: Plan) -> None:
    """A collection with an entity and an earlier state of it, and an assessment with a member,
    owned and shared exactly as the enquiry of the same code is."""
    from disrupt.intel.choices import VersionCause
    from disrupt.intel.models import Assessment, AssessmentMember, Collection, Entity, EntityVersion

    people = scenario.people
    owner = people["author"].agency
    collection = Collection.objects.create(
        name=f"Matrix collection {token('collection', code)}",
        owner_agency=owner,
        created_by=people["author"],
        handling_code=code,
    )
    _share_everywhere(collection, shared, plan, people)
    entity = Entity.objects.create(
        collection=collection,
        ftm_id=f"matrix-{CODE_WORDS[code]}",
        schema="Person",
        caption=f"Person {token('entity', code)}",
        properties={"name": [f"Person {token('entity', code)}"]},
        country="id",
        version=2,
    )
    version = EntityVersion.objects.create(
        collection=collection,
        entity=entity,
        ftm_id=entity.ftm_id,
        number=1,
        schema="Person",
        properties={"name": [f"Earlier {token('entityversion', code)}"]},
        cause=VersionCause.EDIT,
        replaced_by=people["author"],
    )
    assessment = Assessment.objects.create(
        title=f"Matrix assessment {token('assessment', code)}",
        owner_agency=owner,
        created_by=people["author"],
        handling_code=code,
        summary="A synthetic assessment for the access matrix.",
    )
    _share_everywhere(assessment, shared, plan, people)
    member = AssessmentMember.objects.create(
        assessment=assessment,
        entity=entity,
        ftm_id=entity.ftm_id,
        caption=f"Member {token('assessmentmember', code)}",
        schema="Person",
        country="id",
        role="organiser",
    )
    scenario.records["collection", code] = collection
    scenario.records["entity", code] = entity
    scenario.records["entityversion", code] = version
    scenario.records["assessment", code] = assessment
    scenario.records["assessmentmember", code] = member


def build_counterpart(people: dict[str, User]) -> Any:
    """The other side of the matrix's hits: a collection of the shared agency (AFP), unshared,
    whose entities carry no matrix word (it is no record of the matrix)."""
    from disrupt.intel.models import Collection

    return Collection.objects.create(
        name="Matrix counterpart",
        owner_agency=people["shared-agency"].agency,
        created_by=people["shared-agency"],
        handling_code=HandlingCode.AMBER,
    )


def _subject(collection: Any, entity: Any) -> Any:
    from disrupt.matching.models import Subject

    return Subject.objects.create(
        collection=collection,
        entity=entity,
        ref=entity.ftm_id,
        schema=entity.schema,
        owner_agency=collection.owner_agency,
        dirty=False,
    )


def build_matching_records(
    scenario: OperationalScenario, code: str, shared: list[Agency], plan: Plan, counterpart: Any
) -> None:
    """A selector upload, and a disclosed copy of the code's entity, owned and shared exactly as
    the enquiry of the same code is. The copy stands on the rows a real disclosure leaves: the
    entity's subject, a hit with the counterpart's entity, and the request the shared agency made
    and the author granted. They are written straight to the database: the matrix reads them."""
    from disrupt.intel.choices import JobStatus
    from disrupt.intel.models import Entity
    from disrupt.matching.choices import DisclosureStatus, SelectorKind
    from disrupt.matching.models import Disclosure, DisclosureRequest, Hit, SelectorUpload

    people = scenario.people
    owner = people["author"].agency
    word = CODE_WORDS[code]
    upload = SelectorUpload.objects.create(
        name=f"Matrix upload {token('selectorupload', code)}",
        owner_agency=owner,
        created_by=people["author"],
        handling_code=code,
        key_id="matrixkey",
        original_name=f"selectors-{word}.json",
        stored_name=f"matrix-{word}.json",
        size=2,
        sha256=hashlib.sha256(word.encode()).hexdigest(),
        status=JobStatus.DONE,
    )
    upload.plans.set([plan])
    _share_everywhere(upload, shared, plan, people)

    entity = scenario.record("entity", code)
    other = Entity.objects.create(
        collection=counterpart,
        ftm_id=f"counterpart-{word}",
        schema="Person",
        caption=f"Counterpart {word}",
        properties={"name": [f"Counterpart {word}"]},
        country="au",
    )
    mine, theirs = _subject(entity.collection, entity), _subject(counterpart, other)  # mine.pk < theirs.pk
    hit = Hit.objects.create(subject_a=mine, subject_b=theirs, kind=SelectorKind.PERSON, score=0.9)
    now = timezone.now()
    request = DisclosureRequest.objects.create(
        reference=f"DSC-MTX-{word.upper()}",
        hit=hit,
        subject=mine,
        owner_agency=owner,
        requested_by=people["shared-agency"],
        requesting_agency=people["shared-agency"].agency,
        purpose="A synthetic request for the access matrix.",
        status=DisclosureStatus.GRANTED,
        requested_at=now,
        due_at=now + dt.timedelta(hours=48),
        decided_by=people["author"],
        decided_at=now,
        granted_properties=["name"],
    )
    caption = f"Disclosed {token('disclosure', code)}"
    disclosure = Disclosure.objects.create(
        request=request,
        reference=request.reference,
        owner_agency=owner,
        created_by=people["author"],
        handling_code=code,
        schema="Person",
        caption=caption,
        properties={"name": [caption]},
        source_ref=entity.ftm_id,
        source_version=entity.version,
        source_collection=entity.collection,
        disclosed_at=now,
    )
    _share_everywhere(disclosure, shared, plan, people)
    scenario.records["selectorupload", code] = upload
    scenario.records["disclosure", code] = disclosure
