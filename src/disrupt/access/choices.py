from django.db import models


class HandlingCode(models.TextChoices):
    """Traffic Light Protocol 2.0, as the group uses it (see docs/access-policy.md)."""

    CLEAR = "clear", "TLP:CLEAR"
    GREEN = "green", "TLP:GREEN"
    AMBER = "amber", "TLP:AMBER"
    AMBER_STRICT = "amber_strict", "TLP:AMBER+STRICT"
    RED = "red", "TLP:RED"
