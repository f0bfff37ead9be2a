"""The calendar of milestones and meetings, as a page and as a per-user iCalendar feed."""

from __future__ import annotations

import calendar as cal
import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from disrupt.access import policy
from disrupt.lib.dates import add_months
from disrupt.programme.choices import PeriodStatus
from disrupt.programme.models import Meeting, Milestone

# How far the feed reaches back: calendar apps need recent history, not the whole record.
FEED_PAST_DAYS = 400


@dataclass(frozen=True)
class Entry:
    """A milestone or a meeting on the calendar."""

    day: dt.date
    kind: str  # "milestone" or "meeting"
    title: str
    when: str
    detail: str
    url: str
    late: bool = False
    done: bool = False


def parse_month(value: str | None, today: dt.date) -> dt.date:
    """The first day of ?month=YYYY-MM, or of this month when absent or malformed."""
    if value:
        try:
            first = dt.datetime.strptime(value, "%Y-%m").date()
        except ValueError:
            first = None
        if first is not None and 1900 <= first.year <= 2999:
            return first
    return today.replace(day=1)


def milestones_between(user: Any, first: dt.date, last: dt.date) -> list[Milestone]:
    milestones = Milestone.objects.filter(due_on__gte=first, due_on__lte=last).select_related("period")
    return list(policy.visible_to(user, milestones).order_by("due_on", "pk"))


def meetings_between(user: Any, first: dt.date, last: dt.date) -> list[Meeting]:
    # A meeting is in the range if any of its days is.
    overlapping = Q(starts_on__lte=last) & (
        Q(ends_on__gte=first) | Q(ends_on__isnull=True, starts_on__gte=first)
    )
    meetings = Meeting.objects.filter(overlapping).select_related("host_country", "period")
    return list(policy.visible_to(user, meetings).order_by("starts_on", "pk"))


def entries_between(user: Any, first: dt.date, last: dt.date) -> list[Entry]:
    entries = [
        Entry(
            day=m.due_on,
            kind="milestone",
            title=m.title,
            when=m.due,
            detail=f"{m.period} · {m.get_responsible_display()}",
            url=m.get_absolute_url(),
            # A closed period's open milestones are history, not overdue work.
            late=m.is_late and m.period.status != PeriodStatus.CLOSED,
            done=m.done_on is not None,
        )
        for m in milestones_between(user, first, last)
        if m.due_on is not None
    ]
    entries += [
        Entry(
            day=max(m.starts_on, first),
            kind="meeting",
            title=m.title,
            when=m.when,
            detail=f"{m.get_kind_display()} · {m.where}",
            url=m.get_absolute_url(),
        )
        for m in meetings_between(user, first, last)
        if m.starts_on is not None
    ]
    return sorted(entries, key=lambda e: (e.day, e.kind != "meeting", e.title))


def month_weeks(first: dt.date, entries: list[Entry]) -> list[list[dict[str, Any]]]:
    """The month as weeks from Monday, each day with its entries (None outside the month)."""
    by_day: dict[dt.date, list[Entry]] = {}
    for entry in entries:
        by_day.setdefault(entry.day, []).append(entry)
    return [
        [{"day": day, "entries": by_day.get(day, []), "outside": day.month != first.month} for day in week]
        for week in cal.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    ]


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    first = parse_month(request.GET.get("month"), today)
    last = add_months(first, 1) - dt.timedelta(days=1)
    entries = entries_between(request.user, first, last)
    feed_path = reverse("programme:ical_feed", args=[request.user.feed_token])  # type: ignore[union-attr]
    return render(
        request,
        "programme/calendar.html",
        {
            "first": first,
            "today": today,
            "entries": entries,
            "weeks": month_weeks(first, entries),
            "weekdays": [cal.day_abbr[i] for i in range(7)],
            "previous": add_months(first, -1),
            "next": add_months(first, 1),
            "feed_url": settings.SITE_URL + feed_path,
        },
    )


def _uid(kind: str, pk: int) -> str:
    # Stable across edits and feed resets, so calendar apps update events instead of duplicating them.
    return f"{kind}-{pk}@{urlsplit(settings.SITE_URL).hostname or 'disrupt'}"


def build_feed(user: Any) -> Calendar:
    today = timezone.localdate()
    first = today - dt.timedelta(days=FEED_PAST_DAYS)
    last = dt.date(today.year + 3, 12, 31)
    feed = Calendar()
    feed.add("prodid", "-//Disrupt//Programme calendar//EN")
    feed.add("version", "2.0")
    feed.add("x-wr-calname", "Disrupt: milestones and meetings")
    stamp = timezone.now()
    for milestone in milestones_between(user, first, last):
        assert milestone.due_on is not None
        event = Event()
        event.add("uid", _uid("milestone", milestone.pk))
        event.add("dtstamp", stamp)
        event.add("summary", f"{milestone.title} ({milestone.period})")
        # All-day events: DTEND is the day after, exclusive.
        event.add("dtstart", milestone.due_on)
        event.add("dtend", milestone.due_on + dt.timedelta(days=1))
        event.add("description", f"{milestone.get_responsible_display()}. Due: {milestone.due}.")
        event.add("url", settings.SITE_URL + milestone.get_absolute_url())
        event.add("categories", ["Milestone"])
        if milestone.done_on:
            event.add("status", "CONFIRMED")
        feed.add_component(event)
    for meeting in meetings_between(user, first, last):
        assert meeting.starts_on is not None
        event = Event()
        event.add("uid", _uid("meeting", meeting.pk))
        event.add("dtstamp", stamp)
        event.add("summary", meeting.title)
        event.add("dtstart", meeting.starts_on)
        event.add("dtend", (meeting.ends_on or meeting.starts_on) + dt.timedelta(days=1))
        event.add("location", meeting.where)
        event.add("description", f"{meeting.get_kind_display()}. {meeting.when}.")
        event.add("url", settings.SITE_URL + meeting.get_absolute_url())
        event.add("categories", ["Meeting"])
        feed.add_component(event)
    return feed


def ical_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The user's feed. The token in the address is the credential: calendar apps cannot sign in."""
    user = get_user_model().objects.filter(feed_token=token, is_active=True).first()
    if user is None or not token:
        raise Http404("No such calendar feed.")
    response = HttpResponse(build_feed(user).to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="disrupt.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response
