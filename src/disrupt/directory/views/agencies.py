"""Agencies of the member countries and international organisations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from disrupt.access import policy
from disrupt.directory.filters import AgencyFilter
from disrupt.directory.forms import AgencyForm
from disrupt.directory.models import Agency, Country, User


@login_required
def agency_list(request: HttpRequest) -> HttpResponse:
    agencies = policy.visible_to(request.user, Agency.objects.select_related("country"))
    filterset = AgencyFilter(request.GET or None, queryset=agencies)
    filterset.form.fields["country"].queryset = Country.objects.filter(  # type: ignore[attr-defined]
        agencies__isnull=False
    ).distinct()
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    context = {"filter": filterset, "page_obj": page, "can_create": policy.can_create(request.user, Agency)}
    return render(request, "directory/agency_list.html", context)


@login_required
def agency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agency = get_object_or_404(
        policy.visible_to(request.user, Agency.objects.select_related("country")), pk=pk
    )
    people = policy.users_visible_to(
        request.user, User.objects.filter(agency=agency).order_by("-is_active", "full_name")
    ).prefetch_related("roles")
    context = {
        "agency": agency,
        "people": people,
        "can_edit": policy.can_edit(request.user, agency),
        "can_add_user": policy.can_create(request.user, User)
        and policy.assignable_agencies(request.user, Agency.objects.filter(pk=agency.pk)).exists(),
    }
    return render(request, "directory/agency_detail.html", context)


@login_required
def agency_create(request: HttpRequest) -> HttpResponse:
    if not policy.can_create(request.user, Agency):
        raise PermissionDenied("Only the secretariat adds agencies.")
    initial = {}
    if code := request.GET.get("country"):
        initial["country"] = Country.objects.filter(code=code.upper()).first()
    form = AgencyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        agency = form.save()
        messages.success(request, f"{agency.name} added.")
        return redirect(agency)
    return render(request, "directory/agency_form.html", {"form": form, "agency": None})


@login_required
def agency_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agency = get_object_or_404(policy.visible_to(request.user, Agency.objects.all()), pk=pk)
    if not policy.can_edit(request.user, agency):
        raise PermissionDenied("Only the secretariat edits agencies.")
    form = AgencyForm(request.POST or None, instance=agency)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"{agency.name} saved.")
        return redirect(agency)
    return render(request, "directory/agency_form.html", {"form": form, "agency": agency})
