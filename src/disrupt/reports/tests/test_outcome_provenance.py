"""Outcome pages with country reports: totals, breakdowns, provenance links, and the cycle chart."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from disrupt.conftest import Cast
from disrupt.programme.models import CrimeType
from disrupt.reports.tests.outcome_data import submit


@pytest.fixture
def reported(cast: Cast) -> Cast:
    """Indonesia and Australia report on the GREEN plan; Thailand reports general activity."""
    submit(cast.period, "ID", [("arrests", 10, cast.plan), ("arrests", 1), ("enquiries", "over 20")])
    submit(cast.period, "AU", [("arrests", 5, cast.plan), ("victims-rescued", 3, cast.plan)])
    submit(cast.period, "TH", [("arrests", 2), ("enquiries", "numerous")])
    return cast


def provenance(number: int, code: str, query: str = "") -> str:
    url = reverse("reports:indicator_provenance", args=[number, code])
    return f"{url}?{query}" if query else url


def test_the_period_page_shows_reported_totals_linked_to_their_lines(client: Client, reported: Cast) -> None:
    client.force_login(reported.secretariat)
    html = client.get(reverse("reports:period_outcomes", args=[7])).content.decode()
    assert '<span class="outcome-figure outcome-figure--exact">18</span>' in html
    enquiries = "at least 20, plus numerous"
    assert f'<span class="outcome-figure outcome-figure--unquantified">{enquiries}</span>' in html
    assert f'href="{provenance(7, "arrests")}"' in html
    assert "4 lines in 3 reports" in html


def test_the_breakdown_by_country_links_each_cell_to_its_lines(client: Client, reported: Cast) -> None:
    client.force_login(reported.secretariat)
    html = client.get(reverse("reports:period_outcomes", args=[7]) + "?group_by=country").content.decode()
    assert "Country reports by country" in html
    assert f'href="{provenance(7, "arrests", "country=ID")}">11</a>' in html
    assert f'href="{provenance(7, "arrests", "country=AU")}">5</a>' in html
    assert f'href="{provenance(7, "arrests", "country=TH")}">2</a>' in html


def test_the_breakdown_by_plan_and_crime_type(client: Client, reported: Cast) -> None:
    crime = CrimeType.objects.order_by("position").first()
    assert crime is not None
    reported.plan.crime_types.set([crime])
    client.force_login(reported.secretariat)
    page = reverse("reports:period_outcomes", args=[7])
    by_plan = client.get(page + "?group_by=plan").content.decode()
    assert f'href="{provenance(7, "arrests", f"plan={reported.plan.pk}")}">15</a>' in by_plan
    assert f'href="{provenance(7, "arrests", "plan=general")}">3</a>' in by_plan
    by_crime = client.get(page + "?group_by=crime_type").content.decode()
    assert f'href="{provenance(7, "arrests", f"crime_type={crime.code}")}">15</a>' in by_crime
    assert f'href="{provenance(7, "arrests", "crime_type=none")}">3</a>' in by_crime
    # An unknown grouping falls back to countries rather than failing.
    odd = client.get(reverse("reports:period_outcomes", args=[7]) + "?group_by=%00nonsense")
    assert odd.status_code == 200 and "Country reports by country" in odd.content.decode()


def test_the_provenance_page_lists_the_lines_and_reports(client: Client, reported: Cast) -> None:
    client.force_login(reported.secretariat)
    response = client.get(provenance(7, "arrests"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "from 4 lines in 3 reports" in html
    assert html.count('<tr id="line-') == 4
    narrowed = client.get(provenance(7, "arrests", "country=AU")).content.decode()
    assert narrowed.count('<tr id="line-') == 1 and "Australia" in narrowed
    general = client.get(provenance(7, "arrests", "plan=general")).content.decode()
    assert general.count('<tr id="line-') == 2


def test_a_partner_sees_only_the_lines_it_may_see(client: Client, reported: Cast) -> None:
    # Thailand is outside the plan: its own line only, and the total says so.
    client.force_login(reported.investigator_th)
    html = client.get(provenance(7, "arrests")).content.decode()
    assert html.count('<tr id="line-') == 1
    assert "Indonesia" not in html and "Australia" not in html
    page = client.get(reverse("reports:period_outcomes", args=[7])).content.decode()
    assert '<span class="outcome-figure outcome-figure--exact">2</span>' in page
    # The Australian partner sees the plan's lines and its own country's report: 10 + 5.
    client.force_login(reported.analyst_au)
    html = client.get(provenance(7, "arrests")).content.decode()
    assert html.count('<tr id="line-') == 2
    assert "from 2 lines in 2 reports" in html


def test_provenance_filters_refuse_what_is_unknown_or_hidden(client: Client, reported: Cast) -> None:
    client.force_login(reported.investigator_th)
    # The AMBER plan is not visible to Thailand: as if it did not exist.
    assert client.get(provenance(7, "arrests", f"plan={reported.plan_amber.pk}")).status_code == 404
    assert client.get(provenance(7, "arrests", "plan=abc")).status_code == 404
    assert client.get(provenance(7, "arrests", "country=ZZ")).status_code == 404
    assert client.get(provenance(7, "no-such-indicator")).status_code == 404
    assert client.get(provenance(99, "arrests")).status_code == 404


def test_history_figures_link_to_their_sources_from_the_provenance_page(client: Client, cast: Cast) -> None:
    call_command("loadhistory", verbosity=0)
    client.force_login(cast.observer)
    html = client.get(provenance(1, "persons-assisted")).content.decode()
    assert '<span class="outcome-figure outcome-figure--exact">59</span>' in html
    assert f'href="{reverse("history:source_detail", args=["seeds/003"])}"' in html
    assert "Nothing reported that you may see." in html


# --- The chart ------------------------------------------------------------------------------------


def bars(html: str) -> dict[str, tuple[str, str]]:
    """Period number -> (kind of bar, its label), from the chart's SVG."""
    found = {}
    for kind, number, body in re.findall(
        r'<g class="chart-bar chart-bar--(\w+)" data-period="(\d+)">(.*?)</g>', html, flags=re.S
    ):
        label = re.search(r'<text class="chart-bar__label"[^>]*>(.*?)</text>', body, flags=re.S)
        found[number] = (kind, label.group(1) if label else "")
    return found


