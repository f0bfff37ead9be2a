from django.db import models


class SearchKind(models.TextChoices):
    """What a search result is; the `kind` facet."""

    PERIOD = "period", "Period of action"
    MEETING = "meeting", "Meeting"
    PLAN = "plan", "Plan"
    COUNTRY = "country", "Country"
    AGENCY = "agency", "Agency"
    ENQUIRY = "enquiry", "Enquiry"
    ATTACHMENT = "attachment", "Attachment"
    COLLECTION = "collection", "Collection"
    ASSESSMENT = "assessment", "Syndicate assessment"
