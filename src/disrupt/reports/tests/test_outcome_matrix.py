"""The permission table's rows for lines, through every outcome page, the API and the totals:
who may not see a line finds it in no figure, provenance or publication (access/tests/matrix.py)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from disrupt.access.tests.matrix import MATRIX, rows
from disrupt.access.tests.scenario import GENERAL_LINE_MARK, PLAN_LINE_MARK, Scenario, build_scenario
from disrupt.conftest import Cast
from disrupt.reports.models import OutcomeLine
from disrupt.reports.totals import counted_lines

MARKS = {"line": PLAN_LINE_MARK, "line_general": GENERAL_LINE_MARK}
LINE_ROWS = [(kind, member) for kind, action, member, _ in rows() if kind in MARKS and action == "view"]


@pytest.fixture
def scenario(cast: Cast) -> Scenario:
    return build_scenario(cast)


@pytest.mark.parametrize(("kind", "member"), LINE_ROWS)
def test_outcomes_show_a_line_only_where_the_table_allows(
    scenario: Scenario, client: Client, kind: str, member: str
) -> None:
    user = scenario.user(member)
    line = scenario.records[kind]
    assert isinstance(line, OutcomeLine)
    allowed = member in MATRIX[kind, "view"]
    number, code = scenario.cast.period.number, line.indicator.code

    # The totals.
    assert counted_lines(user, period=scenario.cast.period).filter(pk=line.pk).exists() == allowed

    client.force_login(user)
    # The provenance page lists the line itself.
    provenance = client.get(reverse("reports:indicator_provenance", args=[number, code])).content.decode()
    assert (MARKS[kind] in provenance) == allowed
    # The API names it in the provenance of the indicator's total, and of each group.
    for group_by in ("", "country", "plan", "crime_type"):
        query = {"period": number} | ({"group_by": group_by} if group_by else {})
        answer = client.get("/api/v1/outcomes/", query).json()
        totals = [row["reported"] for row in answer["indicators"] if row["reported"]]
        totals += [total["reported"] for group in answer["groups"] for total in group["totals"]]
        ids = [i for total in totals for i in total["line_ids"]]
        assert (line.pk in ids) == allowed, group_by
    # A figure made only of this line shows only to those who may see it.
    figure = f">{line.value}<"
    page = client.get(reverse("reports:period_outcomes", args=[number]) + "?group_by=plan").content.decode()
    public = client.get(reverse("reports:period_public", args=[number])).content.decode()
    if not allowed:
        assert line.indicator.name not in page and line.indicator.name not in public
        assert figure not in public
