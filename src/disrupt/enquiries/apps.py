from django.apps import AppConfig


class EnquiriesConfig(AppConfig):
    name = "disrupt.enquiries"
    verbose_name = "Enquiries"
