"""The OpenAPI document is valid, warning-free, and behind sign-in like every route."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from openapi_spec_validator import validate

from disrupt.conftest import Cast


def test_the_document_is_served_to_a_signed_in_user_and_is_valid_openapi(cast: Cast, client) -> None:
    client.force_login(cast.observer)
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    validate(document)
    assert document["openapi"].startswith("3.")
    for path in ("/api/v1/plans/", "/api/v1/plans/{reference}/decide/", "/api/v1/countries/{code}/"):
        assert path in document["paths"]


def test_it_refuses_the_document_to_anonymous_visitors(db, client) -> None:
    assert client.get("/api/v1/openapi.json").status_code == 401


def test_schema_generation_has_no_warnings(db, tmp_path) -> None:
    # Fails with SchemaGenerationError on any warning, e.g. an untyped field or an ambiguous enum.
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--file",
        str(tmp_path / "schema.yaml"),
        stdout=StringIO(),
    )


def test_the_docs_page_lists_each_path_and_links_to_the_json(cast: Cast, client) -> None:
    client.force_login(cast.investigator_th)
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count("<h1") == 1
    assert "/api/v1/plans/{reference}/decide/" in content
    assert "Approve or return a nominated plan" in content
    assert 'href="/api/v1/openapi.json"' in content
    assert "cdn" not in content.lower()


def test_the_docs_page_sends_anonymous_visitors_to_sign_in(db, client) -> None:
    response = client.get("/api/v1/docs/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]
