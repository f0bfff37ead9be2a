"""The person's notifications: the list (unread first), opening one, marking read, e-mail choice."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from disrupt.access import policy
from disrupt.directory.models import User
from disrupt.notifications import actions
from disrupt.notifications.forms import PreferenceForm
from disrupt.notifications.models import Notification, NotificationPreference

PAGE_SIZE = 25


def _person(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required has run
    return user


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    mine = policy.visible_to(request.user, Notification.objects.select_related("content_type"))
    notifications = mine.order_by(F("read_at").asc(nulls_first=True), "-created", "-pk")
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    preference = NotificationPreference.objects.filter(user=request.user.pk).first()
    form = PreferenceForm(instance=preference or NotificationPreference(email_enabled=True))
    return render(
        request,
        "notifications/list.html",
        {"page_obj": page, "notifications": page.object_list, "preference_form": form},
    )


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark read and go on to the record; 404 once the record is out of the person's sight."""
    notification = get_object_or_404(policy.visible_to(request.user, Notification.objects.all()), pk=pk)
    actions.mark_read(_person(request), notification.pk)
    if not url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        raise Http404
    return redirect(notification.url)


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    if not actions.mark_read(_person(request), pk):
        raise Http404
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = actions.mark_all_read(_person(request))
    messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked read.")
    return redirect("notifications:list")


@login_required
@require_POST
def preference_edit(request: HttpRequest) -> HttpResponse:
    preference, _ = NotificationPreference.objects.get_or_create(user=_person(request))
    form = PreferenceForm(request.POST, instance=preference)
    if form.is_valid():
        form.save()
        messages.success(
            request,
            "You will receive e-mails when something arrives."
            if preference.email_enabled
            else "You will not receive notification e-mails.",
        )
    return redirect("notifications:list")
