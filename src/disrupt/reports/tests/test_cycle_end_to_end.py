"""One cycle end to end, through the real actions and pages: reports in, totals and summary out.

Indonesia, Australia and Thailand report on the 7th period. Indonesia fills its report
through the XLSX round trip; Thailand's report is returned and resubmitted (the new version
filled through a workbook too); Australia corrects its accepted report with a new version.
Indonesia and Australia both report the arrests of one joint operation under JPA7-01 and
mark them as one joint figure. The totals
and the generated outcome summary must be exactly what the standing lines add up to, with
the joint arrests counted once.
"""

from __future__ import annotations

import io
from typing import Any

import docx
import pytest
from django.test import Client

from disrupt.conftest import Cast, make_agency, make_user
from disrupt.directory.choices import RoleCode
from disrupt.directory.models import Country, User
from disrupt.reports import actions, publishing, totals
from disrupt.reports.choices import PublicationKind, Qualifier, ReportKind, VersionStatus
from disrupt.reports.joint import JointState, reconciliation_for
from disrupt.reports.models import Indicator, OutcomeLine, Report, ReportVersion
from disrupt.reports.quantities import Quantity
from disrupt.reports.tests.test_spreadsheet import download, fill, row_of, save, upload, workbook

pytestmark = pytest.mark.django_db


def line(code: str, quantity: str, plan: Any = None, **extra: Any) -> dict[str, Any]:
    """A line dict for `do_save_draft` from the group's words: "12", "over 50", "numerous"."""
    parsed = Quantity.parse(quantity)
    return {
        "indicator": Indicator.objects.get(code=code),
        "plan": plan,
        "qualifier": parsed.qualifier,
        "value": parsed.value,
        "wording": parsed.wording,
        **extra,
    }


def start(user: User, cast: Cast, code: str) -> ReportVersion:
    report = actions.do_start_report(user, cast.period, Country.objects.get(code=code), ReportKind.FINAL)
    assert report.current is not None
    return report.current


def arrests_line(version: ReportVersion, plan: Any) -> OutcomeLine:
    return version.lines.get(indicator__code="arrests", plan=plan)


