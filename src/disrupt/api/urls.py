from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import SimpleRouter

from disrupt.api import docs, views
from disrupt.audit import api as audit_api
from disrupt.exchange import api as exchange_api
from disrupt.intel import api as intel_api
from disrupt.matching import api as matching_api
from disrupt.reports import api as reports_api
from disrupt.reports import api_outcomes, api_publications

app_name = "api"

router = SimpleRouter()
router.register("countries", views.CountryViewSet, basename="country")
router.register("agencies", views.AgencyViewSet, basename="agency")
router.register("periods", views.PeriodViewSet, basename="period")
router.register("milestones", views.MilestoneViewSet, basename="milestone")
router.register("plans", views.PlanViewSet, basename="plan")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("action-items", views.ActionItemViewSet, basename="action-item")
router.register("crime-types", views.CrimeTypeViewSet, basename="crime-type")
router.register("sectors", views.SectorViewSet, basename="sector")
router.register("objectives", views.ObjectiveViewSet, basename="objective")
router.register("published-figures", views.PublishedFigureViewSet, basename="published-figure")
router.register("enquiries", exchange_api.EnquiryViewSet, basename="enquiry")
router.register("attachments", exchange_api.AttachmentViewSet, basename="attachment")
router.register("sharing-requests", exchange_api.SharingRequestViewSet, basename="sharing-request")
router.register("reports", reports_api.ReportViewSet, basename="report")
router.register("report-versions", reports_api.ReportVersionViewSet, basename="report-version")
router.register("outcome-lines", reports_api.OutcomeLineViewSet, basename="outcome-line")
router.register("joint-figures", reports_api.JointFigureViewSet, basename="joint-figure")
router.register("outcomes", api_outcomes.OutcomeViewSet, basename="outcome")
router.register("publications", api_publications.PublicationViewSet, basename="publication")
router.register("audit", audit_api.AuditEntryViewSet, basename="audit-entry")
router.register("collections", intel_api.CollectionViewSet, basename="collection")
router.register("entities", intel_api.EntityViewSet, basename="entity")
router.register("import-jobs", intel_api.ImportJobViewSet, basename="import-job")
router.register("analyses", intel_api.AnalysisRunViewSet, basename="analysis")
router.register("assessments", intel_api.AssessmentViewSet, basename="assessment")
router.register("selector-uploads", matching_api.SelectorUploadViewSet, basename="selector-upload")
router.register("hits", matching_api.HitViewSet, basename="hit")
router.register("disclosure-requests", matching_api.DisclosureRequestViewSet, basename="disclosure-request")
router.register("disclosures", matching_api.DisclosureViewSet, basename="disclosure")
router.register("matching-jobs", matching_api.MatchingJobViewSet, basename="matching-job")

urlpatterns: list[URLPattern | URLResolver] = [
    path("me/", views.MeView.as_view(), name="me"),
    # Both the document and its page need a signed-in user (session or token), like every route.
    path("openapi.json", SpectacularJSONAPIView.as_view(permission_classes=[IsAuthenticated]), name="schema"),
    path("docs/", docs.api_docs, name="docs"),
    path("", include(router.urls)),
]
