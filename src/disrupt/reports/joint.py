"""Joint figures: what partners in one plan achieved together is counted once.

How partners mark a shared figure (docs/reports.md has the walk-through):

1. A country reporting a line about a plan declares it joint with some of the plan's other
   countries (`actions.do_declare_joint`). That creates a `JointFigure` (cycle, plan,
   indicator, a few words saying what was achieved) whose countries are the declaring
   country and the partners it chose.
2. Each partner confirms by attaching its own line about the same plan and indicator to that
   joint figure (`actions.do_attach_joint`, or the "joint" field of the draft form).
3. Only lines of submitted versions count (a report's *standing* version: its newest
   submitted or accepted one), so a joint figure is:

   - **declared** (awaiting partners): some of its countries have no counted line on it yet;
   - **confirmed**: every country has a counted line on it, and they all give the same
     quantity (qualifier and number);
   - **disputed**: the counted lines give different quantities. A dispute does not block
     anything; the co-chairs see it on the reconciliation page and can return a report.

The counting rule (`counted_once`): partners count the same events, so a joint figure
contributes ONE quantity to any total that spans several of its countries: the largest of its
lines' quantities, because the partner who counted most saw at least that many. Between equal
numbers a lower bound ("over 10") is larger than an exact figure ("10"), and an unquantified
figure ("numerous", with its known part) ranks above both. A total over one country alone
sees only that country's line, so the same rule gives that country's own figure.
Totals (reports/totals.py) group lines by `joint_id` and add `counted_once(...)` of each group.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import QuerySet

from disrupt.reports.choices import Qualifier
from disrupt.reports.models import JointFigure, OutcomeLine
from disrupt.reports.quantities import Quantity, sum_quantities

if TYPE_CHECKING:
    from disrupt.directory.models import Country


class JointState(models.TextChoices):
    DECLARED = "declared", "Awaiting partners"
    CONFIRMED = "confirmed", "Confirmed"
    DISPUTED = "disputed", "Disputed"


_RANK = {Qualifier.EXACT: 0, Qualifier.AT_LEAST: 1, Qualifier.UNQUANTIFIED: 2}


def counted_once(quantities: Iterable[Quantity]) -> Quantity:
    """The one quantity a joint figure adds to a total: the largest of its lines' quantities."""
    return max(quantities, key=lambda q: (q.value or 0, _RANK[q.qualifier]))


def count_once(lines: Iterable[OutcomeLine]) -> Quantity:
    """The honest total of `lines`, each joint figure counted once (exact 0 for no lines).

    Pass lines that count (submitted, standing versions) of one indicator; money lines should
    be passed one currency at a time.
    """
    single: list[Quantity] = []
    joint: dict[int, list[Quantity]] = defaultdict(list)
    for line in lines:
        if line.joint_id is None:
            single.append(line.quantity)
        else:
            joint[line.joint_id].append(line.quantity)
    return sum_quantities([*single, *(counted_once(qs) for qs in joint.values())])


def same_quantity(a: Quantity, b: Quantity) -> bool:
    """Two lines agree when qualifier and number agree ("over 10" and "more than 10" do)."""
    return (a.qualifier, a.value) == (b.qualifier, b.value)


@dataclass
class Reconciliation:
    """Where one joint figure stands, from the counted lines that point to it."""

    joint: JointFigure
    lines: list[OutcomeLine] = field(default_factory=list)
    countries: list[Country] = field(default_factory=list)

    @property
    def confirmed_by(self) -> list[Country]:
        reporting = {line.version.report.country_id for line in self.lines}
        return [c for c in self.countries if c.pk in reporting]

    @property
    def awaiting(self) -> list[Country]:
        reporting = {line.version.report.country_id for line in self.lines}
        return [c for c in self.countries if c.pk not in reporting]

    @property
    def state(self) -> JointState:
        quantities = [line.quantity for line in self.lines]
        if any(not same_quantity(quantities[0], q) for q in quantities[1:]):
            return JointState.DISPUTED
        if self.awaiting:
            return JointState.DECLARED
        return JointState.CONFIRMED

    @property
    def quantity(self) -> Quantity | None:
        return counted_once(line.quantity for line in self.lines) if self.lines else None

    @property
    def counted_separately(self) -> Quantity | None:
        """What the lines would add up to if nobody had marked them joint: the double count avoided."""
        return sum_quantities(line.quantity for line in self.lines) if self.lines else None


def reconcile(lines: QuerySet[OutcomeLine]) -> list[Reconciliation]:
    """The joint figures `lines` point to, each with its lines and state.

    Pass the lines that count and that the viewer may see, e.g.
    `totals.standing_lines(policy.visible_to(user, OutcomeLine.objects.all()))` narrowed to a
    cycle: a partner's line the viewer may not see is then simply not there.
    """
    joint_lines = (
        lines.filter(joint__isnull=False)
        .select_related("indicator", "plan", "version__report__country")
        .order_by("joint", "version__report__country__name", "pk")
    )
    by_joint: dict[int, list[OutcomeLine]] = defaultdict(list)
    for line in joint_lines:
        assert line.joint_id is not None
        by_joint[line.joint_id].append(line)
    joints = (
        JointFigure.objects.filter(pk__in=by_joint)
        .select_related("plan", "indicator", "declared_by", "period")
        .prefetch_related("countries")
        .order_by("plan__reference", "indicator__position", "pk")
    )
    return [
        Reconciliation(
            joint=joint,
            lines=by_joint[joint.pk],
            countries=sorted(joint.countries.all(), key=lambda c: c.name),
        )
        for joint in joints
    ]


def reconciliation_for(user: Any, period: Any) -> list[Reconciliation]:
    """The reconciliation page's rows: the cycle's joint figures as `user` may see them."""
    from disrupt.access import policy
    from disrupt.reports.totals import standing_lines

    lines = standing_lines(
        policy.visible_to(user, OutcomeLine.objects.filter(version__report__period=period))
    )
    return reconcile(lines)
