"""The dashboard: what is due, what is late, my plans and what my role asks of me."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from disrupt.access import policy
from disrupt.directory.choices import RoleCode
from disrupt.directory.models import Agency, User
from disrupt.programme.choices import PeriodStatus, PlanStatus, Responsible
from disrupt.programme.models import ActionItem, Meeting, Milestone, PeriodOfAction, Plan

# How far ahead "upcoming" looks.
HORIZON_DAYS = 60


def upcoming_milestones(user: Any, today: dt.date) -> QuerySet[Milestone]:
    milestones = Milestone.objects.upcoming(today).filter(due_on__lte=today + dt.timedelta(days=HORIZON_DAYS))
    return policy.visible_to(user, milestones.select_related("period"))


def upcoming_meetings(user: Any, today: dt.date) -> QuerySet[Meeting]:
    horizon = today + dt.timedelta(days=HORIZON_DAYS)
    # Meetings starting within the horizon, and those under way today.
    meetings = Meeting.objects.filter(
        Q(starts_on__gte=today, starts_on__lte=horizon) | Q(starts_on__lt=today, ends_on__gte=today)
    )
    return policy.visible_to(user, meetings.select_related("host_country")).order_by("starts_on", "pk")


def late_milestones(user: Any, today: dt.date) -> QuerySet[Milestone]:
    """Past due and not done: every one for the secretariat, else those the user's country answers for."""
    # A closed period's open milestones are history, not work anyone can still do.
    milestones = Milestone.objects.late(today).exclude(period__status=PeriodStatus.CLOSED)
    late = policy.visible_to(user, milestones.select_related("period"))
    if user.has_role(RoleCode.SECRETARIAT):
        return late
    country_id = user.country_id
    if country_id is None:
        return late.none()
    ours = Q(responsible=Responsible.PARTICIPANTS, period__participants=country_id) | Q(
        responsible=Responsible.CO_CHAIRS, period__co_chairs=country_id
    )
    return late.filter(pk__in=Milestone.objects.filter(ours).values("pk"))


def late_action_items(user: Any, today: dt.date) -> QuerySet[ActionItem]:
    """Outstanding and past due, owned by the user, their agency or their country."""
    owned = Q(owner_user=user)
    if user.agency_id:
        owned |= Q(owner_agency=user.agency_id)
    if user.country_id:
        owned |= Q(owner_country=user.country_id)
    items = ActionItem.objects.outstanding().filter(owned, due_on__lt=today)
    return policy.visible_to(user, items.select_related("meeting")).order_by("due_on", "pk")


def my_plans(user: Any) -> QuerySet[Plan]:
    """Plans my country leads or partners in, as far as I may see them."""
    if user.country_id is None:
        return Plan.objects.none()
    ours = Plan.objects.filter(Q(lead_country=user.country_id) | Q(partner_countries=user.country_id))
    return (
        Plan.objects.visible_to(user)
        .filter(pk__in=ours.values("pk"))
        .select_related("lead_country")
        .prefetch_related("partner_countries", "periods")
        .order_by("-updated_at")
    )


def awaiting_decision(user: Any) -> QuerySet[Plan]:
    """Nominated plans; for a co-chair, only those in periods their country co-chairs."""
    plans = Plan.objects.visible_to(user).filter(status=PlanStatus.NOMINATED)
    if not user.has_role(RoleCode.SECRETARIAT):
        plans = plans.filter(pk__in=Plan.objects.filter(periods__co_chairs=user.country_id).values("pk"))
    return (
        plans.select_related("lead_country").prefetch_related("periods").order_by("nominated_at", "reference")
    )


def _role_sections(user: User) -> dict[str, Any]:
    context: dict[str, Any] = {}
    if user.has_role(RoleCode.SECRETARIAT):
        context["secretariat"] = {
            "awaiting": awaiting_decision(user),
            "users": policy.visible_to(user, User.objects.filter(is_active=True)).count(),
            "agencies": policy.visible_to(user, Agency.objects.filter(is_active=True)).count(),
        }
    if user.has_role(RoleCode.CO_CHAIR) and user.country_id is not None:
        context["co_chair"] = {
            "awaiting": [plan for plan in awaiting_decision(user) if policy.can_decide_plan(user, plan)],
            "periods": policy.visible_to(user, PeriodOfAction.objects.filter(co_chairs=user.country_id)),
        }
    if user.has_role(RoleCode.FOCAL_POINT) and user.country_id is not None:
        by_status = dict(
            my_plans(user)
            .filter(lead_country=user.country_id)
            .order_by()
            .values_list("status")
            .annotate(n=Count("pk"))
        )
        context["focal_point"] = {
            "can_nominate": policy.can_create(user, Plan),
            "by_status": [(label, by_status.get(value, 0)) for value, label in PlanStatus.choices],
        }
    if user.has_role(RoleCode.OBSERVER):
        context["observer"] = {
            "periods": policy.visible_to(user, PeriodOfAction.objects.all()).count(),
            "plans": Plan.objects.visible_to(user).count(),
            "meetings": policy.visible_to(user, Meeting.objects.all()).count(),
        }
    return context


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    today = timezone.localdate()
    current = policy.visible_to(
        user, PeriodOfAction.objects.exclude(status=PeriodStatus.CLOSED).prefetch_related("co_chairs")
    )
    context = {
        "today": today,
        "horizon_days": HORIZON_DAYS,
        "upcoming_milestones": upcoming_milestones(user, today),
        "upcoming_meetings": upcoming_meetings(user, today),
        "late_milestones": late_milestones(user, today),
        "late_actions": late_action_items(user, today),
        "my_plans": my_plans(user)[:10],
        "current_periods": current,
        "roles": ", ".join(str(role) for role in user.roles.all()),
        **_role_sections(user),
    }
    return render(request, "core/dashboard.html", context)
