from django.db import models


class EnquiryKind(models.TextChoices):
    INFORMATION = "information", "Request for information"
    ASSISTANCE = "assistance", "Request for assistance"
    MLA_FOLLOW_UP = "mla_follow_up", "Mutual legal assistance follow-up"
    EXTRADITION = "extradition", "Extradition request"


class EnquiryPriority(models.TextChoices):
    ROUTINE = "routine", "Routine"
    URGENT = "urgent", "Urgent"
    IMMEDIATE = "immediate", "Immediate (life at risk)"


class EnquiryStatus(models.TextChoices):
    OPEN = "open", "Open"
    ANSWERED = "answered", "Answered"
    CLOSED = "closed", "Closed"
    WITHDRAWN = "withdrawn", "Withdrawn"
