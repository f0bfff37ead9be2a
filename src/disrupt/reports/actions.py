"""Writes of country reports, each a `do_*` function in one transaction (docs/reports.md).

A report is a chain of versions. The first is a draft; a focal point of the reporting
country fills it (`do_save_draft`) and submits it (`do_submit`); from then on it never
changes. The secretariat or a co-chair of the cycle accepts it or returns it with a comment
(`do_accept`, `do_return`). After a return or an acceptance the country starts a new version
(`do_revise`) saying what changed and why; it is a resubmission after a return and a
correction after an acceptance. The accepted version a correction replaces becomes
superseded only when the correction itself is accepted.

Pages, the API and the spreadsheet upload only call these. Each checks the access policy
and raises PermissionDenied; a rule about the data raises ValidationError naming the field
(for lines: "lines.<n>.<field>", counted from 1).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from disrupt.access import policy
from disrupt.audit.choices import AuditAction
from disrupt.audit.recorder import record
from disrupt.programme.choices import PeriodStatus
from disrupt.programme.models import PeriodOfAction, Plan
from disrupt.reports.choices import Qualifier, ReportKind, VersionStatus
from disrupt.reports.models import JointFigure, OutcomeLine, Report, ReportVersion

if TYPE_CHECKING:
    from disrupt.directory.models import Country

# The narrative headings of a version, as `do_save_draft` accepts them.
NARRATIVE_FIELDS = ("what_was_done", "intelligence", "modus_operandi", "what_worked", "what_did_not")

# A report is started for a cycle being planned, under way or reporting; never for a closed one
# (the public record's past cycles have published figures, not reports).
REPORTING_PERIOD_STATUSES = (PeriodStatus.PLANNING, PeriodStatus.ACTIVE, PeriodStatus.REPORTING)

# The keys of one line dict for `do_save_draft`. "joint" is optional (see there).
LINE_FIELDS = ("indicator", "plan", "qualifier", "value", "wording", "currency", "description")


def country_plans(period: PeriodOfAction, country_id: int) -> QuerySet[Plan]:
    """The plans of `period` that `country` works on, as lead or partner: what its lines may name."""
    rule = Q(lead_country=country_id) | Q(partner_countries=country_id)
    return Plan.objects.filter(pk__in=Plan.objects.filter(rule, periods=period).values("pk"))


def _locked_draft(version: ReportVersion) -> ReportVersion:
    """The version row, locked, if it is still a draft; otherwise ValidationError."""
    locked = ReportVersion.objects.select_for_update().get(pk=version.pk)
    if locked.status != VersionStatus.DRAFT:
        raise ValidationError(f"Version {locked.number} was submitted and can no longer change.")
    return locked


def _audit(action: str, user: Any, version: ReportVersion, **detail: Any) -> None:
    record(
        action,
        actor=user,
        target=version,
        detail={"report": version.report_id, "version": version.number, **detail},
        country_id=version.report.country_id,
        infer_actor=False,
    )


# --- Starting and drafting -------------------------------------------------------------------------


def do_start_report(user: Any, period: PeriodOfAction, country: Country, kind: str) -> Report:
    """Creates the `kind` report of `country` for `period` with its first version, a draft.

    Only a focal point of `country`, and only if it takes part in `period`. Starting a report
    that exists already raises ValidationError.
    """
    if kind not in ReportKind.values:
        raise ValidationError({"kind": "A report is a mid-term or a final report."})
    if not policy.can_start_report(user, period, country.pk):
        raise PermissionDenied("Only a focal point of a participating country starts its report.")
    if period.status not in REPORTING_PERIOD_STATUSES:
        raise ValidationError({"period": f"The {period} is closed: no new reports."})
    with transaction.atomic():
        if Report.objects.filter(period=period, country=country, kind=kind).exists():
            raise ValidationError({"kind": f"{country}'s {ReportKind(kind).label.lower()} exists already."})
        report = Report.objects.create(period=period, country=country, kind=kind)
        version = ReportVersion.objects.create(report=report, number=1, created_by=user)
        _audit(AuditAction.REPORT_STARTED, user, version)
    return report


def _build_line(
    version: ReportVersion, position: int, data: Mapping[str, Any], plans: set[int]
) -> OutcomeLine:
    unknown = set(data) - {*LINE_FIELDS, "joint"}
    if unknown:
        raise TypeError(f"Not a line field: {', '.join(sorted(unknown))}")
    plan = data.get("plan")
    line = OutcomeLine(
        version=version,
        position=position,
        indicator=data.get("indicator"),
        plan=plan,
        qualifier=data.get("qualifier") or Qualifier.EXACT,
        value=data.get("value"),
        wording=data.get("wording") or "",
        currency=(data.get("currency") or "").upper(),
        description=data.get("description") or "",
        joint=data.get("joint"),
    )
    errors: dict[str, list[str]] = {}
    try:
        line.full_clean(exclude=["version", "joint"])
    except ValidationError as error:
        errors = error.message_dict
    if plan is not None and plan.pk not in plans:
        errors.setdefault("plan", []).append(
            f"{plan.reference} is not one of {version.report.country}'s plans in {version.report.period}."
        )
    if not errors and line.joint is not None:
        problem = joint_mismatch(line.joint, line, version.report)
        if problem:
            errors["joint"] = [problem]
    if errors:
        raise ValidationError({f"lines.{position}.{field}": msgs for field, msgs in errors.items()})
    return line


def joint_mismatch(joint: JointFigure, line: OutcomeLine, report: Report) -> str:
    """Why `line` of `report` may not count `joint`, or "" when it may."""
    if joint.period_id != report.period_id:
        return "That joint figure belongs to another cycle."
    if line.plan_id != joint.plan_id or line.indicator_id != joint.indicator_id:
        return f"That joint figure is about {joint.plan.reference}, {joint.indicator}: the line must be too."
    if not joint.countries.filter(pk=report.country_id).exists():
        return f"{report.country} is not one of that joint figure's countries."
    return ""


def do_save_draft(
    user: Any, version: ReportVersion, narrative: Mapping[str, str], lines: Sequence[Mapping[str, Any]]
) -> ReportVersion:
    """Replaces the narrative and all the lines of a draft version, all or nothing.

    `narrative` maps any of NARRATIVE_FIELDS to text (omitted headings stay as they are).
    `lines` is the complete new list, each a dict with the keys LINE_FIELDS: indicator
    (Indicator), plan (Plan or None for general activity), qualifier (Qualifier value),
    value (int or None), wording, currency, description. A line may also carry "joint"
    (JointFigure or None); without that key the line keeps the joint figure of the previous
    line with the same indicator and plan, so an upload does not undo a confirmation.

    Every line is validated (full_clean; its plan must be one of the country's plans of the
    cycle, lead or partner). All problems are raised together as one ValidationError keyed
    "lines.<n>.<field>" (n from 1) or "<narrative field>"; then nothing changes.
    """
    if not policy.can_edit_report(user, version.report):
        raise PermissionDenied("Only a focal point of the reporting country edits its report.")
    unknown = set(narrative) - set(NARRATIVE_FIELDS)
    if unknown:
        raise TypeError(f"Not a narrative field: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        locked = _locked_draft(version)
        report = locked.report
        plans = set(country_plans(report.period, report.country_id).values_list("pk", flat=True))
        previous = {
            (line.indicator_id, line.plan_id): line.joint
            for line in locked.lines.select_related("joint")
            if line.joint_id is not None
        }
        built: list[OutcomeLine] = []
        errors: dict[str, list[str]] = {}
        for position, data in enumerate(lines, start=1):
            data = dict(data)
            if "joint" not in data:
                # Only the first such line inherits it: one line per joint figure.
                data["joint"] = previous.pop((_pk(data.get("indicator")), _pk(data.get("plan"))), None)
            try:
                built.append(_build_line(locked, position, data, plans))
            except ValidationError as error:
                errors.update(error.message_dict)
        seen: dict[int, int] = {}
        for line in built:
            if line.joint_id is not None and line.joint_id in seen:
                errors[f"lines.{line.position}.joint"] = [
                    f"Line {seen[line.joint_id]} already counts that joint figure: one line each."
                ]
            elif line.joint_id is not None:
                seen[line.joint_id] = line.position
        for name, text in narrative.items():
            setattr(locked, name, text or "")
        try:
            locked.full_clean(exclude=["report", "created_by", "submitted_by", "decided_by"])
        except ValidationError as error:
            errors.update(error.message_dict)
        if errors:
            raise ValidationError(errors)
        locked.save()
        orphans = {line.joint_id for line in locked.lines.all() if line.joint_id}
        for line in locked.lines.all():
            line.delete()
        OutcomeLine.objects.bulk_create(built)
        _drop_unused_joints(orphans)
        _audit(AuditAction.REPORT_SAVED, user, locked, lines=len(built))
    version.refresh_from_db()
    return locked


def _pk(obj: Any) -> Any:
    return getattr(obj, "pk", None)


def _drop_unused_joints(joint_ids: Iterable[int]) -> None:
    """A joint figure no line counts any more was withdrawn by its declarer: remove it."""
    JointFigure.objects.filter(pk__in=list(joint_ids), lines__isnull=True).delete()


# --- Submitting and deciding -----------------------------------------------------------------------


def do_submit(user: Any, version: ReportVersion) -> ReportVersion:
    """The country submits its draft; from now on the version never changes."""
    if not policy.can_edit_report(user, version.report):
        raise PermissionDenied("Only a focal point of the reporting country submits its report.")
    with transaction.atomic():
        locked = _locked_draft(version)
        locked.full_clean(exclude=["report", "created_by", "submitted_by", "decided_by"])
        locked.status = VersionStatus.SUBMITTED
        locked.submitted_by = user
        locked.submitted_at = timezone.now()
        locked.save(update_fields=["status", "submitted_by", "submitted_at"])
        _audit(AuditAction.REPORT_SUBMITTED, user, locked, lines=locked.lines.count())
    return locked


def _locked_submitted(user: Any, version: ReportVersion) -> ReportVersion:
    if not policy.can_decide_report(user, version.report):
        raise PermissionDenied("Only the secretariat or a co-chair of the cycle decides on a report.")
    locked = ReportVersion.objects.select_for_update().get(pk=version.pk)
    if locked.status != VersionStatus.SUBMITTED:
        raise ValidationError(f"Version {locked.number} is not awaiting a decision.")
    return locked


def do_accept(user: Any, version: ReportVersion, comment: str = "") -> ReportVersion:
    """Accepts a submitted version; an accepted version it corrects becomes superseded."""
    with transaction.atomic():
        locked = _locked_submitted(user, version)
        _decide(locked, user, VersionStatus.ACCEPTED, comment)
        corrected = locked.report.versions.filter(status=VersionStatus.ACCEPTED, number__lt=locked.number)
        for old in corrected:
            old.status = VersionStatus.SUPERSEDED
            old.save(update_fields=["status"])
        _audit(AuditAction.REPORT_ACCEPTED, user, locked, comment=comment.strip())
    return locked


def do_return(user: Any, version: ReportVersion, comment: str) -> ReportVersion:
    """Returns a submitted version to the country, saying what to change."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": "Say what the country should change."})
    with transaction.atomic():
        locked = _locked_submitted(user, version)
        _decide(locked, user, VersionStatus.RETURNED, comment)
        _audit(AuditAction.REPORT_RETURNED, user, locked, comment=comment)
    return locked


