"""Agency pages: everyone signed in reads them; the secretariat adds and edits them."""

from __future__ import annotations

import pytest
from django.test import Client

from disrupt.access.tests.matrix import EVERYONE
from disrupt.conftest import Cast
from disrupt.directory.models import Agency


@pytest.mark.parametrize("member", sorted(EVERYONE))
def test_who_reaches_which_agency_page(client: Client, cast: Cast, member: str) -> None:
    client.force_login(getattr(cast, member))
    inp = Agency.objects.get(short_name="INP")
    writer = 200 if member == "secretariat" else 403
    assert client.get("/agencies/").status_code == 200
    assert client.get(f"/agencies/{inp.pk}/").status_code == 200
    assert client.get("/agencies/new/").status_code == writer
    assert client.get(f"/agencies/{inp.pk}/edit/").status_code == writer
    assert client.get("/agencies/999999/").status_code == 404
    assert client.get("/agencies/999999/edit/").status_code == 404


def test_the_list_filters_by_country_and_kind(client: Client, cast: Cast) -> None:
    client.force_login(cast.observer)
    page = client.get("/agencies/?country=AU").content.decode()
    assert "Australian Federal Police" in page and "Indonesian National Police" not in page
    page = client.get("/agencies/?kind=international").content.decode()
    assert "International Organization for Migration" in page and "Royal Thai Police" not in page


def test_the_detail_lists_only_the_people_the_viewer_may_see(client: Client, cast: Cast) -> None:
    inp = Agency.objects.get(short_name="INP")
    client.force_login(cast.focal_id)
    assert cast.investigator_id.full_name in client.get(f"/agencies/{inp.pk}/").content.decode()
    client.force_login(cast.observer)
    assert cast.investigator_id.full_name not in client.get(f"/agencies/{inp.pk}/").content.decode()


def test_the_secretariat_adds_a_national_agency(client: Client, cast: Cast) -> None:
    client.force_login(cast.secretariat)
    response = client.post(
        "/agencies/new/",
        {
            "name": "Directorate General of Immigration",
            "short_name": "DGI",
            "kind": "immigration",
            "country": Agency.objects.get(short_name="INP").country_id,
            "is_active": "on",
        },
    )
    agency = Agency.objects.get(short_name="DGI")
    assert response.status_code == 302 and response["Location"] == f"/agencies/{agency.pk}/"
    assert agency.country is not None and agency.country.code == "ID"


def test_the_secretariat_adds_an_international_organisation_without_a_country(
    client: Client, cast: Cast
) -> None:
    client.force_login(cast.secretariat)
    response = client.post(
        "/agencies/new/",
        {"name": "Europol", "short_name": "EUROPOL", "kind": "international", "is_active": "on"},
    )
    assert response.status_code == 302
    assert Agency.objects.get(short_name="EUROPOL").country is None


def test_an_international_organisation_with_a_country_is_refused(client: Client, cast: Cast) -> None:
    client.force_login(cast.secretariat)
    inp = Agency.objects.get(short_name="INP")
    response = client.post(
        "/agencies/new/",
        {"name": "Europol", "kind": "international", "country": inp.country_id, "is_active": "on"},
    )
    assert response.status_code == 200
    assert "An international organisation belongs to no country" in response.content.decode()
    assert not Agency.objects.filter(name="Europol").exists()


def test_a_national_agency_without_a_country_is_refused(client: Client, cast: Cast) -> None:
    client.force_login(cast.secretariat)
    response = client.post("/agencies/new/", {"name": "Some police", "kind": "police"})
    assert response.status_code == 200
    assert "A national agency belongs to a country" in response.content.decode()
    assert not Agency.objects.filter(name="Some police").exists()


def test_the_secretariat_edits_and_deactivates_an_agency(client: Client, cast: Cast) -> None:
    client.force_login(cast.secretariat)
    rtp = Agency.objects.get(short_name="RTP")
    response = client.post(
        f"/agencies/{rtp.pk}/edit/",
        {
            "name": "Royal Thai Police",
            "short_name": "RTP",
            "kind": "police",
            "country": rtp.country_id,
            "website": "https://www.royalthaipolice.go.th",
        },
    )
    assert response.status_code == 302
    rtp.refresh_from_db()
    assert not rtp.is_active and rtp.website == "https://www.royalthaipolice.go.th"


def test_a_focal_point_cannot_post_an_agency(client: Client, cast: Cast) -> None:
    client.force_login(cast.focal_id)
    response = client.post("/agencies/new/", {"name": "Rogue unit", "kind": "police", "country": 1})
    assert response.status_code == 403
    assert not Agency.objects.filter(name="Rogue unit").exists()
