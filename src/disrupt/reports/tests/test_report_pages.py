"""Report pages: start, edit, submit, decide, revise, history, joint figures, reconciliation."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from disrupt.conftest import Cast
from disrupt.directory.models import Country
from disrupt.reports import actions
from disrupt.reports.choices import ReportKind, VersionStatus
from disrupt.reports.models import Indicator, JointFigure, Report, ReportVersion

pytestmark = pytest.mark.django_db


def signed_in(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def indonesia_report(cast: Cast, submit: bool = True) -> Report:
    report = actions.do_start_report(
        cast.focal_id, cast.period, Country.objects.get(code="ID"), ReportKind.MIDTERM
    )
    arrests = Indicator.objects.get(code="arrests")
    actions.do_save_draft(
        cast.focal_id,
        report.versions.get(),
        {"what_was_done": "Patrols off Kupang"},
        [
            {"indicator": arrests, "plan": cast.plan, "value": 7, "description": "Boat crew"},
            {"indicator": Indicator.objects.get(code="training-sessions"), "plan": None, "value": 3},
        ],
    )
    if submit:
        actions.do_submit(cast.focal_id, report.versions.get())
    return report


def edit_data(version: ReportVersion, rows: list[dict[str, Any]], **narrative: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "lines-TOTAL_FORMS": str(len(rows)),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"lines-{i}-{key}"] = value
    for key, value in narrative.items():
        data[f"narrative-{key}"] = value
    return data


def test_a_focal_point_starts_edits_and_submits_through_the_pages(client: Client, cast: Cast) -> None:
    signed_in(client, cast.focal_id)
    page = client.get(reverse("reports:report_list"))
    assert page.status_code == 200 and b"Start a report" in page.content
    response = client.post(
        reverse("reports:report_start"), {"start-period": cast.period.pk, "start-kind": "midterm"}
    )
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    edit = reverse("reports:report_edit", args=[report.pk, 1])
    assert client.get(edit).status_code == 200
    arrests = Indicator.objects.get(code="arrests")
    response = client.post(
        edit,
        edit_data(
            report.current,  # type: ignore[arg-type]
            [
                {"indicator": arrests.pk, "plan": cast.plan.pk, "qualifier": "exact", "value": "5"},
                {
                    "indicator": arrests.pk,
                    "plan": "",
                    "qualifier": "at_least",
                    "value": "10",
                    "wording": "over",
                },
            ],
            what_was_done="Joint patrols",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    version = report.versions.get()
    assert [line.display for line in version.lines.all()] == ["5", "over 10"]
    detail = client.get(report.get_absolute_url())
    assert b"Joint patrols" in detail.content and b"over 10" in detail.content
    assert b"Submit version 1" in detail.content
    response = client.post(reverse("reports:report_submit", args=[report.pk, 1]))
    assert response.status_code == 302
    assert report.versions.get().status == VersionStatus.SUBMITTED


def test_bad_lines_show_errors_and_change_nothing(client: Client, cast: Cast) -> None:
    report = indonesia_report(cast, submit=False)
    signed_in(client, cast.focal_id)
    assets = Indicator.objects.get(code="assets-seized")
    response = client.post(
        reverse("reports:report_edit", args=[report.pk, 1]),
        edit_data(report.current, [{"indicator": assets.pk, "qualifier": "exact", "value": "100"}]),  # type: ignore[arg-type]
    )
    assert response.status_code == 200
    assert b"A money value needs its currency." in response.content
    assert report.versions.get().lines.count() == 2


def test_a_submitted_version_refuses_edits_through_the_pages(client: Client, cast: Cast) -> None:
    report = indonesia_report(cast)
    signed_in(client, cast.focal_id)
    edit = reverse("reports:report_edit", args=[report.pk, 1])
    arrests = Indicator.objects.get(code="arrests")
    assert client.get(edit).status_code == 403
    response = client.post(edit, edit_data(report.current, [{"indicator": arrests.pk, "value": "99"}]))  # type: ignore[arg-type]
    assert response.status_code == 403
    assert client.post(reverse("reports:report_submit", args=[report.pk, 1])).status_code == 403
    assert sorted(report.versions.get().lines.values_list("value", flat=True)) == [3, 7]


def test_return_resubmit_and_history(client: Client, cast: Cast) -> None:
    report = indonesia_report(cast)
    decide = reverse("reports:report_decide", args=[report.pk, 1])
    signed_in(client, cast.co_chair_other)
    assert client.get(decide).status_code == 404  # Fiji does not co-chair the 7th: the report is unknown
    signed_in(client, cast.focal_id)
    assert client.get(decide).status_code == 403
    signed_in(client, cast.co_chair)
    assert client.post(decide, {"decision": "return", "comment": ""}).status_code == 200
    client.post(decide, {"decision": "return", "comment": "Split the arrests by operation."})
    assert report.versions.get().status == VersionStatus.RETURNED

    signed_in(client, cast.focal_id)
    revise = reverse("reports:report_revise", args=[report.pk])
    response = client.post(revise, {"change_summary": "Arrests split by operation."})
    assert response.status_code == 302 and response["Location"] == reverse(
        "reports:report_edit", args=[report.pk, 2]
    )
    client.post(reverse("reports:report_submit", args=[report.pk, 2]))

    signed_in(client, cast.co_chair)
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Version 2 (shown)" in page
    assert "Split the arrests by operation." in page and "Arrests split by operation." in page
    old = client.get(reverse("reports:report_version", args=[report.pk, 1])).content.decode()
    assert "Returned with comments" in old and "Boat crew" in old


def test_a_co_chair_does_not_read_a_draft(client: Client, cast: Cast) -> None:
    report = indonesia_report(cast, submit=False)
    signed_in(client, cast.co_chair)
    page = client.get(report.get_absolute_url())
    assert page.status_code == 200 and b"Boat crew" not in page.content
    assert client.get(reverse("reports:report_version", args=[report.pk, 1])).status_code == 404


def test_outsiders_get_404(client: Client, cast: Cast) -> None:
    report = indonesia_report(cast)
    for user in (cast.investigator_th, cast.observer, cast.focal_au, cast.co_chair_other):
        signed_in(client, user)
        assert client.get(report.get_absolute_url()).status_code == 404
        assert client.get(reverse("reports:report_version", args=[report.pk, 1])).status_code == 404
        listing = client.get(reverse("reports:report_list"))
        assert report.get_absolute_url().encode() not in listing.content


def test_the_plan_page_shows_partners_the_plans_lines_only(client: Client, cast: Cast) -> None:
    indonesia_report(cast)
    signed_in(client, cast.analyst_au)
    page = client.get(cast.plan.get_absolute_url()).content.decode()
    assert "Reported outcomes" in page and "Arrests" in page
    assert "Training sessions" not in page  # a general-activity line of Indonesia's
    signed_in(client, cast.investigator_th)
    page = client.get(cast.plan.get_absolute_url()).content.decode()
    assert "Reported outcomes" in page and "Arrests" not in page


def test_declaring_a_joint_figure_and_reconciling(client: Client, cast: Cast) -> None:
    report = indonesia_report(cast, submit=False)
    line = report.versions.get().lines.get(plan=cast.plan)
    signed_in(client, cast.focal_id)
    url = reverse("reports:line_joint", args=[report.pk, 1, line.pk])
    assert client.get(url).status_code == 200
    australia = Country.objects.get(code="AU")
    response = client.post(url, {"partners": [australia.pk], "description": "Kupang crew"})
    assert response.status_code == 302
    joint = JointFigure.objects.get()
    client.post(reverse("reports:report_submit", args=[report.pk, 1]))

    reconcile = reverse("reports:reconciliation", args=[cast.period.number])
    for user in (cast.focal_id, cast.investigator_th, cast.co_chair_other):
        signed_in(client, user)
        assert client.get(reconcile).status_code == 403
    signed_in(client, cast.co_chair)
    page = client.get(reconcile).content.decode()
    assert "Kupang crew" in page and "Awaiting partners" in page and "Australia: awaiting" in page
    assert joint.description == "Kupang crew"


def test_the_draft_offers_the_enquiries_sent_through_disrupt(client: Client, cast: Cast) -> None:
    from disrupt.directory.models import Agency
    from disrupt.exchange.actions import do_send_enquiry

    report = indonesia_report(cast, submit=False)
    edit = reverse("reports:report_edit", args=[report.pk, 1])
    signed_in(client, cast.focal_id)
    assert b"Enquiries sent this cycle through Disrupt" not in client.get(edit).content  # none sent yet
    for subject in ("Crew list", "Vessel owner"):
        do_send_enquiry(
            cast.investigator_id,
            recipients=[Agency.objects.get(short_name="AFP")],
            subject=subject,
            body="Please.",
        )
    page = client.get(edit).content.decode()
    assert "Enquiries sent this cycle through Disrupt: 2" in page
    prefilled = client.get(edit + "?use=enquiries").content.decode()
    enquiries = Indicator.objects.get(code="enquiries")
    assert f'<option value="{enquiries.pk}" selected>' in prefilled
    assert 'name="lines-2-value" value="2"' in prefilled


def test_the_report_list_costs_the_same_for_more_reports(client: Client, cast: Cast) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    signed_in(client, cast.secretariat)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("reports:report_list")).status_code == 200
        return len(captured)

    indonesia_report(cast)
    few = count()
    for code, user in (("AU", cast.focal_au),):
        report = actions.do_start_report(user, cast.period, Country.objects.get(code=code), ReportKind.FINAL)
        actions.do_submit(user, report.versions.get())
    actions.do_start_report(cast.focal_id, cast.period, Country.objects.get(code="ID"), ReportKind.FINAL)
    assert count() == few


def test_a_partner_confirms_a_joint_figure_on_its_draft(client: Client, cast: Cast) -> None:
    indonesia = indonesia_report(cast, submit=False)
    joint = actions.do_declare_joint(
        cast.focal_id,
        indonesia.versions.get().lines.get(plan=cast.plan),
        [Country.objects.get(code="AU")],
        "Kupang crew",
    )
    australia = actions.do_start_report(cast.focal_au, cast.period, Country.objects.get(code="AU"), "midterm")
    edit = reverse("reports:report_edit", args=[australia.pk, 1])
    signed_in(client, cast.focal_au)
    assert "Kupang crew" in client.get(edit).content.decode()  # offered in the line's joint field
    arrests = Indicator.objects.get(code="arrests")
    row = {
        "indicator": arrests.pk,
        "plan": cast.plan.pk,
        "qualifier": "exact",
        "value": "7",
        "joint": joint.pk,
    }
    response = client.post(edit, edit_data(australia.versions.get(), [row]))
    assert response.status_code == 302
    assert australia.versions.get().lines.get().joint == joint
    # A general-activity line cannot count a plan's joint figure.
    row.update(plan="")
    response = client.post(edit, edit_data(australia.versions.get(), [row]))
    assert response.status_code == 200 and "That joint figure is about JPA7-01" in response.content.decode()
