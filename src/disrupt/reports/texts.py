"""The texts the group publishes, generated from its data in the register of its own statements.

- `outcome_summary`: what a cycle achieved, as the group's web page puts it ("In total,
  authorities in the eight countries: • Assisted 59 trafficked persons • …").
- `co_chairs_statement`: the statement after a planning workshop (co-chairs, who attended,
  the plans agreed, next steps with their dates).
- `media_release`: a draft release on a cycle's outcomes.

Each returns a `Text` (a title and blocks of the body format of `disrupt.lib.text`); nothing
here reads a request or writes to the database. Figures come in as indicator code ->
`Quantity`, already made fit for publication by the caller. Counts under ten are written in
words ("seven search warrants"), the rest in digits ("10 arrests"); qualifiers stay as the
figure has them ("over 70", "numerous").
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from disrupt.lib.dates import DatePrecision, format_date, format_span
from disrupt.lib.text import Block, capitalise, count, format_body, join_names, number_words
from disrupt.programme.choices import MilestoneKind, PlanStatus
from disrupt.programme.models import Meeting, Milestone, PeriodOfAction, Plan, WorkingGroup
from disrupt.reports.choices import Qualifier
from disrupt.reports.quantities import Quantity


@dataclass(frozen=True)
class Money:
    """A money figure and its currency; money without a currency is never published."""

    quantity: Quantity
    currency: str

    @property
    def display(self) -> str:
        return f"{self.quantity.display} {self.currency}"


Figures = Mapping[str, Quantity | Money]

# Countries whose names take "the" in running text, as the group's statements write them.
PROSE_NAMES = {
    "MV": "the Maldives",
    "PH": "the Philippines",
    "US": "the USA",
    "AE": "the United Arab Emirates",
    "GB": "the United Kingdom",
    "NL": "the Netherlands",
    "KR": "the Republic of Korea",
    "LA": "Lao PDR",
    "BN": "Brunei Darussalam",
}

# Handling codes of plans whose titles may appear in a text meant for release.
DESCRIBABLE_PLANS = ("clear", "green")


@dataclass(frozen=True)
class Text:
    title: str
    blocks: tuple[Block, ...]

    @property
    def body(self) -> str:
        return format_body(self.blocks)


# --- Figures in words ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Phrase:
    """How the group says one indicator: "executed" + "search warrant(s)", and what follows."""

    verb: str
    singular: str
    plural: str
    after: str = ""

    def say(self, quantity: Quantity) -> str | None:
        """ "executed seven search warrants"; None for an exact zero (nothing to say)."""
        noun = self.plural
        if quantity.qualifier == Qualifier.EXACT:
            if not quantity.value:
                return None
            amount = count(quantity.value)
            noun = self.singular if quantity.value == 1 else self.plural
        elif quantity.qualifier == Qualifier.AT_LEAST:
            amount = f"{quantity.wording} {count(quantity.value or 0)}"
        else:
            amount = quantity.wording  # "numerous", or no word at all
        words = " ".join(part for part in (self.verb, amount, noun) if part) + self.after
        if quantity.is_unquantified and quantity.value:
            # Part is counted, the rest is not: say both rather than invent a total.
            words += f" (at least {count(quantity.value)} counted, the rest not quantified)"
        return words


_ENQUIRY_PURPOSE = " to progress trafficking in persons and people smuggling investigations"

PHRASES: dict[str, Phrase] = {
    "persons-assisted": Phrase("assisted", "trafficked person", "trafficked persons"),
    "victims-rescued": Phrase("rescued", "trafficked victim", "trafficked victims"),
    "search-warrants": Phrase("executed", "search warrant", "search warrants"),
    "suspects-identified": Phrase("identified", "suspect", "suspects"),
    "arrest-warrants": Phrase("issued", "arrest warrant", "arrest warrants"),
    "arrests": Phrase("made", "arrest", "arrests"),
    "new-investigations": Phrase("launched", "new investigation", "new investigations"),
    "extradition-requests": Phrase("made", "extradition request", "extradition requests"),
    "prosecutions": Phrase("commenced", "prosecution", "prosecutions"),
    "enquiries": Phrase(
        "made",
        "bilateral or international enquiry",
        "bilateral and international enquiries",
        _ENQUIRY_PURPOSE,
    ),
    "awareness-activities": Phrase("conducted", "awareness-raising activity", "awareness-raising activities"),
    "training-sessions": Phrase("carried out", "training session", "training sessions"),
    "officers-trained": Phrase("trained", "officer", "officers"),
}

# Bullets that say two things at once, as the group's list does.
PAIRED = {
    "search-warrants": "suspects-identified",
    "arrests": "new-investigations",
    "training-sessions": "officers-trained",
}
BULLET_ORDER = (
    "persons-assisted",
    "victims-rescued",
    "search-warrants",
    "suspects-identified",
    "arrest-warrants",
    "arrests",
    "new-investigations",
    "extradition-requests",
    "prosecutions",
    "enquiries",
    "awareness-activities",
    "training-sessions",
    "officers-trained",
    "assets-seized",
)
# Convictions lead the text, as in the 3rd period's summary, rather than a bullet: courts convict.
LEAD = "convictions"


def _say(code: str, figure: Quantity | Money) -> str | None:
    if isinstance(figure, Money):
        quantity = figure.quantity
        if quantity.is_exact and not quantity.value:
            return None
        what = "seized assets" if code == "assets-seized" else f"recorded {code.replace('-', ' ')}"
        return f"{what} worth {figure.display}"
    quantity = figure
    if code in PHRASES:
        return PHRASES[code].say(quantity)
    if code == "assets-seized":
        return None  # a sum of money without its currency says nothing true
    # An indicator an administrator added: its code, plainly.
    return (
        None
        if quantity.is_exact and not quantity.value
        else f"recorded {quantity.display} {code.replace('-', ' ')}"
    )


def achievement_phrases(figures: Figures) -> list[str]:
    """The bullets for `figures`, in the group's order, lower case, paired where it pairs them."""
    ordered = [c for c in BULLET_ORDER if c in figures] + sorted(
        c for c in figures if c not in BULLET_ORDER and c != LEAD
    )
    paired_with = set(PAIRED.values())
    phrases: list[str] = []
    for code in ordered:
        if code in paired_with and any(first in figures and PAIRED[first] == code for first in PAIRED):
            continue  # said together with its partner
        parts = [_say(code, figures[code])]
        partner = PAIRED.get(code)
        if partner is not None and partner in figures:
            parts.append(_say(partner, figures[partner]))
        said = [part for part in parts if part]
        if said:
            phrases.append(" and ".join(said))
    return phrases


