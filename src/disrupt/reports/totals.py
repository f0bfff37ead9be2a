"""Outcome totals: what the country reports add up to, for whoever asks, and what may be published.

Which lines count (`counted_lines`):
- only lines the user may see (the access policy decides), so a total never leaks a line;
- only the *standing* version of each report (its newest submitted or accepted version);
- a country's final report covers the whole cycle, so once it stands, the same country's
  mid-term report for that cycle no longer counts (otherwise the first half would count twice).

How lines add up (`indicator_totals`):
- honest qualifiers (`quantities.sum_quantities`): exact + at least = at least; anything +
  unquantified is shown as unquantified, with the known part;
- money is summed per currency and different currencies are never added;
- a joint figure (`JointFigure`, partners reporting the same arrests) counts once: the largest
  of its visible lines (`reports.joint.counted_once`).

What may be published (`for_publication`) suppresses small per-country counts of victims;
the rule is described there and in docs/outcomes.md.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet

from disrupt.access import policy
from disrupt.reports.choices import ReportKind
from disrupt.reports.joint import counted_once
from disrupt.reports.models import Indicator, OutcomeLine, PublishedFigure, ReportVersion
from disrupt.reports.quantities import Quantity, sum_quantities

if TYPE_CHECKING:
    from disrupt.directory.models import Country
    from disrupt.programme.models import CrimeType, PeriodOfAction, Plan

# `plan=GENERAL` selects lines about general activity, outside the plans.
GENERAL = "general"

# Group-by keys for breakdowns, as the pages and the API name them.
GROUP_BY = ("country", "plan", "crime_type")

DEFAULT_THRESHOLD = 5


def publication_threshold() -> int:
    """Per-country victim counts below this are not published (settings.DISRUPT_PUBLICATION_THRESHOLD)."""
    return int(getattr(settings, "DISRUPT_PUBLICATION_THRESHOLD", DEFAULT_THRESHOLD))


# --- What a total is ------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Total:
    """The honest total of one indicator over some lines, and where it came from.

    `amounts` maps a currency to its sum ("" for a count, or for money given without a
    number and so without a currency); different currencies are never added.
    """

    indicator: Indicator
    amounts: Mapping[str, Quantity]
    line_ids: tuple[int, ...]
    report_ids: tuple[int, ...]
    joint_ids: tuple[int, ...] = ()

    @property
    def quantity(self) -> Quantity | None:
        """The one sum, or None when money came in several currencies (which do not add up)."""
        if len(self.amounts) != 1:
            return None
        return next(iter(self.amounts.values()))

    @property
    def display(self) -> str:
        """ "59", "over 70", or for money "AUD 12,000; USD 3,000"."""
        parts = []
        for currency, amount in sorted(self.amounts.items()):
            parts.append(f"{currency} {amount.display}" if currency else amount.display)
        return "; ".join(parts)


@dataclass
class IndicatorOutcome:
    """One indicator of a cycle: what the reports add up to and what the group published.

    The published figure, when there is one, stays the group's recorded outcome; the
    reported total is shown beside it, and `differs` says when they do not agree.
    """

    indicator: Indicator
    reported: Total | None = None
    published: PublishedFigure | None = None

    @property
    def recorded_display(self) -> str:
        if self.published is not None:
            return self.published.display
        return self.reported.display if self.reported is not None else ""

    @property
    def quantity(self) -> Quantity | None:
        if self.published is not None:
            return self.published.quantity
        return self.reported.quantity if self.reported is not None else None

    @property
    def differs(self) -> bool:
        return (
            self.published is not None
            and self.reported is not None
            and self.published.display != self.reported.display
        )


# --- Which lines count ---------------------------------------------------------------------------


def standing_lines(lines: QuerySet[OutcomeLine]) -> QuerySet[OutcomeLine]:
    """The lines of each report's standing version (`ReportVersion.objects.standing()`); a
    country's standing final report replaces its mid-term report of the same cycle."""
    final_stands = ReportVersion.objects.standing().filter(
        report__period=OuterRef("version__report__period"),
        report__country=OuterRef("version__report__country"),
        report__kind=ReportKind.FINAL,
    )
    return lines.filter(version__in=ReportVersion.objects.standing()).exclude(
        Q(version__report__kind=ReportKind.MIDTERM) & Exists(final_stands)
    )


