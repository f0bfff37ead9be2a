"""Accounts: the secretariat manages everyone; a focal point their country's investigators and analysts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django_otp.plugins.otp_totp.models import TOTPDevice

from disrupt.access import policy
from disrupt.directory.actions import do_create_user, do_update_user
from disrupt.directory.filters import UserFilter
from disrupt.directory.forms import UserForm
from disrupt.directory.models import Agency, User


def _visible_users(request: HttpRequest) -> QuerySet[User]:
    return policy.users_visible_to(request.user, User.objects.select_related("agency__country"))


def _manager(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    users = _visible_users(request).prefetch_related("roles")
    if request.GET.get("inactive") != "1":
        users = users.filter(is_active=True)
    filterset = UserFilter(request.GET or None, queryset=users)
    filterset.form.fields["agency"].queryset = policy.visible_to(  # type: ignore[attr-defined]
        request.user, Agency.objects.filter(users__in=_visible_users(request)).distinct()
    )
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    context = {
        "filter": filterset,
        "page_obj": page,
        "show_inactive": request.GET.get("inactive") == "1",
        "can_create": policy.can_create(request.user, User),
    }
    return render(request, "directory/user_list.html", context)


@login_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(_visible_users(request), pk=pk)
    context = {
        "person": person,
        "roles": person.roles.all(),
        "has_device": TOTPDevice.objects.filter(user=person, confirmed=True).exists(),
        "can_edit": policy.can_manage_user(request.user, person),
        "is_self": person.pk == request.user.pk,
    }
    return render(request, "directory/user_detail.html", context)


@login_required
def user_create(request: HttpRequest) -> HttpResponse:
    manager = _manager(request)
    if not policy.can_create(manager, User):
        raise PermissionDenied("Only the secretariat and focal points open accounts.")
    initial = {}
    if (agency_id := request.GET.get("agency", "")) and agency_id.isdigit():
        initial["agency"] = agency_id
    form = UserForm(request.POST or None, manager=manager, initial=initial)
    if request.method == "POST" and form.is_valid():
        person = do_create_user(form)
        messages.success(
            request, f"Account opened for {person.full_name}, with an e-mail to choose a password."
        )
        return redirect(person)
    return render(request, "directory/user_form.html", {"form": form, "person": None})


@login_required
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    manager = _manager(request)
    person = get_object_or_404(_visible_users(request), pk=pk)
    if not policy.can_manage_user(manager, person):
        raise PermissionDenied("You may not manage this account.")
    form = UserForm(request.POST or None, manager=manager, instance=person)
    if request.method == "POST" and form.is_valid():
        do_update_user(form)
        messages.success(request, f"{person.full_name}: account saved.")
        return redirect(person)
    return render(request, "directory/user_form.html", {"form": form, "person": person})
