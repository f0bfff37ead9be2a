"""The access policy: who may see, create, edit and decide what. The only place that decides.

Every view, API route, search, export and job asks this module. Visibility is a queryset
filter (`visible_to`), never a list filtered in Python afterwards, so counts and pages agree.
The rules in prose are in docs/access-policy.md; the tests check both against one table.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db.models import Model, Q, QuerySet

from disrupt.access.choices import HandlingCode
from disrupt.access.models import OperationalRecord
from disrupt.directory.choices import RoleCode
from disrupt.programme.choices import PlanStatus
from disrupt.reports.choices import VersionStatus

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

# Roles whose holders may read operational records above GREEN when they are shared with their
# agency. Observers read programme material only. Every one of these roles requires a second
# factor (data/reference.yaml), so nobody reads TLP:AMBER or above on a password alone.
RESTRICTED_READERS = frozenset(
    {RoleCode.SECRETARIAT, RoleCode.CO_CHAIR, RoleCode.FOCAL_POINT, RoleCode.INVESTIGATOR, RoleCode.ANALYST}
)


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
    # Observers (and accounts without a role) read programme material at CLEAR and GREEN only.
    if country_id is not None and user.has_role(*RESTRICTED_READERS):  # type: ignore[union-attr]
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


def entries_visible_to(user: AnyUser, entries: QuerySet[Any]) -> QuerySet[Any]:
    """The audit trail: all of it for the secretariat; a focal point, entries about their country."""
    if _is(user, RoleCode.SECRETARIAT):
        return entries
    country_id = _country_id(user)
    if _is(user, RoleCode.FOCAL_POINT) and country_id is not None:
        return entries.filter(country=country_id)
    return entries.none()


def may_read_trail(user: AnyUser) -> bool:
    return _is(user, RoleCode.SECRETARIAT) or (
        _is(user, RoleCode.FOCAL_POINT) and _country_id(user) is not None
    )


# --- Operational records: owner, handling code and sharing ----------------------------------------


def operational_rule(user: AnyUser, prefix: str = "") -> Q:
    """The records carrying `OperationalRecord` fields (under `prefix`) that `user` may read.

    CLEAR, GREEN: everyone signed in. AMBER: the owning agency, the agencies it is shared with,
    every agency of the countries it is shared with and of the countries of the plans it is
    shared with. AMBER+STRICT: the owning agency and the agencies named, nobody else of their
    countries. RED: the named people and the author. A sharing the code does not allow (a
    country on an AMBER+STRICT record, an agency on a RED one) gives nothing. Above GREEN only
    holders of a `RESTRICTED_READERS` role read anything; otherwise roles add nothing: the
    secretariat and co-chairs see operational content only when it is shared with their agency.
    """
    p = prefix
    if not _signed_in(user):
        # Never build the rule for nobody: `named_people=None` would match every unnamed record.
        return Q(pk__in=[])
    rule = Q(**{f"{p}handling_code__in": OPEN_CODES})
    if not user.has_role(*RESTRICTED_READERS):  # type: ignore[union-attr]
        return rule
    agency_id = getattr(user, "agency_id", None)
    country_id = _country_id(user)
    if agency_id is not None:
        agencies = Q(**{f"{p}owner_agency": agency_id}) | Q(**{f"{p}shared_agencies": agency_id})
        rule |= Q(**{f"{p}handling_code__in": [HandlingCode.AMBER, HandlingCode.AMBER_STRICT]}) & agencies
    if country_id is not None:
        countries = (
            Q(**{f"{p}shared_countries": country_id})
            | Q(**{f"{p}shared_plans__lead_country": country_id})
            | Q(**{f"{p}shared_plans__partner_countries": country_id})
        )
        rule |= Q(**{f"{p}handling_code": HandlingCode.AMBER}) & countries
    rule |= Q(**{f"{p}handling_code": HandlingCode.RED}) & (
        Q(**{f"{p}named_people": user.pk}) | Q(**{f"{p}created_by": user.pk})
    )
    return rule


def operational_visible_to(user: AnyUser, records: QuerySet[Any]) -> QuerySet[Any]:
    """Operational records, or their children (replies, attachments) through `access_parent`."""
    if not _signed_in(user):
        return records.none()
    parent = records.model.access_parent
    prefix = f"{parent}__" if parent else ""
    # The joins through sharing can repeat a record; keep each once.
    return records.filter(
        pk__in=records.model._default_manager.filter(operational_rule(user, prefix)).values("pk")
    )


def sharing_requests_visible_to(user: AnyUser, requests: QuerySet[Any]) -> QuerySet[Any]:
    """A request to widen sharing: its author, and the people of the agency owning the record
    (who decide it). Nobody else learns that a record was asked about."""
    if not _signed_in(user):
        return requests.none()
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    rule = Q(requested_by=user.pk)
    agency_id = getattr(user, "agency_id", None)
    if agency_id is not None and user.has_role(*RESTRICTED_READERS):  # type: ignore[union-attr]
        for model in apps.get_models():
            if issubclass(model, OperationalRecord):
                owned = model._default_manager.filter(owner_agency=agency_id).values("pk")
                rule |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=owned)
    return requests.filter(rule)


# --- Country reports and their lines ------------------------------------------------------------------


def reports_visible_to(user: AnyUser, reports: QuerySet[Any], prefix: str = "") -> QuerySet[Any]:
    """The secretariat: every report. Co-chairs: every report of the cycles they co-chair.
    People of the reporting country: their country's reports. Nobody else (plan partners see
    only the lines about their plan, through `lines_visible_to`)."""
    if not _signed_in(user):
        return reports.none()
    if _is(user, RoleCode.SECRETARIAT):
        return reports
    country_id = _country_id(user)
    if country_id is None:
        return reports.none()
    rule = Q(pk__in=[])
    if user.has_role(RoleCode.FOCAL_POINT, RoleCode.INVESTIGATOR, RoleCode.ANALYST, RoleCode.CO_CHAIR):  # type: ignore[union-attr]
        rule |= Q(**{f"{prefix}country": country_id})
    if user.has_role(RoleCode.CO_CHAIR):  # type: ignore[union-attr]
        rule |= Q(**{f"{prefix}period__co_chairs": country_id})
    return reports.filter(pk__in=reports.model._default_manager.filter(rule).values("pk"))


def versions_visible_to(user: AnyUser, versions: QuerySet[Any]) -> QuerySet[Any]:
    """A version is visible with its report; a draft only to its own country and the secretariat."""
    report_model = versions.model.report.field.related_model
    visible = versions.filter(report__in=reports_visible_to(user, report_model.objects.all()))
    if _is(user, RoleCode.SECRETARIAT):
        return visible
    return visible.exclude(Q(status=VersionStatus.DRAFT) & ~Q(report__country=_country_id(user)))


def lines_visible_to(user: AnyUser, lines: QuerySet[Any]) -> QuerySet[Any]:
    """Lines of the versions the user may read, and the submitted lines about plans the user's
    country works on (as lead or partner). The plan's partners are its officers: observers (who
    read only CLEAR and GREEN plans, see `plans_visible_to`) do not get a plan's lines this way."""
    if not _signed_in(user):
        return lines.none()
    version_model = lines.model.version.field.related_model
    rule = Q(version__in=versions_visible_to(user, version_model.objects.all()))
    country_id = _country_id(user)
    if country_id is not None and user.has_role(*RESTRICTED_READERS):  # type: ignore[union-attr]
        rule |= ~Q(version__status=VersionStatus.DRAFT) & (
            Q(plan__lead_country=country_id) | Q(plan__partner_countries=country_id)
        )
    return lines.filter(pk__in=lines.model._default_manager.filter(rule).values("pk"))


