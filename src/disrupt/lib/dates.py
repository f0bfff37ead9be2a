"""Dates as the group writes them: some known to the day, some only to the month or year."""

from __future__ import annotations

import calendar
import datetime as dt

from django.db import models


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MID_MONTH = "mid_month", "Middle of the month"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


def format_day(day: dt.date) -> str:
    """'19 May 2016', without a leading zero, as the group's statements write it."""
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"


def format_date(day: dt.date | None, precision: str = DatePrecision.DAY) -> str:
    if day is None:
        return "Not recorded"
    if precision == DatePrecision.YEAR:
        return str(day.year)
    if precision == DatePrecision.MONTH:
        return f"{calendar.month_name[day.month]} {day.year}"
    if precision == DatePrecision.MID_MONTH:
        return f"mid {calendar.month_name[day.month]} {day.year}"
    return format_day(day)


def format_span(
    start: dt.date | None,
    end: dt.date | None,
    start_precision: str = DatePrecision.DAY,
    end_precision: str = DatePrecision.DAY,
) -> str:
    """'19 May – 20 November 2016', 'March – August 2017', '2022 – 2023'."""
    if start is None and end is None:
        return "Not recorded"
    if start is None or end is None:
        return format_date(start or end, start_precision if start else end_precision)
    if start == end and start_precision == end_precision:
        return format_date(start, start_precision)
    left, right = format_date(start, start_precision), format_date(end, end_precision)
    if start.year == end.year and start_precision == end_precision != DatePrecision.YEAR:
        left = left.rsplit(" ", 1)[0]
        if start.month == end.month and start_precision == DatePrecision.DAY:
            left = str(start.day)
    return f"{left} – {right}"


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_between(start: dt.date, end: dt.date) -> float:
    """The length of a window in months, counting 28 Sep – 28 Oct as exactly one."""
    whole = (end.year - start.year) * 12 + end.month - start.month
    anchor = add_months(start, whole)
    if anchor > end:
        whole -= 1
        anchor = add_months(start, whole)
    days_in_month = calendar.monthrange(anchor.year, anchor.month)[1]
    return whole + (end - anchor).days / days_in_month
