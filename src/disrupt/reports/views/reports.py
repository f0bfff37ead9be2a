"""Country report pages: list, detail, a version, edit the draft, submit, decide, revise, joint figures.

Every report, version and line comes through the access policy: what one may not know exists
answers 404, what one may see but not do answers 403. Writes go through reports/actions.py.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from disrupt.access import policy
from disrupt.programme.models import PeriodOfAction, Plan
from disrupt.reports import actions
from disrupt.reports.choices import VersionStatus
from disrupt.reports.filters import ReportFilter, with_current
from disrupt.reports.forms.reports import (
    ACCEPT,
    DecideReportForm,
    DeclareJointForm,
    NarrativeForm,
    ReviseForm,
    StartReportForm,
    line_formset,
)
from disrupt.reports.joint import reconciliation_for
from disrupt.reports.models import Indicator, OutcomeLine, Report, ReportVersion
from disrupt.reports.offers import ENQUIRIES_INDICATOR, enquiries_offer

PAGE_SIZE = 30


# --- Getting records through the policy ------------------------------------------------------------


def _report(request: HttpRequest, pk: int) -> Report:
    reports = policy.visible_to(request.user, Report.objects.select_related("period", "country"))
    return get_object_or_404(reports, pk=pk)


def _versions(request: HttpRequest, report: Report) -> QuerySet[ReportVersion]:
    versions = policy.visible_to(request.user, report.versions.all())
    return versions.select_related("created_by", "submitted_by", "decided_by").order_by("number")


def _version(request: HttpRequest, report: Report, number: int) -> ReportVersion:
    return get_object_or_404(_versions(request, report), number=number)


def _draft(request: HttpRequest, pk: int, number: int) -> ReportVersion:
    """The draft `number` of report `pk`, for someone who may edit it; 403 once submitted."""
    report = _report(request, pk)
    if not policy.can_edit_report(request.user, report):
        raise PermissionDenied("Only a focal point of the reporting country edits its report.")
    version = _version(request, report, number)
    if version.status != VersionStatus.DRAFT:
        raise PermissionDenied(f"Version {version.number} was submitted and can no longer change.")
    return version


def _add_errors(form: BaseForm, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, texts in error.message_dict.items():
        form.add_error(name if name in form.fields else None, texts)


def grouped_lines(lines: QuerySet[OutcomeLine]) -> list[tuple[Plan | None, list[OutcomeLine]]]:
    """Lines grouped by plan (in reference order), general activity last."""
    groups: dict[Plan | None, list[OutcomeLine]] = {}
    for line in lines.select_related("indicator", "plan", "joint").order_by(
        "plan__reference", "position", "pk"
    ):
        groups.setdefault(line.plan, []).append(line)
    ordered: list[tuple[Plan | None, list[OutcomeLine]]] = [
        (plan, rows) for plan, rows in groups.items() if plan is not None
    ]
    if None in groups:
        ordered.append((None, groups[None]))
    return ordered


# --- Lists -----------------------------------------------------------------------------------------


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    reports = with_current(
        policy.visible_to(request.user, Report.objects.select_related("period", "country"))
    )
    filterset = ReportFilter(request.GET or None, queryset=reports)
    page = Paginator(filterset.qs.order_by("-period__number", "country__name", "kind"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for report in page.object_list:
        report.current_label = VersionStatus(report.current_status).label if report.current_status else ""
    country = getattr(request.user, "country", None)
    can_start = policy.can_start_reports(request.user) and country is not None
    return render(
        request,
        "reports/report_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "reports": page.object_list,
            "start_form": StartReportForm(country=country, prefix="start") if can_start and country else None,
        },
    )


@login_required
@require_POST
def report_start(request: HttpRequest) -> HttpResponse:
    country = getattr(request.user, "country", None)
    if country is None:
        raise PermissionDenied("Only a focal point of a participating country starts its report.")
    form = StartReportForm(request.POST, country=country, prefix="start")
    if form.is_valid():
        try:
            report = actions.do_start_report(
                request.user, form.cleaned_data["period"], country, form.cleaned_data["kind"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{report} started. Version 1 is a draft until you submit it.")
            return redirect(report)
    else:
        messages.error(request, "Choose a period of action and a report.")
    return redirect("reports:report_list")


# --- A report and its versions ---------------------------------------------------------------------


def _version_page(request: HttpRequest, report: Report, version: ReportVersion) -> HttpResponse:
    versions = list(_versions(request, report))
    current = report.current
    may_edit = policy.can_edit_report(request.user, report)
    is_newest_visible = version == versions[-1]
    return render(
        request,
        "reports/report_detail.html",
        {
            "report": report,
            "version": version,
            "versions": versions,
            "groups": grouped_lines(version.lines.all()),
            "is_newest": is_newest_visible,
            "can_edit": may_edit and version.status == VersionStatus.DRAFT,
            "can_submit": may_edit and version.status == VersionStatus.DRAFT,
            "can_decide": policy.can_decide_report(request.user, report)
            and version.status == VersionStatus.SUBMITTED,
            "can_revise": may_edit and current == version and actions.can_revise(report),
        },
    )


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    versions = _versions(request, report)
    newest = versions.last()
    if newest is None:  # a co-chair before the first submission: the report exists, nothing to read
        return render(request, "reports/report_pending.html", {"report": report})
    return _version_page(request, report, newest)


@login_required
def report_version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    report = _report(request, pk)
    return _version_page(request, report, _version(request, report, number))


# --- Drafting ----------------------------------------------------------------------------------------


@login_required
def report_edit(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    version = _draft(request, pk, number)
    report = version.report
    extra = (
        min(max(int(request.GET.get("add", "1") or 1), 1), 20) if request.GET.get("add", "").isdigit() else 1
    )
    offer = enquiries_offer(report.country, report.period)
    initial = None
    if request.method == "GET" and request.GET.get("use") == "enquiries" and offer is not None:
        initial = _with_enquiries(version, offer)
    narrative = NarrativeForm(request.POST or None, instance=version, prefix="narrative")
    lines = line_formset(version, request.POST or None, extra=extra, initial=initial)
    if request.method == "POST" and narrative.is_valid() and lines.is_valid():
        narrative_data = {name: narrative.cleaned_data[name] for name in actions.NARRATIVE_FIELDS}
        forms = lines.line_forms()
        try:
            actions.do_save_draft(request.user, version, narrative_data, [form.line() for form in forms])
        except ValidationError as error:
            _line_errors(error, narrative, forms)
        else:
            messages.success(request, "Draft saved.")
            if "add_line" in request.POST:
                return redirect(f"{request.path}?add=1#lines")
            return redirect(version)
    return render(
        request,
        "reports/report_edit.html",
        {"report": report, "version": version, "narrative": narrative, "lines": lines, "offer": offer},
    )


def _with_enquiries(version: ReportVersion, offer: int) -> list[dict[str, Any]]:
    """The draft's lines, with the enquiries line set to (or added with) the value Disrupt counted."""
    indicator = Indicator.objects.filter(code=ENQUIRIES_INDICATOR).first()
    rows = [
        {name: getattr(line, name) for name in (*actions.LINE_FIELDS, "joint")}
        for line in version.lines.select_related("indicator", "plan", "joint")
    ]
    if indicator is None:
        return rows
    general = [row for row in rows if row["indicator"] == indicator and row["plan"] is None]
    if general:
        general[0].update(qualifier="exact", value=offer, wording="")
    else:
        rows.append(
            {
                "indicator": indicator,
                "plan": None,
                "qualifier": "exact",
                "value": offer,
                "description": "Sent through Disrupt",
            }
        )
    return rows


