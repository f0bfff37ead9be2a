"""Country reports in the real browser: a focal point drafts and submits, a co-chair returns it."""

from __future__ import annotations

from typing import Any

import pytest

from disrupt.conftest import BrowserSession, Cast, build_cast
from disrupt.core.tests.test_browser_tour import PAGE_CHECKS
from disrupt.directory.models import Country
from disrupt.reports import actions
from disrupt.reports.choices import ReportKind, VersionStatus
from disrupt.reports.models import Indicator, Report

pytestmark = pytest.mark.browser


@pytest.fixture
def people(reference_data: Any) -> Cast:
    return build_cast()


def check(session: BrowserSession, name: str) -> None:
    assert session.page.evaluate(PAGE_CHECKS) == [], name
    assert session.problems == [], name
    session.screenshot(name)


def test_a_focal_point_drafts_and_submits_and_a_co_chair_returns(
    desktop: BrowserSession, people: Cast
) -> None:
    page = desktop.page
    desktop.sign_in(people.focal_id)
    desktop.goto("/reports/")
    page.locator("#id_start-period").select_option(label=str(people.period))
    page.locator("#id_start-kind").select_option("midterm")
    page.get_by_role("button", name="Start a report").click()
    page.wait_for_load_state()
    report = Report.objects.get()
    page.get_by_role("link", name="Edit the draft").click()
    page.wait_for_load_state()
    check(desktop, "report-edit-desktop")
    page.locator("#id_lines-0-indicator").select_option(label="Arrests")
    page.locator("#id_lines-0-plan").select_option(label=str(people.plan))
    page.locator("#id_lines-0-value").fill("7")
    page.locator("#id_lines-0-description").fill("Crew of the Kupang boat")
    page.get_by_label("What was done").fill("Joint patrols with Australia off Kupang.")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state()
    assert "Crew of the Kupang boat" in page.content()
    check(desktop, "report-draft-desktop")
    page.get_by_role("button", name="Submit version 1").click()
    page.wait_for_load_state()
    assert report.versions.get().status == VersionStatus.SUBMITTED

    desktop.sign_out()
    desktop.sign_in(people.co_chair)
    desktop.goto(report.get_absolute_url())
    page.get_by_role("link", name="Accept or return").click()
    page.wait_for_load_state()
    check(desktop, "report-decide-desktop")
    page.get_by_label("Return it to the country with comments").check()
    page.locator("#id_comment").fill("Name the operation.")
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_load_state()
    assert report.versions.get().status == VersionStatus.RETURNED
    assert "Name the operation." in page.content()
    check(desktop, "report-returned-desktop")


def test_report_pages_at_phone_width(phone: BrowserSession, people: Cast) -> None:
    report = actions.do_start_report(
        people.focal_id, people.period, Country.objects.get(code="ID"), ReportKind.FINAL
    )
    version = report.versions.get()
    actions.do_save_draft(
        people.focal_id,
        version,
        {"what_was_done": "Patrols"},
        [
            {"indicator": Indicator.objects.get(code="arrests"), "plan": people.plan, "value": 7},
            {
                "indicator": Indicator.objects.get(code="officers-trained"),
                "plan": None,
                "value": 70,
                "qualifier": "at_least",
                "wording": "over",
            },
        ],
    )
    phone.sign_in(people.focal_id)
    for name, path in (
        ("report-list-phone", "/reports/"),
        ("report-detail-phone", report.get_absolute_url()),
        ("report-edit-phone", f"/reports/{report.pk}/versions/1/edit/"),
        ("report-joint-phone", f"/reports/{report.pk}/versions/1/lines/{version.lines.first().pk}/joint/"),  # type: ignore[union-attr]
        ("plan-outcomes-phone", people.plan.get_absolute_url()),
    ):
        phone.goto(path)
        check(phone, name)
    actions.do_declare_joint(
        people.focal_id, version.lines.get(plan=people.plan), [Country.objects.get(code="AU")], "Boat crew"
    )
    actions.do_submit(people.focal_id, version)
    phone.sign_out()
    phone.sign_in(people.co_chair)
    phone.goto(f"/periods/{people.period.number}/joint-figures/")
    assert "Awaiting partners" in phone.page.content()
    check(phone, "reconciliation-phone")