def counted_lines(
    user: Any,
    period: PeriodOfAction | int | None = None,
    country: Country | int | None = None,
    plan: Plan | int | str | None = None,
    crime_type: CrimeType | int | None = None,
    indicator: Indicator | int | None = None,
) -> QuerySet[OutcomeLine]:
    """The lines that count towards the totals `user` may see, optionally narrowed.

    `plan=GENERAL` keeps the lines about general activity (no plan).
    """
    lines = standing_lines(policy.visible_to(user, OutcomeLine.objects.all()))
    if period is not None:
        lines = lines.filter(version__report__period=period)
    if country is not None:
        lines = lines.filter(version__report__country=country)
    if plan == GENERAL:
        lines = lines.filter(plan__isnull=True)
    elif plan is not None:
        lines = lines.filter(plan=plan)  # type: ignore[misc]
    if crime_type is not None:
        lines = lines.filter(plan__in=_plans_of_crime_type(crime_type))
    if indicator is not None:
        lines = lines.filter(indicator=indicator)
    return lines


def _plans_of_crime_type(crime_type: CrimeType | int) -> QuerySet[Any]:
    from disrupt.programme.models import Plan

    return Plan.objects.filter(crime_types=crime_type).values("pk")


# --- How lines add up ------------------------------------------------------------------------------


def _total(indicator: Indicator, lines: list[OutcomeLine]) -> Total:
    by_currency: dict[str, list[Quantity]] = defaultdict(list)
    joint: dict[tuple[str, int], list[Quantity]] = defaultdict(list)
    for line in lines:
        currency = line.currency.upper() if indicator.has_currency else ""
        if line.joint_id is not None:
            joint[(currency, line.joint_id)].append(line.quantity)
        else:
            by_currency[currency].append(line.quantity)
    for (currency, _), quantities in joint.items():
        by_currency[currency].append(counted_once(quantities))
    return Total(
        indicator=indicator,
        amounts={currency: sum_quantities(qs) for currency, qs in by_currency.items()},
        line_ids=tuple(sorted(line.pk for line in lines)),
        report_ids=tuple(sorted({line.version.report_id for line in lines})),
        joint_ids=tuple(sorted({line.joint_id for line in lines if line.joint_id is not None})),
    )


def _fetch(lines: QuerySet[OutcomeLine]) -> list[OutcomeLine]:
    return list(
        lines.select_related("indicator", "version__report").order_by(
            "indicator__position", "indicator__name", "pk"
        )
    )


def _totals_of(lines: Iterable[OutcomeLine]) -> dict[Indicator, Total]:
    grouped: dict[int, list[OutcomeLine]] = defaultdict(list)
    indicators: dict[int, Indicator] = {}
    for line in lines:
        grouped[line.indicator_id].append(line)
        indicators[line.indicator_id] = line.indicator
    return {indicators[pk]: _total(indicators[pk], group) for pk, group in grouped.items()}


def indicator_totals(lines: QuerySet[OutcomeLine]) -> dict[Indicator, Total]:
    """The honest total of each indicator over `lines`, in the indicators' order.

    Pass lines from `counted_lines`: this function adds what it is given.
    """
    return _totals_of(_fetch(lines))


def totals_by_period(lines: QuerySet[OutcomeLine]) -> dict[int, dict[Indicator, Total]]:
    """`indicator_totals` for each cycle of `lines`, by period id, in one query."""
    by_period: dict[int, list[OutcomeLine]] = defaultdict(list)
    for line in _fetch(lines):
        by_period[line.version.report.period_id].append(line)
    return {period_id: _totals_of(group) for period_id, group in by_period.items()}


@dataclass
class Breakdown:
    """Totals per indicator for each group (a country, a plan, a crime type)."""

    by: str
    # (key, label) for each group, in display order. The key is the country code, the plan id
    # or the crime type code; None is general activity (no plan) or no crime type.
    groups: list[tuple[Any, str]] = field(default_factory=list)
    totals: dict[Any, dict[Indicator, Total]] = field(default_factory=dict)

    def cell(self, group: Any, indicator: Indicator) -> Total | None:
        return self.totals.get(group, {}).get(indicator)

    @property
    def indicators(self) -> list[Indicator]:
        seen = {i.pk: i for totals in self.totals.values() for i in totals}
        return sorted(seen.values(), key=lambda i: (i.position, i.name))