def _decide(version: ReportVersion, user: Any, status: str, comment: str) -> None:
    version.status = status
    version.decided_by = user
    version.decided_at = timezone.now()
    version.decision_comment = (comment or "").strip()
    version.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])


def can_revise(report: Report) -> bool:
    """A new version follows a returned or accepted one, and only one draft exists at a time."""
    current = report.current
    return current is not None and current.status in (VersionStatus.RETURNED, VersionStatus.ACCEPTED)


def do_revise(user: Any, report: Report, change_summary: str) -> ReportVersion:
    """Starts the next version as a draft, copying the newest version's narrative and lines.

    After a return it is the resubmission; after an acceptance, a correction. Either way
    `change_summary` says what changes and why, and stays with the version.
    """
    if not policy.can_edit_report(user, report):
        raise PermissionDenied("Only a focal point of the reporting country revises its report.")
    change_summary = (change_summary or "").strip()
    if not change_summary:
        raise ValidationError({"change_summary": "Say what changes in this version, and why."})
    with transaction.atomic():
        Report.objects.select_for_update().filter(pk=report.pk).first()
        if not can_revise(report):
            raise ValidationError("A new version follows a returned or accepted one.")
        previous = report.current
        assert previous is not None  # can_revise holds
        version = ReportVersion(
            report=report, number=previous.number + 1, created_by=user, change_summary=change_summary
        )
        for name in NARRATIVE_FIELDS:
            setattr(version, name, getattr(previous, name))
        version.save()
        OutcomeLine.objects.bulk_create(
            OutcomeLine(
                version=version,
                position=line.position,
                indicator_id=line.indicator_id,
                plan_id=line.plan_id,
                qualifier=line.qualifier,
                value=line.value,
                wording=line.wording,
                currency=line.currency,
                description=line.description,
                joint_id=line.joint_id,
            )
            for line in previous.lines.all()
        )
        kind = "correction" if previous.status == VersionStatus.ACCEPTED else "resubmission"
        _audit(AuditAction.REPORT_REVISED, user, version, kind=kind, change_summary=change_summary)
    return version


