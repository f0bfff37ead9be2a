"""In the real browser: a focal point nominates a plan, a co-chair approves it, it shows on the cycle."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from disrupt.conftest import BrowserSession, build_cast
from disrupt.programme.choices import PlanStatus
from disrupt.programme.models import Plan

pytestmark = pytest.mark.browser


def test_nominate_approve_and_see_the_plan_on_its_period(
    desktop: BrowserSession, reference_data: Any
) -> None:
    cast = build_cast()
    page = desktop.page

    # Indonesia's focal point nominates a plan for the 7th period, with Egypt as a partner.
    desktop.sign_in(cast.focal_id)
    desktop.goto("/plans/nominate/")
    page.get_by_label("Title", exact=True).fill("Document forgery cell supplying air departures")
    page.get_by_label("Joint Period of Action").select_option(label="7th Joint Period of Action")
    page.get_by_label(re.compile(r"^Partner countries")).select_option(["EG", "AU"])
    page.get_by_label("By air", exact=True).check()
    page.get_by_label(re.compile(r"^Summary")).fill(
        "Forged visas sold to travellers departing through two airports."
    )
    desktop.screenshot("journey-1-nominate-desktop")
    page.get_by_role("button", name="Nominate the plan").click()
    expect(page.get_by_text("nominated. The co-chairs will decide on it.")).to_be_visible()

    plan = Plan.objects.get(title="Document forgery cell supplying air departures")
    assert plan.status == PlanStatus.NOMINATED
    assert plan.lead_country.code == "ID"
    assert {c.code for c in plan.partner_countries.all()} == {"EG", "AU"}
    assert list(plan.periods.values_list("number", flat=True)) == [7]

    # New Zealand co-chairs the 7th period and approves it.
    desktop.sign_out()
    desktop.sign_in(cast.co_chair)
    desktop.goto(f"/plans/{plan.reference}/decide/")
    page.get_by_label("Approve the plan").check()
    page.get_by_label("Comment").fill("Approved at the planning workshop.")
    page.get_by_label("I confirm this decision on behalf of the co-chairs").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page).to_have_url(re.compile(rf"/plans/{plan.reference}/$"))

    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    assert plan.decided_by == cast.co_chair

    # The plan is on the period's page, approved.
    desktop.goto("/periods/7/")
    row = page.get_by_role("row").filter(has_text=plan.reference)
    expect(row).to_contain_text("Approved")
    expect(row).to_contain_text("Egypt")
    desktop.screenshot("journey-2-period-desktop")


def test_the_roundtable_shows_its_date_and_the_conflicting_reading(
    desktop: BrowserSession, reference_data: Any
) -> None:
    from django.core.management import call_command

    from disrupt.programme.models import Meeting

    call_command("loadhistory", verbosity=0)
    cast = build_cast()
    roundtable = Meeting.objects.get(kind="roundtable")
    desktop.sign_in(cast.observer)
    desktop.goto(roundtable.get_absolute_url())
    facts = desktop.page.get_by_role("definition").filter(has_text="24 September 2014")
    expect(facts).to_contain_text("Sources differ")
    expect(facts).to_contain_text("2015")
    expect(facts).to_contain_text("seeds/003")
