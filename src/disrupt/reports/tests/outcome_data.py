"""Builders for outcome tests: reports with submitted lines, without going through the workflow."""

from __future__ import annotations

from disrupt.directory.models import Country
from disrupt.programme.models import PeriodOfAction, Plan
from disrupt.reports.choices import Qualifier, ReportKind, VersionStatus
from disrupt.reports.models import Indicator, JointFigure, OutcomeLine, Report, ReportVersion

# (indicator code, value), optionally followed by the plan (or None) and the currency.
Value = str | int
LineSpec = tuple[str, Value] | tuple[str, Value, Plan | None] | tuple[str, Value, Plan | None, str]


def submit(
    period: PeriodOfAction,
    country_code: str,
    lines: list[LineSpec],
    kind: str = ReportKind.FINAL,
    status: str = VersionStatus.SUBMITTED,
) -> ReportVersion:
    """A new version of `country_code`'s report with `lines`, moved to `status`.

    A line is (indicator code, value, plan or None, currency): a value is a number, or the
    group's words ("over 5", "numerous").
    """
    country = Country.objects.get(code=country_code)
    report, _ = Report.objects.get_or_create(period=period, country=country, kind=kind)
    number = report.versions.count() + 1
    version = ReportVersion.objects.create(
        report=report, number=number, change_summary="" if number == 1 else "Corrected figures."
    )
    for position, spec in enumerate(lines):
        code, value = spec[0], spec[1]
        plan = spec[2] if len(spec) > 2 else None  # type: ignore[misc]
        currency = spec[3] if len(spec) > 3 else ""  # type: ignore[misc]
        add_line(version, code, value, plan, currency, position)
    if status != VersionStatus.DRAFT:
        set_status(version, status)
    return version


def set_status(version: ReportVersion, status: str) -> ReportVersion:
    version.status = status
    version.save(update_fields=["status"])
    return version


def add_line(
    version: ReportVersion,
    code: str,
    value: str | int,
    plan: Plan | None = None,
    currency: str = "",
    position: int = 0,
    joint: JointFigure | None = None,
) -> OutcomeLine:
    from disrupt.reports.quantities import Quantity

    quantity = Quantity.exact(value) if isinstance(value, int) else Quantity.parse(value)
    return OutcomeLine.objects.create(
        version=version,
        indicator=Indicator.objects.get(code=code),
        plan=plan,
        qualifier=quantity.qualifier,
        value=quantity.value,
        wording=quantity.wording,
        currency=currency,
        position=position,
        joint=joint,
    )


__all__ = ["Qualifier", "add_line", "set_status", "submit"]
