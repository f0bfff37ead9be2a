from django.db import models


class HandlingCode(models.TextChoices):
    """Traffic Light Protocol 2.0, as the group uses it (see docs/access-policy.md)."""

    CLEAR = "clear", "TLP:CLEAR"
    GREEN = "green", "TLP:GREEN"
    AMBER = "amber", "TLP:AMBER"
    AMBER_STRICT = "amber_strict", "TLP:AMBER+STRICT"
    RED = "red", "TLP:RED"


class SourceReliability(models.TextChoices):
    """The 4x4 evaluation used in European police information exchange: the source."""

    A = "A", "A: no doubt of the source's reliability"
    B = "B", "B: source usually reliable"
    C = "C", "C: source not usually reliable"
    X = "X", "X: reliability cannot be judged"


class InformationAccuracy(models.TextChoices):
    """The 4x4 evaluation used in European police information exchange: the information."""

    ONE = "1", "1: known to be true without reservation"
    TWO = "2", "2: known personally to the source, not to the officer"
    THREE = "3", "3: not known personally to the source, corroborated"
    FOUR = "4", "4: not known personally to the source, cannot be corroborated"


class SharingRequestStatus(models.TextChoices):
    PENDING = "pending", "Awaiting the owner"
    GRANTED = "granted", "Granted"
    REFUSED = "refused", "Refused"
