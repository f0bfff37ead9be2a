"""Reference terms an administrator can extend: crime types, sectors, objectives."""

from django.db import models


class ReferenceTerm(models.Model):
    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=100, help_text="Lower comes first in lists.")
    is_active = models.BooleanField(default=True, help_text="Inactive terms stay on old records only.")

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class CrimeType(ReferenceTerm):
    class Meta(ReferenceTerm.Meta):
        pass


class Sector(ReferenceTerm):
    class Meta(ReferenceTerm.Meta):
        pass


class Objective(ReferenceTerm):
    class Meta(ReferenceTerm.Meta):
        pass