# --- Joint figures (reports/joint.py has the states and the counting rule) -------------------------


def _fresh(line: OutcomeLine) -> OutcomeLine:
    return OutcomeLine.objects.select_related("version__report", "plan").get(pk=line.pk)


def _editable_line(user: Any, line: OutcomeLine) -> OutcomeLine:
    report = line.version.report
    if not policy.can_edit_report(user, report):
        raise PermissionDenied("Only a focal point of the reporting country marks its lines.")
    if line.version.status != VersionStatus.DRAFT:
        raise ValidationError("The version was submitted and can no longer change.")
    if line.plan_id is None:
        raise ValidationError({"plan": "Only a line about a plan can be joint with the plan's partners."})
    return line


def do_declare_joint(
    user: Any, line: OutcomeLine, partners: Iterable[Country], description: str
) -> JointFigure:
    """Declares `line`'s figure as achieved jointly with `partners` of the line's plan.

    Creates a JointFigure whose countries are the declaring country and `partners`; each
    partner confirms by attaching its own line (`do_attach_joint`).
    """
    with transaction.atomic():
        line = _editable_line(
            user, OutcomeLine.objects.select_related("version__report", "plan").get(pk=line.pk)
        )
        _locked_draft(line.version)
        report = line.version.report
        plan = line.plan
        assert plan is not None
        partners = [c for c in partners if c.pk != report.country_id]
        if not partners:
            raise ValidationError({"partners": "Choose at least one partner country of the plan."})
        involved = {plan.lead_country_id, *plan.partner_countries.values_list("pk", flat=True)}
        outsiders = [str(c) for c in partners if c.pk not in involved]
        if outsiders:
            raise ValidationError({"partners": f"Not in {plan.reference}: {', '.join(outsiders)}."})
        description = (description or "").strip()
        if not description:
            raise ValidationError({"description": "Say in a few words what was achieved together."})
        joint = JointFigure(
            period=report.period,
            plan=plan,
            indicator=line.indicator,
            declared_by=report.country,
            description=description,
        )
        joint.full_clean()
        joint.save()
        joint.countries.set([report.country, *partners])
        previous = line.joint_id
        line.joint = joint
        line.save(update_fields=["joint"])
        if previous:
            _drop_unused_joints([previous])
        _audit(AuditAction.JOINT_DECLARED, user, line.version, joint=joint.pk, plan=plan.reference)
    return joint


def joints_open_to(line: OutcomeLine) -> QuerySet[JointFigure]:
    """Joint figures a partner declared that `line` may confirm: same cycle, plan, indicator,
    naming the line's country."""
    report = line.version.report
    return JointFigure.objects.filter(
        period=report.period_id, plan=line.plan_id, indicator=line.indicator_id, countries=report.country_id
    ).exclude(declared_by=report.country_id)


def do_attach_joint(user: Any, line: OutcomeLine, joint: JointFigure | None) -> OutcomeLine:
    """Attaches `line` to a partner's joint figure (the confirmation), or detaches it (None)."""
    with transaction.atomic():
        line = _editable_line(
            user, OutcomeLine.objects.select_related("version__report", "plan").get(pk=line.pk)
        )
        _locked_draft(line.version)
        if joint is not None:
            problem = joint_mismatch(joint, line, line.version.report)
            if problem:
                raise ValidationError({"joint": problem})
        previous = line.joint_id
        line.joint = joint
        line.save(update_fields=["joint"])
        if previous and previous != getattr(joint, "pk", None):
            _drop_unused_joints([previous])
        if joint is not None:
            _audit(AuditAction.JOINT_CONFIRMED, user, line.version, joint=joint.pk)
    return line