def convictions_sentence(period: PeriodOfAction, figures: Figures) -> str | None:
    quantity = figures.get(LEAD)
    if not isinstance(quantity, Quantity) or (quantity.is_exact and not quantity.value):
        return None
    if quantity.is_exact:
        who = "one person" if quantity.value == 1 else f"{count(quantity.value or 0)} persons"
    elif quantity.qualifier == Qualifier.AT_LEAST:
        who = f"{quantity.wording} {count(quantity.value or 0)} persons"
    else:
        who = f"{quantity.wording or 'a number of'} persons"
    return (
        f"The {period} contributed to {who} being convicted of human trafficking and people "
        "smuggling offences."
    )


# --- Names, dates, counts -----------------------------------------------------------------------


def country_name(country: object) -> str:
    code = getattr(country, "code", "")
    return PROSE_NAMES.get(code, str(country))


def country_list(countries: Sequence[object]) -> str:
    names = sorted((country_name(c) for c in countries), key=lambda name: name.removeprefix("the "))
    return join_names(names)


def countries_count(n: int) -> str:
    """Countries are counted in words, as the group writes them ("the ten countries", "fifteen")."""
    return number_words(n) if n < 100 else f"{n:,}"


def window_phrase(period: PeriodOfAction) -> str:
    """ "from 28 September to 28 October 2015"; "" when the window is not recorded."""
    if period.starts_on is None or period.ends_on is None:
        return ""
    span = format_span(period.starts_on, period.ends_on, period.starts_precision, period.ends_precision)
    return "from " + span.replace(" – ", " to ")


def active_plans(period: PeriodOfAction) -> list[Plan]:
    return list(
        period.plans.exclude(status__in=[PlanStatus.WITHDRAWN, PlanStatus.RETURNED])
        .select_related("lead_country")
        .prefetch_related("partner_countries")
        .order_by("reference")
    )


def _intro(period: PeriodOfAction) -> list[Block]:
    participants = list(period.participants.all())
    supporters = [org.short_name or org.name for org in period.supporting_organisations.all()]
    sentences = []
    if participants:
        when = window_phrase(period)
        sentences.append(
            f"{capitalise(country_list(participants))} participated in the {period}"
            + (f", which was carried out {when}." if when else ".")
        )
    plans = active_plans(period)
    if plans:
        sentences.append(
            f"Countries worked together on {count(len(plans))} joint "
            f"{'plan' if len(plans) == 1 else 'plans'} to disrupt people smuggling and trafficking "
            "in persons networks."
        )
    if supporters:
        sentences.append(f"{join_names(supporters)} provided support.")
    return [Block("paragraph", " ".join(sentences))] if sentences else []


