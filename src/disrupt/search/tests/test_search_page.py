"""The search page: results, facets, escaped snippets, the box in the top bar, and its rate limit."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from disrupt.conftest import Cast
from disrupt.search.tests.helpers import make_enquiry

pytestmark = pytest.mark.django_db

URL = reverse("search:search")


def test_it_shows_results_with_facets_and_marked_words(client: Client, cast: Cast) -> None:
    client.force_login(cast.analyst_au)
    response = client.get(URL, {"q": "recruitment"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<mark>Recruitment</mark> agency network" in page
    assert "1 result for" in page
    assert 'Plan <span class="search-facet__count">1</span>' in page


def test_it_escapes_record_text_in_titles_and_snippets(client: Client, cast: Cast) -> None:
    plan = cast.plan
    plan.summary = "Crew boards at <script>alert(1)</script> Kupang harbour"
    plan.save()
    client.force_login(cast.analyst_au)
    page = client.get(URL, {"q": "harbour"}).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<mark>harbour</mark>" in page


def test_an_outsider_sees_no_trace_of_an_enquiry(client: Client, cast: Cast) -> None:
    enquiry = make_enquiry(
        cast.investigator_id, ["AFP", "INZ"], subject="Flores crossing", body="Flores boat"
    )
    client.force_login(cast.investigator_th)
    page = client.get(URL, {"q": "flores"}).content.decode()
    assert "0 results for" in page
    assert enquiry.reference not in page
    assert "Enquiry" not in page
    client.force_login(cast.analyst_au)
    page = client.get(URL, {"q": "flores"}).content.decode()
    assert enquiry.reference in page


def test_the_top_bar_has_the_search_box(client: Client, cast: Cast) -> None:
    client.force_login(cast.observer)
    page = client.get(reverse("core:dashboard")).content.decode()
    assert f'action="{URL}"' in page
    assert 'name="q"' in page


def test_it_needs_signing_in(client: Client, cast: Cast) -> None:
    response = client.get(URL, {"q": "kupang"})
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_it_answers_429_beyond_the_search_rate(client: Client, cast: Cast, settings: Any) -> None:
    # A day-long window: windows are fixed, and crossing a boundary would reset the count.
    settings.SEARCH_RATE = "3/d"
    client.force_login(cast.analyst_au)
    for _ in range(3):
        assert client.get(URL, {"q": "kupang"}).status_code == 200
    response = client.get(URL, {"q": "kupang"})
    assert response.status_code == 429
    assert "Too many requests" in response.content.decode()
    assert "searching" in response.content.decode()
    assert int(response["Retry-After"]) > 0
    # The limit is per person: someone else may still search.
    client.force_login(cast.investigator_id)
    assert client.get(URL, {"q": "kupang"}).status_code == 200


def test_the_query_count_does_not_grow_with_the_results(client: Client, cast: Cast) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(cast.analyst_au)
    make_enquiry(cast.investigator_id, ["AFP"], subject="Rote island", body="x")
    client.get(URL, {"q": "rote"})  # the first request also fills caches (content types)
    with CaptureQueriesContext(connection) as few:
        client.get(URL, {"q": "rote"})
    for n in range(6):
        make_enquiry(cast.investigator_id, ["AFP"], subject=f"Rote island {n}", body="x")
    with CaptureQueriesContext(connection) as more:
        page = client.get(URL, {"q": "rote"}).content.decode()
    assert "7 results for" in page
    assert len(more) == len(few)
