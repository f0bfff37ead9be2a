from __future__ import annotations

from django.template import Context, Template
from django.test import Client
from django.urls import reverse

from disrupt.conftest import Cast
from disrupt.history.loader import Loader
from disrupt.programme.models import Meeting, PeriodOfAction


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, public_record: Loader) -> None:
    for url in (reverse("history:sources"), reverse("history:conflicts"), "/history/seeds/000/"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login/" in response["Location"]


def test_the_sources_list(client: Client, cast: Cast, public_record: Loader) -> None:
    client.force_login(cast.observer)
    response = client.get(reverse("history:sources"))
    assert response.status_code == 200
    html = response.content.decode()
    for key in ("seeds/000", "seeds/001", "seeds/002", "seeds/003", "seeds/004"):
        assert f'href="/history/{key}/"' in html
    assert "Roundtable on Migration and Transnational Crime: Outcome Statement" in html


def test_a_source_shows_every_fact_it_supports(client: Client, cast: Cast, public_record: Loader) -> None:
    client.force_login(cast.investigator_th)
    response = client.get(reverse("history:source_detail", args=["seeds/000"]))
    assert response.status_code == 200
    html = response.content.decode()
    period = PeriodOfAction.objects.get(number=2)
    assert f'href="{period.get_absolute_url()}"' in html
    assert "JPA2-08 Sri Lankans trafficked to Egypt" in html
    assert "8 investigations" in html and "not adopted" in html


def test_an_unknown_source_is_404(client: Client, cast: Cast, public_record: Loader) -> None:
    client.force_login(cast.observer)
    assert client.get("/history/seeds/999/").status_code == 404


def test_the_conflicts_page_shows_both_readings(client: Client, cast: Cast, public_record: Loader) -> None:
    client.force_login(cast.focal_id)
    response = client.get(reverse("history:conflicts"))
    assert response.status_code == 200
    html = response.content.decode()
    for reading in (
        "24 September 2014",
        "24 September 2015",
        "28 September – 28 October 2015",
        "September – November 2015",
        "9 plans",
        "8 investigations",
    ):
        assert reading in html
    assert html.index("24 September 2014") < html.index("24 September 2015")


def test_the_tag_shows_the_roundtable_conflict(public_record: Loader) -> None:
    roundtable = Meeting.objects.get(kind="roundtable")
    html = Template('{% load public_record %}{% sources_for m "starts_on" %}').render(
        Context({"m": roundtable})
    )
    assert "Sources differ:" in html
    assert html.index("24 September 2014") < html.index("24 September 2015")
    assert 'href="/history/seeds/003/"' in html


def test_a_source_page_hides_records_the_user_may_not_see(
    client: Client, cast: Cast, public_record: Loader
) -> None:
    from disrupt.history.models import Citation, Source

    Citation.objects.create(record=cast.plan_amber, source=Source.objects.get(key="seeds/000"), locator="§6")
    client.force_login(cast.investigator_th)
    assert cast.plan_amber.reference not in client.get("/history/seeds/000/").content.decode()
    client.force_login(cast.analyst_au)
    assert cast.plan_amber.reference in client.get("/history/seeds/000/").content.decode()
