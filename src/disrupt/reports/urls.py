from django.urls import path

from disrupt.reports.views import deadlines, outcomes, reports, spreadsheets
from disrupt.reports.views import publications as publication_views

app_name = "reports"

urlpatterns = [
    # The group's recorded outcomes
    path("outcomes/", outcomes.outcomes, name="outcomes"),
    path("outcomes/periods/<int:number>/", outcomes.period_outcomes, name="period_outcomes"),
    path(
        "outcomes/periods/<int:number>/indicators/<slug:code>/",
        outcomes.indicator_provenance,
        name="indicator_provenance",
    ),
    path("outcomes/periods/<int:number>/public/", outcomes.period_public, name="period_public"),
    # Country reports (reports/views/reports.py)
    path("reports/", reports.report_list, name="report_list"),
    path("reports/start/", reports.report_start, name="report_start"),
    path("reports/<int:pk>/", reports.report_detail, name="report_detail"),
    path("reports/<int:pk>/revise/", reports.report_revise, name="report_revise"),
    path("reports/<int:pk>/versions/<int:number>/", reports.report_version, name="report_version"),
    path("reports/<int:pk>/versions/<int:number>/edit/", reports.report_edit, name="report_edit"),
    path("reports/<int:pk>/versions/<int:number>/submit/", reports.report_submit, name="report_submit"),
    path("reports/<int:pk>/versions/<int:number>/decide/", reports.report_decide, name="report_decide"),
    path(
        "reports/<int:pk>/versions/<int:number>/lines/<int:line>/joint/",
        reports.line_joint,
        name="line_joint",
    ),
    path("periods/<int:number>/joint-figures/", reports.reconciliation, name="reconciliation"),
    # Report deadlines of a cycle (reports/views/deadlines.py)
    path("periods/<int:number>/deadlines/", deadlines.period_deadlines, name="deadlines"),
    # The spreadsheet round trip of a draft (reports/views/spreadsheets.py)
    path(
        "reports/<int:pk>/versions/<int:number>/workbook/",
        spreadsheets.download_template,
        name="report_spreadsheet",
    ),
    path(
        "reports/<int:pk>/versions/<int:number>/workbook/upload/",
        spreadsheets.upload_workbook,
        name="report_spreadsheet_upload",
    ),
    # Texts the group publishes (reports/views/publications.py)
    path("periods/<int:number>/publications/", publication_views.publication_list, name="publication_list"),
    path(
        "periods/<int:number>/publications/generate/",
        publication_views.publication_generate,
        name="publication_generate",
    ),
    path("publications/<int:pk>/", publication_views.publication_detail, name="publication_detail"),
    path("publications/<int:pk>/edit/", publication_views.publication_edit, name="publication_edit"),
    path("publications/<int:pk>/docx/", publication_views.publication_docx, name="publication_docx"),
    path(
        "publications/<int:pk>/versions/<int:number>/",
        publication_views.publication_version,
        name="publication_version",
    ),
    path(
        "publications/<int:pk>/versions/<int:number>/docx/",
        publication_views.publication_version_docx,
        name="publication_version_docx",
    ),
    path(
        "publications/<int:pk>/versions/<int:number>/approve/",
        publication_views.publication_approve,
        name="publication_approve",
    ),
]
