"""Totals add the standing lines a user may see, with honest qualifiers, currencies apart,
joint figures once, and small victim counts withheld from what is published."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from disrupt.conftest import Cast
from disrupt.directory.models import Country
from disrupt.programme.models import CrimeType
from disrupt.reports.choices import ReportKind, VersionStatus
from disrupt.reports.models import Indicator, JointFigure, PublishedFigure
from disrupt.reports.quantities import Quantity
from disrupt.reports.tests.outcome_data import add_line, set_status, submit
from disrupt.reports.totals import (
    GENERAL,
    breakdown,
    counted_lines,
    for_publication,
    indicator_totals,
    period_outcomes,
    suppress,
)


def totals_for(user: object, **filters: object) -> dict[str, str]:
    return {i.code: t.display for i, t in indicator_totals(counted_lines(user, **filters)).items()}


def test_exact_and_at_least_add_up_to_at_least(cast: Cast) -> None:
    submit(cast.period, "ID", [("arrests", 12), ("enquiries", "over 70")])
    submit(cast.period, "AU", [("arrests", "over 5"), ("enquiries", 3)])
    totals = totals_for(cast.secretariat, period=cast.period)
    assert totals["arrests"] == "over 17"
    assert totals["enquiries"] == "over 73"


def test_anything_plus_unquantified_stays_unquantified(cast: Cast) -> None:
    submit(cast.period, "ID", [("enquiries", 42)])
    submit(cast.period, "AU", [("enquiries", "numerous")])
    assert totals_for(cast.secretariat)["enquiries"] == "at least 42, plus numerous"


def test_exact_lines_give_an_exact_total_with_provenance(cast: Cast) -> None:
    id_version = submit(cast.period, "ID", [("arrests", 12), ("arrests", 3, cast.plan)])
    au_version = submit(cast.period, "AU", [("arrests", 4, cast.plan)])
    arrests = Indicator.objects.get(code="arrests")
    total = indicator_totals(counted_lines(cast.secretariat, period=cast.period))[arrests]
    assert total.quantity == Quantity.exact(19)
    assert set(total.report_ids) == {id_version.report_id, au_version.report_id}
    lines = [*id_version.lines.values_list("pk", flat=True), *au_version.lines.values_list("pk", flat=True)]
    assert set(total.line_ids) == set(lines)


def test_currencies_are_never_added(cast: Cast) -> None:
    submit(cast.period, "ID", [("assets-seized", 1000, None, "USD"), ("assets-seized", 500, None, "AUD")])
    submit(cast.period, "AU", [("assets-seized", 250, None, "AUD")])
    assets = Indicator.objects.get(code="assets-seized")
    total = indicator_totals(counted_lines(cast.secretariat))[assets]
    assert dict(total.amounts) == {"AUD": Quantity.exact(750), "USD": Quantity.exact(1000)}
    assert total.quantity is None  # no single sum across currencies
    assert total.display == "AUD 750; USD 1,000"


def test_a_joint_figure_counts_once(cast: Cast) -> None:
    arrests = Indicator.objects.get(code="arrests")
    joint = JointFigure.objects.create(
        period=cast.period,
        plan=cast.plan,
        indicator=arrests,
        declared_by=Country.objects.get(code="ID"),
        description="Crew of the vessel arrested in Kupang",
    )
    id_version = submit(cast.period, "ID", [("arrests", 2)], status=VersionStatus.DRAFT)
    add_line(id_version, "arrests", 6, cast.plan, joint=joint)
    au_version = submit(cast.period, "AU", [], status=VersionStatus.DRAFT)
    add_line(au_version, "arrests", 5, cast.plan, joint=joint)
    set_status(id_version, VersionStatus.SUBMITTED)
    set_status(au_version, VersionStatus.ACCEPTED)
    total = indicator_totals(counted_lines(cast.secretariat))[arrests]
    assert total.quantity == Quantity.exact(8)  # 2 + the larger of 6 and 5
    assert total.joint_ids == (joint.pk,)
    # Each country's column counts its own line.
    by_country = breakdown(counted_lines(cast.secretariat), "country")
    assert by_country.cell("ID", arrests).display == "8"  # type: ignore[union-attr]
    assert by_country.cell("AU", arrests).display == "5"  # type: ignore[union-attr]


def test_only_the_standing_version_counts(cast: Cast) -> None:
    submit(cast.period, "ID", [("arrests", 10)], status=VersionStatus.SUPERSEDED)
    submit(cast.period, "ID", [("arrests", 12)], status=VersionStatus.ACCEPTED)
    submit(cast.period, "ID", [("arrests", 99)], status=VersionStatus.DRAFT)  # a correction being drafted
    submit(cast.period, "AU", [("arrests", 7)], status=VersionStatus.RETURNED)
    assert totals_for(cast.secretariat) == {"arrests": "12"}


def test_a_standing_final_report_replaces_the_mid_term(cast: Cast) -> None:
    submit(cast.period, "ID", [("arrests", 4)], kind=ReportKind.MIDTERM)
    submit(cast.period, "AU", [("arrests", 3)], kind=ReportKind.MIDTERM)
    assert totals_for(cast.secretariat) == {"arrests": "7"}
    submit(cast.period, "ID", [("arrests", 9)], kind=ReportKind.FINAL)
    assert totals_for(cast.secretariat) == {"arrests": "12"}  # ID's final 9 + AU's mid-term 3


def test_a_country_outside_a_plan_gets_totals_without_its_lines(cast: Cast) -> None:
    submit(cast.period, "ID", [("arrests", 10, cast.plan), ("arrests", 1)])
    submit(cast.period, "AU", [("arrests", 5, cast.plan)])
    submit(cast.period, "TH", [("arrests", 2)])
    # The secretariat sees everything; the Australian partner the plan's lines and their own.
    assert totals_for(cast.secretariat) == {"arrests": "18"}
    assert totals_for(cast.analyst_au) == {"arrests": "15"}
    # Thailand is outside the plan: only its own report.
    assert totals_for(cast.investigator_th) == {"arrests": "2"}
    assert totals_for(cast.observer) == {}
    assert totals_for(cast.co_chair_other) == {}


def test_filters_narrow_by_country_plan_and_crime_type(cast: Cast) -> None:
    crime = CrimeType.objects.order_by("position").first()
    assert crime is not None
    cast.plan.crime_types.set([crime])
    submit(cast.period, "ID", [("arrests", 10, cast.plan), ("arrests", 1), ("arrests", 4, cast.plan_amber)])
    submit(cast.period, "AU", [("arrests", 5, cast.plan)])
    sec = cast.secretariat
    assert totals_for(sec, country=Country.objects.get(code="AU")) == {"arrests": "5"}
    assert totals_for(sec, plan=cast.plan) == {"arrests": "15"}
    assert totals_for(sec, plan=GENERAL) == {"arrests": "1"}
    assert totals_for(sec, crime_type=crime) == {"arrests": "15"}
    by_plan = breakdown(counted_lines(sec), "plan")
    assert [label for _, label in by_plan.groups][-1] == "General activity (no plan)"
    by_crime = breakdown(counted_lines(sec), "crime_type")
    arrests = Indicator.objects.get(code="arrests")
    assert by_crime.cell(crime.code, arrests).display == "15"  # type: ignore[union-attr]
    assert by_crime.cell(None, arrests).display == "5"  # type: ignore[union-attr]


def test_period_outcomes_put_published_and_reported_side_by_side(cast: Cast) -> None:
    arrests = Indicator.objects.get(code="arrests")
    PublishedFigure.objects.create(period=cast.period, indicator=arrests, qualifier="at_least", value=30)
    submit(cast.period, "ID", [("arrests", 12), ("officers-trained", 40)])
    outcomes = {o.indicator.code: o for o in period_outcomes(cast.secretariat, cast.period)}
    assert outcomes["arrests"].recorded_display == "over 30"  # the published figure stays the record
    assert outcomes["arrests"].reported.display == "12"  # type: ignore[union-attr]
    assert outcomes["arrests"].differs
    assert outcomes["officers-trained"].recorded_display == "40"
    assert not outcomes["officers-trained"].differs


# --- Publication ----------------------------------------------------------------------------------


def q(value: int) -> Quantity:
    return Quantity.exact(value)


def test_small_cells_are_withheld() -> None:
    cells, total = suppress({"ID": q(3), "AU": q(7), "NZ": q(12), "TH": q(2)}, q(24), 5)
    assert cells["ID"].display == "fewer than 5" and cells["ID"].suppressed
    assert cells["TH"].display == "fewer than 5"
    assert cells["AU"].display == "7" and cells["NZ"].display == "12"
    assert total is not None and total.display == "24"


def test_one_withheld_cell_takes_the_next_smallest_with_it() -> None:
    # Otherwise 22 - 7 - 12 = 3 gives Indonesia's count back.
    cells, total = suppress({"ID": q(3), "AU": q(7), "NZ": q(12)}, q(22), 5)
    assert cells["ID"].suppressed and cells["AU"].suppressed
    assert not cells["NZ"].suppressed
    assert total is not None and total.display == "22"


def test_one_withheld_cell_alone_withholds_the_total() -> None:
    cells, total = suppress({"ID": q(3)}, q(3), 5)
    assert cells["ID"].suppressed
    assert total is not None and total.suppressed and "3" not in total.display


def test_zero_and_counts_at_the_threshold_are_shown() -> None:
    cells, total = suppress({"ID": q(0), "AU": q(5)}, q(5), 5)
    assert not cells["ID"].suppressed and not cells["AU"].suppressed


def test_a_small_lower_bound_is_withheld_without_claiming_fewer() -> None:
    cells, _ = suppress({"ID": Quantity.at_least(3), "AU": q(8), "NZ": q(9)}, Quantity.at_least(20), 5)
    assert cells["ID"].display == "not shown (small number)"


def test_for_publication_withholds_small_victim_counts_only(cast: Cast, settings: object) -> None:
    submit(cast.period, "ID", [("victims-rescued", 3), ("arrests", 2)])
    submit(cast.period, "AU", [("victims-rescued", 9), ("arrests", 1)])
    submit(cast.period, "NZ", [("victims-rescued", 11)])
    public = for_publication(cast.secretariat, cast.period)
    assert public.threshold == 5
    rows = {row.indicator.code: row for row in public.rows}
    victims = rows["victims-rescued"]
    assert victims.total.display == "23"
    assert victims.countries["ID"].display == "fewer than 5"
    assert victims.countries["AU"].suppressed  # the second cell, so 23 - 11 does not give 3
    assert victims.countries["NZ"].display == "11"
    # Arrests are not victims: small counts are shown.
    assert rows["arrests"].countries["ID"].display == "2"


def test_the_threshold_comes_from_the_settings(cast: Cast, settings: object) -> None:
    settings.DISRUPT_PUBLICATION_THRESHOLD = 10  # type: ignore[attr-defined]
    submit(cast.period, "ID", [("victims-rescued", 7)])
    submit(cast.period, "AU", [("victims-rescued", 8)])
    public = for_publication(cast.secretariat, cast.period)
    victims = public.rows[0]
    assert victims.countries["ID"].display == "fewer than 10"
    assert victims.countries["AU"].display == "fewer than 10"
    assert victims.total.display == "15"


@pytest.mark.parametrize("threshold", [1, 3])
def test_a_lower_threshold_shows_more(cast: Cast, threshold: int) -> None:
    submit(cast.period, "ID", [("victims-rescued", 3)])
    submit(cast.period, "AU", [("victims-rescued", 8)])
    public = for_publication(cast.secretariat, cast.period, threshold=threshold)
    assert public.rows[0].countries["ID"].display == "3"


counts = st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=8)


@given(values=counts, threshold=st.integers(min_value=1, max_value=10))
def test_no_single_withheld_count_can_be_recovered_by_subtraction(values: list[int], threshold: int) -> None:
    cells = {f"C{i}": q(v) for i, v in enumerate(values)}
    total = q(sum(values))
    shown, public_total = suppress(cells, total, threshold)
    withheld = [key for key, figure in shown.items() if figure.suppressed]
    # Every small count is withheld, and nothing else is shown for it.
    for key, value in zip(cells, values, strict=True):
        if 0 < value < threshold:
            assert shown[key].suppressed and shown[key].quantity is None
            assert shown[key].display == f"fewer than {threshold}"
    # If anything is withheld, either two or more cells are, or the total is.
    if withheld:
        assert len(withheld) >= 2 or (public_total is not None and public_total.suppressed)
