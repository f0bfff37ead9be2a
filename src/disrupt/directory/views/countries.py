"""Countries and their standing in the group."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from disrupt.access import policy
from disrupt.directory.actions import do_add_standing
from disrupt.directory.filters import CountryFilter
from disrupt.directory.forms import StandingForm
from disrupt.directory.models import Agency, Country, CountryStanding, User
from disrupt.programme.models import PeriodOfAction, Plan


@login_required
def country_list(request: HttpRequest) -> HttpResponse:
    countries = policy.visible_to(request.user, Country.objects.all())
    show_all = request.GET.get("all") == "1" or bool(request.GET.get("q"))
    if not show_all:
        # By default the countries the group has dealt with; a search looks through every ISO country.
        countries = countries.filter(Q(standings__isnull=False) | Q(agencies__isnull=False)).distinct()
    countries = countries.prefetch_related(
        Prefetch("standings", queryset=CountryStanding.objects.order_by("-since"))
    )
    filterset = CountryFilter(request.GET or None, queryset=countries)
    page = Paginator(filterset.qs, 60).get_page(request.GET.get("page"))
    context = {
        "filter": filterset,
        "page_obj": page,
        "show_all": show_all,
        "can_edit": policy.can_create(request.user, CountryStanding),
    }
    return render(request, "directory/country_list.html", context)


@login_required
def country_detail(request: HttpRequest, code: str) -> HttpResponse:
    country = get_object_or_404(policy.visible_to(request.user, Country.objects.all()), code=code.upper())
    people = policy.users_visible_to(
        request.user,
        User.objects.filter(agency__country=country, is_active=True).select_related("agency"),
    ).prefetch_related("roles")
    plans = policy.visible_to(
        request.user, Plan.objects.filter(Q(lead_country=country) | Q(partner_countries=country))
    ).distinct()
    periods = PeriodOfAction.objects.filter(
        Q(participants=country) | Q(co_chairs=country) | Q(observer_countries=country)
    ).distinct()
    context = {
        "country": country,
        "standings": country.standings.order_by("-since"),
        "current": country.current_standing,
        "agencies": policy.visible_to(request.user, Agency.objects.filter(country=country)),
        "people": people,
        "plans": plans.select_related("lead_country"),
        "periods": policy.visible_to(request.user, periods),
        "co_chaired": set(country.co_chaired_periods.values_list("pk", flat=True)),
        "can_add_standing": policy.can_create(request.user, CountryStanding),
        "can_add_agency": policy.can_create(request.user, Agency),
    }
    return render(request, "directory/country_detail.html", context)


@login_required
def standing_create(request: HttpRequest, code: str) -> HttpResponse:
    country = get_object_or_404(policy.visible_to(request.user, Country.objects.all()), code=code.upper())
    if not policy.can_create(request.user, CountryStanding):
        raise PermissionDenied("Only the secretariat records a country's standing.")
    form = StandingForm(request.POST or None, instance=CountryStanding(country=country))
    if request.method == "POST" and form.is_valid():
        standing = do_add_standing(country, form)
        messages.success(request, f"{country.name}: {standing.get_standing_display()} recorded.")
        return redirect(country)
    return render(request, "directory/standing_form.html", {"country": country, "form": form})
