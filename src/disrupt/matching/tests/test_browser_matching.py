"""In the browser: an Indonesian investigator sees a new hit and asks for disclosure; the
Australian owner grants two of the record's three properties; the investigator reads exactly
those two. And the matching pages fit a phone.

The world is built through the real actions and matched by the real job runner
(tests/scenario.py), not by writing hits by hand."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from disrupt.conftest import build_cast
from disrupt.matching import actions
from disrupt.matching.choices import SelectorKind
from disrupt.matching.keys import current_keys
from disrupt.matching.models import Disclosure, DisclosureRequest, Hit
from disrupt.matching.selectorfile import write_selector_file
from disrupt.matching.tests.scenario import build_world, fill, run_queued_jobs
from disrupt.matching.tests.test_views_uploads import THAI as THAI_RECORDS

pytestmark = pytest.mark.browser

# Australia's caller: the third property, never granted, must never reach Indonesia.
THEIR_PHONE = ("+62 812-3456-7890", "+6281234567890")


def _fits(session: Any, name: str) -> None:
    assert session.page.get_by_role("heading", level=1).count() == 1, name
    assert session.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), name


def test_a_hit_is_disclosed_in_part_and_the_requester_reads_exactly_that(desktop: Any) -> None:
    world = build_world(build_cast())
    cast = world.cast
    page = desktop.page

    # Indonesia: the new hit on the phone number of one of its people.
    desktop.sign_in(cast.investigator_id)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Hits").click()
    page.wait_for_load_state()
    table = page.get_by_role("table", name="Hits")
    assert table.locator("tbody tr.matching-new").count() == 3
    phone_row = table.locator("tbody tr", has_text="Phone number")
    assert phone_row.get_by_text("Siti Lestari").is_visible()
    assert phone_row.get_by_text("Australian Federal Police").is_visible()
    assert phone_row.get_by_text("New", exact=True).is_visible()
    for secret in ("Kieran Doyle", *THEIR_PHONE):
        assert page.get_by_text(secret).count() == 0
    _fits(desktop, "hits")
    desktop.screenshot("matching-hits-desktop")

    phone_row.get_by_role("link", name="Phone number").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="The other record").is_visible()
    assert page.get_by_text("Kieran Doyle").count() == 0
    _fits(desktop, "hit")
    desktop.screenshot("matching-hit-desktop")
    page.get_by_label("Why you need the record").fill(
        "The number called the boat's skipper the night it left Kupang."
    )
    page.get_by_label("Joint investigation plan").select_option(
        label=f"{cast.plan.reference} {cast.plan.title}"
    )
    page.get_by_role("button", name="Request disclosure").click()
    page.wait_for_load_state()
    request = DisclosureRequest.objects.get()
    assert page.url.endswith(request.get_absolute_url())
    assert page.get_by_text(f"Awaiting {cast.analyst_au.agency.name}").is_visible()
    desktop.screenshot("matching-request-sent-desktop")
    desktop.sign_out()

    # Australia: the owner sees its record's values and grants two of the three.
    desktop.sign_in(cast.analyst_au)
    desktop.goto(reverse("matching:request_list"))
    page.get_by_role("table", name="Requests to your agency").get_by_role(
        "link", name=request.reference
    ).click()
    page.wait_for_load_state()
    assert page.get_by_text("The number called the boat's skipper").is_visible()
    page.get_by_label("Approve in part").check()
    page.get_by_label("Name: Kieran Doyle").check()
    page.get_by_label("Birth date: 1995-09-12").check()
    assert not page.get_by_label("Phone:").is_checked()
    page.get_by_role("textbox", name="Reason").fill("The number stays with us while the intercept runs.")
    _fits(desktop, "decision")
    desktop.screenshot("matching-decision-desktop")
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_load_state()
    assert page.get_by_text("Decision recorded").is_visible()
    desktop.sign_out()

    # Indonesia: exactly the two properties, with their provenance.
    desktop.sign_in(cast.investigator_id)
    desktop.goto(request.get_absolute_url())
    assert page.get_by_text("Granted in part").first.is_visible()
    page.get_by_role("link", name="Open the disclosed record").click()
    page.wait_for_load_state()
    copy = Disclosure.objects.get()
    assert page.url.endswith(copy.get_absolute_url())
    rows = page.get_by_role("table", name="Disclosed properties").locator("tbody tr")
    assert rows.count() == 2
    assert sorted(rows.locator("th").all_inner_texts()) == ["Birth date", "Name"]
    assert page.get_by_role("cell", name="Kieran Doyle").is_visible()
    assert page.get_by_role("cell", name="1995-09-12").is_visible()
    for secret in THEIR_PHONE:
        assert page.get_by_text(secret).count() == 0
    assert page.get_by_text("Phone", exact=True).count() == 0
    assert page.get_by_text(request.reference).first.is_visible()
    _fits(desktop, "disclosure")
    desktop.screenshot("matching-disclosure-desktop")


def test_the_matching_pages_fit_a_phone(phone: Any) -> None:
    world = build_world(build_cast())
    cast = world.cast
    hit = Hit.objects.get(kind=SelectorKind.PHONE)
    request = actions.do_request_disclosure(cast.investigator_id, hit, "The number called the skipper.")

    phone.sign_in(cast.analyst_au)
    for name, path in (
        ("hits", reverse("matching:hit_list")),
        ("hit", hit.get_absolute_url()),
        ("requests", reverse("matching:request_list")),
        ("decision", request.get_absolute_url()),
        ("uploads", reverse("matching:upload_list")),
        ("upload-form", reverse("matching:upload_create")),
    ):
        phone.goto(path)
        _fits(phone, name)
        phone.screenshot(f"matching-{name}-phone")
    actions.do_decide_disclosure(cast.analyst_au, request, grant="some", properties=["name", "birthDate"])
    phone.sign_out()
    phone.sign_in(cast.investigator_id)
    phone.goto(Disclosure.objects.get().get_absolute_url())
    _fits(phone, "disclosure")
    phone.screenshot("matching-disclosure-phone")
    phone.sign_out()
    phone.sign_in(cast.secretariat)
    for name, path in (("run", reverse("matching:run")), ("wide-values", reverse("matching:wide_values"))):
        phone.goto(path)
        _fits(phone, name)
        phone.screenshot(f"matching-{name}-phone")


def test_an_officer_uploads_selectors_and_the_secretariat_runs_matching(
    desktop: Any, settings: Any, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path
    settings.MATCHING_WIDE_VALUE_CAP = 3
    world = build_world(build_cast())
    cast = world.cast
    office = "+61 2 6131 3000"
    desks = [
        {"id": f"afp-desk-{n}", "schema": "Person", "properties": {"name": [f"Desk {n}"], "phone": [office]}}
        for n in range(4)
    ]
    fill(cast.analyst_au, "Switchboard", desks)
    liaison = {
        "id": "inp-liaison",
        "schema": "Person",
        "properties": {"name": ["Liaison"], "phone": [office]},
    }
    fill(cast.investigator_id, "Liaison list", [liaison])
    run_queued_jobs()
    encoded = tmp_path / "andaman.selectors.json"
    with encoded.open("w") as out:
        write_selector_file(THAI_RECORDS, current_keys()[0], out, default_country="th")
    page = desktop.page

    desktop.sign_in(cast.investigator_th)
    desktop.goto(reverse("matching:upload_list"))
    page.get_by_role("link", name="Upload selectors").click()
    page.wait_for_load_state()
    page.get_by_label("Name", exact=True).fill("Andaman watch list")
    page.get_by_label("Selectors file").set_input_files(str(encoded))
    _fits(desktop, "upload-form")
    desktop.screenshot("matching-upload-form-desktop")
    page.get_by_role("button", name="Upload and match").click()
    page.wait_for_load_state()
    assert page.locator("progress").is_visible()
    desktop.screenshot("matching-upload-queued-desktop")
    run_queued_jobs()
    # The page polls its progress; once the job is done it loads itself again.
    page.get_by_text("Matched", exact=True).wait_for(timeout=15_000)
    assert page.get_by_text("2 new hits").is_visible()
    _fits(desktop, "upload")
    desktop.screenshot("matching-upload-done-desktop")
    desktop.goto(reverse("matching:hit_list"))
    assert page.get_by_role("table", name="Hits").locator("tbody tr").count() == 2
    desktop.sign_out()

    desktop.sign_in(cast.secretariat)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Matching").click()
    page.wait_for_load_state()
    desktop.screenshot("matching-run-desktop")
    assert page.get_by_text("1 value held too widely awaits a decision.").is_visible()
    _fits(desktop, "run")
    page.get_by_role("button", name="Queue the job").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name=re.compile(r"Matching job \d+")).is_visible()
    run_queued_jobs()
    page.get_by_text("Done", exact=True).first.wait_for(timeout=15_000)
    desktop.screenshot("matching-job-desktop")
    desktop.goto(reverse("matching:wide_values"))
    assert page.get_by_text(office).count() == 0
    page.get_by_role("button", name=re.compile("^Exclude")).click()
    page.wait_for_load_state()
    assert page.get_by_text("excluded for good").is_visible()
    _fits(desktop, "wide-values")
    desktop.screenshot("matching-wide-values-desktop")
