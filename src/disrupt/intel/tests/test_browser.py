"""In the browser: an analyst imports a small FtM file, runs the analysis, opens the network
view, selects a community and exports its assessment as DOCX; and the pages fit a phone.

Queued jobs run with the real task code in the test thread, as the other browser tests do
(notifications/tests/helpers.py), after the click that queued them."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from docx import Document

from disrupt.access.choices import HandlingCode
from disrupt.conftest import build_cast
from disrupt.intel import actions
from disrupt.intel.models import AnalysisNode, AnalysisRun, Assessment, ImportJob
from disrupt.notifications.tests.helpers import run_queued_jobs

pytestmark = pytest.mark.browser

# Two small syndicates, tied by one payment: fictional names.
PEOPLE = {
    "n1": ("Arlo Venn", "au", "recruiter"),
    "n2": ("Brin Tassel", "au", "transporter"),
    "n3": ("Cade Morrow", "id", "money handler"),
    "n4": ("Dewi Larang", "id", "document forger"),
    "s1": ("Eka Sumbang", "th", "recruiter"),
    "s2": ("Fajar Ombak", "th", "transporter"),
    "s3": ("Gita Rantau", "my", "money handler"),
}


def _network_file() -> bytes:
    entities: list[dict[str, Any]] = []
    for ftm_id, (name, country, _) in PEOPLE.items():
        entities.append(
            {"id": ftm_id, "schema": "Person", "properties": {"name": [name], "country": [country]}}
        )
    entities += [
        {"id": "org-north", "schema": "Organization", "properties": {"name": ["Northern Reef Group"]}},
        {"id": "org-south", "schema": "Organization", "properties": {"name": ["Straits Passage Crew"]}},
    ]
    for ftm_id, (_, _, role) in PEOPLE.items():
        org = "org-north" if ftm_id.startswith("n") else "org-south"
        entities.append(
            {
                "id": f"m-{ftm_id}",
                "schema": "Membership",
                "properties": {"member": [ftm_id], "organization": [org], "role": [role]},
            }
        )
    for a, b in (
        ("n1", "n2"),
        ("n2", "n3"),
        ("n3", "n4"),
        ("n1", "n4"),
        ("s1", "s2"),
        ("s2", "s3"),
        ("s1", "s3"),
    ):
        entities.append(
            {"id": f"a-{a}-{b}", "schema": "Associate", "properties": {"person": [a], "associate": [b]}}
        )
    entities.append(
        {
            "id": "pay-1",
            "schema": "Payment",
            "properties": {"payer": ["n3"], "beneficiary": ["s3"], "amount": ["9500"], "currency": ["AUD"]},
        }
    )
    return "".join(json.dumps(e) + "\n" for e in entities).encode()


def _fits(session: Any, name: str) -> None:
    assert session.page.get_by_role("heading", level=1).count() == 1, name
    assert session.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), name


def test_an_analyst_imports_analyses_selects_a_community_and_exports_its_assessment(
    desktop: Any, tmp_path: Path, settings: Any
) -> None:
    settings.DATA_DIR = tmp_path
    cast = build_cast()
    collection = actions.do_create_collection(
        cast.analyst_au, name="Reef crossing", handling_code=HandlingCode.AMBER
    )
    upload = tmp_path / "reef.ftm.json"
    upload.write_bytes(_network_file())
    page = desktop.page

    desktop.sign_in(cast.analyst_au)
    desktop.goto(collection.get_absolute_url())
    page.get_by_role("link", name="Import entities").click()
    page.wait_for_load_state()
    _fits(desktop, "import-form")
    desktop.screenshot("intel-import-form-desktop")
    page.get_by_label("File").set_input_files(str(upload))
    page.get_by_role("button", name="Start the import").click()
    page.wait_for_load_state()
    job = ImportJob.objects.get()
    assert page.url.endswith(job.get_absolute_url())
    assert page.locator("progress").is_visible()
    desktop.screenshot("intel-import-queued-desktop")

    run_queued_jobs()
    # The page polls its progress; once the job is done it loads itself again.
    page.get_by_text("Imported", exact=True).wait_for(timeout=15_000)
    assert page.get_by_text("24 entities added").is_visible()
    _fits(desktop, "import-detail")
    desktop.screenshot("intel-import-done-desktop")

    page.get_by_role("link", name="Open the collection").click()
    page.wait_for_load_state()
    desktop.screenshot("intel-collection-desktop")
    page.get_by_role("link", name="Analyse", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_label(re.compile("Reef crossing")).is_checked()
    page.get_by_role("button", name="Run the analysis").click()
    page.wait_for_load_state()
    run = AnalysisRun.objects.get()
    assert page.url.endswith(run.get_absolute_url())

    run_queued_jobs()
    page.get_by_role("link", name="Open the network").wait_for(timeout=15_000)
    _fits(desktop, "analysis-detail")
    desktop.screenshot("intel-analysis-desktop")
    page.get_by_role("link", name="Open the network").click()
    page.wait_for_load_state()
    page.get_by_text(re.compile(r"\d+ entities, \d+ links")).wait_for(timeout=15_000)
    assert page.locator("#network").get_attribute("data-nodes") == "9"  # 7 people, 2 organisations
    desktop.screenshot("intel-network-desktop")

    north = AnalysisNode.objects.get(run=run, ftm_id="n1").community
    page.get_by_role("combobox", name="Community").select_option(str(north))
    page.get_by_role("button", name="Show").click()
    panel = page.locator("#community-panel")
    panel.wait_for(state="visible", timeout=15_000)
    assert panel.get_by_text(re.compile(r"\d+ members shown")).is_visible()
    _fits(desktop, "network")
    desktop.screenshot("intel-network-community-desktop")

    page.get_by_role("link", name="Write an assessment of this community").click()
    page.wait_for_load_state()
    assert page.get_by_role("cell", name="Arlo Venn", exact=True).is_visible()
    assert page.get_by_label("Role of Arlo Venn").input_value() == "recruiter"
    page.get_by_label("Modus operandi").fill("Recruits passengers in Kupang; boats leave from Rote.")
    page.get_by_label("Role of Cade Morrow").fill("organiser and money handler")
    _fits(desktop, "assessment-form")
    desktop.screenshot("intel-assessment-form-desktop")
    page.get_by_role("button", name="Save the assessment").click()
    page.wait_for_load_state()
    assessment = Assessment.objects.get()
    assert page.url.endswith(assessment.get_absolute_url())
    _fits(desktop, "assessment-detail")
    desktop.screenshot("intel-assessment-desktop")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download DOCX").click()
    download = download_info.value
    document = Document(io.BytesIO(Path(download.path()).read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    for name in ("Arlo Venn", "Brin Tassel", "Cade Morrow", "Dewi Larang"):
        assert name in text, name
    assert "Eka Sumbang" not in text
    assert "Cade Morrow (ID), Person — organiser and money handler" in text
    assert document.sections[0].header.paragraphs[0].text == "TLP:AMBER"


def test_the_intel_pages_fit_a_phone(phone: Any, tmp_path: Path, settings: Any) -> None:
    settings.DATA_DIR = tmp_path
    cast = build_cast()
    collection = actions.do_create_collection(cast.analyst_au, name="Reef crossing")
    job = actions.do_start_import(
        cast.analyst_au, collection, name="reef.ftm.json", stream=io.BytesIO(_network_file())
    )
    run_queued_jobs()
    run = actions.do_request_analysis(cast.analyst_au, [collection])
    run_queued_jobs()
    run.refresh_from_db()
    north = AnalysisNode.objects.get(run=run, ftm_id="n1").community
    assessment = actions.do_save_assessment(
        cast.analyst_au,
        title="Northern Reef Group",
        summary="Recruits in Kupang.",
        members=[{"ftm_id": "n1", "role": "recruiter"}, {"ftm_id": "n3", "role": "money handler"}],
        analysis=run,
        community=north,
    )
    phone.sign_in(cast.analyst_au)
    for name, path in (
        ("collections", reverse("intel:collection_list")),
        ("collection", collection.get_absolute_url()),
        ("import", job.get_absolute_url()),
        ("analysis", run.get_absolute_url()),
        ("network", reverse("intel:network", args=[run.pk])),
        ("money", reverse("intel:money", args=[run.pk])),
        ("assessment", assessment.get_absolute_url()),
    ):
        phone.goto(path)
        if name == "network":
            phone.page.get_by_text(re.compile(r"\d+ entities")).wait_for(timeout=15_000)
        _fits(phone, name)
        phone.screenshot(f"intel-{name}-phone")
