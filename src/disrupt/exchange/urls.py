from django.urls import URLPattern, URLResolver, path

from disrupt.exchange import views

app_name = "exchange"

urlpatterns: list[URLPattern | URLResolver] = [
    path("enquiries/", views.enquiry_list, name="enquiry_list"),
    path("enquiries/new/", views.enquiry_create, name="enquiry_create"),
    path("enquiries/export.csv", views.enquiry_export, name="enquiry_export"),
    path("enquiries/<int:pk>/", views.enquiry_detail, name="enquiry_detail"),
    path("enquiries/<int:pk>/reply/", views.enquiry_reply, name="enquiry_reply"),
    path("enquiries/<int:pk>/status/", views.enquiry_status, name="enquiry_status"),
    path("enquiries/<int:pk>/sharing-requests/", views.sharing_request_create, name="sharing_request_create"),
    path("sharing-requests/<int:pk>/decide/", views.sharing_request_decide, name="sharing_request_decide"),
    # Files are served only through the access policy, always as downloads.
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
]
