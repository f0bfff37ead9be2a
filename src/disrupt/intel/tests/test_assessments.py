"""Syndicate assessments: drafted from a community, saved in versions by the author's agency,
read by those it is shared with, refused to everyone else; the DOCX carries the marking."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import Client
from django.urls import reverse
from docx import Document

from disrupt.access.choices import HandlingCode
from disrupt.audit.choices import AuditAction
from disrupt.audit.models import AuditEntry
from disrupt.conftest import Cast
from disrupt.intel.actions import do_request_analysis, do_save_assessment
from disrupt.intel.assessments import draft_from_community
from disrupt.intel.models import AnalysisNode, AnalysisRun, Assessment
from disrupt.intel.tests.analysis_scenario import Scenario, three_countries
from disrupt.lib.documents import docx_text
from disrupt.notifications.tests.helpers import run_queued_jobs

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(cast: Cast) -> Scenario:
    return three_countries(cast)


@pytest.fixture
def run(scenario: Scenario, django_capture_on_commit_callbacks: Any) -> AnalysisRun:
    with django_capture_on_commit_callbacks(execute=True):
        run = do_request_analysis(scenario.cast.analyst_au, [scenario.au, scenario.id])
    run_queued_jobs()
    run.refresh_from_db()
    return run


def _community_of(run: AnalysisRun, ftm_id: str) -> int:
    return AnalysisNode.objects.get(run=run, ftm_id=ftm_id).community


def _form(run: AnalysisRun, members: list[dict[str, str]], **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Southern Crossing Group",
        "handling_code": HandlingCode.AMBER,
        "summary": "Recruits in Kupang.",
        "modus_operandi": "Fishing boats from Rote.",
        "financial_network": "Structured deposits under the threshold.",
        "routes": "Kupang → Rote → Ashmore Reef, by sea.",
        "members-TOTAL_FORMS": str(len(members)),
        "members-INITIAL_FORMS": str(len(members)),
        **extra,
    }
    for index, member in enumerate(members):
        for key, value in member.items():
            data[f"members-{index}-{key}"] = value
    return data


def test_the_draft_brings_members_roles_countries_and_money(scenario: Scenario, run: AnalysisRun) -> None:
    number = _community_of(run, "p-a")
    draft = draft_from_community(run, scenario.cast.analyst_au, number)
    members = {m["ftm_id"]: m for m in draft["members"]}
    assert "p-a" in members and members["p-a"]["role"] == "recruiter"
    assert "p-x" not in members
    assert [c.code for c in draft["countries"]] == ["AU"]
    assert str(number) in draft["title"] and "candidate syndicate" in draft["summary"]


def test_the_new_form_is_filled_from_the_community(
    client: Client, scenario: Scenario, run: AnalysisRun
) -> None:
    client.force_login(scenario.cast.analyst_au)
    number = _community_of(run, "p-a")
    url = reverse("intel:assessment_create") + f"?analysis={run.pk}&community={number}"
    page = client.get(url).content.decode()
    assert "Arlo Venn" in page and 'value="recruiter"' in page
    assert 'value="amber" checked' in page or 'value="amber"\n' in page or "checked" in page


def test_saving_from_the_page_writes_the_members_and_audits(
    client: Client, scenario: Scenario, run: AnalysisRun
) -> None:
    client.force_login(scenario.cast.analyst_au)
    number = _community_of(run, "p-a")
    members = [
        {"ftm_id": "p-a", "role": "organiser", "keep": "on"},
        {"ftm_id": "p-b", "role": "transporter", "keep": "on"},
        {"ftm_id": "p-c", "role": "", "keep": ""},
    ]
    url = reverse("intel:assessment_create") + f"?analysis={run.pk}&community={number}"
    response = client.post(url, _form(run, members))
    assessment = Assessment.objects.get()
    assert response.status_code == 302 and response["Location"] == assessment.get_absolute_url()
    assert [(m.ftm_id, m.caption, m.role) for m in assessment.members.all()] == [
        ("p-a", "Arlo Venn", "organiser"),
        ("p-b", "Brin Tassel", "transporter"),
    ]
    assert assessment.analysis == run and assessment.community == number and assessment.version == 1
    assert AuditEntry.objects.filter(action=AuditAction.ASSESSMENT_SAVED, detail__version=1).exists()


def test_a_member_the_author_cannot_read_is_refused(scenario: Scenario) -> None:
    with pytest.raises(ValidationError, match="No such entity: p-x"):
        do_save_assessment(scenario.cast.analyst_au, title="T", members=[{"ftm_id": "p-x", "role": "broker"}])
    assert not Assessment.objects.exists()


def test_another_users_analysis_is_not_found(scenario: Scenario, run: AnalysisRun) -> None:
    with pytest.raises(Http404):
        do_save_assessment(scenario.cast.focal_au, title="T", analysis=run, community=0)


def test_an_observer_cannot_write_one(client: Client, scenario: Scenario) -> None:
    with pytest.raises(PermissionDenied):
        do_save_assessment(scenario.cast.observer, title="T")
    client.force_login(scenario.cast.observer)
    assert client.get(reverse("intel:assessment_create")).status_code == 403


@pytest.fixture
def assessment(scenario: Scenario, run: AnalysisRun) -> Assessment:
    return do_save_assessment(
        scenario.cast.analyst_au,
        title="Southern Crossing Group",
        summary="Recruits in Kupang.",
        handling_code=HandlingCode.AMBER,
        members=[{"ftm_id": "p-a", "role": "organiser"}, {"ftm_id": "p-d", "role": "money handler"}],
        analysis=run,
        community=_community_of(run, "p-a"),
    )


def test_the_owner_edits_and_the_version_goes_up(
    client: Client, scenario: Scenario, assessment: Assessment
) -> None:
    client.force_login(scenario.cast.focal_au)  # the AFP's focal point: same agency as the author
    form = client.get(reverse("intel:assessment_edit", args=[assessment.pk])).content.decode()
    assert "Saving makes version 2" in form
    members = [
        {"ftm_id": "p-a", "caption": "Arlo Venn", "role": "organiser", "keep": "on"},
        {"ftm_id": "p-d", "caption": "Dewi Larang", "role": "", "keep": ""},
    ]
    response = client.post(
        reverse("intel:assessment_edit", args=[assessment.pk]), _form(AnalysisRun(), members)
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.version == 2 and assessment.updated_by == scenario.cast.focal_au
    assert [m.ftm_id for m in assessment.members.all()] == ["p-a"]


def test_a_kept_member_stays_as_written_after_the_entity_changes(
    scenario: Scenario, assessment: Assessment
) -> None:
    from disrupt.intel.models import Entity

    Entity.objects.filter(ftm_id="p-a").update(caption="Renamed")
    saved = do_save_assessment(
        scenario.cast.analyst_au,
        title="T2",
        members=[{"ftm_id": "p-a", "role": "leader"}],
        assessment=assessment,
    )
    assert [(m.caption, m.role) for m in saved.members.all()] == [("Arlo Venn", "leader")]


def test_a_reader_it_is_shared_with_reads_but_cannot_edit(
    client: Client, scenario: Scenario, assessment: Assessment
) -> None:
    assessment.shared_agencies.add(scenario.id.owner_agency)  # the Indonesian police
    client.force_login(scenario.cast.investigator_id)
    page = client.get(assessment.get_absolute_url()).content.decode()
    assert "Southern Crossing Group" in page and "Arlo Venn" in page
    assert reverse("intel:assessment_edit", args=[assessment.pk]) not in page
    assert client.get(reverse("intel:assessment_edit", args=[assessment.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        do_save_assessment(scenario.cast.investigator_id, title="Mine now", assessment=assessment)
    # The analysis it began from is its requester's only: not linked for this reader.
    assert reverse("intel:analysis_detail", args=[assessment.analysis_id]) not in page


@pytest.mark.parametrize("who", ["investigator_th", "observer", "investigator_au_abf", "investigator_id"])
def test_others_get_404(client: Client, scenario: Scenario, assessment: Assessment, who: str) -> None:
    client.force_login(getattr(scenario.cast, who))
    for name in ("assessment_detail", "assessment_edit", "assessment_docx"):
        assert client.get(reverse(f"intel:{name}", args=[assessment.pk])).status_code == 404, name
    assert "Southern Crossing" not in client.get(reverse("intel:assessment_list")).content.decode()


def test_the_docx_has_the_marking_the_members_and_is_recorded(
    client: Client, scenario: Scenario, assessment: Assessment
) -> None:
    client.force_login(scenario.cast.analyst_au)
    response = client.get(reverse("intel:assessment_docx", args=[assessment.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="assessment-')
    text = docx_text(response.content)
    assert "TLP:AMBER" in text.splitlines()[0]
    assert "Arlo Venn (AU), Person — organiser" in text and "Dewi Larang (ID), Person — money handler" in text
    document = Document(io.BytesIO(response.content))
    assert document.sections[0].header.paragraphs[0].text == "TLP:AMBER"
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT, detail__of="assessment").exists()


def test_the_page_shows_the_written_bullets_as_a_list(
    client: Client, scenario: Scenario, assessment: Assessment
) -> None:
    Assessment.objects.filter(pk=assessment.pk).update(
        financial_network="Money moves through two accounts.\n\n- Paid out: 9,500 AUD\n- Paid in: 4,000 AUD"
    )
    client.force_login(scenario.cast.analyst_au)
    page = client.get(assessment.get_absolute_url()).content.decode()
    assert "<p>Money moves through two accounts.</p>" in page
    assert "<ul><li>Paid out: 9,500 AUD</li><li>Paid in: 4,000 AUD</li></ul>" in page
    assert "- Paid out" not in page
    assert '<p class="empty">Not written yet.</p>' in page  # the routes
