"""Small display helpers for the directory's pages."""

from __future__ import annotations

import datetime as dt

from django import template

register = template.Library()


@register.filter
def duration(value: dt.timedelta | None) -> str:
    """'30 minutes', '1 hour', '2 hours 15 minutes'."""
    if value is None:
        return ""
    minutes = max(1, round(value.total_seconds() / 60))
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if minutes:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return " ".join(parts)