def _group_keys(lines: QuerySet[OutcomeLine], by: str) -> tuple[dict[int, list[Any]], dict[Any, Any]]:
    """For each line, the groups it belongs to; for each group, (sort key, label)."""
    keys: dict[int, list[Any]] = defaultdict(list)
    labels: dict[Any, tuple[tuple[int, str], str]] = {}
    if by == "country":
        for pk, code, name in lines.values_list(
            "pk", "version__report__country__code", "version__report__country__name"
        ):
            keys[pk].append(code)
            labels[code] = ((0, name), name)
    elif by == "plan":
        for pk, plan_id, reference, title in lines.values_list(
            "pk", "plan_id", "plan__reference", "plan__title"
        ):
            keys[pk].append(plan_id)
            label = f"{reference} {title}" if plan_id is not None else "General activity (no plan)"
            labels[plan_id] = ((1 if plan_id is None else 0, reference or ""), label)
    else:
        rows = lines.values_list(
            "pk", "plan__crime_types__code", "plan__crime_types__name", "plan__crime_types__position"
        )
        for pk, code, name, position in rows:
            keys[pk].append(code)
            label = name if code is not None else "No crime type (general activity or untyped plan)"
            labels[code] = ((1 if code is None else 0, f"{position or 0:05d} {name or ''}"), label)
    return keys, labels


def breakdown(lines: QuerySet[OutcomeLine], by: str) -> Breakdown:
    """Totals per indicator per country, plan or crime type of `lines`.

    A line about a plan of several crime types counts under each of them, and a joint
    figure counts once in each country's column, so the columns need not add up to the
    group total.
    """
    if by not in GROUP_BY:
        raise ValueError(f"Unknown breakdown {by!r}: use one of {', '.join(GROUP_BY)}.")
    keys, labels = _group_keys(lines, by)
    fetched = _fetch(lines)
    groups = sorted(labels.items(), key=lambda item: item[1][0])
    result = Breakdown(by=by, groups=[(key, label) for key, (_, label) in groups])
    for key, _ in result.groups:
        result.totals[key] = _totals_of(line for line in fetched if key in keys[line.pk])
    return result


# --- A cycle's outcomes: reports and the public record side by side ---------------------------------


def period_outcomes(user: Any, period: PeriodOfAction) -> list[IndicatorOutcome]:
    """Each indicator of `period` with a reported total, a published figure, or both."""
    totals = indicator_totals(counted_lines(user, period=period))
    figures = policy.visible_to(user, PublishedFigure.objects.filter(period=period))
    figures = figures.select_related("indicator")
    outcomes: dict[int, IndicatorOutcome] = {}
    for indicator, total in totals.items():
        outcomes[indicator.pk] = IndicatorOutcome(indicator, reported=total)
    for figure in figures:
        outcome = outcomes.setdefault(figure.indicator_id, IndicatorOutcome(figure.indicator))
        outcome.published = figure
    return sorted(outcomes.values(), key=lambda o: (o.indicator.position, o.indicator.name))


# --- What may be published ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicFigure:
    """A figure as it may be published: its text, or a note that it is withheld."""

    display: str
    suppressed: bool = False
    quantity: Quantity | None = None


@dataclass
class PublicRow:
    indicator: Indicator
    total: PublicFigure
    countries: dict[str, PublicFigure]  # country code -> figure
    published: PublishedFigure | None = None


@dataclass
class PublicOutcomes:
    period: PeriodOfAction
    threshold: int
    countries: list[tuple[str, str]]  # (code, name), in name order
    rows: list[PublicRow]


def _is_small(quantity: Quantity, threshold: int) -> bool:
    # A count of zero identifies nobody; a count from 1 to threshold - 1 might.
    return quantity.value is not None and 0 < quantity.value < threshold


