"""Joint figures: declared by one partner, confirmed by another, counted once, disputes shown."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from disrupt.access import policy
from disrupt.conftest import Cast
from disrupt.directory.models import Country
from disrupt.programme.models import Plan
from disrupt.reports import actions
from disrupt.reports.choices import Qualifier, ReportKind
from disrupt.reports.joint import JointState, count_once, counted_once, reconcile, reconciliation_for
from disrupt.reports.models import Indicator, JointFigure, OutcomeLine, ReportVersion
from disrupt.reports.quantities import Quantity

pytestmark = pytest.mark.django_db


def _line(code: str, value: int | None, plan: Plan | None, **extra: Any) -> dict[str, Any]:
    return {"indicator": Indicator.objects.get(code=code), "plan": plan, "value": value, **extra}


def draft(cast: Cast, user: Any, code: str, lines: list[dict[str, Any]]) -> ReportVersion:
    report = actions.do_start_report(user, cast.period, Country.objects.get(code=code), ReportKind.FINAL)
    version = report.current
    assert version is not None
    actions.do_save_draft(user, version, {}, lines)
    return version


def declared(cast: Cast, indonesia_arrests: int = 6) -> tuple[ReportVersion, JointFigure]:
    version = draft(cast, cast.focal_id, "ID", [_line("arrests", indonesia_arrests, cast.plan)])
    joint = actions.do_declare_joint(
        cast.focal_id, version.lines.get(), [Country.objects.get(code="AU")], "Kupang boat crew"
    )
    return version, joint


def test_counted_once_takes_the_largest() -> None:
    assert counted_once([Quantity.exact(6), Quantity.exact(4)]) == Quantity.exact(6)
    assert counted_once([Quantity.exact(6), Quantity.at_least(6)]).qualifier == Qualifier.AT_LEAST
    assert counted_once([Quantity.exact(2)]) == Quantity.exact(2)


def test_a_joint_figure_counts_once_and_disputes_show(cast: Cast) -> None:
    indonesia, joint = declared(cast)
    assert set(joint.countries.values_list("code", flat=True)) == {"ID", "AU"}
    assert joint.declared_by.code == "ID"
    australia = draft(cast, cast.focal_au, "AU", [_line("arrests", 6, cast.plan), _line("arrests", 2, None)])
    actions.do_attach_joint(cast.focal_au, australia.lines.get(plan=cast.plan), joint)
    for user, version in ((cast.focal_id, indonesia), (cast.focal_au, australia)):
        actions.do_submit(user, version)

    counted = OutcomeLine.objects.counted()
    assert count_once(counted) == Quantity.exact(8)  # 6 together + 2 Australia alone, not 14
    assert count_once(counted.filter(version__report__country__code="ID")) == Quantity.exact(6)
    [row] = reconcile(counted)
    assert row.state == JointState.CONFIRMED
    assert row.quantity == Quantity.exact(6) and row.counted_separately == Quantity.exact(12)

    # Australia corrects its figure to 5: the joint figure is disputed, and still counts 6.
    actions.do_accept(cast.co_chair, australia)
    corrected = actions.do_revise(cast.focal_au, australia.report, "One arrest was counted twice.")
    actions.do_save_draft(cast.focal_au, corrected, {}, [_line("arrests", 5, cast.plan)])
    assert corrected.lines.get().joint == joint  # the confirmation stays with the line
    actions.do_submit(cast.focal_au, corrected)
    [row] = reconciliation_for(cast.co_chair, cast.period)
    assert row.state == JointState.DISPUTED
    assert row.quantity == Quantity.exact(6)


def test_a_declared_figure_awaits_its_partners(cast: Cast) -> None:
    indonesia, joint = declared(cast)
    actions.do_submit(cast.focal_id, indonesia)
    [row] = reconcile(OutcomeLine.objects.counted())
    assert row.state == JointState.DECLARED
    assert [c.code for c in row.awaiting] == ["AU"]


def test_it_refuses_joint_marks_that_do_not_fit(cast: Cast) -> None:
    version = draft(cast, cast.focal_id, "ID", [_line("arrests", 6, cast.plan), _line("arrests", 1, None)])
    plan_line = version.lines.get(plan=cast.plan)
    general = version.lines.get(plan=None)
    thailand = Country.objects.get(code="TH")
    with pytest.raises(ValidationError):
        actions.do_declare_joint(cast.focal_id, general, [Country.objects.get(code="AU")], "x")
    with pytest.raises(ValidationError):  # Thailand is not in the plan
        actions.do_declare_joint(cast.focal_id, plan_line, [thailand], "x")
    with pytest.raises(PermissionDenied):
        actions.do_declare_joint(cast.focal_au, plan_line, [Country.objects.get(code="AU")], "x")
    assert not JointFigure.objects.exists()
    joint = actions.do_declare_joint(cast.focal_id, plan_line, [Country.objects.get(code="AU")], "Crew")
    # Thailand's line cannot claim a figure it is not part of, nor another indicator's.
    australia = draft(cast, cast.focal_au, "AU", [])
    with pytest.raises(ValidationError):
        actions.do_save_draft(cast.focal_au, australia, {}, [_line("convictions", 1, cast.plan, joint=joint)])
    actions.do_submit(cast.focal_id, version)
    with pytest.raises(ValidationError):
        actions.do_attach_joint(cast.focal_id, version.lines.get(plan=cast.plan), None)


def test_withdrawing_the_only_line_removes_the_joint_figure(cast: Cast) -> None:
    version, joint = declared(cast)
    actions.do_save_draft(cast.focal_id, version, {}, [_line("arrests", 6, None)])
    assert not JointFigure.objects.filter(pk=joint.pk).exists()


def test_an_outsider_never_sees_the_joint_figure(cast: Cast) -> None:
    indonesia, joint = declared(cast)
    actions.do_submit(cast.focal_id, indonesia)
    assert reconciliation_for(cast.investigator_th, cast.period) == []
    assert [r.joint for r in reconciliation_for(cast.analyst_au, cast.period)] == [joint]
    assert not policy.visible_to(cast.investigator_th, JointFigure.objects.all()).exists()
    assert policy.visible_to(cast.focal_au, JointFigure.objects.all()).get() == joint
