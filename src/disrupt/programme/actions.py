"""Writes of the programme that touch several records, each a `do_*` function in one transaction.

Pages and the API only call these. Each checks the access policy first and raises
PermissionDenied; a rule about the data raises ValidationError with the field it concerns.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from disrupt.access import policy
from disrupt.access.choices import HandlingCode
from disrupt.directory.choices import RoleCode
from disrupt.lib import references
from disrupt.lib.dates import DatePrecision, add_months
from disrupt.programme.choices import MilestoneKind, PeriodStatus, PlanStatus, Responsible, RouteRole
from disrupt.programme.models import Milestone, PeriodOfAction, Plan, PlanRouteStop

if TYPE_CHECKING:
    from disrupt.directory.models import Country
    from disrupt.programme.forms.periods import PeriodForm

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
    return references.next_reference(Plan.objects.all(), f"JPA{period.number}-", width=2)


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


# === periods and milestones ==========================================================================
# (Joint Periods of Action: creation with the milestone template. The plan functions are above.)


@dataclass(frozen=True)
class MilestoneStep:
    """One step of the milestone template, dated relative to the period's window.

    `anchor` is "start", "midpoint" or "end" (plus `days`), or "month_after_end": the 15th of the
    month after the window for a mid-month date, its last day for a date known to the month.
    """

    kind: str
    title: str
    responsible: str
    anchor: str
    days: int = 0
    precision: str = DatePrecision.DAY


# The next-steps list of seeds/000 §10 (2nd period planning workshop, 19 May 2016) is the default
# template. Its dates for the window 19 May – 20 November 2016 give the offsets: mid-term report at
# the window's midpoint (20 August), final report ten days after the end (30 November), media release
# "by mid December", debrief "in December". §10 gives no date for distributing the plans; two weeks
# after the start is a default the co-chairs and the secretariat can edit.
MILESTONE_TEMPLATE = (
    MilestoneStep(
        MilestoneKind.PLANS_DISTRIBUTED, "Investigation plans distributed", Responsible.CO_CHAIRS, "start", 14
    ),
    MilestoneStep(MilestoneKind.MIDTERM_REPORT, "Mid-term report due", Responsible.PARTICIPANTS, "midpoint"),
    MilestoneStep(MilestoneKind.FINAL_REPORT, "Final report due", Responsible.PARTICIPANTS, "end", 10),
    MilestoneStep(
        MilestoneKind.MEDIA_RELEASE,
        "Media release on the outcomes",
        Responsible.CO_CHAIRS,
        "month_after_end",
        precision=DatePrecision.MID_MONTH,
    ),
    MilestoneStep(
        MilestoneKind.DEBRIEF,
        "Debrief meeting",
        Responsible.CO_CHAIRS,
        "month_after_end",
        precision=DatePrecision.MONTH,
    ),
)


def template_due_date(step: MilestoneStep, starts_on: dt.date, ends_on: dt.date) -> dt.date:
    if step.anchor == "start":
        return starts_on + dt.timedelta(days=step.days)
    if step.anchor == "midpoint":
        # Counted back from the end: 19 May – 20 November gives 20 August, as seeds/000 §10 does.
        return ends_on - dt.timedelta(days=(ends_on - starts_on).days // 2) + dt.timedelta(days=step.days)
    if step.anchor == "end":
        return ends_on + dt.timedelta(days=step.days)
    following = add_months(ends_on.replace(day=1), 1)
    if step.precision == DatePrecision.MID_MONTH:
        return following.replace(day=15)
    return following.replace(day=calendar.monthrange(following.year, following.month)[1])


def template_milestones(period: PeriodOfAction) -> list[Milestone]:
    """The template's milestones for `period` (unsaved); none while its window is not known."""
    if period.starts_on is None or period.ends_on is None:
        return []
    return [
        Milestone(
            period=period,
            kind=step.kind,
            title=step.title,
            responsible=step.responsible,
            due_on=template_due_date(step, period.starts_on, period.ends_on),
            due_precision=step.precision,
        )
        for step in MILESTONE_TEMPLATE
    ]


def do_create_period(user: Any, form: PeriodForm) -> PeriodOfAction:
    """The secretariat opens a period from a valid PeriodForm; its milestones follow the template."""
    if not policy.can_create(user, PeriodOfAction):
        raise PermissionDenied("Only the secretariat opens a Joint Period of Action.")
    with transaction.atomic():
        period = form.save()
        Milestone.objects.bulk_create(template_milestones(period))
    return period