def _line_errors(error: ValidationError, narrative: BaseForm, forms: list[Any]) -> None:
    """Puts a refusal of `do_save_draft` on the field it names ("lines.<n>.<field>")."""
    for key, texts in error.message_dict.items():
        parts = key.split(".")
        if parts[0] == "lines" and len(parts) == 3 and parts[1].isdigit() and 0 < int(parts[1]) <= len(forms):
            form = forms[int(parts[1]) - 1]
            form.add_error(parts[2] if parts[2] in form.fields else None, texts)
        else:
            narrative.add_error(key if key in narrative.fields else None, texts)


@login_required
@require_POST
def report_submit(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    version = _draft(request, pk, number)
    try:
        actions.do_submit(request.user, version)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Version {version.number} submitted. It can no longer change.")
    return redirect(version)


# --- Deciding and revising ----------------------------------------------------------------------------


@login_required
def report_decide(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    report = _report(request, pk)
    version = _version(request, report, number)
    if not policy.can_decide_report(request.user, report):
        raise PermissionDenied("Only the secretariat or a co-chair of the cycle decides on a report.")
    if version.status != VersionStatus.SUBMITTED:
        raise PermissionDenied(f"Version {version.number} is not awaiting a decision.")
    form = DecideReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        comment = form.cleaned_data["comment"]
        try:
            if form.cleaned_data["decision"] == ACCEPT:
                actions.do_accept(request.user, version, comment)
                messages.success(request, f"Version {version.number} accepted.")
            else:
                actions.do_return(request.user, version, comment)
                messages.success(request, f"Version {version.number} returned to {report.country}.")
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return redirect(version)
    return render(
        request,
        "reports/report_decide.html",
        {"report": report, "version": version, "form": form, "groups": grouped_lines(version.lines.all())},
    )


@login_required
def report_revise(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    if not policy.can_edit_report(request.user, report):
        raise PermissionDenied("Only a focal point of the reporting country revises its report.")
    if not actions.can_revise(report):
        raise PermissionDenied("A new version follows a returned or accepted one.")
    current = report.current
    form = ReviseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = actions.do_revise(request.user, report, form.cleaned_data["change_summary"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"Version {version.number} started as a draft.")
            return redirect("reports:report_edit", report.pk, version.number)
    return render(request, "reports/report_revise.html", {"report": report, "current": current, "form": form})


# --- Joint figures --------------------------------------------------------------------------------------


@login_required
def line_joint(request: HttpRequest, pk: int, number: int, line: int) -> HttpResponse:
    version = _draft(request, pk, number)
    outcome = get_object_or_404(version.lines.select_related("indicator", "plan", "joint"), pk=line)
    if outcome.plan is None:
        raise PermissionDenied("Only a line about a plan can be joint with the plan's partners.")
    form = DeclareJointForm(request.POST or None, plan=outcome.plan, own_country_id=version.report.country_id)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_declare_joint(
                request.user, outcome, form.cleaned_data["partners"], form.cleaned_data["description"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Declared joint. Each partner confirms by attaching its own line.")
            return redirect("reports:report_edit", pk, number)
    return render(
        request,
        "reports/line_joint.html",
        {
            "report": version.report,
            "version": version,
            "line": outcome,
            "form": form,
            "open_joints": actions.joints_open_to(outcome)
            .select_related("declared_by")
            .prefetch_related("countries"),
        },
    )


@login_required
def reconciliation(request: HttpRequest, number: int) -> HttpResponse:
    period = get_object_or_404(PeriodOfAction, number=number)
    if not policy.can_reconcile(request.user, period):
        raise PermissionDenied("The secretariat and the co-chairs of the cycle reconcile its joint figures.")
    return render(
        request,
        "reports/reconciliation.html",
        {"period": period, "rows": reconciliation_for(request.user, period)},
    )


# --- On the plan page ---------------------------------------------------------------------------------


def plan_outcomes_context(request: HttpRequest, plan: Plan) -> dict[str, Any]:
    """The plan page's "Reported outcomes": the counted lines about `plan` the user may see."""
    lines = (
        policy.visible_to(request.user, OutcomeLine.objects.counted().filter(plan=plan))
        .select_related("indicator", "joint", "version__report__country")
        .order_by("indicator__position", "version__report__country__name", "pk")
    )
    return {"plan_outcome_lines": list(lines)}
