from django.db import models


class RoleCode(models.TextChoices):
    SECRETARIAT = "secretariat", "Secretariat"
    CO_CHAIR = "co_chair", "Co-chair"
    FOCAL_POINT = "focal_point", "Focal point"
    INVESTIGATOR = "investigator", "Investigator"
    ANALYST = "analyst", "Analyst"
    OBSERVER = "observer", "Observer"


class Standing(models.TextChoices):
    MEMBER = "member", "Member"
    PARTNER = "partner", "Partner outside the group"
    OBSERVER = "observer", "Observer"


class AgencyKind(models.TextChoices):
    MINISTRY = "ministry", "Ministry or department"
    POLICE = "police", "Police"
    IMMIGRATION = "immigration", "Immigration"
    BORDER = "border", "Border or customs"
    NAVY = "navy", "Navy or coast guard"
    PROSECUTION = "prosecution", "Prosecution"
    FINANCIAL_INTELLIGENCE = "fiu", "Financial intelligence unit"
    OTHER = "other", "Other national agency"
    INTERNATIONAL = "international", "International organisation"
