from django.urls import URLPattern, URLResolver, path

from disrupt.matching.views import disclosures, hits, runs, uploads

app_name = "matching"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", hits.hit_list, name="hit_list"),
    path("hits/<int:pk>/", hits.hit_detail, name="hit_detail"),
    path("hits/<int:pk>/judgement/", hits.hit_judge, name="hit_judge"),
    path("hits/<int:pk>/request/", hits.hit_request, name="hit_request"),
    path("requests/", disclosures.request_list, name="request_list"),
    path("requests/<int:pk>/", disclosures.request_detail, name="request_detail"),
    path("requests/<int:pk>/withdraw/", disclosures.request_withdraw, name="request_withdraw"),
    path("disclosures/<int:pk>/", disclosures.disclosure_detail, name="disclosure_detail"),
    path("uploads/", uploads.upload_list, name="upload_list"),
    path("uploads/new/", uploads.upload_create, name="upload_create"),
    path("uploads/<int:pk>/", uploads.upload_detail, name="upload_detail"),
    path("uploads/<int:pk>/delete/", uploads.upload_delete, name="upload_delete"),
    path("jobs/<int:pk>/", runs.job_detail, name="job_detail"),
    path("run/", runs.run, name="run"),
    path("collections/<int:pk>/match/", runs.collection_match, name="collection_match"),
    path("wide-values/", runs.wide_values, name="wide_values"),
    path("wide-values/<int:pk>/", runs.wide_value_decide, name="wide_value_decide"),
]
