"""Who may read which audit entries (dispatched from `access.policy.visible_to`)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from disrupt.directory.choices import RoleCode


def entries_visible_to(user: Any, entries: QuerySet[Any]) -> QuerySet[Any]:
    """The secretariat: the whole trail. A focal point: entries about their country's records."""
    if not (user and user.is_authenticated and user.is_active):
        return entries.none()
    if user.has_role(RoleCode.SECRETARIAT):
        return entries
    country_id = user.country_id
    if user.has_role(RoleCode.FOCAL_POINT) and country_id is not None:
        return entries.filter(country=country_id)
    return entries.none()


def may_read_trail(user: Any) -> bool:
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and (user.has_role(RoleCode.SECRETARIAT) or (user.has_role(RoleCode.FOCAL_POINT) and user.country_id))
    )
