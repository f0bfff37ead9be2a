"""Country list and detail pages, and recording a standing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from disrupt.access.tests.matrix import EVERYONE
from disrupt.conftest import Cast
from disrupt.directory.choices import Standing
from disrupt.directory.models import Country, CountryStanding


@pytest.fixture
def standings(cast: Cast) -> None:
    for code in ("ID", "AU", "NZ", "TH", "MY"):
        CountryStanding.objects.create(
            country=Country.objects.get(code=code), standing=Standing.MEMBER, since=dt.date(2002, 2, 27)
        )
    CountryStanding.objects.create(country=Country.objects.get(code="EG"), standing=Standing.PARTNER)


def test_the_list_shows_the_group_s_countries_with_their_standing(
    client: Client, cast: Cast, standings: None
) -> None:
    client.force_login(cast.observer)
    response = client.get("/countries/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Indonesia" in page and "Egypt" in page and "Partner outside the group" in page
    assert "Norway" not in page  # not dealt with by the group


def test_the_list_filters_by_standing_and_searches_every_iso_country(
    client: Client, cast: Cast, standings: None
) -> None:
    client.force_login(cast.observer)
    partners = client.get("/countries/?standing=partner").content.decode()
    assert "Egypt" in partners and "Indonesia" not in partners
    search = client.get("/countries/?q=norw").content.decode()
    assert "Norway" in search


def test_the_list_costs_the_same_queries_whatever_the_number_of_countries(
    client: Client, cast: Cast, standings: None
) -> None:
    client.force_login(cast.observer)
    with CaptureQueriesContext(connection) as few:
        client.get("/countries/")
    for code in ("FJ", "PG", "VN", "LK", "BD"):
        CountryStanding.objects.create(country=Country.objects.get(code=code), standing=Standing.MEMBER)
    with CaptureQueriesContext(connection) as more:
        client.get("/countries/")
    assert len(more) == len(few)


def test_the_detail_shows_standings_agencies_plans_and_visible_people(
    client: Client, cast: Cast, standings: None
) -> None:
    client.force_login(cast.focal_id)
    page = client.get("/countries/ID/").content.decode()
    assert "Since 27 February 2002" in page
    assert "Indonesian National Police" in page
    assert "JPA7-01" in page and "7th Joint Period of Action" in page
    assert cast.investigator_id.full_name in page  # the focal point sees their country's people


def test_the_detail_shows_people_only_as_the_policy_allows(client: Client, cast: Cast) -> None:
    client.force_login(cast.analyst_au)
    page = client.get("/countries/ID/").content.decode()
    assert cast.investigator_id.full_name not in page
    assert cast.focal_id.full_name not in page


def test_an_unknown_country_is_not_found(client: Client, cast: Cast) -> None:
    client.force_login(cast.secretariat)
    assert client.get("/countries/XX/").status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, cast: Cast) -> None:
    for path in ("/countries/", "/countries/ID/", "/countries/ID/standing/new/"):
        assert client.get(path)["Location"].startswith("/login/")


@pytest.mark.parametrize("member", sorted(EVERYONE))
def test_only_the_secretariat_records_a_standing(client: Client, cast: Cast, member: str) -> None:
    client.force_login(getattr(cast, member))
    expected = 200 if member == "secretariat" else 403
    assert client.get("/countries/LK/standing/new/").status_code == expected


def test_a_new_standing_closes_the_open_one(client: Client, cast: Cast) -> None:
    lk = Country.objects.get(code="LK")
    old = CountryStanding.objects.create(country=lk, standing=Standing.OBSERVER, since=dt.date(2010, 1, 1))
    client.force_login(cast.secretariat)
    response = client.post(
        "/countries/LK/standing/new/", {"standing": "member", "since": "2016-05-19", "note": "Joined"}
    )
    assert response.status_code == 302 and response["Location"] == "/countries/LK/"
    old.refresh_from_db()
    assert old.until == dt.date(2016, 5, 18)
    assert lk.current_standing is not None and lk.current_standing.standing == Standing.MEMBER


def test_a_standing_that_ends_before_it_begins_is_refused(client: Client, cast: Cast) -> None:
    client.force_login(cast.secretariat)
    response = client.post(
        "/countries/LK/standing/new/", {"standing": "member", "since": "2016-05-19", "until": "2015-01-01"}
    )
    assert response.status_code == 200
    assert "A standing cannot end before it begins" in response.content.decode()
    assert not CountryStanding.objects.filter(country__code="LK").exists()


def test_a_standing_without_its_kind_is_refused(client: Client, cast: Cast) -> None:
    client.force_login(cast.secretariat)
    response = client.post("/countries/LK/standing/new/", {"standing": "", "since": "2016-05-19"})
    assert response.status_code == 200 and "field__error" in response.content.decode()
    assert not CountryStanding.objects.filter(country__code="LK").exists()
