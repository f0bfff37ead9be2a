"""Joint investigation plan pages: list, detail, nominate, edit, decide."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from disrupt.access import policy
from disrupt.directory.models import Agency
from disrupt.programme.actions import (
    PLAN_FIELDS,
    PLAN_RELATIONS,
    can_resubmit_plan,
    do_decide_plan,
    do_nominate_plan,
    do_resubmit_plan,
    do_update_plan,
)
from disrupt.programme.choices import PlanStatus, RouteRole
from disrupt.programme.filters import PlanFilter
from disrupt.programme.forms.plans import (
    DecidePlanForm,
    EditPlanForm,
    NominatePlanForm,
    RouteFormSet,
    route_initial,
)
from disrupt.programme.models import Plan, PlanRouteStop
from disrupt.reports.views.reports import plan_outcomes_context

PAGE_SIZE = 25


def _visible_plan(request: HttpRequest, reference: str) -> Plan:
    plans = Plan.objects.visible_to(request.user).select_related("lead_country", "nominated_by", "decided_by")
    return get_object_or_404(plans, reference=reference)


def _add_errors(form: BaseForm, error: ValidationError) -> None:
    """Puts an action's ValidationError on the form's fields where it names one."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages_ in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages_)


def _plan_data(form: BaseForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {name: data[name] for name in (*PLAN_FIELDS, *PLAN_RELATIONS)}


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = (
        Plan.objects.visible_to(request.user)
        .select_related("lead_country")
        .prefetch_related("partner_countries", "periods", "crime_types")
    )
    filterset = PlanFilter(request.GET or None, queryset=plans)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "programme/plan_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "plans": page.object_list,
            "can_nominate": policy.can_create(request.user, Plan),
        },
    )


@login_required
def plan_detail(request: HttpRequest, reference: str) -> HttpResponse:
    plans = Plan.objects.visible_to(request.user).select_related("lead_country", "nominated_by", "decided_by")
    plan = get_object_or_404(
        plans.prefetch_related(
            "partner_countries",
            "crime_types",
            "sectors",
            "objectives",
            "periods",
            Prefetch("agencies", queryset=Agency.objects.select_related("country")),
            Prefetch("route_stops", queryset=PlanRouteStop.objects.select_related("country")),
        ),
        reference=reference,
    )
    stops = list(plan.route_stops.all())
    route = [(label, [s.country for s in stops if s.role == role]) for role, label in RouteRole.choices]
    return render(
        request,
        "programme/plan_detail.html",
        {
            "plan": plan,
            "route": [(label, countries) for label, countries in route if countries],
            "can_edit": policy.can_edit(request.user, plan),
            "can_decide": policy.can_decide_plan(request.user, plan),
            **plan_outcomes_context(request, plan),
        },
    )


@login_required
def plan_nominate(request: HttpRequest) -> HttpResponse:
    if not policy.can_create(request.user, Plan):
        raise PermissionDenied("Only a focal point nominates plans, for their own country.")
    lead = request.user.country  # type: ignore[union-attr]
    if lead is None:  # can_create requires a country; this keeps the type checker informed
        raise PermissionDenied
    form = NominatePlanForm(request.POST or None, lead_country=lead)
    route = RouteFormSet(request.POST or None, prefix="route")
    if request.method == "POST" and form.is_valid() and route.is_valid():
        try:
            plan = do_nominate_plan(
                request.user, period=form.cleaned_data["period"], route=route.route(), **_plan_data(form)
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"Plan {plan.reference} nominated. The co-chairs will decide on it.")
            return redirect(plan)
    return render(
        request,
        "programme/plan_form.html",
        {"form": form, "route": route, "lead_country": lead, "nominating": True},
    )


@login_required
def plan_edit(request: HttpRequest, reference: str) -> HttpResponse:
    plan = _visible_plan(request, reference)
    if not policy.can_edit(request.user, plan):
        raise PermissionDenied("You may not edit this plan.")
    resubmittable = can_resubmit_plan(request.user, plan)
    form = EditPlanForm(
        request.POST or None, instance=plan, lead_country=plan.lead_country, can_resubmit=resubmittable
    )
    route = RouteFormSet(request.POST or None, prefix="route", initial=route_initial(plan))
    if request.method == "POST" and form.is_valid() and route.is_valid():
        try:
            do_update_plan(
                request.user,
                plan,
                periods=form.cleaned_data["periods"],
                route=route.route(),
                **_plan_data(form),
            )
            if form.cleaned_data.get("resubmit"):
                do_resubmit_plan(request.user, plan)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            resubmitted = plan.status == PlanStatus.NOMINATED and form.cleaned_data.get("resubmit")
            messages.success(
                request,
                f"Plan {plan.reference} saved" + (" and sent back to the co-chairs." if resubmitted else "."),
            )
            return redirect(plan)
    return render(
        request,
        "programme/plan_form.html",
        {"form": form, "route": route, "lead_country": plan.lead_country, "plan": plan},
    )


@login_required
def plan_decide(request: HttpRequest, reference: str) -> HttpResponse:
    plan = _visible_plan(request, reference)
    if not policy.can_decide_plan(request.user, plan):
        raise PermissionDenied("Only a co-chair of the plan's period decides on a nominated plan.")
    form = DecidePlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            do_decide_plan(request.user, plan, form.cleaned_data["decision"], form.cleaned_data["comment"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            verdict = "approved" if plan.status == PlanStatus.APPROVED else "returned to the lead country"
            messages.success(request, f"Plan {plan.reference} {verdict}.")
            return redirect(plan)
    return render(request, "programme/plan_decide.html", {"plan": plan, "form": form})
