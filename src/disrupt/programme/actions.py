"""Writes of the programme that touch several records, each a `do_*` function in one transaction.

Pages and the API only call these. Each checks the access policy first and raises
PermissionDenied; a rule about the data raises ValidationError with the field it concerns.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from disrupt.access import policy
from disrupt.access.choices import HandlingCode
from disrupt.directory.choices import RoleCode
from disrupt.programme.choices import PeriodStatus, PlanStatus, RouteRole
from disrupt.programme.models import PeriodOfAction, Plan, PlanRouteStop

if TYPE_CHECKING:
    from disrupt.directory.models import Country

# === plans ===========================================================================================

# Periods a plan may be nominated into: those still being planned or under way.
NOMINATION_PERIOD_STATUSES = (PeriodStatus.PLANNING, PeriodStatus.ACTIVE)

APPROVE, RETURN = "approve", "return"

# Plan fields a nomination or an edit may set directly (the rest are relations or workflow).
PLAN_FIELDS = ("title", "summary", "handling_code", "by_air", "by_sea", "by_land", "online")
PLAN_RELATIONS = ("partner_countries", "crime_types", "sectors", "objectives", "agencies")

Route = Iterable[tuple["Country", str]]


def next_plan_reference(period: PeriodOfAction) -> str:
    """The next free reference of a period: JPA7-01, JPA7-02… (call inside the transaction)."""
    prefix = f"JPA{period.number}-"
    used = [0]
    for reference in Plan.objects.filter(reference__startswith=prefix).values_list("reference", flat=True):
        match = re.fullmatch(rf"{re.escape(prefix)}(\d+)", reference)
        if match:
            used.append(int(match.group(1)))
    return f"{prefix}{max(used) + 1:02d}"


def _check_partners(lead_country_id: int | None, partners: Iterable[Country]) -> None:
    if any(country.pk == lead_country_id for country in partners):
        raise ValidationError({"partner_countries": "The lead country is not also a partner."})


def _set_route(plan: Plan, route: Route) -> None:
    stops = {(country.pk, role): country for country, role in route}
    for _country_id, role in stops:
        if role not in RouteRole.values:
            raise ValidationError({"route": f"Unknown route role “{role}”."})
    plan.route_stops.all().delete()
    PlanRouteStop.objects.bulk_create(
        PlanRouteStop(plan=plan, country=country, role=role) for (_, role), country in stops.items()
    )


def _apply(plan: Plan, fields: dict[str, Any], relations: dict[str, Any], route: Route | None) -> None:
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise TypeError(f"Not a plan field: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(plan, name, value)
    partners = relations.get("partner_countries")
    if partners is not None:
        _check_partners(plan.lead_country_id, list(partners))
    plan.full_clean()
    plan.save()
    for name, values in relations.items():
        if values is not None:
            getattr(plan, name).set(values)
    if route is not None:
        _set_route(plan, route)


def do_nominate_plan(
    user: Any,
    *,
    period: PeriodOfAction,
    title: str,
    summary: str = "",
    handling_code: str = HandlingCode.GREEN,
    by_air: bool = False,
    by_sea: bool = False,
    by_land: bool = False,
    online: bool = False,
    partner_countries: Iterable[Country] = (),
    crime_types: Iterable[Any] = (),
    sectors: Iterable[Any] = (),
    objectives: Iterable[Any] = (),
    agencies: Iterable[Any] = (),
    route: Route = (),
) -> Plan:
    """A focal point nominates a plan led by their own country for `period`.

    The plan gets the period's next reference (JPA7-03), status nominated, and records who
    nominated it and when. `route` is a list of (country, RouteRole value) pairs.
    Raises PermissionDenied unless the policy lets `user` create plans; ValidationError
    (with field names) for bad data, e.g. the lead country listed as a partner or a period
    that is no longer planning or active.
    """
    if not policy.can_create(user, Plan):
        raise PermissionDenied("Only a focal point may nominate a plan, for their own country.")
    if period.status not in NOMINATION_PERIOD_STATUSES:
        raise ValidationError({"period": "Plans are nominated for a period being planned or under way."})
    with transaction.atomic():
        # Lock the period so two nominations cannot take the same reference.
        PeriodOfAction.objects.select_for_update().filter(pk=period.pk).first()
        plan = Plan(
            reference=next_plan_reference(period),
            lead_country_id=user.country_id,
            status=PlanStatus.NOMINATED,
            nominated_by=user,
            nominated_at=timezone.now(),
        )
        fields = dict(
            title=title,
            summary=summary,
            handling_code=handling_code,
            by_air=by_air,
            by_sea=by_sea,
            by_land=by_land,
            online=online,
        )
        relations = dict(
            partner_countries=list(partner_countries),
            crime_types=list(crime_types),
            sectors=list(sectors),
            objectives=list(objectives),
            agencies=list(agencies),
        )
        _apply(plan, fields, relations, list(route))
        plan.periods.set([period])
    return plan


def do_update_plan(
    user: Any,
    plan: Plan,
    *,
    periods: Iterable[PeriodOfAction] | None = None,
    route: Route | None = None,
    **changes: Any,
) -> Plan:
    """Edits a plan: any of PLAN_FIELDS and PLAN_RELATIONS by keyword, its periods, its route.

    Omitted keywords stay as they are. Raises PermissionDenied unless policy.can_edit.
    """
    if not policy.can_edit(user, plan):
        raise PermissionDenied("You may not edit this plan.")
    fields = {name: value for name, value in changes.items() if name not in PLAN_RELATIONS}
    relations = {name: changes[name] for name in PLAN_RELATIONS if name in changes}
    with transaction.atomic():
        _apply(plan, fields, relations, None if route is None else list(route))
        if periods is not None:
            periods = list(periods)
            if not periods:
                raise ValidationError({"periods": "A plan runs in at least one period of action."})
            plan.periods.set(periods)
    return plan


def do_decide_plan(user: Any, plan: Plan, decision: str, comment: str = "") -> Plan:
    """A co-chair of one of the plan's periods approves it or returns it for changes.

    `decision` is APPROVE ("approve") or RETURN ("return"); returning requires a comment
    saying what to change. Records decided_by/at and decision_comment.
    """
    if not policy.can_decide_plan(user, plan):
        raise PermissionDenied("Only a co-chair of the plan's period may decide on a nominated plan.")
    comment = (comment or "").strip()
    if decision not in (APPROVE, RETURN):
        raise ValidationError({"decision": "Approve or return the plan."})
    if decision == RETURN and not comment:
        raise ValidationError({"comment": "Say what the lead country should change."})
    with transaction.atomic():
        plan.status = PlanStatus.APPROVED if decision == APPROVE else PlanStatus.RETURNED
        plan.decided_by = user
        plan.decided_at = timezone.now()
        plan.decision_comment = comment
        plan.save(update_fields=["status", "decided_by", "decided_at", "decision_comment", "updated_at"])
    return plan


def can_resubmit_plan(user: Any, plan: Plan) -> bool:
    return (
        plan.status == PlanStatus.RETURNED
        and policy.can_view(user, plan)
        and getattr(user, "is_authenticated", False)
        and user.has_role(RoleCode.FOCAL_POINT)
        and user.country_id == plan.lead_country_id
    )


def do_resubmit_plan(user: Any, plan: Plan) -> Plan:
    """The lead country's focal point sends a returned plan back for a decision (nominated again)."""
    if not can_resubmit_plan(user, plan):
        raise PermissionDenied("Only the lead country's focal point may resubmit a returned plan.")
    with transaction.atomic():
        plan.status = PlanStatus.NOMINATED
        plan.nominated_by = user
        plan.nominated_at = timezone.now()
        plan.save(update_fields=["status", "nominated_by", "nominated_at", "updated_at"])
    return plan
