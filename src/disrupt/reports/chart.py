"""A bar chart comparing cycles for one indicator, drawn on the server as inline SVG.

No script and no external asset (the CSP forbids both, and government networks are often
closed). The geometry is computed here; the template only writes it out, escaped.
An exact figure is a solid bar; a lower bound ("over 30") a hatched bar with an open top and
the label "over 30"; a figure without a number a labelled gap, never a zero-height bar.
"""

from __future__ import annotations

from dataclasses import dataclass

from disrupt.programme.models import PeriodOfAction
from disrupt.reports.models import Indicator
from disrupt.reports.quantities import Quantity
from disrupt.reports.totals import CycleRow, IndicatorOutcome

WIDTH = 480
HEIGHT = 260
LEFT = 44  # room for the axis labels
RIGHT = 12
TOP = 28  # room for the open end of a lower bound and its label
BOTTOM = 40  # room for the cycle labels
PLOT_HEIGHT = HEIGHT - TOP - BOTTOM


@dataclass(frozen=True)
class Bar:
    """One cycle's slot in the chart."""

    period: PeriodOfAction
    kind: str  # "exact", "at_least" or "gap"
    text: str  # as the group writes it: "59", "over 30", "at least 68, plus numerous", "no figure"
    label: str  # what the chart writes at the bar: short enough for its slot
    x: float
    width: float
    y: float  # top of the bar (for a gap: where its label sits)
    height: float

    @property
    def centre(self) -> float:
        return self.x + self.width / 2

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def label_y(self) -> float:
        return self.y - 8 if self.kind != "gap" else self.y

    @property
    def open_end_y(self) -> float:
        """Where the dashed open end of a lower bound reaches."""
        return max(self.y - 22, 4.0)

    @property
    def baseline(self) -> float:
        return TOP + PLOT_HEIGHT


@dataclass(frozen=True)
class Tick:
    value: int
    y: float

    @property
    def text(self) -> str:
        return f"{self.value:,}"


@dataclass(frozen=True)
class CycleChart:
    indicator: Indicator
    bars: list[Bar]
    ticks: list[Tick]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    baseline: int = TOP + PLOT_HEIGHT

    @property
    def title(self) -> str:
        return f"{self.indicator.name}, by Joint Period of Action"

    @property
    def description(self) -> str:
        parts = [f"{bar.period.ordinal} period: {bar.text}" for bar in self.bars]
        return "; ".join(parts) + "." if parts else "No figures."

    @property
    def has_bounds(self) -> bool:
        return any(bar.kind == "at_least" for bar in self.bars)

    @property
    def has_gaps(self) -> bool:
        return any(bar.kind == "gap" for bar in self.bars)


def _nice_top(largest: int) -> int:
    """A round number at or above `largest` for the top of the axis."""
    if largest <= 4:
        return 4
    if largest <= 8:
        return 8
    step = 10 ** (len(str(largest)) - 1)
    for factor in (1, 2, 2.5, 5, 10):
        top = int(step * factor)
        if top >= largest:
            return top
    return step * 10


def _kind(quantity: Quantity | None) -> str:
    if quantity is None or quantity.is_unquantified:
        return "gap"
    return "exact" if quantity.is_exact else "at_least"


def _gap_label(outcome: IndicatorOutcome | None, quantity: Quantity | None) -> str:
    if outcome is None:
        return "no figure"
    if quantity is None:
        return "several currencies"
    return quantity.wording or "not quantified"


def cycle_chart(row: CycleRow) -> CycleChart:
    """The chart of `row`: a bar per cycle, from the figure the group records for it."""
    quantities = [(period, outcome.quantity if outcome else None, outcome) for period, outcome in row.cells]
    values = [q.value for _, q, _ in quantities if _kind(q) != "gap" and q is not None and q.value]
    top = _nice_top(max(values, default=0))
    slot = (WIDTH - LEFT - RIGHT) / max(len(quantities), 1)
    bar_width = min(slot * 0.6, 64)
    bars = []
    for index, (period, quantity, outcome) in enumerate(quantities):
        kind = _kind(quantity)
        x = LEFT + index * slot + (slot - bar_width) / 2
        text = outcome.recorded_display if outcome is not None else "no figure"
        if kind == "gap" or quantity is None or quantity.value is None:
            label = _gap_label(outcome, quantity)
            bars.append(Bar(period, "gap", text, label, x, bar_width, TOP + PLOT_HEIGHT / 2, 0))
            continue
        height = PLOT_HEIGHT * quantity.value / top
        label = quantity.display
        bars.append(Bar(period, kind, text, label, x, bar_width, TOP + PLOT_HEIGHT - height, height))
    steps = 4 if top % 4 == 0 else 5
    ticks = [Tick(top * i // steps, TOP + PLOT_HEIGHT - PLOT_HEIGHT * i / steps) for i in range(steps + 1)]
    return CycleChart(row.indicator, bars, ticks)