def test_a_cycle_from_reports_to_published_summary(client: Client, cast: Cast) -> None:
    focal_th = make_user(
        "focal@rtp.test", "Tida Focal", make_agency("Royal Thai Police", "TH"), RoleCode.FOCAL_POINT
    )
    australia = Country.objects.get(code="AU")

    # --- Indonesia: the XLSX round trip, then the joint arrests declared, then submitted.
    indonesia = start(cast.focal_id, cast, "ID")
    book = workbook(download(client, cast.focal_id, indonesia))
    fill(book, "arrests", cast.plan, "exact", 10, description="Crew of the Kupang venture")
    fill(book, "search-warrants", cast.plan, None, 3)
    fill(book, "victims-rescued", None, "exact", 6)
    fill(book, "enquiries", None, "over", 20)
    book["Narrative"]["B2"] = "Patrols and arrests in Kupang."
    response = upload(client, cast.focal_id, indonesia, save(book))
    assert response.status_code == 302, response.context and response.context["problems"]
    joint = actions.do_declare_joint(
        cast.focal_id, arrests_line(indonesia, cast.plan), [australia], "Arrests of the Kupang crew"
    )
    actions.do_submit(cast.focal_id, indonesia)

    # --- Australia: the same arrests confirmed as the joint figure, plus its own figures.
    australia_v1 = start(cast.focal_au, cast, "AU")
    actions.do_save_draft(
        cast.focal_au,
        australia_v1,
        {"what_was_done": "Intelligence support to the Kupang operation."},
        [
            line("arrests", "10", cast.plan),
            line("arrests", "4"),
            line("officers-trained", "over 50"),
            line("enquiries", "numerous", cast.plan),
        ],
    )
    actions.do_attach_joint(cast.focal_au, arrests_line(australia_v1, cast.plan), joint)
    actions.do_submit(cast.focal_au, australia_v1)

    # --- Thailand: returned with a comment, revised, resubmitted.
    thailand_v1 = start(focal_th, cast, "TH")
    actions.do_save_draft(focal_th, thailand_v1, {}, [line("arrests", "2"), line("victims-rescued", "7")])
    actions.do_submit(focal_th, thailand_v1)
    actions.do_return(cast.co_chair, thailand_v1, "The arrests in Chiang Rai are missing.")
    thailand_v2 = actions.do_revise(focal_th, thailand_v1.report, "Added the Chiang Rai arrest.")
    # The resubmission too goes through a workbook: version 2's template holds version 1's lines.
    book = workbook(download(client, focal_th, thailand_v2))
    assert book["Outcomes"][f"D{row_of(book, 'arrests', None)}"].value == 2
    fill(book, "arrests", None, "exact", 3, description="Including the Chiang Rai arrest")
    assert upload(client, focal_th, thailand_v2, save(book)).status_code == 302
    actions.do_submit(focal_th, thailand_v2)

    for version in (indonesia, australia_v1, thailand_v2):
        actions.do_accept(cast.co_chair, version)

    # --- Australia corrects its accepted report: a new version says what changed and why.
    australia_v2 = actions.do_revise(
        cast.focal_au, australia_v1.report, "Officers trained now counted exactly."
    )
    actions.do_save_draft(
        cast.focal_au,
        australia_v2,
        {},
        [
            line("arrests", "10", cast.plan),
            line("arrests", "4"),
            line("officers-trained", "55"),
            line("enquiries", "numerous", cast.plan),
        ],
    )
    actions.do_submit(cast.focal_au, australia_v2)
    actions.do_accept(cast.co_chair, australia_v2)

    # The history stays: every version with where it stands.
    def history(code: str) -> list[tuple[int, str]]:
        report = Report.objects.get(period=cast.period, country__code=code, kind=ReportKind.FINAL)
        return list(report.versions.order_by("number").values_list("number", "status"))

    assert history("ID") == [(1, VersionStatus.ACCEPTED)]
    assert history("TH") == [(1, VersionStatus.RETURNED), (2, VersionStatus.ACCEPTED)]
    assert history("AU") == [(1, VersionStatus.SUPERSEDED), (2, VersionStatus.ACCEPTED)]
    assert australia_v2.change_summary == "Officers trained now counted exactly."
    # The correction kept the joint mark through the new version and its redraft.
    assert arrests_line(australia_v2, cast.plan).joint == joint

    # --- The joint arrests: confirmed by both countries, counted once.
    [reconciled] = reconciliation_for(cast.co_chair, cast.period)
    assert reconciled.joint == joint
    assert reconciled.state == JointState.CONFIRMED
    assert reconciled.quantity == Quantity.exact(10)
    assert reconciled.counted_separately == Quantity.exact(20)  # the double count avoided

    # --- Totals: exactly what the standing lines add up to.
    counted = totals.counted_lines(cast.co_chair, period=cast.period)
    reports_counted = set(counted.values_list("version__report__country__code", "version__number"))
    assert reports_counted == {("AU", 2), ("ID", 1), ("TH", 2)}
    shown = {indicator.code: total.display for indicator, total in totals.indicator_totals(counted).items()}
    assert shown == {
        "victims-rescued": "13",  # 6 + 7
        "search-warrants": "3",
        "arrests": "17",  # joint 10 once + Australia 4 + Thailand 3 (its resubmission)
        "enquiries": "at least 20, plus numerous",  # over 20 + numerous
        "officers-trained": "55",  # the correction, not the superseded "over 50"
    }
    # Thailand works on neither plan: its total holds only what it may see, its own lines.
    thai_view = totals.indicator_totals(totals.counted_lines(focal_th, period=cast.period))
    assert {i.code: t.display for i, t in thai_view.items()} == {"victims-rescued": "7", "arrests": "3"}

    # --- The generated outcome summary says the same figures, in the group's register.
    summary = publishing.do_generate(cast.co_chair, cast.period, PublicationKind.OUTCOME_SUMMARY)
    assert summary.figures == shown
    body = summary.body
    bullets = [
        "Rescued 13 trafficked victims",
        "Executed three search warrants",
        "Made 17 arrests",
        "Made numerous bilateral and international enquiries to progress trafficking in persons and "
        "people smuggling investigations (at least 20 counted, the rest not quantified)",
        "Trained 55 officers",
    ]
    expected = "In total, authorities in the four countries:\n\n" + "".join(f"• {b}\n" for b in bullets)
    assert expected in body, body
    assert "over 50" not in body and "20 arrests" not in body
    assert all(line.qualifier != Qualifier.UNQUANTIFIED or line.value is None for line in counted)

    # --- The co-chairs approve the summary; its DOCX holds the same figures.
    approved = publishing.do_approve(cast.co_chair, summary)
    document = docx.Document(io.BytesIO(publishing.do_download(cast.co_chair, approved)))
    paragraphs = [paragraph.text for paragraph in document.paragraphs]
    assert all(bullet in paragraphs for bullet in bullets), paragraphs
