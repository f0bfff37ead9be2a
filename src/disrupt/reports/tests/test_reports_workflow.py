"""The report workflow: draft, submit, return, resubmit, accept, correct; submitted versions never change."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from disrupt.audit.choices import AuditAction
from disrupt.audit.models import AuditEntry
from disrupt.conftest import Cast
from disrupt.directory.models import Country
from disrupt.programme.models import Plan
from disrupt.reports import actions
from disrupt.reports.choices import Qualifier, ReportKind, VersionStatus
from disrupt.reports.models import Indicator, OutcomeLine, Report, ReportVersion
from disrupt.reports.models.reports import ReportIsLocked

pytestmark = pytest.mark.django_db


def line(code: str, value: int | None, plan: Plan | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "indicator": Indicator.objects.get(code=code),
        "plan": plan,
        "qualifier": extra.pop("qualifier", Qualifier.EXACT),
        "value": value,
        **extra,
    }


def start(cast: Cast) -> Report:
    return actions.do_start_report(
        cast.focal_id, cast.period, Country.objects.get(code="ID"), ReportKind.MIDTERM
    )


def test_it_starts_a_report_with_a_draft_first_version(cast: Cast) -> None:
    report = start(cast)
    assert [(v.number, v.status) for v in report.versions.all()] == [(1, VersionStatus.DRAFT)]
    assert AuditEntry.objects.filter(
        action=AuditAction.REPORT_STARTED, target_id=str(report.current.pk)
    ).exists()


def test_it_refuses_to_start_for_another_country_or_a_non_participant(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        actions.do_start_report(
            cast.focal_au, cast.period, Country.objects.get(code="ID"), ReportKind.MIDTERM
        )
    with pytest.raises(PermissionDenied):
        actions.do_start_report(cast.investigator_id, cast.period, Country.objects.get(code="ID"), "midterm")
    cast.period.participants.remove(Country.objects.get(code="ID"))
    with pytest.raises(PermissionDenied):
        start(cast)
    assert not Report.objects.exists()


def test_it_refuses_to_start_a_report_for_a_closed_period(cast: Cast) -> None:
    cast.period.status = "closed"
    cast.period.save(update_fields=["status"])
    with pytest.raises(ValidationError):
        start(cast)
    assert not Report.objects.exists()


def test_it_refuses_a_second_report_of_the_same_kind(cast: Cast) -> None:
    start(cast)
    with pytest.raises(ValidationError):
        start(cast)


def test_saving_a_draft_replaces_narrative_and_lines(cast: Cast) -> None:
    version = start(cast).current
    actions.do_save_draft(
        cast.focal_id, version, {"what_was_done": "Joint patrols"}, [line("arrests", 4, cast.plan)]
    )
    actions.do_save_draft(
        cast.focal_id,
        version,
        {"intelligence": "Boats from Kupang"},
        [line("arrests", 5, cast.plan), line("officers-trained", 70, qualifier=Qualifier.AT_LEAST)],
    )
    version.refresh_from_db()
    assert version.what_was_done == "Joint patrols"
    assert version.intelligence == "Boats from Kupang"
    assert [(x.indicator.code, x.display, x.plan_id) for x in version.lines.all()] == [
        ("arrests", "5", cast.plan.pk),
        ("officers-trained", "over 70", None),
    ]


def test_it_refuses_bad_lines_all_or_nothing(cast: Cast) -> None:
    version = start(cast).current
    actions.do_save_draft(cast.focal_id, version, {}, [line("arrests", 4)])
    outside = Plan.objects.create(
        reference="JPA7-09", title="Elsewhere", lead_country=Country.objects.get(code="TH")
    )
    outside.periods.set([cast.period])
    with pytest.raises(ValidationError) as caught:
        actions.do_save_draft(
            cast.focal_id,
            version,
            {"what_was_done": "changed"},
            [
                line("arrests", 9),
                line("arrests", 3, outside),
                line("arrests", None),
                line("assets-seized", 10),
            ],
        )
    errors = caught.value.message_dict
    assert "lines.2.plan" in errors and "JPA7-09" in errors["lines.2.plan"][0]
    assert "lines.3.value" in errors
    assert "lines.4.currency" in errors
    version.refresh_from_db()
    assert version.what_was_done == ""
    assert [x.value for x in version.lines.all()] == [4]


def test_only_the_reporting_countrys_focal_point_saves(cast: Cast) -> None:
    version = start(cast).current
    for user in (cast.investigator_id, cast.focal_au, cast.secretariat, cast.co_chair):
        with pytest.raises(PermissionDenied):
            actions.do_save_draft(user, version, {}, [line("arrests", 1)])


def test_a_submitted_version_never_changes(cast: Cast) -> None:
    version = start(cast).current
    actions.do_save_draft(cast.focal_id, version, {}, [line("arrests", 4, cast.plan)])
    actions.do_submit(cast.focal_id, version)
    version.refresh_from_db()
    assert version.status == VersionStatus.SUBMITTED
    assert version.submitted_by == cast.focal_id and version.submitted_at is not None
    with pytest.raises(ValidationError):
        actions.do_save_draft(cast.focal_id, version, {}, [line("arrests", 40)])
    stored = version.lines.get()
    stored.value = 40
    with pytest.raises(ReportIsLocked):
        stored.save()
    with pytest.raises(ReportIsLocked):
        OutcomeLine(version=version, indicator=stored.indicator, value=1).save()
    with pytest.raises(ReportIsLocked):
        stored.delete()
    version.what_was_done = "rewritten"
    with pytest.raises(ReportIsLocked):
        version.save()
    assert version.lines.get().value == 4


def test_return_and_resubmit(cast: Cast) -> None:
    report = start(cast)
    v1 = report.current
    actions.do_save_draft(cast.focal_id, v1, {}, [line("arrests", 4, cast.plan)])
    actions.do_submit(cast.focal_id, v1)
    with pytest.raises(PermissionDenied):
        actions.do_return(cast.co_chair_other, v1, "No")
    with pytest.raises(ValidationError):
        actions.do_return(cast.co_chair, v1, "  ")
    actions.do_return(cast.co_chair, v1, "Split the arrests by plan.")
    v1.refresh_from_db()
    assert v1.status == VersionStatus.RETURNED and v1.decided_by == cast.co_chair
    assert report.standing is None
    with pytest.raises(ValidationError):
        actions.do_revise(cast.focal_id, report, "")
    v2 = actions.do_revise(cast.focal_id, report, "Arrests split by plan as asked.")
    assert v2.number == 2 and [x.value for x in v2.lines.all()] == [4]
    actions.do_save_draft(cast.focal_id, v2, {}, [line("arrests", 3, cast.plan), line("arrests", 1)])
    actions.do_submit(cast.focal_id, v2)
    actions.do_accept(cast.secretariat, v2)
    assert report.standing == v2 and report.current == v2
    assert ReportVersion.objects.get(pk=v2.pk).status == VersionStatus.ACCEPTED
    # v1's lines did not move with the new version.
    assert [x.value for x in v1.lines.all()] == [4]


def test_correction_flow(cast: Cast) -> None:
    report = start(cast)
    v1 = report.current
    actions.do_save_draft(cast.focal_id, v1, {}, [line("arrests", 3)])
    actions.do_submit(cast.focal_id, v1)
    actions.do_accept(cast.co_chair, v1)
    v2 = actions.do_revise(cast.focal_id, report, "One more arrest confirmed after the deadline.")
    with pytest.raises(ValidationError):
        actions.do_revise(cast.focal_id, report, "A second draft at once")
    actions.do_save_draft(cast.focal_id, v2, {}, [line("arrests", 4)])
    actions.do_submit(cast.focal_id, v2)
    v1.refresh_from_db()
    assert v1.status == VersionStatus.ACCEPTED  # still standing until the correction is accepted
    actions.do_accept(cast.co_chair, v2)
    v1.refresh_from_db()
    assert v1.status == VersionStatus.SUPERSEDED
    assert report.standing == v2
    v3 = actions.do_revise(cast.focal_id, report, "Currency added to assets.")
    assert v3.number == 3 and v3.change_summary == "Currency added to assets."
    assert list(report.versions.values_list("number", "status")) == [
        (1, VersionStatus.SUPERSEDED),
        (2, VersionStatus.ACCEPTED),
        (3, VersionStatus.DRAFT),
    ]
    steps = list(
        AuditEntry.objects.filter(action__startswith="report_")
        .order_by("sequence")
        .values_list("action", flat=True)
    )
    assert steps.count(AuditAction.REPORT_SUBMITTED) == 2
    assert steps.count(AuditAction.REPORT_REVISED) == 2


def test_only_deciders_accept(cast: Cast) -> None:
    report = start(cast)
    actions.do_submit(cast.focal_id, report.current)
    for user in (cast.focal_id, cast.focal_au, cast.co_chair_other, cast.observer):
        with pytest.raises(PermissionDenied):
            actions.do_accept(user, report.current)
    actions.do_accept(cast.co_chair, report.current)
    with pytest.raises(ValidationError):
        actions.do_accept(cast.co_chair, report.current)  # already decided
