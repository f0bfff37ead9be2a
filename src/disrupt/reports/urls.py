from django.urls import path

from disrupt.reports.views import deadlines, outcomes, spreadsheets
from disrupt.reports.views import publications as publication_views

app_name = "reports"

urlpatterns = [
    # The group's recorded outcomes
    path("outcomes/", outcomes.outcomes, name="outcomes"),
    path("outcomes/periods/<int:number>/", outcomes.period_outcomes, name="period_outcomes"),
    # Country reports (reports/views/reports.py)
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
