"""The intel routes in the OpenAPI document, and `conforms`: an answer's status is one its
operation documents, and a JSON body matches the documented schema (test_api.py checks every
answer it gets with it)."""

from __future__ import annotations

import functools
import json
import re
from typing import Any

import pytest
from django.http import JsonResponse
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from openapi_schema_validator import OAS30ReadValidator, oas30_format_checker
from openapi_spec_validator import validate

from disrupt.conftest import Cast


@functools.cache
def document() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)  # type: ignore[no-any-return]


@functools.cache
def _templates() -> list[tuple[re.Pattern[str], str]]:
    found = []
    for template in document()["paths"]:
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
        found.append((re.compile(f"^{pattern}$"), template))
    return found


def operation_of(method: str, path: str) -> dict[str, Any]:
    for pattern, template in _templates():
        if pattern.match(path):
            operation = document()["paths"][template].get(method.lower())
            assert operation is not None, f"{method} {template} is not in the document"
            return operation  # type: ignore[no-any-return]
    raise AssertionError(f"{path} is not in the document")


def conforms(response: Any) -> Any:
    """Assert that the answer is one the document describes; return it."""
    method, path = response.request["REQUEST_METHOD"], response.request["PATH_INFO"]
    responses = operation_of(method, path)["responses"]
    status = str(response.status_code)
    assert status in responses, f"{method} {path} answered {status}, documented {sorted(responses)}"
    if response.get("Content-Type", "").startswith("application/json"):
        content = responses[status].get("content", {})
        assert "application/json" in content or not content, f"{method} {path} {status}: JSON not documented"
        if "application/json" in content:
            schema = {
                "allOf": [content["application/json"]["schema"]],
                "components": document()["components"],
            }
            validator = OAS30ReadValidator(schema, format_checker=oas30_format_checker)
            problems = [
                f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
                for e in validator.iter_errors(json.loads(response.content))
            ]
            assert not problems, f"{method} {path} {status}: " + "; ".join(problems[:5])
    return response


INTEL_OPERATIONS = {
    "/api/v1/collections/": {"get", "post"},
    "/api/v1/collections/{id}/": {"get"},
    "/api/v1/collections/{id}/export/": {"get"},
    "/api/v1/entities/": {"get", "post"},
    "/api/v1/entities/{id}/": {"get", "patch", "delete"},
    "/api/v1/entities/{id}/versions/": {"get"},
    "/api/v1/import-jobs/": {"get", "post"},
    "/api/v1/import-jobs/{id}/": {"get"},
    "/api/v1/analyses/": {"get", "post"},
    "/api/v1/analyses/{id}/": {"get"},
    "/api/v1/assessments/": {"get", "post"},
    "/api/v1/assessments/{id}/": {"get", "patch"},
    "/api/v1/assessments/{id}/docx/": {"get"},
}


def test_the_intel_routes_are_in_the_document_and_it_validates(db: Any) -> None:
    paths = document()["paths"]
    for path, methods in INTEL_OPERATIONS.items():
        assert path in paths, path
        assert methods <= set(paths[path]), (path, sorted(paths[path]))
        for method in methods:
            assert paths[path][method].get("summary"), f"{method} {path} has no summary"
    validate(document())


def _parameters(path: str) -> set[str]:
    return {p["name"] for p in document()["paths"][path]["get"].get("parameters", [])}


def test_the_files_are_documented_with_their_types(db: Any) -> None:
    export = document()["paths"]["/api/v1/collections/{id}/export/"]["get"]
    assert set(export["responses"]["200"]["content"]) == {
        "application/x-ndjson",
        "application/graphml+xml",
        "application/gexf+xml",
    }
    [chosen] = [p for p in export["parameters"] if p["name"] == "format"]
    assert set(chosen["schema"]["enum"]) == {"ftm", "graphml", "gexf"}
    docx = document()["paths"]["/api/v1/assessments/{id}/docx/"]["get"]["responses"]["200"]["content"]
    assert list(docx) == ["application/vnd.openxmlformats-officedocument.wordprocessingml.document"]


def test_the_lists_document_their_filters(db: Any) -> None:
    assert {"plan", "handling_code", "country"} <= _parameters("/api/v1/collections/")
    assert {"collection", "schema", "q"} <= _parameters("/api/v1/entities/")
    assert {"status", "collection"} <= _parameters("/api/v1/import-jobs/")
    assert {"plan", "handling_code", "q"} <= _parameters("/api/v1/assessments/")


def test_an_import_is_documented_as_a_multipart_upload(db: Any) -> None:
    body = document()["paths"]["/api/v1/import-jobs/"]["post"]["requestBody"]["content"]
    assert list(body) == ["multipart/form-data"]
    ref = body["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[-1]
    schema = document()["components"]["schemas"][ref]
    assert schema["properties"]["file"] == {
        "type": "string",
        "format": "binary",
        "description": schema["properties"]["file"]["description"],
    }
    assert set(schema["required"]) == {"file", "collection"}


def test_conforms_catches_an_undocumented_status_and_a_body_off_the_schema(db: Any) -> None:
    def answer(status: int, body: Any, path: str = "/api/v1/collections/7/") -> JsonResponse:
        response = JsonResponse(body, status=status, safe=False)
        response.request = {"REQUEST_METHOD": "GET", "PATH_INFO": path}  # type: ignore[attr-defined]
        return response

    with pytest.raises(AssertionError, match="answered 418"):
        conforms(answer(418, {}))
    with pytest.raises(AssertionError, match="entity_count"):
        conforms(answer(200, {"id": 7, "name": "x", "entity_count": "many"}))
    with pytest.raises(AssertionError, match="not in the document"):
        conforms(answer(200, {}, "/api/v1/nowhere/"))


@pytest.mark.parametrize(
    "member",
    ["investigator_id", "analyst_au", "investigator_au_abf", "investigator_th", "observer", "secretariat"],
)
def test_every_intel_read_answers_as_documented_for_every_member(
    client: Client, cast: Cast, member: str
) -> None:
    from disrupt.intel.tests.test_api import build_world

    world = build_world(cast)
    client.force_login(getattr(cast, member))
    urls = [
        f"/api/v1/{route}/" for route in ("collections", "entities", "import-jobs", "analyses", "assessments")
    ]
    for collection in (world.amber, world.green, world.thai):
        urls += [f"/api/v1/collections/{collection.pk}/", f"/api/v1/collections/{collection.pk}/export/"]
    for entity in (world.budi, world.company, world.directorship, world.hidden_link):
        urls += [f"/api/v1/entities/{entity.pk}/", f"/api/v1/entities/{entity.pk}/versions/"]
    statuses = {conforms(client.get(url)).status_code for url in urls}
    assert statuses <= {200, 404}
