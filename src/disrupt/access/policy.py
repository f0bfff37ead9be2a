"""The access policy: who may see, create, edit and decide what. The only place that decides.

Every view, API route, search, export and job asks this module. Visibility is a queryset
filter (`visible_to`), never a list filtered in Python afterwards, so counts and pages agree.
The rules in prose are in docs/access-policy.md; the tests check both against one table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Model, Q, QuerySet

from disrupt.access.choices import HandlingCode
from disrupt.audit.visibility import entries_visible_to
from disrupt.directory.choices import RoleCode
from disrupt.programme.choices import PlanStatus

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from disrupt.directory.models import User
    from disrupt.programme.models import Meeting, PeriodOfAction, Plan

    AnyUser = User | AnonymousUser

VIEW, CREATE, EDIT, DECIDE = "view", "create", "edit", "decide"

# Codes any signed-in user of the platform may read.
OPEN_CODES = (HandlingCode.CLEAR, HandlingCode.GREEN)

# Roles a focal point may give to the people of their own country.
FOCAL_POINT_GRANTABLE = frozenset({RoleCode.INVESTIGATOR, RoleCode.ANALYST})


def _signed_in(user: AnyUser) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _is(user: AnyUser, *roles: str) -> bool:
    return _signed_in(user) and user.has_role(*roles)  # type: ignore[union-attr]


def _country_id(user: AnyUser) -> int | None:
    return user.country_id if _signed_in(user) else None  # type: ignore[union-attr]


# --- Relationships ------------------------------------------------------------------------------


def co_chairs_period(user: AnyUser, period: PeriodOfAction) -> bool:
    country_id = _country_id(user)
    return (
        _is(user, RoleCode.CO_CHAIR)
        and country_id is not None
        and period.co_chairs.filter(pk=country_id).exists()
    )


def co_chairs_meeting(user: AnyUser, meeting: Meeting) -> bool:
    country_id = _country_id(user)
    if not _is(user, RoleCode.CO_CHAIR) or country_id is None:
        return False
    if meeting.co_chairs.filter(pk=country_id).exists():
        return True
    return meeting.period is not None and co_chairs_period(user, meeting.period)


def co_chairs_plan(user: AnyUser, plan: Plan) -> bool:
    country_id = _country_id(user)
    return (
        _is(user, RoleCode.CO_CHAIR)
        and country_id is not None
        and plan.periods.filter(co_chairs=country_id).exists()
    )


def works_on_plan(user: AnyUser, plan: Plan) -> bool:
    return plan.involves(user.country if _signed_in(user) else None)  # type: ignore[union-attr]


# --- Visibility as queryset filters -------------------------------------------------------------


def plans_visible_to(user: AnyUser, plans: QuerySet[Any]) -> QuerySet[Any]:
    """CLEAR and GREEN plans for everyone signed in; AMBER for the plan's countries and co-chairs."""
    if not _signed_in(user):
        return plans.none()
    rule = Q(handling_code__in=OPEN_CODES)
    country_id = _country_id(user)
    if country_id is not None:
        rule |= Q(lead_country=country_id) | Q(partner_countries=country_id)
        if user.has_role(RoleCode.CO_CHAIR):  # type: ignore[union-attr]
            rule |= Q(periods__co_chairs=country_id)
    # The join through partners and periods can repeat a plan; keep each once.
    return plans.filter(pk__in=plans.model.objects.filter(rule).values("pk"))


def users_visible_to(user: AnyUser, users: QuerySet[Any]) -> QuerySet[Any]:
    """The secretariat sees every account; a focal point their country's; anyone else, themself."""
    if not _signed_in(user):
        return users.none()
    if user.has_role(RoleCode.SECRETARIAT):  # type: ignore[union-attr]
        return users
    rule = Q(pk=user.pk)
    country_id = _country_id(user)
    if country_id is not None and user.has_role(RoleCode.FOCAL_POINT):  # type: ignore[union-attr]
        rule |= Q(agency__country=country_id)
    return users.filter(rule)


