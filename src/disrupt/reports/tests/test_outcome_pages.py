"""The outcome pages show the published record exactly, with qualifiers and sources, to everyone signed in."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from disrupt.conftest import Cast
from disrupt.reports.models import Indicator, PublishedFigure, Qualifier

FIRST = {
    "Trafficked persons assisted": "59",
    "Search warrants executed": "7",
    "Suspects identified": "63",
    "Arrests": "32",
    "New investigations launched": "8",
    "Bilateral and international enquiries": "over 70",
    "Awareness-raising activities": "68",
    "Training sessions": "12",
    "Officers trained": "485",
}
THIRD = {
    "Persons convicted": "72",
    "Victims rescued": "6",
    "Search warrants executed": "5",
    "Suspects identified": "23",
    "Arrests": "10",
    "New investigations launched": "9",
    "Extradition requests": "2",
    "Bilateral and international enquiries": "numerous",
    "Officers trained": "over 50",
    # The source says awareness-raising activities were conducted, with no number: none is invented.
    "Awareness-raising activities": "not quantified",
}


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def figures_on(html: str) -> dict[str, str]:
    """Indicator name -> the figure shown in its row, from a period's outcome page."""
    shown = {}
    for row in re.findall(r"<tr>(.*?)</tr>", html, flags=re.S):
        name = re.search(r'<th scope="row">(.*?)</th>', row, flags=re.S)
        figure = re.search(r'<span class="outcome-figure[^"]*">(.*?)</span>', row, flags=re.S)
        if name and figure:
            shown[_text(name.group(1))] = _text(figure.group(1))
    return shown


def rows_on(html: str) -> dict[str, str]:
    """Indicator name -> the whole row's text, from the table of all periods."""
    return {
        _text(name): _text(row)
        for row in re.findall(r"<tr>(.*?)</tr>", html, flags=re.S)
        for name in re.findall(r'<th scope="row">(.*?)</th>', row, flags=re.S)
    }


@pytest.fixture
def history(cast: Cast) -> None:
    call_command("loadhistory", verbosity=0)


def test_the_first_period_shows_exactly_what_the_group_published(
    client: Client, cast: Cast, history: None
) -> None:
    client.force_login(cast.investigator_th)
    response = client.get(reverse("reports:period_outcomes", args=[1]))
    assert response.status_code == 200
    assert figures_on(response.content.decode()) == FIRST


def test_the_third_period_shows_exactly_what_the_group_published(
    client: Client, cast: Cast, history: None
) -> None:
    client.force_login(cast.observer)
    html = client.get(reverse("reports:period_outcomes", args=[3])).content.decode()
    assert figures_on(html) == THIRD
    assert "made numerous bilateral and international enquiries" not in html  # the record's words, not ours
    assert "“numerous”" in html and "“over 50 officers trained”" in html


def test_the_second_period_shows_over_30_arrests(client: Client, cast: Cast, history: None) -> None:
    client.force_login(cast.focal_id)
    html = client.get(reverse("reports:period_outcomes", args=[2])).content.decode()
    assert figures_on(html) == {"Arrests": "over 30"}


def test_every_figure_links_to_its_source(client: Client, cast: Cast, history: None) -> None:
    client.force_login(cast.analyst_au)
    html = client.get(reverse("reports:period_outcomes", args=[1])).content.decode()
    rows = [row for row in re.findall(r"<tr>(.*?)</tr>", html, flags=re.S) if "outcome-figure" in row]
    assert len(rows) == len(FIRST)
    source_003 = reverse("history:source_detail", args=["seeds/003"])
    for row in rows:
        assert f'href="{source_003}"' in row
        assert "1st Joint Period of Action list" in row
    # The 1st period's arrests are also in the 2nd period's planning statement.
    assert reverse("history:source_detail", args=["seeds/000"]) in html


