"""The calendar page and the per-user iCalendar feed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from disrupt.conftest import Cast
from disrupt.programme.choices import MeetingKind, MeetingMode, MilestoneKind, Responsible
from disrupt.programme.models import Meeting, Milestone


@pytest.fixture
def agenda(cast: Cast) -> dict[str, object]:
    today = timezone.localdate()
    milestone = Milestone.objects.create(
        period=cast.period,
        kind=MilestoneKind.MIDTERM_REPORT,
        title="Mid-term report due",
        responsible=Responsible.PARTICIPANTS,
        due_on=today.replace(day=20),
    )
    meeting = Meeting.objects.create(
        kind=MeetingKind.DEBRIEF,
        title="Debrief workshop of the 7th period",
        starts_on=today.replace(day=10),
        ends_on=today.replace(day=11),
        mode=MeetingMode.ONLINE,
        online_platform="Video call",
        period=cast.period,
    )
    return {"milestone": milestone, "meeting": meeting, "today": today}


def feed_url(token: str) -> str:
    return reverse("programme:ical_feed", args=[token])


def test_the_month_lists_its_milestones_and_meetings(client: Client, cast: Cast, agenda: dict) -> None:
    client.force_login(cast.investigator_th)
    response = client.get(reverse("programme:calendar"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Mid-term report due" in page
    assert "Debrief workshop of the 7th period" in page
    # The feed address of this user is offered, nobody else's.
    assert cast.investigator_th.feed_token in page
    assert cast.secretariat.feed_token not in page


def test_the_month_is_navigable(client: Client, cast: Cast, agenda: dict) -> None:
    client.force_login(cast.observer)
    today: dt.date = agenda["today"]  # type: ignore[assignment]
    other = (today.replace(day=1) + dt.timedelta(days=40)).strftime("%Y-%m")
    response = client.get(reverse("programme:calendar"), {"month": other})
    assert response.status_code == 200
    assert "Mid-term report due" not in response.content.decode()
    assert response.context["first"].strftime("%Y-%m") == other
    back = client.get(reverse("programme:calendar"), {"month": today.strftime("%Y-%m")})
    assert "Mid-term report due" in back.content.decode()


@pytest.mark.parametrize("month", ["2026-13", "nonsense", "0001-01", ""])
def test_a_malformed_month_falls_back_to_this_month(client: Client, cast: Cast, month: str) -> None:
    client.force_login(cast.observer)
    response = client.get(reverse("programme:calendar"), {"month": month})
    assert response.status_code == 200
    assert response.context["first"] == timezone.localdate().replace(day=1)


def test_anonymous_visitors_are_asked_to_sign_in(client: Client) -> None:
    response = client.get(reverse("programme:calendar"))
    assert response.status_code == 302


def test_the_feed_parses_and_holds_the_events(client: Client, cast: Cast, agenda: dict) -> None:
    response = client.get(feed_url(cast.focal_au.feed_token))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    feed = Calendar.from_ical(response.content)
    events = {str(e["uid"]): e for e in feed.walk("VEVENT")}
    milestone: Milestone = agenda["milestone"]  # type: ignore[assignment]
    meeting: Meeting = agenda["meeting"]  # type: ignore[assignment]
    assert set(events) == {f"milestone-{milestone.pk}@127.0.0.1", f"meeting-{meeting.pk}@127.0.0.1"}
    event = events[f"milestone-{milestone.pk}@127.0.0.1"]
    # A milestone is an all-day event on its due date.
    assert event.decoded("dtstart") == milestone.due_on
    assert not isinstance(event.decoded("dtstart"), dt.datetime)
    assert "Mid-term report due" in str(event["summary"])
    meeting_event = events[f"meeting-{meeting.pk}@127.0.0.1"]
    assert meeting_event.decoded("dtstart") == meeting.starts_on
    assert meeting_event.decoded("dtend") == meeting.ends_on + dt.timedelta(days=1)  # type: ignore[operator]


def test_the_uids_are_stable_across_requests(client: Client, cast: Cast, agenda: dict) -> None:
    first = Calendar.from_ical(client.get(feed_url(cast.observer.feed_token)).content)
    second = Calendar.from_ical(client.get(feed_url(cast.observer.feed_token)).content)
    assert [str(e["uid"]) for e in first.walk("VEVENT")] == [str(e["uid"]) for e in second.walk("VEVENT")]


def test_an_unknown_token_is_not_found(client: Client, cast: Cast) -> None:
    assert client.get(feed_url("not-a-token")).status_code == 404


def test_a_reset_token_invalidates_the_old_address(client: Client, cast: Cast, agenda: dict) -> None:
    user = cast.investigator_id
    old = user.feed_token
    assert client.get(feed_url(old)).status_code == 200
    user.reset_feed_token()
    assert user.feed_token != old
    assert client.get(feed_url(old)).status_code == 404
    assert client.get(feed_url(user.feed_token)).status_code == 200


def test_a_deactivated_account_has_no_feed(client: Client, cast: Cast) -> None:
    user = cast.investigator_id
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert client.get(feed_url(user.feed_token)).status_code == 404


# --- In the browser ---------------------------------------------------------------------------------


# The browser fixtures come first: they reload the reference data the cast needs in a flushed database.
def test_the_calendar_shows_a_grid_on_desktop(desktop: Any, cast: Cast, agenda: dict) -> None:
    check_calendar_page(desktop, cast, "desktop")


def test_the_calendar_shows_the_agenda_alone_on_a_phone(phone: Any, cast: Cast, agenda: dict) -> None:
    check_calendar_page(phone, cast, "phone")


def check_calendar_page(session: Any, cast: Cast, viewport: str) -> None:
    session.sign_in(cast.observer)
    session.goto(reverse("programme:calendar"))
    page = session.page
    assert page.locator(".calendar-agenda").get_by_text("Mid-term report due").is_visible()
    assert page.locator(".calendar-grid").is_visible() is (viewport == "desktop")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    session.screenshot(f"calendar-{viewport}")
