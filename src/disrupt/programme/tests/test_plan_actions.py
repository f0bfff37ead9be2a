"""The plan workflow's writes: nominate, decide, resubmit (actions.py)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from disrupt.conftest import Cast
from disrupt.directory.models import Country
from disrupt.programme.actions import (
    APPROVE,
    RETURN,
    do_decide_plan,
    do_nominate_plan,
    do_resubmit_plan,
)
from disrupt.programme.choices import PlanStatus, RouteRole
from disrupt.programme.models import Plan


def test_a_focal_point_nominates_with_the_next_reference(cast: Cast) -> None:
    egypt = Country.objects.get(code="EG")
    plan = do_nominate_plan(
        cast.focal_id,
        period=cast.period,
        title="Air route through Cairo",
        by_air=True,
        partner_countries=[egypt],
        route=[(Country.objects.get(code="ID"), RouteRole.ORIGIN), (egypt, RouteRole.TRANSIT)],
    )
    assert plan.reference == "JPA7-03"
    assert plan.lead_country.code == "ID"
    assert plan.status == PlanStatus.NOMINATED
    assert plan.nominated_by == cast.focal_id and plan.nominated_at is not None
    assert list(plan.periods.all()) == [cast.period]
    assert [c.code for c in plan.route(RouteRole.TRANSIT)] == ["EG"]


def test_it_refuses_a_nomination_by_an_observer(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        do_nominate_plan(cast.observer, period=cast.period, title="No")
    assert not Plan.objects.filter(title="No").exists()


def test_it_refuses_the_lead_as_partner(cast: Cast) -> None:
    with pytest.raises(ValidationError) as error:
        do_nominate_plan(
            cast.focal_id,
            period=cast.period,
            title="Self partner",
            partner_countries=[Country.objects.get(code="ID")],
        )
    assert "partner_countries" in error.value.message_dict
    assert not Plan.objects.filter(title="Self partner").exists()


def test_return_needs_a_comment_then_resubmit_and_approve(cast: Cast) -> None:
    with pytest.raises(ValidationError):
        do_decide_plan(cast.co_chair, cast.plan, RETURN, "  ")
    with pytest.raises(PermissionDenied):
        do_decide_plan(cast.co_chair_other, cast.plan, APPROVE)
    do_decide_plan(cast.co_chair, cast.plan, RETURN, "Name the partner agencies.")
    cast.plan.refresh_from_db()
    assert cast.plan.status == PlanStatus.RETURNED
    assert cast.plan.decision_comment == "Name the partner agencies."
    with pytest.raises(PermissionDenied):
        do_resubmit_plan(cast.focal_au, cast.plan)
    do_resubmit_plan(cast.focal_id, cast.plan)
    assert cast.plan.status == PlanStatus.NOMINATED
    do_decide_plan(cast.co_chair, cast.plan, APPROVE)
    cast.plan.refresh_from_db()
    assert cast.plan.status == PlanStatus.APPROVED and cast.plan.decided_by == cast.co_chair
    assert cast.plan in cast.period.plans.filter(status=PlanStatus.APPROVED)
