"""Pages of the Joint Periods of Action: list, detail with its timeline, create and edit, milestones."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from disrupt.access.tests.matrix import EVERYONE, MATRIX
from disrupt.conftest import Cast
from disrupt.directory.models import Country
from disrupt.history.models import Citation, Source
from disrupt.lib.dates import DatePrecision
from disrupt.programme.actions import MILESTONE_TEMPLATE, template_due_date
from disrupt.programme.choices import MilestoneKind, PeriodStatus, Responsible
from disrupt.programme.models import Milestone, PeriodOfAction

MEMBERS = sorted(EVERYONE)


def detail_url(period: PeriodOfAction) -> str:
    return reverse("programme:period_detail", args=[period.number])


def valid_post(**changes: object) -> dict[str, object]:
    nz = Country.objects.get(code="NZ")
    data: dict[str, object] = {
        "number": 8,
        "starts_on": "2027-05-19",
        "starts_precision": DatePrecision.DAY,
        "ends_on": "2027-11-20",
        "ends_precision": DatePrecision.DAY,
        "status": PeriodStatus.PLANNING,
        "summary": "",
        "co_chairs": [nz.pk],
        "participants": [nz.pk],
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("member", MEMBERS)
def test_every_member_sees_the_period(client: Client, cast: Cast, member: str) -> None:
    client.force_login(getattr(cast, member))
    response = client.get(detail_url(cast.period))
    assert response.status_code == 200
    assert "7th Joint Period of Action" in response.content.decode()
    assert client.get(reverse("programme:period_list")).status_code == 200


@pytest.mark.parametrize("member", MEMBERS)
def test_only_the_secretariat_may_open_a_period(client: Client, cast: Cast, member: str) -> None:
    client.force_login(getattr(cast, member))
    status = client.get(reverse("programme:period_create")).status_code
    assert status == (200 if member == "secretariat" else 403)


@pytest.mark.parametrize("member", MEMBERS)
def test_the_period_edit_page_follows_the_table(client: Client, cast: Cast, member: str) -> None:
    client.force_login(getattr(cast, member))
    allowed = member in MATRIX["period", "edit"]
    response = client.get(reverse("programme:period_edit", args=[cast.period.number]))
    assert response.status_code == (200 if allowed else 403)
    # The edit button shows exactly to those who may use it.
    page = client.get(detail_url(cast.period)).content.decode()
    assert (reverse("programme:period_edit", args=[cast.period.number]) in page) is allowed


@pytest.mark.parametrize("member", MEMBERS)
def test_the_milestone_pages_follow_the_table(client: Client, cast: Cast, member: str) -> None:
    milestone = Milestone.objects.create(
        period=cast.period,
        kind=MilestoneKind.FINAL_REPORT,
        title="Final report due",
        responsible=Responsible.PARTICIPANTS,
        due_on=dt.date(2027, 3, 10),
    )
    client.force_login(getattr(cast, member))
    create = client.get(reverse("programme:milestone_create", args=[cast.period.number]))
    edit = client.get(reverse("programme:milestone_edit", args=[milestone.pk]))
    assert create.status_code == (200 if member in MATRIX["milestone", "create"] else 403)
    assert edit.status_code == (200 if member in MATRIX["milestone", "edit"] else 403)


def test_an_unknown_period_or_milestone_is_not_found(client: Client, cast: Cast) -> None:
    client.force_login(cast.secretariat)
    assert client.get(reverse("programme:period_detail", args=[99])).status_code == 404
    assert client.get(reverse("programme:period_edit", args=[99])).status_code == 404
    assert client.get(reverse("programme:milestone_edit", args=[999999])).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/periods/99999999999999999999/",
        "/periods/99999999999/edit/",
        "/milestones/99999999999999999999/edit/",
        "/periods/?country=ZZ&status=bogus",
        "/calendar/?month=99999-99",
    ],
)
def test_odd_addresses_answer_without_a_server_error(client: Client, cast: Cast, path: str) -> None:
    client.force_login(cast.secretariat)
    assert client.get(path).status_code in {200, 404}


def test_the_list_counts_only_the_plans_the_user_may_see(client: Client, cast: Cast) -> None:
    client.force_login(cast.investigator_th)  # sees the GREEN plan, not the AMBER one
    response = client.get(reverse("programme:period_list"))
    assert [p.plan_count for p in response.context["periods"]] == [1]
    client.force_login(cast.analyst_au)
    response = client.get(reverse("programme:period_list"))
    assert [p.plan_count for p in response.context["periods"]] == [2]


def test_the_detail_lists_only_visible_plans(client: Client, cast: Cast) -> None:
    client.force_login(cast.investigator_th)
    page = client.get(detail_url(cast.period)).content.decode()
    assert cast.plan.reference in page
    assert cast.plan_amber.reference not in page
    client.force_login(cast.co_chair)
    page = client.get(detail_url(cast.period)).content.decode()
    assert cast.plan_amber.reference in page


def test_the_timeline_marks_done_overdue_and_upcoming(client: Client, cast: Cast) -> None:
    today = dt.date.today()
    for title, due, done in (
        ("Plans distributed", today - dt.timedelta(days=30), today - dt.timedelta(days=29)),
        ("Mid-term report due", today - dt.timedelta(days=2), None),
        ("Final report due", today + dt.timedelta(days=40), None),
    ):
        Milestone.objects.create(
            period=cast.period,
            kind=MilestoneKind.OTHER,
            title=title,
            responsible=Responsible.PARTICIPANTS,
            due_on=due,
            done_on=done,
        )
    client.force_login(cast.observer)
    page = client.get(detail_url(cast.period)).content.decode()
    assert (
        page.index("Plans distributed") < page.index("Mid-term report due") < page.index("Final report due")
    )
    assert page.count('class="is-done"') == 1
    assert page.count('class="is-late"') == 1
    assert "Overdue" in page and "Upcoming" in page


def test_the_detail_shows_both_windows_where_sources_conflict(client: Client, cast: Cast) -> None:
    first = PeriodOfAction.objects.create(
        number=1, starts_on=dt.date(2015, 9, 28), ends_on=dt.date(2015, 10, 28), status=PeriodStatus.CLOSED
    )
    statement, _ = Source.objects.get_or_create(key="seeds/000", defaults={"title": "Co-chairs' statement"})
    web_page, _ = Source.objects.get_or_create(key="seeds/003", defaults={"title": "Web page"})
    Citation.objects.create(
        record=first, field="starts_on", source=statement, locator="§4", reading="28 September 2015"
    )
    Citation.objects.create(
        record=first,
        field="starts_on",
        source=web_page,
        locator="§5",
        reading="October 2015",
        is_adopted=False,
    )
    client.force_login(cast.investigator_id)
    page = client.get(detail_url(first)).content.decode()
    assert "Sources differ" in page
    assert "28 September 2015" in page and "October 2015" in page
    assert "seeds/000" in page and "seeds/003" in page


def test_a_closed_period_shows_no_overdue_milestones(client: Client, cast: Cast) -> None:
    second = PeriodOfAction.objects.create(
        number=2, starts_on=dt.date(2016, 5, 19), ends_on=dt.date(2016, 11, 20), status=PeriodStatus.CLOSED
    )
    Milestone.objects.create(
        period=second,
        kind=MilestoneKind.MIDTERM_REPORT,
        title="Mid-term report to the co-chairs",
        responsible=Responsible.PARTICIPANTS,
        due_on=dt.date(2016, 8, 20),
    )
    Milestone.objects.create(
        period=second,
        kind=MilestoneKind.PLANS_DISTRIBUTED,
        title="Co-chairs distribute the plans",
        responsible=Responsible.CO_CHAIRS,
    )
    client.force_login(cast.observer)
    page = client.get(detail_url(second)).content.decode()
    assert "20 August 2016" in page and "Not recorded" in page
    assert "Overdue" not in page and 'class="is-late"' not in page
    # The undated milestone comes last.
    assert page.index("Mid-term report to the co-chairs") < page.index("Co-chairs distribute the plans")


def test_the_plans_section_shows_conflicting_counts(client: Client, cast: Cast) -> None:
    statement, _ = Source.objects.get_or_create(key="seeds/000", defaults={"title": "Co-chairs' statement"})
    Citation.objects.create(
        record=cast.period, field="plan_count", source=statement, locator="§6", reading="9"
    )
    Citation.objects.create(
        record=cast.period, field="plan_count", source=statement, locator="§3", reading="8", is_adopted=False
    )
    client.force_login(cast.observer)
    page = client.get(detail_url(cast.period)).content.decode()
    assert "Sources differ" in page and "§3" in page and "§6" in page


def test_the_window_shows_as_precisely_as_the_sources_give_it(client: Client, cast: Cast) -> None:
    fourth = PeriodOfAction.objects.create(
        number=4,
        starts_on=dt.date(2016, 5, 1),
        starts_precision=DatePrecision.MONTH,
        ends_on=dt.date(2017, 1, 1),
        ends_precision=DatePrecision.YEAR,
    )
    client.force_login(cast.observer)
    page = client.get(detail_url(fourth)).content.decode()
    assert "May 2016 – 2017" in page


def test_creating_a_period_adds_the_template_milestones(client: Client, cast: Cast) -> None:
    client.force_login(cast.secretariat)
    response = client.post(reverse("programme:period_create"), valid_post())
    period = PeriodOfAction.objects.get(number=8)
    assert response.status_code == 302
    assert response["Location"] == detail_url(period)
    milestones = list(period.milestones.order_by("due_on"))
    assert [m.kind for m in milestones] == [step.kind for step in MILESTONE_TEMPLATE]
    assert [m.due for m in milestones] == [
        "2 June 2027",
        "20 August 2027",
        "30 November 2027",
        "mid December 2027",
        "December 2027",
    ]
    page = client.get(detail_url(period)).content.decode()
    assert "Mid-term report due" in page and "mid December 2027" in page


def test_the_template_reproduces_the_dates_of_the_2nd_period() -> None:
    """seeds/000 §10: mid-term 20 August, final 30 November, media release mid December 2016."""
    start, end = dt.date(2016, 5, 19), dt.date(2016, 11, 20)
    dues = {step.kind: template_due_date(step, start, end) for step in MILESTONE_TEMPLATE}
    assert dues[MilestoneKind.MIDTERM_REPORT] == dt.date(2016, 8, 20)
    assert dues[MilestoneKind.FINAL_REPORT] == dt.date(2016, 11, 30)
    assert dues[MilestoneKind.MEDIA_RELEASE].month == 12
    assert dues[MilestoneKind.DEBRIEF].month == 12


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ends_on": "2027-05-01"}, "ends_on", "cannot end before it starts"),
        ({"ends_on": "2028-08-01"}, "ends_on", "one to twelve months"),
        ({"starts_on": ""}, "starts_on", "required"),
        ({"number": 7}, "number", "already exists"),
    ],
)
def test_bad_input_shows_field_errors_and_saves_nothing(
    client: Client, cast: Cast, changes: dict[str, str], field: str, message: str
) -> None:
    client.force_login(cast.secretariat)
    before = (PeriodOfAction.objects.count(), Milestone.objects.count())
    response = client.post(reverse("programme:period_create"), valid_post(**changes))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    assert 'class="field__error"' in response.content.decode()
    assert (PeriodOfAction.objects.count(), Milestone.objects.count()) == before


def test_a_co_chair_who_may_not_create_cannot_post_a_period(client: Client, cast: Cast) -> None:
    client.force_login(cast.co_chair)
    response = client.post(reverse("programme:period_create"), valid_post())
    assert response.status_code == 403
    assert not PeriodOfAction.objects.filter(number=8).exists()


def test_a_co_chair_of_the_period_edits_it(client: Client, cast: Cast) -> None:
    client.force_login(cast.co_chair)
    data = valid_post(number=7, starts_on="2026-09-01", ends_on="2027-02-28", status=PeriodStatus.REPORTING)
    response = client.post(reverse("programme:period_edit", args=[7]), data)
    assert response.status_code == 302
    cast.period.refresh_from_db()
    assert cast.period.status == PeriodStatus.REPORTING


def test_a_milestone_is_added_and_marked_done(client: Client, cast: Cast) -> None:
    client.force_login(cast.co_chair)
    url = reverse("programme:milestone_create", args=[cast.period.number])
    data = {
        "kind": MilestoneKind.OTHER,
        "title": "Exchange of liaison officers",
        "responsible": Responsible.PARTICIPANTS,
        "due_on": "2026-10-15",
        "due_precision": DatePrecision.DAY,
        "done_on": "",
    }
    response = client.post(url, data)
    milestone = Milestone.objects.get(title="Exchange of liaison officers")
    assert response.status_code == 302
    # Done in the future is refused, with the field named.
    future = (dt.date.today() + dt.timedelta(days=5)).isoformat()
    edit = reverse("programme:milestone_edit", args=[milestone.pk])
    response = client.post(edit, {**data, "done_on": future})
    assert response.status_code == 200 and "done_on" in response.context["form"].errors
    milestone.refresh_from_db()
    assert milestone.done_on is None
    response = client.post(edit, {**data, "done_on": dt.date.today().isoformat()})
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.done_on == dt.date.today()


def test_another_co_chair_cannot_post_a_milestone(client: Client, cast: Cast) -> None:
    client.force_login(cast.co_chair_other)
    url = reverse("programme:milestone_create", args=[cast.period.number])
    response = client.post(url, {"kind": "other", "title": "X", "responsible": "co_chairs"})
    assert response.status_code == 403
    assert not Milestone.objects.filter(title="X").exists()


def test_the_list_stays_within_a_query_budget(
    client: Client, cast: Cast, django_assert_max_num_queries: Any
) -> None:
    for number in range(1, 7):
        period = PeriodOfAction.objects.create(number=number, status=PeriodStatus.CLOSED)
        period.co_chairs.set(Country.objects.filter(code__in=["NZ", "LK"]))
    client.force_login(cast.focal_au)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("programme:period_list"))
    assert len(response.context["periods"]) == 7


def test_the_form_offers_the_group_countries_first(client: Client, cast: Cast) -> None:
    from disrupt.directory.models import CountryStanding

    CountryStanding.objects.create(country=Country.objects.get(code="NZ"), standing="member")
    client.force_login(cast.secretariat)
    form = client.get(reverse("programme:period_create")).context["form"]
    choices = list(form.fields["participants"].queryset)
    assert choices[0].code == "NZ"
    assert len(choices) == Country.objects.count()


# --- In the browser ---------------------------------------------------------------------------------


# The browser fixtures come first: they reload the reference data the cast needs in a flushed database.
def test_the_period_page_reads_well_on_desktop(desktop: Any, cast: Cast) -> None:
    check_period_page(desktop, cast, "desktop")


def test_the_period_page_reads_well_on_a_phone(phone: Any, cast: Cast) -> None:
    check_period_page(phone, cast, "phone")


def check_period_page(session: Any, cast: Cast, viewport: str) -> None:
    Milestone.objects.create(
        period=cast.period,
        kind=MilestoneKind.MIDTERM_REPORT,
        title="Mid-term report due",
        responsible=Responsible.PARTICIPANTS,
        due_on=dt.date(2026, 12, 1),
    )
    session.sign_in(cast.co_chair)
    session.goto(detail_url(cast.period))
    page = session.page
    assert page.get_by_role("heading", level=1).inner_text() == "7th Joint Period of Action"
    assert page.get_by_role("heading", name="Timeline").is_visible()
    assert page.get_by_text("Mid-term report due").is_visible()
    # Nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    session.screenshot(f"period-detail-{viewport}")


def test_the_2nd_period_of_the_public_record_reads_as_its_sources_give_it(client: Client, cast: Cast) -> None:
    from disrupt.history.loader import load_history

    load_history()
    client.force_login(cast.observer)
    page = client.get(reverse("programme:period_detail", args=[2])).content.decode()
    assert "19 May – 20 November 2016" in page
    assert "20 August 2016" in page and "30 November 2016" in page
    assert page.count('href="/plans/JPA2-') >= 9
    # The statement speaks of eight investigations and lists nine plans: both readings show.
    assert "Sources differ" in page
    first = client.get(reverse("programme:period_detail", args=[1])).content.decode()
    assert "September – November 2015" in first and "28 September – 28 October 2015" in first
