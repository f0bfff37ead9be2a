"""Who may do what with the group's texts, from one table, through the policy, the pages and the API.

Scenario: the 7th period (co-chairs New Zealand and Malaysia) has an outcome summary whose
version 1 is on release and whose version 2 is a draft, and a media release that is only a draft.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from disrupt.access import policy
from disrupt.access.tests.matrix import EVERYONE
from disrupt.conftest import Cast
from disrupt.reports.choices import PublicationKind
from disrupt.reports.models import Publication, PublicationVersion
from disrupt.reports.publishing import do_approve, do_edit, do_generate

DRAFTERS = frozenset({"secretariat", "co_chair"})

# (record, action) -> the cast members allowed.
TABLE: dict[tuple[str, str], frozenset[str]] = {
    ("released", "view"): EVERYONE,
    ("released_draft", "view"): DRAFTERS,  # the draft that follows the released version
    ("draft_only", "view"): DRAFTERS,
    ("released", "edit"): DRAFTERS,
    ("draft_only", "edit"): DRAFTERS,
    ("released_draft", "approve"): frozenset({"co_chair"}),
    ("draft_only", "approve"): frozenset({"co_chair"}),
    ("period", "generate"): DRAFTERS,
}


@dataclass
class Texts:
    released: Publication
    released_draft: PublicationVersion
    draft_only: Publication


@pytest.fixture
def texts(cast: Cast) -> Texts:
    first = do_generate(cast.secretariat, cast.period, PublicationKind.OUTCOME_SUMMARY)
    do_approve(cast.co_chair, first)
    second = do_edit(cast.secretariat, first.publication, "Outcomes", "Reworded.", "Reworded.")
    media = do_generate(cast.secretariat, cast.period, PublicationKind.MEDIA_RELEASE)
    return Texts(released=first.publication, released_draft=second, draft_only=media.publication)


def _policy(cast: Cast, texts: Texts, record: str, action: str, member: str) -> bool:
    user = getattr(cast, member)
    if action == "generate":
        return policy.may_draft_publications(user, cast.period)
    if record == "released_draft":
        version = texts.released_draft
        if action == "view":
            return policy.visible_to(user, PublicationVersion.objects.filter(pk=version.pk)).exists()
        return policy.can_approve_publication(user, version)
    publication: Publication = getattr(texts, record)
    if action == "view":
        return policy.can_view(user, publication)
    if action == "edit":
        return policy.can_view(user, publication) and policy.can_edit_publication(user, publication)
    newest = publication.versions.order_by("-number").first()
    assert newest is not None
    return policy.can_view(user, publication) and policy.can_approve_publication(user, newest)


@pytest.mark.parametrize("member", sorted(EVERYONE))
def test_the_policy_follows_the_table(cast: Cast, texts: Texts, member: str) -> None:
    # One test per cast member (building the scenario is the slow part), every row of the table.
    for (record, action), allowed in sorted(TABLE.items()):
        assert _policy(cast, texts, record, action, member) is (member in allowed), (record, action)


def _page_status(client: Client, texts: Texts, record: str, action: str) -> int:
    if record == "released_draft":
        version = texts.released_draft
        return client.get(
            reverse("reports:publication_version", args=[version.publication_id, 2])
        ).status_code
    publication: Publication = getattr(texts, record)
    if action == "view":
        return client.get(reverse("reports:publication_detail", args=[publication.pk])).status_code
    return client.get(reverse("reports:publication_edit", args=[publication.pk])).status_code


@pytest.mark.parametrize("member", sorted(EVERYONE))
def test_the_pages_and_the_api_follow_the_table(
    client: Client, cast: Cast, texts: Texts, member: str
) -> None:
    client.force_login(getattr(cast, member))
    for record, action in (("released", "view"), ("released_draft", "view"), ("draft_only", "view")):
        allowed = member in TABLE[(record, action)]
        assert _page_status(client, texts, record, action) == (200 if allowed else 404), (record, action)
    for record in ("released", "draft_only"):
        status = _page_status(client, texts, record, "edit")
        visible = member in TABLE[(record, "view")]
        expected = 200 if member in TABLE[(record, "edit")] else (403 if visible else 404)
        assert status == expected, (record, "edit")
    listed = {row["id"]: row for row in client.get("/api/v1/publications/").json()["results"]}
    assert (texts.released.pk in listed) is (member in TABLE[("released", "view")])
    assert (texts.draft_only.pk in listed) is (member in TABLE[("draft_only", "view")])
    numbers = [v["number"] for v in listed[texts.released.pk]["versions"]]
    assert numbers == ([1, 2] if member in TABLE[("released_draft", "view")] else [1])
    page = client.get(reverse("reports:publication_list", args=[cast.period.number])).content.decode()
    assert ("Write the draft" in page) is (member in TABLE[("period", "generate")])
