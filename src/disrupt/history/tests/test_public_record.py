"""The facts of the public record that the platform must show, from the real data file."""

from __future__ import annotations

import datetime as dt

from disrupt.history.loader import Loader
from disrupt.history.models import Citation, conflicts_for
from disrupt.lib.dates import DatePrecision
from disrupt.programme.choices import MeetingKind, MilestoneKind
from disrupt.programme.models import Meeting, PeriodOfAction, Plan
from disrupt.reports.models import PublishedFigure, Qualifier


def readings(obj: object, field: str) -> dict[str, tuple[str, bool]]:
    return {
        f"{c.source.key} {c.locator}": (c.reading, c.is_adopted)
        for c in Citation.objects.for_object(obj).filter(field=field)  # type: ignore[arg-type]
    }


def test_the_2nd_period_has_nine_plans_with_the_countries_of_the_statement(public_record: Loader) -> None:
    period = PeriodOfAction.objects.get(number=2)
    plans = {
        plan.reference: (
            plan.lead_country.code,
            sorted(plan.partner_countries.values_list("code", flat=True)),
        )
        for plan in period.plans.select_related("lead_country")
    }
    assert plans == {
        "JPA2-01": ("ID", ["AU", "NZ"]),
        "JPA2-02": ("ID", ["TH"]),
        "JPA2-03": ("MY", ["ID"]),
        "JPA2-04": ("MV", ["BD"]),
        "JPA2-05": ("PH", ["NZ"]),
        "JPA2-06": ("PH", ["US"]),
        "JPA2-07": ("TH", ["MY"]),
        "JPA2-08": ("LK", ["EG"]),
        "JPA2-09": ("US", ["TH"]),
    }
    sri_lanka = Plan.objects.get(reference="JPA2-08")
    assert sri_lanka.handling_code == "clear"
    assert "Egypt" in sri_lanka.summary
    egypt = sri_lanka.partner_countries.get()
    assert egypt.standings.get().standing == "partner"
    assert readings(sri_lanka, "partner_countries") == {"seeds/000 note 2": ("", True)}


def test_the_2nd_period_window_and_milestones(public_record: Loader) -> None:
    period = PeriodOfAction.objects.get(number=2)
    assert (period.starts_on, period.ends_on) == (dt.date(2016, 5, 19), dt.date(2016, 11, 20))
    assert period.window == "19 May – 20 November 2016"
    assert sorted(period.co_chairs.values_list("code", flat=True)) == ["LK", "NZ"]
    assert period.participants.count() == 10
    due = {m.kind: m.due for m in period.milestones.all()}
    assert due[MilestoneKind.MIDTERM_REPORT] == "20 August 2016"
    assert due[MilestoneKind.FINAL_REPORT] == "30 November 2016"
    assert due[MilestoneKind.MEDIA_RELEASE] == "mid December 2016"
    assert due[MilestoneKind.DEBRIEF] == "December 2016"
    assert due[MilestoneKind.PLANS_DISTRIBUTED] == "Not recorded"
    for milestone in period.milestones.all():
        assert readings(milestone, "")  # each cites seeds/000 §10


def test_the_1st_period_keeps_both_windows_with_their_sources(public_record: Loader) -> None:
    period = PeriodOfAction.objects.get(number=1)
    assert period.window == "28 September – 28 October 2015"
    assert readings(period, "window") == {
        "seeds/003 1st Joint Period of Action ¶1": ("28 September – 28 October 2015", True),
        "seeds/000 §4": ("28 September – 28 October 2015", True),
        "seeds/003 Activities": ("September – November 2015", False),
    }
    assert "window" in conflicts_for(period)


def test_the_roundtable_is_24_september_2014_and_the_2015_reading_is_kept(public_record: Loader) -> None:
    roundtable = Meeting.objects.get(kind=MeetingKind.ROUNDTABLE)
    assert roundtable.starts_on == dt.date(2014, 9, 24)
    assert roundtable.when == "24 September 2014"
    found = readings(roundtable, "starts_on")
    assert found["seeds/002 ¶1"] == ("24 September 2014", True)
    assert found["seeds/003 Meetings"] == ("24 September 2015", False)
    assert "starts_on" in conflicts_for(roundtable)


def test_eight_investigations_against_nine_plans(public_record: Loader) -> None:
    period = PeriodOfAction.objects.get(number=2)
    found = readings(period, "plan_count")
    assert found["seeds/000 §6"] == ("9 plans", True)
    assert found["seeds/000 §3"] == ("8 investigations", False)
    assert period.plans.count() == 9


def test_published_figures_keep_their_qualifiers(public_record: Loader) -> None:
    first = PublishedFigure.objects.get(period__number=1, indicator__code="arrests")
    assert (first.qualifier, first.value, first.display) == (Qualifier.EXACT, 32, "32")
    second = PublishedFigure.objects.get(period__number=2, indicator__code="arrests")
    assert (second.qualifier, second.value, second.wording) == (Qualifier.AT_LEAST, 30, "over 30 arrests")
    assert second.display == "over 30"
    third = PublishedFigure.objects.get(period__number=3, indicator__code="enquiries")
    assert (third.qualifier, third.value, third.display) == (Qualifier.UNQUANTIFIED, None, "numerous")
    assert readings(second, "") == {"seeds/003 2nd Joint Period of Action ¶2": ("", True)}


def test_the_4th_period_says_only_what_the_sources_say(public_record: Loader) -> None:
    period = PeriodOfAction.objects.get(number=4)
    assert period.window == "Not recorded"
    assert period.summary == ""
    assert not period.participants.exists() and not period.co_chairs.exists()
    assert not period.plans.exists() and not period.published_figures.exists()


def test_the_6th_planning_workshop_and_its_action_items(public_record: Loader) -> None:
    workshop = Meeting.objects.get(kind=MeetingKind.PLANNING, period__number=6)
    assert workshop.when == "16 – 17 November 2021"
    assert workshop.where == "Online (Zoom)"
    assert workshop.action_items.count() == 3
    assert set(workshop.attending_organisations.values_list("short_name", flat=True)) == {
        "RSO", "INTERPOL", "IOM", "UNHCR", "UNODC",
    }  # fmt: skip
    period = PeriodOfAction.objects.get(number=6)
    assert period.window == "2022 – 2023"
    assert period.starts_precision == DatePrecision.YEAR


def test_every_record_cites_a_source(public_record: Loader) -> None:
    for model in (PeriodOfAction, Plan, Meeting, PublishedFigure):
        for obj in model.objects.all():  # type: ignore[attr-defined]
            assert Citation.objects.for_object(obj).filter(field="").exists(), obj