def test_the_period_page_links_back_to_the_period_and_the_period_to_its_outcomes(
    client: Client, cast: Cast, history: None
) -> None:
    client.force_login(cast.investigator_id)
    outcomes = client.get(reverse("reports:period_outcomes", args=[1])).content.decode()
    assert f'href="{reverse("programme:period_detail", args=[1])}"' in outcomes
    period = client.get(reverse("programme:period_detail", args=[1])).content.decode()
    assert f'href="{reverse("reports:period_outcomes", args=[1])}"' in period


def test_the_table_shows_every_period_with_figures_and_honest_sums(
    client: Client, cast: Cast, history: None
) -> None:
    client.force_login(cast.investigator_th)
    response = client.get(reverse("reports:outcomes"))
    assert response.status_code == 200
    html = response.content.decode()
    for number in (1, 2, 3):
        assert f'href="{reverse("reports:period_outcomes", args=[number])}"' in html
    rows = rows_on(html)
    # indicator, 1st, 2nd, 3rd, sum (a dash where nothing was published)
    assert re.fullmatch(r"Arrests 32 Sources: .* over 30 Sources: .* 10 Sources: .* over 72", rows["Arrests"])
    enquiries = rows["Bilateral and international enquiries"]
    assert re.fullmatch(
        r".* over 70 Sources: .* – not published numerous Sources: .* at least 70, plus numerous", enquiries
    )
    assert rows["Trafficked persons assisted"].endswith(" 59")
    assert rows["Awareness-raising activities"].endswith("at least 68, plus an unstated number")
    # Indicators nobody published figures for stay out of the table.
    assert "Assets seized" not in rows


def test_a_period_without_figures_says_so(client: Client, cast: Cast) -> None:
    client.force_login(cast.investigator_th)
    html = client.get(reverse("reports:period_outcomes", args=[cast.period.number])).content.decode()
    assert "The group has published no figures for this period." in html
    listing = client.get(reverse("reports:outcomes")).content.decode()
    assert "No published figures are recorded yet." in listing
    assert reverse("reports:period_outcomes", args=[cast.period.number]) in listing


def test_a_figure_shows_its_qualifier(client: Client, cast: Cast) -> None:
    enquiries = Indicator.objects.get(code="enquiries")
    PublishedFigure.objects.create(
        period=cast.period,
        indicator=enquiries,
        qualifier=Qualifier.AT_LEAST,
        value=12,
        wording="more than 12",
    )
    client.force_login(cast.secretariat)
    html = client.get(reverse("reports:period_outcomes", args=[cast.period.number])).content.decode()
    assert figures_on(html) == {"Bilateral and international enquiries": "more than 12"}
    assert '<span class="badge">At least</span>' in html


@pytest.mark.parametrize("member", list(Cast.__dataclass_fields__)[:10])
def test_every_signed_in_member_sees_the_outcomes(client: Client, cast: Cast, member: str) -> None:
    client.force_login(getattr(cast, member))
    assert client.get(reverse("reports:outcomes")).status_code == 200
    assert client.get(reverse("reports:period_outcomes", args=[cast.period.number])).status_code == 200


def test_it_refuses_anonymous_visitors(client: Client, cast: Cast) -> None:
    for url in (reverse("reports:outcomes"), reverse("reports:period_outcomes", args=[cast.period.number])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("path", ["/outcomes/periods/999/", "/outcomes/periods/99999999999999999999/"])
def test_an_unknown_period_is_not_found(client: Client, cast: Cast, path: str) -> None:
    client.force_login(cast.secretariat)
    assert client.get(path).status_code == 404


def test_the_table_costs_a_bounded_number_of_queries(
    client: Client, cast: Cast, history: None, django_assert_max_num_queries: Any
) -> None:
    client.force_login(cast.investigator_th)
    # The sources of each figure are read by the shared `sources_for` tag, one query per figure.
    with django_assert_max_num_queries(12 + PublishedFigure.objects.count()):
        client.get(reverse("reports:outcomes"))
