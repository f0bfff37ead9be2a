"""Schemathesis over the OpenAPI document: generated requests to every operation, no server error,
and every answer matches the document (its status codes and its response schemas).

The requests go in-process to Django's WSGI application, signed in by token as the secretariat
(who may write most records) and as a focal point (who nominates plans), inside the test's
transaction. Examples are bounded and derandomized, so the run is quick and repeatable.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from disrupt.access.tests.scenario import build_scenario
from disrupt.conftest import Cast
from disrupt.intel.models import AnalysisRun, Assessment, ImportJob
from disrupt.intel.tests.test_api import build_world
from disrupt.matching import actions as matching_actions
from disrupt.matching.models import Hit, MatchingJob
from disrupt.matching.tests.scenario import build_world as build_matching_world
from disrupt.programme.models import Objective, Sector

SCHEMA = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
OPERATIONS = {
    f"{result.ok().method.upper()} {result.ok().path}": result.ok() for result in SCHEMA.get_all_operations()
}
APP = get_wsgi_application()
# The secretariat may write most records; a focal point nominates plans.
MEMBERS = ["secretariat", "focal_id"]
# Network intelligence is for officers of an agency: the focal point alone reaches its writes
# (the secretariat's refusals are checked against the document in intel/tests/test_api_schema.py).
INTEL = {"collections", "entities", "import-jobs", "analyses", "assessments"}
# Cross-border matching: the focal point speaks for INP's side of real hits (and decides AFP's
# request about them); the secretariat runs matching over everything and sees no hit.
MATCHING = {"selector-uploads", "hits", "disclosure-requests", "disclosures", "matching-jobs"}
CASES = [
    (label, member)
    for label in sorted(OPERATIONS)
    for member in (["focal_id"] if label.split("/")[3] in INTEL else MEMBERS)
]


@pytest.fixture
def keep_test_connection() -> Iterator[None]:
    """Django's handler closes 'old' connections per request; in a test that is the test's own."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(cast: Cast, keep_test_connection: None) -> dict[str, str]:
    return {name: Token.objects.create(user=getattr(cast, name)).key for name in MEMBERS}


@pytest.fixture
def known_records(cast: Cast) -> dict[str, dict[str, Any]]:
    """Path parameters naming records that exist, so updates and decisions reach the model."""
    scenario = build_scenario(cast)
    ids = {
        "agencies": scenario.records["agency"].pk,
        "milestones": scenario.records["milestone"].pk,
        "meetings": scenario.records["meeting"].pk,
        "action-items": scenario.records["action_item"].pk,
        "published-figures": 1,
        "reports": scenario.records["report"].pk,
        "report-versions": scenario.records["line"].version_id,  # type: ignore[attr-defined]
        "outcome-lines": scenario.records["line"].pk,
    }
    return {
        collection: {"id": pk, "code": "ID", "number": 7, "reference": cast.plan.reference}
        for collection, pk in ids.items()
    } | {
        "crime-types": {"code": scenario.records["crime_type"].code},
        "sectors": {"code": Sector.objects.order_by("pk").values_list("code", flat=True).first()},
        "objectives": {"code": Objective.objects.order_by("pk").values_list("code", flat=True).first()},
        "countries": {"code": "ID"},
        "periods": {"number": 7},
        "plans": {"reference": cast.plan.reference},
    }


@pytest.fixture
def intel_records(cast: Cast) -> dict[str, dict[str, Any]]:
    """Network intelligence of the focal point's agency (INP), and their own analysis (built only
    for the intel operations, whose tests ask for it)."""
    world = build_world(cast)
    job = ImportJob.objects.create(
        collection=world.amber,
        created_by=cast.focal_id,
        original_name="crew.ftm.jsonl",
        stored_name="x.upload",
    )
    run = AnalysisRun.objects.create(requested_by=cast.focal_id)
    run.collections.set([world.amber])
    assessment = Assessment.objects.create(title="Kupang syndicate", owner_agency=world.amber.owner_agency)
    ids = {
        "collections": world.amber.pk,
        "entities": world.budi.pk,
        "import-jobs": job.pk,
        "analyses": run.pk,
        "assessments": assessment.pk,
    }
    return {collection: {"id": pk} for collection, pk in ids.items()}


@pytest.fixture
def matching_records(cast: Cast) -> dict[str, dict[str, Any]]:
    """The cross-border world, matched for real (matching/tests/scenario.py); AFP has asked INP
    to disclose one record and been granted another, and INP holds an upload."""
    world = build_matching_world(cast)
    first, second = Hit.objects.order_by("pk")[:2]
    asked = matching_actions.do_request_disclosure(cast.analyst_au, first, "Same man at Darwin")
    granted = matching_actions.do_request_disclosure(cast.analyst_au, second, "Same number")
    matching_actions.do_decide_disclosure(cast.focal_id, granted, grant="all")
    upload = matching_actions.do_upload_selectors(
        cast.focal_id, name="Kupang selectors", upload_file=io.BytesIO(b'{"records": []}')
    )
    ids = {
        "selector-uploads": upload.pk,
        "hits": first.pk,
        "disclosure-requests": asked.pk,
        "disclosures": granted.disclosure.pk,
        "matching-jobs": MatchingJob.objects.filter(collection=world.inp).values_list("pk", flat=True)[0],
    }
    return {collection: {"id": pk} for collection, pk in ids.items()}


def test_the_document_has_operations() -> None:
    assert len(OPERATIONS) > 30


@pytest.mark.parametrize(("label", "member"), CASES)
def test_no_generated_request_causes_a_server_error_or_leaves_the_document(
    label: str,
    member: str,
    tokens: dict[str, str],
    known_records: dict[str, dict[str, Any]],
    request: pytest.FixtureRequest,
) -> None:
    operation = OPERATIONS[label]
    collection = operation.path.split("/")[3]
    if collection in INTEL:
        known_records = known_records | request.getfixturevalue("intel_records")
    if collection in MATCHING:
        known_records = known_records | request.getfixturevalue("matching_records")
    names = {p.name for p in operation.path_parameters}
    known = {name: value for name, value in known_records.get(collection, {}).items() if name in names}
    cases = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
        operation.as_strategy(GenerationMode.POSITIVE, path_parameters=known),
    )
    key = tokens[member]

    @settings(
        max_examples=10,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=cases)
    def run(case: Any) -> None:
        case.call_and_validate(
            app=APP,
            headers={"Authorization": f"Token {key}"},
            checks=[not_a_server_error, response_schema_conformance, status_code_conformance],
        )

    run()
