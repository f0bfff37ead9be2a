"""/api/v1/publications/: the same rules as the pages, documented in the OpenAPI document."""

from __future__ import annotations

from django.test import Client

from disrupt.conftest import Cast
from disrupt.reports.choices import PublicationKind
from disrupt.reports.models import Publication
from disrupt.reports.publishing import do_approve, do_edit, do_generate

URL = "/api/v1/publications/"


def _ids(client: Client) -> list[int]:
    return [row["id"] for row in client.get(URL).json()["results"]]


def test_drafts_are_listed_only_to_the_drafters(client: Client, cast: Cast) -> None:
    version = do_generate(cast.secretariat, cast.period, PublicationKind.OUTCOME_SUMMARY)
    client.force_login(cast.investigator_th)
    assert _ids(client) == []
    assert client.get(f"{URL}{version.publication_id}/").status_code == 404
    client.force_login(cast.co_chair)
    answer = client.get(f"{URL}{version.publication_id}/").json()
    assert answer["period"] == 7 and answer["kind"] == "outcome_summary" and answer["released"] is None
    assert [v["number"] for v in answer["versions"]] == [1]
    assert answer["versions"][0]["marking"] == "TLP:GREEN"


def test_released_texts_show_only_their_released_versions(client: Client, cast: Cast) -> None:
    version = do_generate(cast.secretariat, cast.period, PublicationKind.MEDIA_RELEASE)
    do_approve(cast.co_chair, version)
    do_edit(cast.secretariat, version.publication, "Later", "A later draft.", "Reworded.")
    client.force_login(cast.observer)
    answer = client.get(f"{URL}?period=7&kind=media_release").json()["results"]
    assert len(answer) == 1 and answer[0]["released"] == 1
    assert [v["number"] for v in answer[0]["versions"]] == [1]
    assert answer[0]["versions"][0]["marking"] == "TLP:CLEAR"
    assert answer[0]["versions"][0]["docx_url"].endswith(
        f"/publications/{version.publication_id}/versions/1/docx/"
    )


def test_generate_and_approve_through_the_api(client: Client, cast: Cast) -> None:
    client.force_login(cast.investigator_id)
    refused = client.post(
        f"{URL}generate/", {"period": 7, "kind": "outcome_summary"}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert client.post(f"{URL}generate/", {"period": 99, "kind": "outcome_summary"}).status_code == 404
    client.force_login(cast.secretariat)
    made = client.post(
        f"{URL}generate/", {"period": 7, "kind": "outcome_summary"}, content_type="application/json"
    )
    assert made.status_code == 201
    pk = made.json()["id"]
    assert (
        client.post(f"{URL}{pk}/approve/", {"version": 1}).status_code == 403
    )  # the secretariat drafts only
    client.force_login(cast.co_chair_other)
    assert client.post(f"{URL}{pk}/approve/", {"version": 1}).status_code == 404
    client.force_login(cast.co_chair)
    approved = client.post(f"{URL}{pk}/approve/", {"version": 1})
    assert approved.status_code == 200 and approved.json()["released"] == 1
    assert client.post(f"{URL}{pk}/approve/", {"version": 1}).status_code == 400  # no longer a draft
    assert Publication.objects.get(pk=pk).approved is not None


def test_the_openapi_document_describes_the_routes(client: Client, cast: Cast) -> None:
    client.force_login(cast.observer)
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (URL, f"{URL}{{id}}/", f"{URL}generate/", f"{URL}{{id}}/approve/"):
        assert path in paths, path