def visible_to(user: AnyUser, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """The records of `queryset` that `user` may know exist."""
    name = queryset.model._meta.label_lower
    if name == "programme.plan":
        return plans_visible_to(user, queryset)
    if name == "directory.user":
        return users_visible_to(user, queryset)
    if name == "audit.auditentry":
        return entries_visible_to(user, queryset)
    if not _signed_in(user):
        return queryset.none()
    # Programme data (countries, agencies, cycles, milestones, meetings, action items,
    # reference terms, published figures) is open to everyone signed in.
    return queryset


# --- Object permissions ---------------------------------------------------------------------------


def can_view(user: AnyUser, obj: Model) -> bool:
    return visible_to(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()


def can_create(user: AnyUser, model: type[Model]) -> bool:
    """Whether `user` may create records of `model` at all (the form narrows the details)."""
    name = model._meta.label_lower
    if name == "programme.plan":
        return _is(user, RoleCode.FOCAL_POINT) and _country_id(user) is not None
    if name == "directory.user":
        return _is(user, RoleCode.SECRETARIAT) or (
            _is(user, RoleCode.FOCAL_POINT) and _country_id(user) is not None
        )
    if name in {"programme.meeting", "programme.actionitem", "programme.milestone"}:
        return _is(user, RoleCode.SECRETARIAT, RoleCode.CO_CHAIR)
    if name in {
        "programme.periodofaction",
        "directory.agency",
        "directory.countrystanding",
        "programme.crimetype",
        "programme.sector",
        "programme.objective",
    }:
        return _is(user, RoleCode.SECRETARIAT)
    return False


def can_edit(user: AnyUser, obj: Model) -> bool:
    name = obj._meta.label_lower
    if not _signed_in(user):
        return False
    if name == "programme.plan":
        return _can_edit_plan(user, obj)  # type: ignore[arg-type]
    if name == "directory.user":
        return can_manage_user(user, obj)  # type: ignore[arg-type]
    if name == "programme.periodofaction":
        return _is(user, RoleCode.SECRETARIAT) or co_chairs_period(user, obj)  # type: ignore[arg-type]
    if name == "programme.milestone":
        return _is(user, RoleCode.SECRETARIAT) or co_chairs_period(user, obj.period)  # type: ignore[attr-defined]
    if name == "programme.meeting":
        return _is(user, RoleCode.SECRETARIAT) or co_chairs_meeting(user, obj)  # type: ignore[arg-type]
    if name == "programme.actionitem":
        return _can_edit_action_item(user, obj)
    if name in {
        "directory.agency",
        "directory.country",
        "programme.crimetype",
        "programme.sector",
        "programme.objective",
    }:
        return _is(user, RoleCode.SECRETARIAT)
    return False


def _can_edit_plan(user: AnyUser, plan: Plan) -> bool:
    if not can_view(user, plan):
        return False
    if co_chairs_plan(user, plan):
        return True
    return (
        _is(user, RoleCode.FOCAL_POINT)
        and _country_id(user) == plan.lead_country_id
        and plan.status in {PlanStatus.NOMINATED, PlanStatus.RETURNED}
    )


def _can_edit_action_item(user: AnyUser, item: Any) -> bool:
    if _is(user, RoleCode.SECRETARIAT) or co_chairs_meeting(user, item.meeting):
        return True
    # Whoever owns an action may report its progress.
    if item.owner_user_id == user.pk:
        return True
    agency_id = getattr(user, "agency_id", None)
    return _is(user, RoleCode.FOCAL_POINT) and (
        (item.owner_agency_id is not None and item.owner_agency_id == agency_id)
        or (item.owner_country_id is not None and item.owner_country_id == _country_id(user))
    )


def can_decide_plan(user: AnyUser, plan: Plan) -> bool:
    """Co-chairs of one of the plan's cycles approve or return a nominated plan."""
    return plan.status in {PlanStatus.NOMINATED, PlanStatus.RETURNED} and co_chairs_plan(user, plan)


def can_manage_user(user: AnyUser, target: User) -> bool:
    """The secretariat manages everyone; a focal point the investigators and analysts of their country."""
    if not _signed_in(user):
        return False
    if _is(user, RoleCode.SECRETARIAT):
        return True
    if not _is(user, RoleCode.FOCAL_POINT) or target.pk == user.pk:
        return False
    country_id = _country_id(user)
    return (
        country_id is not None
        and target.country_id == country_id
        and target.role_codes <= FOCAL_POINT_GRANTABLE
        and not target.is_staff
    )


def grantable_roles(user: AnyUser) -> frozenset[str]:
    if _is(user, RoleCode.SECRETARIAT):
        return frozenset(RoleCode.values)
    if _is(user, RoleCode.FOCAL_POINT):
        return FOCAL_POINT_GRANTABLE
    return frozenset()


def assignable_agencies(user: AnyUser, agencies: QuerySet[Any]) -> QuerySet[Any]:
    """Agencies a manager may place an account in."""
    if _is(user, RoleCode.SECRETARIAT):
        return agencies
    country_id = _country_id(user)
    if _is(user, RoleCode.FOCAL_POINT) and country_id is not None:
        return agencies.filter(country=country_id)
    return agencies.none()
