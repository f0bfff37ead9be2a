"""Joint Periods of Action: the list, a period with its timeline, and the forms that change them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from disrupt.access import policy
from disrupt.programme.actions import do_create_period
from disrupt.programme.choices import PeriodStatus
from disrupt.programme.filters import PeriodFilter
from disrupt.programme.forms.periods import MilestoneForm, PeriodForm
from disrupt.programme.models import Meeting, Milestone, PeriodOfAction, Plan


def _periods(request: HttpRequest) -> QuerySet[PeriodOfAction]:
    return policy.visible_to(request.user, PeriodOfAction.objects.all())


def _period(request: HttpRequest, number: int) -> PeriodOfAction:
    return get_object_or_404(_periods(request), number=number)


@login_required
def period_list(request: HttpRequest) -> HttpResponse:
    visible_plans = Plan.objects.visible_to(request.user)
    periods = _periods(request).annotate(
        plan_count=Count("plans", filter=Q(plans__in=visible_plans), distinct=True)
    )
    filterset = PeriodFilter(request.GET or None, queryset=periods.prefetch_related("co_chairs"))
    return render(
        request,
        "programme/period_list.html",
        {
            "filter": filterset,
            "periods": filterset.qs.order_by("-number"),
            "can_create": policy.can_create(request.user, PeriodOfAction),
        },
    )


@login_required
def period_detail(request: HttpRequest, number: int) -> HttpResponse:
    period = _period(request, number)
    plans = (
        Plan.objects.visible_to(request.user)
        .filter(periods=period)
        .select_related("lead_country")
        .prefetch_related("partner_countries")
        .order_by("reference")
    )
    meetings = policy.visible_to(request.user, Meeting.objects.filter(period=period)).order_by(
        F("starts_on").asc(nulls_last=True), "title"
    )
    milestones = policy.visible_to(request.user, period.milestones.all()).order_by(
        F("due_on").asc(nulls_last=True), "pk"
    )
    can_edit = policy.can_edit(request.user, period)
    return render(
        request,
        "programme/period_detail.html",
        {
            "period": period,
            "milestones": milestones,
            "plans": plans,
            "meetings": meetings,
            "can_edit": can_edit,
            # A closed period's open milestones are history, not overdue work.
            "period_closed": period.status == PeriodStatus.CLOSED,
            # A milestone belongs to its period: whoever may edit the period may add and edit them.
            "can_edit_milestones": can_edit,
        },
    )


@login_required
def period_create(request: HttpRequest) -> HttpResponse:
    if not policy.can_create(request.user, PeriodOfAction):
        raise PermissionDenied("Only the secretariat opens a Joint Period of Action.")
    form = PeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        period = do_create_period(request.user, form)
        messages.success(request, f"The {period} is open, with the milestones of the usual template.")
        return redirect(period)
    return render(request, "programme/period_form.html", {"form": form, "period": None})


@login_required
def period_edit(request: HttpRequest, number: int) -> HttpResponse:
    period = _period(request, number)
    if not policy.can_edit(request.user, period):
        raise PermissionDenied("Only the secretariat and this period's co-chairs edit it.")
    form = PeriodForm(request.POST or None, instance=period)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"The {period} is saved.")
        return redirect(period)
    return render(request, "programme/period_form.html", {"form": form, "period": period})


@login_required
def milestone_create(request: HttpRequest, number: int) -> HttpResponse:
    period = _period(request, number)
    if not (policy.can_create(request.user, Milestone) and policy.can_edit(request.user, period)):
        raise PermissionDenied("Only the secretariat and this period's co-chairs add milestones.")
    form = MilestoneForm(request.POST or None, instance=Milestone(period=period))
    if request.method == "POST" and form.is_valid():
        milestone = form.save()
        messages.success(request, f"Milestone “{milestone.title}” added.")
        return redirect(milestone)
    return render(
        request, "programme/milestone_form.html", {"form": form, "period": period, "milestone": None}
    )


@login_required
def milestone_edit(request: HttpRequest, pk: int) -> HttpResponse:
    milestones = policy.visible_to(request.user, Milestone.objects.select_related("period"))
    milestone = get_object_or_404(milestones, pk=pk)
    if not policy.can_edit(request.user, milestone):
        raise PermissionDenied("Only the secretariat and this period's co-chairs edit its milestones.")
    form = MilestoneForm(request.POST or None, instance=milestone)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Milestone “{milestone.title}” saved.")
        return redirect(milestone)
    return render(
        request,
        "programme/milestone_form.html",
        {"form": form, "period": milestone.period, "milestone": milestone},
    )
