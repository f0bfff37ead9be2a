"""The matching routes in the OpenAPI document, and the helpers the matching API tests share:
every answer they get is checked against the document (`conforms`, as the intel API tests do)."""

from __future__ import annotations

import json
from typing import Any

from django.db.models import Q
from django.test import Client

from disrupt.conftest import Cast
from disrupt.intel.tests.test_api_schema import conforms, document
from disrupt.matching.models import Hit, MatchingJob
from disrupt.matching.tests.scenario import World, build_world

API = "/api/v1"


def signed_in(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def get(client: Client, url: str, **params: Any) -> Any:
    return conforms(client.get(url, params))


def post(client: Client, url: str, data: Any) -> Any:
    return conforms(client.post(url, json.dumps(data), content_type="application/json"))


def hits_between(world: World, inp_ftm_id: str) -> Hit:
    """The hit whose INP side is the entity `inp_ftm_id`."""
    subject = world.entity(inp_ftm_id).match_subject
    return Hit.objects.get(Q(subject_a=subject) | Q(subject_b=subject))


MATCHING_OPERATIONS = {
    "/api/v1/selector-uploads/": {"get", "post"},
    "/api/v1/selector-uploads/{id}/": {"get", "delete"},
    "/api/v1/hits/": {"get"},
    "/api/v1/hits/{id}/": {"get"},
    "/api/v1/hits/{id}/judgement/": {"post"},
    "/api/v1/disclosure-requests/": {"get", "post"},
    "/api/v1/disclosure-requests/{id}/": {"get"},
    "/api/v1/disclosure-requests/{id}/decide/": {"post"},
    "/api/v1/disclosure-requests/{id}/withdraw/": {"post"},
    "/api/v1/disclosures/": {"get"},
    "/api/v1/disclosures/{id}/": {"get"},
    "/api/v1/matching-jobs/": {"get", "post"},
    "/api/v1/matching-jobs/{id}/": {"get"},
}


def _parameters(path: str) -> set[str]:
    return {p["name"] for p in document()["paths"][path]["get"].get("parameters", [])}


def test_the_matching_routes_are_in_the_document_each_with_a_summary(db: Any) -> None:
    paths = document()["paths"]
    for path, methods in MATCHING_OPERATIONS.items():
        assert path in paths, path
        assert set(paths[path]) - {"parameters"} == methods, (path, sorted(paths[path]))
        for method in methods:
            assert paths[path][method].get("summary"), f"{method} {path} has no summary"


def test_the_hit_list_documents_the_pages_filters(db: Any) -> None:
    assert {"plan", "kind", "min_score", "verdict", "disclosure", "current"} <= _parameters("/api/v1/hits/")
    assert {"status", "direction", "hit"} <= _parameters("/api/v1/disclosure-requests/")
    assert {"status", "kind", "collection", "upload"} <= _parameters("/api/v1/matching-jobs/")


def test_an_upload_is_a_multipart_body_answered_with_202(db: Any) -> None:
    operation = document()["paths"]["/api/v1/selector-uploads/"]["post"]
    body = operation["requestBody"]["content"]
    assert list(body) == ["multipart/form-data"]
    ref = body["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[-1]
    schema = document()["components"]["schemas"][ref]
    assert schema["properties"]["file"]["format"] == "binary"
    assert set(schema["required"]) == {"file", "name"}
    assert "202" in operation["responses"] and "201" not in operation["responses"]


def _components_of(node: Any, found: set[str]) -> set[str]:
    """The component schemas a part of the document refers to, directly or not."""
    if isinstance(node, dict):
        ref = node.get("$ref", "")
        if ref.startswith("#/components/schemas/") and ref.rsplit("/", 1)[-1] not in found:
            name = ref.rsplit("/", 1)[-1]
            found.add(name)
            _components_of(document()["components"]["schemas"][name], found)
        for value in node.values():
            _components_of(value, found)
    elif isinstance(node, list):
        for value in node:
            _components_of(value, found)
    return found


def test_no_matching_answer_documents_a_digest_or_an_encoding(db: Any) -> None:
    paths = {path: document()["paths"][path] for path in MATCHING_OPERATIONS}
    components = _components_of(paths, set())
    assert {"Hit", "SelectorUpload", "Disclosure", "DisclosureRequest", "MatchingJob"} <= components
    schemas = [document()["components"]["schemas"][name] for name in sorted(components)]
    text = json.dumps(schemas).lower()
    for word in ("digest", "bloom", "sha256", "blocks", "fingerprint", "stored_name"):
        assert f'"{word}"' not in text, word


MEMBERS = [
    "investigator_id",
    "analyst_au",
    "investigator_au_abf",
    "investigator_th",
    "observer",
    "secretariat",
]


def test_every_matching_read_answers_as_documented_for_every_member(client: Client, cast: Cast) -> None:
    build_world(cast)
    urls = [f"{API}/{route}/" for route in ("selector-uploads", "hits", "disclosure-requests", "disclosures")]
    urls += [f"{API}/matching-jobs/"]
    urls += [f"{API}/hits/{hit.pk}/" for hit in Hit.objects.all()]
    urls += [f"{API}/matching-jobs/{pk}/" for pk in MatchingJob.objects.values_list("pk", flat=True)]
    for member in MEMBERS:
        api = signed_in(client, getattr(cast, member))
        statuses = {get(api, url).status_code for url in urls}
        assert statuses <= {200, 404}, member