def _figures_blocks(period: PeriodOfAction, figures: Figures, lead_in: str) -> list[Block]:
    blocks = []
    convictions = convictions_sentence(period, figures)
    if convictions:
        blocks.append(Block("paragraph", convictions))
    phrases = achievement_phrases(figures)
    if phrases:
        n = period.participants.count()
        where = f"authorities in the {countries_count(n)} countries" if n else "participating authorities"
        blocks.append(Block("paragraph", f"{lead_in} {where}:"))
        blocks += [Block("bullet", capitalise(phrase)) for phrase in phrases]
    if not blocks:
        blocks.append(Block("paragraph", "No outcome figures have been recorded for this period yet."))
    return blocks


# --- The texts --------------------------------------------------------------------------------------


def outcome_summary(period: PeriodOfAction, figures: Figures) -> Text:
    """The cycle's outcomes in the register of the group's web page (seeds/003)."""
    blocks = [Block("heading", str(period)), *_intro(period)]
    blocks += _figures_blocks(period, figures, "In total,")
    return Text(title=f"Outcomes of the {period}", blocks=tuple(blocks))


def media_release(period: PeriodOfAction, figures: Figures, today: dt.date | None = None) -> Text:
    """A draft release on the cycle's outcomes, for the co-chairs to complete and approve."""
    participants = list(period.participants.all())
    plans = active_plans(period)
    who = (
        f"Law enforcement and immigration agencies from {countries_count(len(participants))} countries – "
        f"{country_list(participants)} –"
        if participants
        else "Law enforcement and immigration agencies of the Working Group"
    )
    what = (
        f"carried out {count(len(plans))} joint {'operation' if len(plans) == 1 else 'operations'}"
        if plans
        else "worked together"
    )
    when = window_phrase(period)
    opening = (
        f"{who} {what} under the {period}{', ' + when if when else ''}, to disrupt and dismantle people "
        "smuggling and trafficking in persons networks in the Asia-Pacific region."
    )
    blocks = [Block("paragraph", "Media release"), Block("paragraph", opening)]
    blocks += _figures_blocks(period, figures, "Together,")
    co_chairs = list(period.co_chairs.all())
    blocks.append(
        Block(
            "paragraph",
            "[Quote from the co-chairs"
            + (f", the Governments of {country_list(co_chairs)}" if co_chairs else "")
            + ", to be added before release.]",
        )
    )
    blocks += _about_the_group(co_chairs)
    return Text(
        title=f"Countries join forces against people smuggling and trafficking: outcomes of the {period}",
        blocks=tuple(blocks),
    )


def _about_the_group(co_chairs: Sequence[object]) -> list[Block]:
    group = WorkingGroup.objects.first()
    if group is None:
        return []
    text = (
        f"The {group.name} focuses on concrete, action-oriented cooperation to disrupt and dismantle "
        "criminal networks involved in people smuggling and trafficking in persons in the Asia-Pacific "
        "region."
    )
    if co_chairs:
        text += f" It is co-chaired by {country_list(co_chairs)}."
    if group.parent_body:
        text += f" It reports to the {group.parent_body}."
    return [Block("heading", "About the Working Group"), Block("paragraph", text)]


