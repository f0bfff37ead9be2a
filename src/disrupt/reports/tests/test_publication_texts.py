"""Generated texts say exactly what the group published, in its register, and the DOCX holds it."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import call_command
from docx import Document

from disrupt.conftest import Cast
from disrupt.directory.models import Country
from disrupt.lib.documents import docx_text
from disrupt.lib.text import Block, count, format_body, join_names, number_words, parse_body
from disrupt.programme.choices import MeetingKind, MilestoneKind, Responsible
from disrupt.programme.models import Meeting, Milestone, PeriodOfAction
from disrupt.reports import publishing, texts
from disrupt.reports.choices import PublicationKind
from disrupt.reports.quantities import Quantity

# Every figure of seeds/003, with its qualifier, in the words the group writes them.
FIRST = [
    "In total, authorities in the eight countries:",
    "• Assisted 59 trafficked persons",
    "59 trafficked persons",
    "seven search warrants",
    "63 suspects",
    "32 arrests",
    "eight new investigations",
    "over 70 bilateral and international enquiries",
    "68 awareness-raising activities",
    "12 training sessions",
    "485 officers",
]
THIRD = [
    "In total, authorities in the ten countries:",
    "72 persons being convicted",
    "six trafficked victims",
    "five search warrants",
    "23 suspects",
    "10 arrests",
    "nine new investigations",
    "two extradition requests",
    "numerous bilateral and international enquiries",
    "over 50 officers",
]
SECOND = ["In total, authorities in the ten countries:", "• Made over 30 arrests"]


@pytest.fixture
def history(cast: Cast) -> None:
    call_command("loadhistory", verbosity=0)


def _summary(cast: Cast, number: int) -> texts.Text:
    period = PeriodOfAction.objects.get(number=number)
    return texts.outcome_summary(period, publishing.publication_figures(cast.secretariat, period))


def test_numbers_under_ten_are_words_and_countries_are_counted_in_words() -> None:
    counts = [count(n) for n in (0, 1, 7, 9, 10, 72, 1250)]
    assert counts == ["zero", "one", "seven", "nine", "10", "72", "1,250"]
    assert number_words(62) == "sixty-two" and number_words(15) == "fifteen"
    assert number_words(105) == "one hundred and five"
    assert texts.countries_count(10) == "ten"
    assert join_names(["A", "B", "C"]) == "A, B and C"


def test_the_body_format_round_trips() -> None:
    blocks = [Block("heading", "H"), Block("paragraph", "P q."), Block("bullet", "a"), Block("bullet", "b")]
    assert parse_body(format_body(blocks)) == blocks
    assert parse_body("## H\n\nP\nq.\n- a\n* b\n") == [
        Block("heading", "H"),
        Block("paragraph", "P q."),
        Block("bullet", "a"),
        Block("bullet", "b"),
    ]


def test_the_phrases_keep_the_qualifier_and_the_singular() -> None:
    figures = {
        "arrests": Quantity.exact(1),
        "new-investigations": Quantity.at_least(3),
        "enquiries": Quantity.unquantified("numerous", known=42),
        "awareness-activities": Quantity.unquantified(""),
        "search-warrants": Quantity.exact(0),
    }
    assert texts.achievement_phrases(figures) == [
        "made one arrest and launched over three new investigations",
        "made numerous bilateral and international enquiries to progress trafficking in persons and "
        "people smuggling investigations (at least 42 counted, the rest not quantified)",
        "conducted awareness-raising activities",
    ]


def test_the_first_period_summary_holds_every_figure_of_the_record(cast: Cast, history: None) -> None:
    text = _summary(cast, 1)
    assert text.title == "Outcomes of the 1st Joint Period of Action"
    for phrase in FIRST:
        assert phrase in text.body, phrase
    assert "Executed seven search warrants and identified 63 suspects" in text.body
    assert "Made 32 arrests and launched eight new investigations" in text.body
    assert "Carried out 12 training sessions and trained 485 officers" in text.body
    assert " 7 " not in text.body and " 8 " not in text.body  # never digits under ten


def test_the_third_period_summary_holds_every_figure_of_the_record(cast: Cast, history: None) -> None:
    body = _summary(cast, 3).body
    for phrase in THIRD:
        assert phrase in body, phrase
    # The record gives no number of awareness-raising activities: the text invents none.
    assert "• Conducted awareness-raising activities\n" in body
    assert "• Made numerous bilateral and international enquiries" in body


def test_the_second_period_summary_says_over_30_arrests(cast: Cast, history: None) -> None:
    body = _summary(cast, 2).body
    for phrase in SECOND:
        assert phrase in body
    assert "nine joint plans" in body


def test_the_docx_opens_and_holds_every_figure(cast: Cast, history: None) -> None:
    for number, phrases in ((1, FIRST), (3, THIRD), (2, SECOND)):
        version = publishing.do_generate(
            cast.secretariat, PeriodOfAction.objects.get(number=number), PublicationKind.OUTCOME_SUMMARY
        )
        data = publishing.version_docx(version)
        document = Document(io.BytesIO(data))
        paragraphs = [p.text for p in document.paragraphs]
        assert f"Outcomes of the {version.publication.period}" in paragraphs
        bullets = [p.text for p in document.paragraphs if p.style and p.style.name == "List Bullet"]
        assert bullets and all(not b.startswith("•") for b in bullets)
        words = docx_text(data)
        for phrase in phrases:
            assert phrase.removeprefix("• ") in words, (number, phrase)
        assert "TLP:GREEN" in words  # a draft is not yet for release
        assert "Draft, version 1: not approved for release" in words


def test_the_co_chairs_statement_has_the_shape_of_the_groups_statement(cast: Cast, history: None) -> None:
    period = PeriodOfAction.objects.get(number=2)
    version = publishing.do_generate(cast.secretariat, period, PublicationKind.CO_CHAIRS_STATEMENT)
    body = version.body
    assert version.publication.meeting is not None
    assert version.publication.meeting.title == "2nd Joint Period of Action planning workshop"
    assert "Bangkok, 19 May 2016" in body and "Co-Chairs' Statement" in body
    assert "1. The Governments of New Zealand and Sri Lanka co-chaired" in body
    assert "2. Ten countries – Australia, Bangladesh, Indonesia, Malaysia, the Maldives" in body
    # The co-chairs recall the 1st period's outcomes, as the group's statement does.
    assert "agencies from eight countries assisted 59 trafficked persons" in body
    assert "over 70 bilateral and international enquiries" in body
    assert "Nine plans were developed:" in body
    assert "• Indonesia / Thailand – Fishermen trafficked aboard foreign fishing vessels" in body
    assert "## Next steps under the Joint Period of Action" in body
    steps = body.split("In terms of next steps:")[1]
    assert steps.index("mid-term report to the co-chairs by 20 August 2016") < steps.index(
        "final report to the co-chairs by 30 November 2016"
    )
    release = steps.index("media release on the outcomes of the 2nd Joint Period of Action by mid December")
    assert release < steps.index("debrief meeting on the 2nd Joint Period of Action in December 2016")


def test_an_amber_plan_is_counted_but_not_described_in_a_statement(cast: Cast) -> None:
    meeting = Meeting.objects.create(
        kind=MeetingKind.PLANNING,
        title="7th Joint Period of Action planning workshop",
        starts_on=dt.date(2026, 8, 20),
        city="Jakarta",
        period=cast.period,
    )
    meeting.co_chairs.set(Country.objects.filter(code__in=["NZ", "MY"]))
    Milestone.objects.create(
        period=cast.period,
        kind=MilestoneKind.MIDTERM_REPORT,
        title="Mid-term report",
        responsible=Responsible.PARTICIPANTS,
        due_on=dt.date(2026, 12, 1),
    )
    body = texts.co_chairs_statement(meeting).body
    assert "Two plans were developed:" in body
    assert "Maritime venture departing Kupang" in body
    assert "Recruitment agency network" not in body  # TLP:AMBER
    assert "One further plan, not described in public" in body
    assert "The Governments of Malaysia and New Zealand co-chaired" in body
    assert "mid-term report to the co-chairs by 1 December 2026" in body


def test_the_media_release_holds_the_figures_and_leaves_the_quote_to_the_co_chairs(
    cast: Cast, history: None
) -> None:
    period = PeriodOfAction.objects.get(number=3)
    body = texts.media_release(period, publishing.publication_figures(cast.secretariat, period)).body
    for phrase in THIRD[1:]:
        assert phrase in body, phrase
    assert "agencies from ten countries" in body
    assert "[Quote from the co-chairs" in body
    assert "## About the Working Group" in body


def test_an_empty_period_says_no_figures_yet(cast: Cast, db: Any) -> None:
    body = texts.outcome_summary(cast.period, {}).body
    assert "No outcome figures have been recorded for this period yet." in body


def test_the_summary_adds_up_the_reports_and_withholds_what_could_identify_victims(cast: Cast) -> None:
    from disrupt.reports.tests.outcome_data import submit

    submit(cast.period, "ID", [("victims-rescued", 2), ("arrests", 3), ("enquiries", "over 5")])
    submit(cast.period, "AU", [("victims-rescued", 10), ("arrests", 4), ("enquiries", 12)])
    body = publishing.do_generate(cast.secretariat, cast.period, PublicationKind.OUTCOME_SUMMARY).body
    assert "In total, authorities in the four countries:" in body
    assert "• Rescued 12 trafficked victims" in body  # the group total may be published
    assert "• Made seven arrests" in body
    assert "• Made over 17 bilateral and international enquiries" in body


def test_a_group_total_that_would_reveal_a_small_count_is_left_out(cast: Cast) -> None:
    from disrupt.reports.tests.outcome_data import submit

    submit(cast.period, "ID", [("victims-rescued", 2), ("arrests", 3)])
    version = publishing.do_generate(cast.secretariat, cast.period, PublicationKind.OUTCOME_SUMMARY)
    assert "Made three arrests" in version.body
    assert "victims" not in version.body
    assert version.figures == {"arrests": "3"}


def test_money_is_published_only_with_its_currency(cast: Cast) -> None:
    from disrupt.reports.tests.outcome_data import submit

    assert texts.achievement_phrases({"assets-seized": Quantity.exact(5000)}) == []
    submit(cast.period, "ID", [("assets-seized", 20000, None, "USD")])
    submit(cast.period, "AU", [("assets-seized", 5000, None, "USD")])
    version = publishing.do_generate(cast.secretariat, cast.period, PublicationKind.OUTCOME_SUMMARY)
    assert "• Seized assets worth 25,000 USD" in version.body
    assert version.figures == {"assets-seized": "25,000 USD"}
    submit(cast.period, "TH", [("assets-seized", 100, None, "THB")])
    mixed = publishing.do_generate(cast.secretariat, cast.period, PublicationKind.OUTCOME_SUMMARY)
    assert "assets" not in mixed.body  # USD and THB do not add up to one figure