def test_the_chart_compares_the_cycles_for_the_chosen_indicator(client: Client, cast: Cast) -> None:
    call_command("loadhistory", verbosity=0)
    client.force_login(cast.investigator_th)
    html = client.get(reverse("reports:outcomes") + "?indicator=arrests").content.decode()
    assert '<svg class="cycle-chart__svg"' in html
    assert '<title id="chart-title">Arrests, by Joint Period of Action</title>' in html
    chart = bars(html)
    assert chart["1"] == ("exact", "32")
    assert chart["2"] == ("at_least", "over 30")  # hatched, open top, labelled "over 30"
    assert chart["3"] == ("exact", "10")
    assert 'fill="url(#chart-hatch)"' in html
    # The data table beside the chart says the same.
    assert '<th scope="row">2nd period</th><td>over 30</td>' in html


def test_an_unquantified_figure_is_a_labelled_gap_not_a_zero(client: Client, cast: Cast) -> None:
    call_command("loadhistory", verbosity=0)
    client.force_login(cast.observer)
    html = client.get(reverse("reports:outcomes") + "?indicator=enquiries").content.decode()
    chart = bars(html)
    assert chart["1"] == ("at_least", "over 70")
    assert chart["3"] == ("gap", "numerous")
    gap = re.search(r'<g class="chart-bar chart-bar--gap" data-period="3">(.*?)</g>', html, flags=re.S)
    assert gap is not None and "<rect" not in gap.group(1)
    # Periods that published nothing for the indicator are gaps labelled so.
    assert chart["2"] == ("gap", "no figure")
    assert "A period without a bar gave no number." in html


def test_the_chart_includes_reported_totals(client: Client, reported: Cast) -> None:
    client.force_login(reported.secretariat)
    html = client.get(reverse("reports:outcomes") + "?indicator=arrests").content.decode()
    assert bars(html)["7"] == ("exact", "18")
    # An unknown indicator shows the first one rather than failing.
    assert client.get(reverse("reports:outcomes") + "?indicator=nope").status_code == 200


# --- Figures for publication ---------------------------------------------------------------------


def test_the_publication_page_withholds_small_victim_counts(client: Client, reported: Cast) -> None:
    submit(reported.period, "NZ", [("victims-rescued", 12)])
    client.force_login(reported.secretariat)
    html = client.get(reverse("reports:period_outcomes", args=[7])).content.decode()
    assert f'href="{reverse("reports:period_public", args=[7])}"' in html
    public = client.get(reverse("reports:period_public", args=[7])).content.decode()
    row = re.search(r"<tr>\s*<th scope=\"row\">Victims rescued.*?</tr>", public, flags=re.S)
    assert row is not None
    cells = re.findall(r'<td data-label="([^"]+)"[^>]*>(.*?)</td>', row.group(0), flags=re.S)
    shown = {label: re.sub(r"<[^>]+>", "", text).strip() for label, text in cells}
    # Australia's 3 is withheld; with only New Zealand's 12 beside it, the total would give it back.
    assert shown["Australia"] == "fewer than 5"
    assert shown["New Zealand"] == "not shown (protects a small count)"
    assert shown["All countries"] == "15"
    assert ">3<" not in row.group(0) and ">12<" not in row.group(0)
    # Arrests are not victims: every country's count is shown.
    arrests = re.search(r"<tr>\s*<th scope=\"row\">Arrests.*?</tr>", public, flags=re.S)
    assert arrests is not None and 'data-label="Thailand">2</td>' in arrests.group(0)


# --- Query counts do not grow with the lines ------------------------------------------------------


def many_lines(cast: Cast, copies: int) -> None:
    for code in ("ID", "AU", "TH", "NZ"):
        submit(cast.period, code, [("arrests", 1, cast.plan if code != "TH" else None)] * copies)


@pytest.mark.parametrize(
    "page",
    [
        "/outcomes/",
        "/outcomes/periods/7/?group_by=country",
        "/outcomes/periods/7/?group_by=crime_type",
        "/outcomes/periods/7/indicators/arrests/",
        "/outcomes/periods/7/public/",
    ],
)
def test_pages_cost_the_same_queries_for_few_or_many_lines(
    client: Client, cast: Cast, page: str, django_assert_max_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(cast.secretariat)
    many_lines(cast, 1)
    with CaptureQueriesContext(connection) as few:
        assert client.get(page).status_code == 200
    many_lines(cast, 6)  # a correction per country: more lines in the standing versions
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(page).status_code == 200