def suppress(
    cells: Mapping[str, Quantity], total: Quantity | None, threshold: int
) -> tuple[dict[str, PublicFigure], PublicFigure | None]:
    """Withhold small cells of one row of victim counts, and what would let one be recovered.

    1. Primary: a cell whose known number is from 1 to `threshold` - 1 is withheld
       ("fewer than 5" when exact; a lower bound or a partial number is withheld as "not shown").
    2. Secondary: if exactly one cell is withheld and the total is shown, subtracting the
       other cells from the total would give it back. So the smallest other cell with a
       number is withheld too; if there is none, the total is withheld instead.
    Two or more withheld cells only reveal their sum, which is what the rule accepts.
    """
    shown: dict[str, PublicFigure] = {}
    small = {key for key, q in cells.items() if _is_small(q, threshold)}
    for key, quantity in cells.items():
        if key in small:
            text = f"fewer than {threshold}" if quantity.is_exact else "not shown (small number)"
            shown[key] = PublicFigure(text, suppressed=True)
        else:
            shown[key] = PublicFigure(quantity.display, quantity=quantity)
    public_total = PublicFigure(total.display, quantity=total) if total is not None else None
    if len(small) == 1 and public_total is not None:
        others = [(q.value, key) for key, q in cells.items() if key not in small and q.value is not None]
        if others:
            _, key = min(others)
            shown[key] = PublicFigure("not shown (protects a small count)", suppressed=True)
        else:
            public_total = PublicFigure("not shown (protects a small count)", suppressed=True)
    return shown, public_total


def for_publication(user: Any, period: PeriodOfAction, threshold: int | None = None) -> PublicOutcomes:
    """The cycle's outcomes as they may be published: per-country victim counts below the
    threshold withheld, and no withheld count recoverable by subtraction (see `suppress`).

    The group total of an indicator is its published figure when the group published one
    (the recorded outcome), otherwise the reported total. Only lines `user` may see count.
    """
    limit = publication_threshold() if threshold is None else threshold
    lines = counted_lines(user, period=period)
    by_country = breakdown(lines, "country")
    rows: list[PublicRow] = []
    for outcome in period_outcomes(user, period):
        indicator = outcome.indicator
        cells = {
            code: total.quantity
            for code, _ in by_country.groups
            if (total := by_country.cell(code, indicator)) is not None and total.quantity is not None
        }
        group_total = outcome.quantity
        if indicator.is_victim_count:
            countries, public_total = suppress(cells, group_total, limit)
        else:
            countries = {
                code: PublicFigure(total.display, quantity=total.quantity)
                for code, _ in by_country.groups
                if (total := by_country.cell(code, indicator)) is not None
            }
            public_total = PublicFigure(group_total.display, quantity=group_total) if group_total else None
        if public_total is None:  # money in several currencies: no single total
            public_total = PublicFigure(outcome.recorded_display)
        rows.append(PublicRow(indicator, public_total, countries, outcome.published))
    return PublicOutcomes(period, limit, list(by_country.groups), rows)


# --- Cycles side by side ------------------------------------------------------------------------------


@dataclass
class CycleRow:
    """One indicator across cycles: each cycle's outcome (or None), and their honest sum."""

    indicator: Indicator
    cells: list[tuple[PeriodOfAction, IndicatorOutcome | None]]

    @property
    def total(self) -> Quantity | None:
        """The sum of the recorded figures; None when one of them has no single quantity
        (money in several currencies)."""
        quantities = [o.quantity for _, o in self.cells if o is not None]
        if any(q is None for q in quantities):
            return None
        return sum_quantities(q for q in quantities if q is not None)


def cycles_side_by_side(
    user: Any, periods: Iterable[PeriodOfAction]
) -> tuple[list[PeriodOfAction], list[CycleRow]]:
    """The cycles (of `periods`, which the user may see) with a published figure or a reported
    total, and one row per indicator that has either, with both for each cycle."""
    periods = list(periods)
    ids = [period.pk for period in periods]
    figures = policy.visible_to(user, PublishedFigure.objects.filter(period__in=ids))
    reported = totals_by_period(counted_lines(user).filter(version__report__period__in=ids))
    outcomes: dict[tuple[int, int], IndicatorOutcome] = {}
    for figure in figures.select_related("indicator"):
        key = (figure.indicator_id, figure.period_id)
        outcomes[key] = IndicatorOutcome(figure.indicator, published=figure)
    for period_id, totals in reported.items():
        for indicator, total in totals.items():
            outcome = outcomes.setdefault((indicator.pk, period_id), IndicatorOutcome(indicator))
            outcome.reported = total
    period_ids = {period_id for _, period_id in outcomes}
    shown = sorted((p for p in periods if p.pk in period_ids), key=lambda p: p.number)
    indicators = {o.indicator.pk: o.indicator for o in outcomes.values()}
    rows = [
        CycleRow(indicator, [(period, outcomes.get((indicator.pk, period.pk))) for period in shown])
        for indicator in sorted(indicators.values(), key=lambda i: (i.position, i.name))
    ]
    return shown, rows
