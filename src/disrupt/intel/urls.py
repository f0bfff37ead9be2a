from django.urls import URLPattern, URLResolver, path

from disrupt.intel.views import analyses, assessments, collections, imports

app_name = "intel"

urlpatterns: list[URLPattern | URLResolver] = [
    path("collections/", collections.collection_list, name="collection_list"),
    path("collections/new/", collections.collection_create, name="collection_create"),
    path("collections/<int:pk>/", collections.collection_detail, name="collection_detail"),
    path("collections/<int:pk>/export/", collections.collection_export, name="collection_export"),
    path("collections/<int:pk>/sharing/", collections.collection_sharing, name="collection_sharing"),
    path("collections/<int:pk>/entities/", collections.entity_list, name="entity_list"),
    path("collections/<int:pk>/import/", imports.import_create, name="import_create"),
    path("entities/", collections.entity_search, name="entity_search"),
    path("entities/<int:pk>/", collections.entity_detail, name="entity_detail"),
    path("entities/<int:pk>/edit/", collections.entity_edit, name="entity_edit"),
    path("entities/<int:pk>/history/", collections.entity_history, name="entity_history"),
    path("imports/<int:pk>/", imports.import_detail, name="import_detail"),
    path("analyses/", analyses.analysis_list, name="analysis_list"),
    path("analyses/new/", analyses.analysis_create, name="analysis_create"),
    path("analyses/<int:pk>/", analyses.analysis_detail, name="analysis_detail"),
    path("analyses/<int:pk>/network/", analyses.network, name="network"),
    path("analyses/<int:pk>/network.json", analyses.network_data, name="network_data"),
    path("analyses/<int:pk>/money/", analyses.money, name="money"),
    path("assessments/", assessments.assessment_list, name="assessment_list"),
    path("assessments/new/", assessments.assessment_create, name="assessment_create"),
    path("assessments/<int:pk>/", assessments.assessment_detail, name="assessment_detail"),
    path("assessments/<int:pk>/edit/", assessments.assessment_edit, name="assessment_edit"),
    path("assessments/<int:pk>/sharing/", assessments.assessment_sharing, name="assessment_sharing"),
    path("assessments/<int:pk>/assessment.docx", assessments.assessment_docx, name="assessment_docx"),
]
