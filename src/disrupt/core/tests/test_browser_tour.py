"""Every page, in the real browser, at desktop and phone width, on the public record.

Each page must load without a console error or a missing asset, carry one h1, label every
form control, and fit the phone's width without sideways scrolling. Screenshots go to
var/screenshots/ for a person to look at.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from disrupt.conftest import BrowserSession, Cast, build_cast
from disrupt.programme.models import Meeting

pytestmark = pytest.mark.browser

# Run in the page: what a reader using a keyboard or a screen reader would trip over.
PAGE_CHECKS = """() => {
  const problems = [];
  const h1s = document.querySelectorAll('h1').length;
  if (h1s !== 1) problems.push(`${h1s} h1 elements`);
  for (const el of document.querySelectorAll('input, select, textarea')) {
    if (el.type === 'hidden' || el.closest('[hidden]')) continue;
    const labelled = (el.id && document.querySelector(`label[for="${el.id}"]`))
      || el.closest('label') || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
    if (!labelled) problems.push(`unlabelled ${el.tagName.toLowerCase()} ${el.name || el.id}`);
  }
  const overflow = document.documentElement.scrollWidth - window.innerWidth;
  if (overflow > 1) problems.push(`page is ${overflow}px wider than the window`);
  return problems;
}"""


def pages(cast: Cast) -> list[tuple[str, str]]:
    roundtable = Meeting.objects.filter(kind="roundtable").order_by("starts_on").first()
    assert roundtable is not None, "the public record holds the 2014 Roundtable"
    return [
        ("dashboard", "/"),
        ("periods", "/periods/"),
        ("period-2", "/periods/2/"),
        ("period-1", "/periods/1/"),
        ("period-new", "/periods/new/"),
        ("plans", "/plans/"),
        ("plan-jpa2-08", "/plans/JPA2-08/"),
        ("meetings", "/meetings/"),
        ("meeting-roundtable", f"/meetings/{roundtable.pk}/"),
        ("meeting-new", "/meetings/new/"),
        ("calendar", "/calendar/?month=2016-05"),
        ("countries", "/countries/"),
        ("country-id", "/countries/ID/"),
        ("agencies", "/agencies/"),
        ("agency-new", "/agencies/new/"),
        ("users", "/users/"),
        ("user-new", "/users/new/"),
        ("profile", "/me/"),
        ("sources", "/history/"),
        ("source-000", "/history/seeds/000/"),
        ("conflicts", "/history/conflicts/"),
        ("api-docs", "/api/v1/docs/"),
    ]


def tour(session: BrowserSession, cast: Cast, width_name: str) -> None:
    problems: dict[str, list[str]] = {}
    session.sign_in(cast.secretariat)
    for name, path in pages(cast):
        session.goto(path)
        found = session.page.evaluate(PAGE_CHECKS)
        if found:
            problems[path] = found
        session.screenshot(f"tour-{name}-{width_name}")

    # As a focal point: the nomination form; as a co-chair: the decision page.
    for member, name, path in (
        (cast.focal_id, "plan-nominate", "/plans/nominate/"),
        (cast.co_chair, "plan-decide", f"/plans/{cast.plan.reference}/decide/"),
        (cast.observer, "dashboard-observer", "/"),
    ):
        session.sign_out()
        session.sign_in(member)
        session.goto(path)
        found = session.page.evaluate(PAGE_CHECKS)
        if found:
            problems[path] = found
        session.screenshot(f"tour-{name}-{width_name}")

    session.sign_out()
    for name, path in (("login", "/login/"), ("password-reset", "/password/reset/")):
        session.goto(path)
        found = session.page.evaluate(PAGE_CHECKS)
        if found:
            problems[path] = found
        session.screenshot(f"tour-{name}-{width_name}")
    assert problems == {}


@pytest.fixture
def record(reference_data: Any) -> Cast:
    call_command("loadhistory", verbosity=0)
    return build_cast()


def test_every_page_at_desktop_width(desktop: BrowserSession, record: Cast) -> None:
    tour(desktop, record, "desktop")


def test_every_page_at_phone_width(phone: BrowserSession, record: Cast) -> None:
    tour(phone, record, "phone")
