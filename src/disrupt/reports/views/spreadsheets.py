"""The spreadsheet round trip: download a draft as an XLSX template, upload it filled.

The upload is read in full (reports/spreadsheet.py) and applied by `do_save_draft` all at
once; if anything is wrong, every problem is listed by sheet, row and column and nothing
is saved.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET

from disrupt.access import policy
from disrupt.audit.choices import AuditAction
from disrupt.audit.recorder import record
from disrupt.reports.actions import do_save_draft
from disrupt.reports.models import Report, ReportVersion
from disrupt.reports.spreadsheet import (
    MAX_UPLOAD_BYTES,
    ParsedReport,
    Problem,
    build_template,
    parse_upload,
    problems_from,
)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Room for the multipart envelope and the other fields around the file.
ENVELOPE_BYTES = 64 * 1024
LIMIT_TEXT = f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB"


class SpreadsheetUploadForm(forms.Form):
    workbook = forms.FileField(
        label="Filled workbook (.xlsx)",
        help_text=f"The template downloaded for this version, filled in. At most {LIMIT_TEXT}.",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx," + XLSX_TYPE}),
    )

    def clean_workbook(self) -> object:
        workbook = self.cleaned_data["workbook"]
        if workbook.size > MAX_UPLOAD_BYTES:
            raise ValidationError(f"The file is larger than {LIMIT_TEXT}.")
        return workbook


def _editable_version(request: HttpRequest, pk: int, number: int) -> ReportVersion:
    """The version through the access policy: 404 for a report the user may not see, 403 for
    one they may see but not fill (as the report's edit page answers)."""
    report = get_object_or_404(policy.visible_to(request.user, Report.objects.all()), pk=pk)
    if not policy.can_edit_report(request.user, report):
        raise PermissionDenied("Only a focal point of the reporting country fills its report.")
    version = get_object_or_404(
        policy.visible_to(request.user, ReportVersion.objects.select_related("report__country")),
        report=report,
        number=number,
    )
    if not version.is_draft:
        raise PermissionDenied(f"Version {version.number} was submitted and can no longer change.")
    return version


@require_GET
@login_required
def download_template(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    version = _editable_version(request, pk, number)
    report = version.report
    content = build_template(version)
    filename = f"report-{report.country.code}-jpa{report.period.number}-{report.kind}-v{version.number}.xlsx"
    record(
        AuditAction.DOWNLOAD,
        actor=request.user,
        target=version,
        detail={"report": report.pk, "version": version.number, "format": "xlsx"},
        country_id=report.country_id,
    )
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@csrf_exempt  # checked by `_upload` once the size is known to be acceptable
@login_required
def upload_workbook(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    # Refuse an oversized body before Django spools it to disk (the CSRF check would read it).
    length = request.META.get("CONTENT_LENGTH") or "0"
    if request.method == "POST" and length.isdigit() and int(length) > MAX_UPLOAD_BYTES + ENVELOPE_BYTES:
        version = _editable_version(request, pk, number)
        problem = Problem("", None, "", f"The file is larger than {LIMIT_TEXT}.")
        return _render(request, version, SpreadsheetUploadForm(), [problem], status=413)
    return _upload(request, pk, number)


@csrf_protect
def _upload(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    version = _editable_version(request, pk, number)
    form = SpreadsheetUploadForm(request.POST or None, request.FILES or None)
    problems: list[Problem] = []
    if request.method == "POST" and form.is_valid():
        result = parse_upload(form.cleaned_data["workbook"], version)
        if isinstance(result, ParsedReport):
            try:
                do_save_draft(request.user, version, result.narrative, result.lines)
            except ValidationError as error:
                problems = problems_from(error, result)
            else:
                count = len(result.lines)
                messages.success(
                    request, f"Workbook applied: the narrative and {count} line{'s' * (count != 1)} saved."
                )
                return redirect(version)
        else:
            problems = result
    return _render(request, version, form, problems)


def _render(
    request: HttpRequest,
    version: ReportVersion,
    form: SpreadsheetUploadForm,
    problems: list[Problem],
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "reports/spreadsheet_upload.html",
        {"version": version, "report": version.report, "form": form, "problems": problems},
        status=status,
    )