def co_chairs_statement(meeting: Meeting, previous: tuple[PeriodOfAction, Figures] | None = None) -> Text:
    """The co-chairs' statement of a planning workshop, in the shape of seeds/000.

    `previous` is the cycle before, with its figures, which the co-chairs recall.
    """
    period = meeting.period
    group = WorkingGroup.objects.first()
    title = f"{meeting.title} under the {group.name}" if group else meeting.title
    place_date = ", ".join(part for part in (meeting.city, meeting.when if meeting.starts_on else "") if part)
    blocks: list[Block] = [Block("paragraph", part) for part in (place_date, "Co-Chairs' Statement") if part]
    numbered: list[Block] = []

    co_chairs = list(meeting.co_chairs.all()) or (list(period.co_chairs.all()) if period else [])
    where = f" in {meeting.city}" if meeting.city else ""
    on = f" on {meeting.when}" if meeting.starts_on else ""
    group_ref = " under the Working Group" if group else ""
    numbered.append(
        Block(
            "paragraph",
            (
                f"The Governments of {country_list(co_chairs)} co-chaired"
                if co_chairs
                else "The co-chairs chaired"
            )
            + f" the {meeting.title}{group_ref}{where}{on}.",
        )
    )
    attending = list(meeting.attending_countries.all())
    organisations = [org.short_name or org.name for org in meeting.attending_organisations.all()]
    if attending:
        text = (
            f"{capitalise(countries_count(len(attending)))} countries – {country_list(attending)} – "
            "attended the workshop"
        )
        text += f", with {join_names(organisations)}." if organisations else "."
        numbered.append(Block("paragraph", text))
    plans = active_plans(period) if period else []
    if period:
        when = window_phrase(period)
        text = (
            f"The workshop discussed ongoing investigations and developed joint investigation plans for the "
            f"{period}."
        )
        if plans:
            text += (
                f" Under the {period}, two or more countries will work together on {count(len(plans))} "
                f"separate {'investigation' if len(plans) == 1 else 'investigations'} to build a better "
                "intelligence picture, gather evidence and, where possible, disrupt specific syndicates."
            )
        if when:
            text += f" The {period} runs {when}."
        numbered.append(Block("paragraph", text))

    proceedings: list[Block] = []
    if previous is not None:
        recalled = _recall(*previous)
        if recalled:
            proceedings.append(Block("paragraph", recalled))
    if plans:
        described = [plan for plan in plans if plan.handling_code in DESCRIBABLE_PLANS]
        text = (
            "Countries presented the investigations they nominated, then divided into groups and developed "
            f"joint investigation or data-collection plans. {capitalise(count(len(plans)))} "
            f"{'plan was' if len(plans) == 1 else 'plans were'} developed:"
        )
        proceedings.append(Block("paragraph", text))
        proceedings += [Block("bullet", _plan_line(plan)) for plan in described]
        hidden = len(plans) - len(described)
        if hidden:
            proceedings.append(
                Block(
                    "bullet",
                    f"{capitalise(count(hidden))} further {'plan' if hidden == 1 else 'plans'}, "
                    "not described in public",
                )
            )

    steps = [_step(milestone) for milestone in _milestones(period)] if period else []

    number = 0

    def numbered_block(block: Block) -> Block:
        nonlocal number
        if block.kind != "paragraph":
            return block
        number += 1
        return Block("paragraph", f"{number}. {block.text}")

    blocks += [numbered_block(b) for b in numbered]
    if proceedings:
        blocks.append(Block("heading", "Proceedings"))
        blocks += [numbered_block(b) for b in proceedings]
    if steps:
        blocks.append(Block("heading", "Next steps under the Joint Period of Action"))
        blocks.append(numbered_block(Block("paragraph", "In terms of next steps:")))
        blocks += [Block("bullet", step) for step in steps]
    return Text(title=title, blocks=tuple(blocks))


def _recall(period: PeriodOfAction, figures: Figures) -> str:
    phrases = achievement_phrases(figures)
    if not phrases:
        return ""
    n = period.participants.count()
    who = f"agencies from {countries_count(n)} countries" if n else "participating agencies"
    when = window_phrase(period)
    said = "; ".join(phrases[:-1]) + "; and " + phrases[-1] if len(phrases) > 1 else phrases[0]
    return (
        f"The co-chairs opened the workshop by welcoming participants and recalled the outcomes of the "
        f"{period}{', which ran ' + when if when else ''}. During that period, law enforcement and "
        f"immigration {who} {said}."
    )


def _plan_line(plan: Plan) -> str:
    countries = " / ".join(country_name(c) for c in plan.countries).replace("the ", "")
    return f"{countries} – {plan.title}"


def _milestones(period: PeriodOfAction) -> list[Milestone]:
    # Undated steps first (they follow the workshop at once), then by the last day each may fall on:
    # "by mid December" comes before "in December".
    milestones = list(period.milestones.all())
    return sorted(milestones, key=lambda m: (m.due_on is not None, _latest(m), m.pk))


def _latest(milestone: Milestone) -> dt.date:
    day = milestone.due_on
    if day is None:
        return dt.date.min
    if milestone.due_precision == DatePrecision.YEAR:
        return dt.date(day.year, 12, 31)
    if milestone.due_precision == DatePrecision.MONTH:
        return dt.date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
    return day


def _by(milestone: Milestone) -> str:
    if milestone.due_on is None:
        return ""
    day = format_date(milestone.due_on, milestone.due_precision)
    if milestone.due_precision in (DatePrecision.MONTH, DatePrecision.YEAR):
        return f" in {day}"
    return f" by {day}"


def _step(milestone: Milestone) -> str:
    period = milestone.period
    by, to = _by(milestone), "the co-chairs"
    steps = {
        MilestoneKind.PLANS_DISTRIBUTED: "Co-chairs to write up and distribute the investigation plans to "
        f"Working Group participants{by}",
        MilestoneKind.MIDTERM_REPORT: f"Participating countries to submit a mid-term report to {to}{by}",
        MilestoneKind.FINAL_REPORT: f"Participating countries to submit a final report to {to}{by}",
        MilestoneKind.MEDIA_RELEASE: f"Co-chairs to issue a media release on the outcomes of the {period}"
        f"{by}",
        MilestoneKind.DEBRIEF: f"Co-chairs to convene a debrief meeting on the {period}{by}",
    }
    if milestone.kind in steps:
        return steps[MilestoneKind(milestone.kind)]
    return f"{milestone.get_responsible_display()}: {milestone.title}{by}"