# --- Notifications (notifications app) ---------------------------------------------------------------


def notifications_visible_to(user: AnyUser, notifications: QuerySet[Any]) -> QuerySet[Any]:
    """A person's own notifications, and only those about records they may still see: narrowing
    a record's sharing hides what was said about it."""
    if not _signed_in(user):
        return notifications.none()
    from django.contrib.contenttypes.models import ContentType

    own = notifications.filter(recipient=user.pk)
    kinds = (
        notifications.model._default_manager.filter(recipient=user.pk)
        .order_by()
        .values_list("content_type", flat=True)
        .distinct()
    )
    rule = Q(pk__in=[])
    for kind_id in kinds:
        model = ContentType.objects.get_for_id(kind_id).model_class()
        if model is not None:
            visible = visible_to(user, model._default_manager.all()).values("pk")
            rule |= Q(content_type=kind_id, object_id__in=visible)
    return own.filter(rule)


def visible_to(user: AnyUser, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """The records of `queryset` that `user` may know exist."""
    model = queryset.model
    name = model._meta.label_lower
    if name == "programme.plan":
        return plans_visible_to(user, queryset)
    if name == "directory.user":
        return users_visible_to(user, queryset)
    if name == "audit.auditentry":
        return entries_visible_to(user, queryset)
    if name == "notifications.notification":
        return notifications_visible_to(user, queryset)
    if name == "access.sharingrequest":
        return sharing_requests_visible_to(user, queryset)
    if name == "intel.importjob":
        return import_jobs_visible_to(user, queryset)
    if name == "intel.analysisrun":
        return analysis_runs_visible_to(user, queryset)
    if name in MATCHING_RULES:
        return MATCHING_RULES[name](user, queryset)
    if issubclass(model, OperationalRecord) or getattr(model, "access_parent", None):
        return operational_visible_to(user, queryset)
    if model._meta.app_label in {"intel", "matching"}:
        # Every model of intelligence and matching is decided above; never fall through to "open".
        raise LookupError(f"the access policy has no rule for {name}")
    if name == "reports.report":
        return reports_visible_to(user, queryset)
    if name == "reports.reportversion":
        return versions_visible_to(user, queryset)
    if name == "reports.outcomeline":
        return lines_visible_to(user, queryset)
    if name == "reports.jointfigure":
        # A joint figure is known to the countries that count it and to whoever sees their reports.
        return queryset.filter(
            pk__in=lines_visible_to(user, model.lines.rel.related_model.objects.all()).values("joint")
        )
    if name == "reports.publication":
        return publications_visible_to(user, queryset)
    if name == "reports.publicationversion":
        return publication_versions_visible_to(user, queryset)
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
    if name == "exchange.enquiry":
        return can_send_enquiry(user)
    if name in {"intel.collection", "intel.assessment"}:
        return is_officer(user)
    if name == "intel.analysisrun":
        return is_officer(user)
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
    if name == "reports.report":
        return _can_edit_report_now(user, obj)
    if name == "intel.collection":
        return can_edit_collection(user, obj)
    if name == "intel.assessment":
        return can_edit_assessment(user, obj)
    if name == "matching.selectorupload":
        return can_edit_upload(user, obj)
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


# --- Reports: who drafts, submits, decides and reconciles (reports/actions.py asks these) -----------


def can_start_report(user: AnyUser, period: PeriodOfAction, country_id: int | None) -> bool:
    """A focal point starts their own country's report, if the country takes part in the cycle."""
    return (
        _is(user, RoleCode.FOCAL_POINT)
        and country_id is not None
        and _country_id(user) == country_id
        and period.participants.filter(pk=country_id).exists()
    )


def can_start_reports(user: AnyUser) -> bool:
    """Whether to offer `user` to start reports at all (can_start_report decides each one)."""
    return _is(user, RoleCode.FOCAL_POINT) and _country_id(user) is not None


def can_edit_report(user: AnyUser, report: Any) -> bool:
    """The reporting country's focal points draft, submit and revise its report."""
    return _is(user, RoleCode.FOCAL_POINT) and _country_id(user) == report.country_id


def _can_edit_report_now(user: AnyUser, report: Any) -> bool:
    """A report can be changed while it has a draft version, by its country's focal points."""
    return can_edit_report(user, report) and report.versions.filter(status=VersionStatus.DRAFT).exists()


def can_decide_report(user: AnyUser, report: Any) -> bool:
    """The secretariat and the co-chairs of the report's cycle accept or return it."""
    return _is(user, RoleCode.SECRETARIAT) or co_chairs_period(user, report.period)


def can_reconcile(user: AnyUser, period: PeriodOfAction) -> bool:
    """Who sees a cycle's joint figures side by side: the secretariat and the cycle's co-chairs."""
    return _is(user, RoleCode.SECRETARIAT) or co_chairs_period(user, period)


# --- Enquiries (exchange app): who sends, replies, closes, and widens the sharing ----------------------

# Officers of an agency exchange enquiries; observers, the secretariat and co-chairs as such do not.
ENQUIRY_SENDERS = frozenset({RoleCode.FOCAL_POINT, RoleCode.INVESTIGATOR, RoleCode.ANALYST})

# Codes whose sharing a recipient may ask to widen (below them the record is open to everyone).
WIDENABLE_CODES = (HandlingCode.AMBER, HandlingCode.AMBER_STRICT)


def can_send_enquiry(user: AnyUser) -> bool:
    return _is(user, *ENQUIRY_SENDERS) and getattr(user, "agency_id", None) is not None


def is_enquiry_party(user: AnyUser, enquiry: Any) -> bool:
    """The user's agency sent the enquiry or is one it is addressed to (and the user may read it)."""
    agency_id = getattr(user, "agency_id", None)
    if agency_id is None or not can_view(user, enquiry):
        return False
    return agency_id == enquiry.owner_agency_id or enquiry.recipients.filter(pk=agency_id).exists()


def can_reply_enquiry(user: AnyUser, enquiry: Any) -> bool:
    """Officers of the sending and the addressed agencies write in the thread while it is live."""
    from disrupt.exchange.choices import EnquiryStatus

    return (
        enquiry.status in {EnquiryStatus.OPEN, EnquiryStatus.ANSWERED}
        and _is(user, *ENQUIRY_SENDERS)
        and is_enquiry_party(user, enquiry)
    )


def owns_record(user: AnyUser, record: Any) -> bool:
    """Speaks for the owning agency of an operational record: its author, or a focal point of
    that agency. Closes or withdraws an enquiry and decides requests to widen its sharing."""
    if not can_view(user, record):
        return False
    if record.created_by_id is not None and record.created_by_id == user.pk:
        return True
    return _is(user, RoleCode.FOCAL_POINT) and getattr(user, "agency_id", None) == record.owner_agency_id


def can_request_widening(user: AnyUser, record: Any) -> bool:
    """A reader outside the owning agency may ask the owner to share an AMBER or AMBER+STRICT
    record more widely; they can never pass it on themselves."""
    agency_id = getattr(user, "agency_id", None)
    return (
        record.handling_code in WIDENABLE_CODES
        and agency_id is not None
        and agency_id != record.owner_agency_id
        and _is(user, *RESTRICTED_READERS)
        and can_view(user, record)
    )


# --- Publications: the texts the group publishes ------------------------------------------------
# The secretariat drafts and edits them; the co-chairs of the period edit and approve them.
# A draft is known to those people only; a text approved for release (TLP:CLEAR) to everyone
# signed in, and it stays on file when a later approval supersedes it.


def may_draft_publications(user: AnyUser, period: PeriodOfAction) -> bool:
    return _is(user, RoleCode.SECRETARIAT) or co_chairs_period(user, period)


def can_edit_publication(user: AnyUser, publication: Any) -> bool:
    return may_draft_publications(user, publication.period)


def can_approve_publication(user: AnyUser, version: Any) -> bool:
    """Only a co-chair of the period approves, and only the newest version while it is a draft."""
    from disrupt.reports.choices import PublicationStatus

    publication = version.publication
    newest = publication.versions.order_by("-number").values_list("number", flat=True).first()
    return (
        version.status == PublicationStatus.DRAFT
        and version.number == newest
        and co_chairs_period(user, publication.period)
    )


def _publication_drafters(user: AnyUser, prefix: str = "") -> Q | None:
    """The periods whose drafts `user` may read, as a filter; None for all of them."""
    if _is(user, RoleCode.SECRETARIAT):
        return None
    country_id = _country_id(user)
    if _is(user, RoleCode.CO_CHAIR) and country_id is not None:
        return Q(**{f"{prefix}period__co_chairs": country_id})
    return Q(pk__in=[])


def publications_visible_to(user: AnyUser, publications: QuerySet[Any]) -> QuerySet[Any]:
    from disrupt.reports.choices import PublicationStatus

    if not _signed_in(user):
        return publications.none()
    drafters = _publication_drafters(user)
    if drafters is None:
        return publications
    released = Q(versions__status__in=[PublicationStatus.APPROVED, PublicationStatus.SUPERSEDED])
    model = publications.model
    return publications.filter(pk__in=model._default_manager.filter(drafters | released).values("pk"))


def publication_versions_visible_to(user: AnyUser, versions: QuerySet[Any]) -> QuerySet[Any]:
    from disrupt.reports.choices import PublicationStatus

    if not _signed_in(user):
        return versions.none()
    drafters = _publication_drafters(user, "publication__")
    if drafters is None:
        return versions
    released = Q(status__in=[PublicationStatus.APPROVED, PublicationStatus.SUPERSEDED])
    model = versions.model
    return versions.filter(pk__in=model._default_manager.filter(drafters | released).values("pk"))


# --- Network intelligence (intel app): collections, entities, imports, analyses, assessments --------
# Collections, entities and assessments are operational records (or read through one), so
# `operational_rule` decides who reads them. Who may change them, and the jobs around them, below.

# Officers of an agency hold and analyse its intelligence; observers, the secretariat and
# co-chairs as such do not (they read what is shared with their agency, like anyone).
INTEL_OFFICERS = ENQUIRY_SENDERS


def is_officer(user: AnyUser) -> bool:
    return _is(user, *INTEL_OFFICERS) and getattr(user, "agency_id", None) is not None


def can_edit_collection(user: AnyUser, collection: Any) -> bool:
    """The owning agency's officers add, import, edit and delete entities; nobody else, whatever
    the collection is shared with (a recipient cannot change another agency's record)."""
    return (
        is_officer(user)
        and getattr(user, "agency_id", None) == collection.owner_agency_id
        and can_view(user, collection)
    )


def import_jobs_visible_to(user: AnyUser, jobs: QuerySet[Any]) -> QuerySet[Any]:
    """An import (its file name, progress and the errors it found, which quote the file) is known
    to whoever may edit the collection it goes into, and to nobody else."""
    if not _signed_in(user) or not is_officer(user):
        return jobs.none()
    from disrupt.intel.models import Collection

    editable = operational_visible_to(user, Collection.objects.filter(owner_agency=user.agency_id))  # type: ignore[union-attr]
    return jobs.filter(collection__in=editable.values("pk"))


def analysis_runs_visible_to(user: AnyUser, runs: QuerySet[Any]) -> QuerySet[Any]:
    """An analysis reflects exactly what its requester may see, so only the requester reads it."""
    if not _signed_in(user):
        return runs.none()
    return runs.filter(requested_by=user.pk)


def can_edit_assessment(user: AnyUser, assessment: Any) -> bool:
    """The author's agency's officers keep an assessment up to date; recipients only read it."""
    return (
        is_officer(user)
        and getattr(user, "agency_id", None) == assessment.owner_agency_id
        and can_view(user, assessment)
    )


# --- Cross-border matching (matching app): subjects, hits, disclosure, uploads, jobs -----------------
# A hit is known to the two owners and nobody else: the officers of the agency owning each side,
# and only while they may read that side's record (its collection or selector upload). Sharing a
# collection with others does not show them its hits: that would tell them who else holds what.
# Selector uploads and disclosed copies are operational records (`operational_rule`).


def is_matching_administrator(user: AnyUser) -> bool:
    """Who runs matching over everything, re-indexes under a new key and decides wide values:
    the secretariat. They see digests and counts, never a hit or a value."""
    return _is(user, RoleCode.SECRETARIAT)


def _own_side(user: AnyUser, prefix: str = "") -> Q:
    """Subjects (under `prefix`) the user speaks for: their agency's, in records they may read."""
    if not is_officer(user):
        return Q(pk__in=[])
    from disrupt.intel.models import Collection
    from disrupt.matching.models import SelectorUpload

    agency_id = user.agency_id  # type: ignore[union-attr]
    collections = operational_visible_to(user, Collection.objects.filter(owner_agency=agency_id))
    uploads = operational_visible_to(user, SelectorUpload.objects.filter(owner_agency=agency_id))
    return Q(**{f"{prefix}owner_agency": agency_id}) & (
        Q(**{f"{prefix}collection__in": collections.values("pk")})
        | Q(**{f"{prefix}upload__in": uploads.values("pk")})
    )


def subjects_visible_to(user: AnyUser, subjects: QuerySet[Any]) -> QuerySet[Any]:
    if not _signed_in(user):
        return subjects.none()
    return subjects.filter(_own_side(user))


def hits_visible_to(user: AnyUser, hits: QuerySet[Any], prefix: str = "") -> QuerySet[Any]:
    if not _signed_in(user) or not is_officer(user):
        return hits.none()
    rule = _own_side(user, f"{prefix}subject_a__") | _own_side(user, f"{prefix}subject_b__")
    return hits.filter(rule)


def judgements_visible_to(user: AnyUser, judgements: QuerySet[Any]) -> QuerySet[Any]:
    from disrupt.matching.models import Hit

    return judgements.filter(hit__in=hits_visible_to(user, Hit.objects.all()).values("pk"))


def disclosure_requests_visible_to(user: AnyUser, requests: QuerySet[Any]) -> QuerySet[Any]:
    """The two sides of the hit, and the focal points an overdue request was sent to."""
    if not _signed_in(user):
        return requests.none()
    from disrupt.matching.models import Hit

    sides = Q(hit__in=hits_visible_to(user, Hit.objects.all()).values("pk"))
    model = requests.model
    rule = model._default_manager.filter(sides | Q(escalated_to=user.pk)).values("pk")
    return requests.filter(pk__in=rule)


def can_request_disclosure(user: AnyUser, hit: Any) -> bool:
    """An officer on one side of a live hit asks the other side's owner."""
    return hits_visible_to(user, type(hit)._default_manager.filter(pk=hit.pk)).exists()


def can_decide_disclosure(user: AnyUser, request: Any) -> bool:
    """The officers of the owning agency who may read the record, or a focal point the overdue
    request was sent to; never the requesting side."""
    from disrupt.matching.models import Subject

    if not request.is_open or getattr(user, "agency_id", None) == request.requesting_agency_id:
        return False
    if subjects_visible_to(user, Subject.objects.filter(pk=request.subject_id)).exists():
        return True
    return _is(user, RoleCode.FOCAL_POINT) and request.escalated_to.filter(pk=user.pk).exists()


def can_judge_hit(user: AnyUser, hit: Any) -> bool:
    return can_request_disclosure(user, hit)


def matching_jobs_visible_to(user: AnyUser, jobs: QuerySet[Any]) -> QuerySet[Any]:
    """A collection's or upload's matching job: whoever may edit that record. Matching over
    everything and re-indexing: the administrators who run them. Counts only, never values."""
    if not _signed_in(user):
        return jobs.none()
    rule = Q(pk__in=[])
    if is_officer(user):
        from disrupt.intel.models import Collection
        from disrupt.matching.models import SelectorUpload

        agency_id = user.agency_id  # type: ignore[union-attr]
        collections = operational_visible_to(user, Collection.objects.filter(owner_agency=agency_id))
        uploads = operational_visible_to(user, SelectorUpload.objects.filter(owner_agency=agency_id))
        rule |= Q(collection__in=collections.values("pk")) | Q(upload__in=uploads.values("pk"))
    if is_matching_administrator(user):
        rule |= Q(collection__isnull=True, upload__isnull=True)
    return jobs.filter(rule)


def can_upload_selectors(user: AnyUser) -> bool:
    return is_officer(user)


def can_edit_upload(user: AnyUser, upload: Any) -> bool:
    """The owning agency's officers replace or delete its uploads."""
    return (
        is_officer(user)
        and getattr(user, "agency_id", None) == upload.owner_agency_id
        and can_view(user, upload)
    )


def _administrators_only(user: AnyUser, records: QuerySet[Any]) -> QuerySet[Any]:
    return records if is_matching_administrator(user) else records.none()


MATCHING_RULES: dict[str, Callable[[AnyUser, QuerySet[Any]], QuerySet[Any]]] = {
    "matching.subject": subjects_visible_to,
    "matching.hit": hits_visible_to,
    "matching.judgement": judgements_visible_to,
    "matching.disclosurerequest": disclosure_requests_visible_to,
    "matching.matchingjob": matching_jobs_visible_to,
    "matching.widevalue": _administrators_only,
}
# Selector, PersonEncoding and BlockKey rows are read by the matching jobs only, never shown;
# asking the policy for them fails (LookupError) rather than open them.
