"""Who is who: countries and their standing, agencies, roles and the people who hold them."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from disrupt.directory.choices import AgencyKind, RoleCode, Standing
from disrupt.lib.dates import format_date, format_span


class Country(models.Model):
    """An ISO 3166-1 country. Loaded from pycountry; the group's relation to it is `standings`."""

    code = models.CharField("ISO alpha-2", max_length=2, unique=True)
    alpha3 = models.CharField("ISO alpha-3", max_length=3, unique=True)
    numeric = models.CharField("ISO numeric", max_length=3)
    name = models.CharField(max_length=120)
    official_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:country_detail", args=[self.code])

    def standing_on(self, day: dt.date) -> CountryStanding | None:
        """The standing in force on `day`, if the group has recorded one."""
        return (
            self.standings.filter(Q(since__isnull=True) | Q(since__lte=day))
            .filter(Q(until__isnull=True) | Q(until__gte=day))
            .order_by("-since")
            .first()
        )

    @property
    def current_standing(self) -> CountryStanding | None:
        return self.standing_on(timezone.localdate())

    @property
    def standing_now(self) -> CountryStanding | None:
        """`current_standing` read from `standings.all()`, so a prefetched list costs no query."""
        today = timezone.localdate()
        in_force = [
            s
            for s in self.standings.all()
            if (s.since is None or s.since <= today) and (s.until is None or s.until >= today)
        ]
        in_force.sort(key=lambda s: s.since or dt.date.min)
        return in_force[-1] if in_force else None


class CountryStanding(models.Model):
    """A country's standing in the group over a span of time (member, partner, observer)."""

    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="standings")
    standing = models.CharField(max_length=16, choices=Standing.choices)
    since = models.DateField(null=True, blank=True, help_text="Leave empty if not recorded.")
    until = models.DateField(null=True, blank=True, help_text="Leave empty while it holds.")
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["country__name", "since"]
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(since__isnull=True) | Q(until__gte=models.F("since")),
                name="standing_until_after_since",
            )
        ]

    def __str__(self) -> str:
        return f"{self.country}: {self.get_standing_display()}"

    @property
    def since_display(self) -> str:
        return format_date(self.since) if self.since else "Not recorded"

    @property
    def span_display(self) -> str:
        """'Since 2 March 2002', '2 March 2002 – 5 June 2010', 'Until 5 June 2010'."""
        if self.since and self.until:
            return format_span(self.since, self.until)
        if self.since:
            return f"Since {format_date(self.since)}"
        if self.until:
            return f"Until {format_date(self.until)}"
        return "Dates not recorded"

    def clean(self) -> None:
        if self.since and self.until and self.until < self.since:
            raise ValidationError({"until": "A standing cannot end before it begins."})


class AgencyQuerySet(models.QuerySet["Agency"]):
    def national(self) -> AgencyQuerySet:
        return self.exclude(kind=AgencyKind.INTERNATIONAL)

    def international(self) -> AgencyQuerySet:
        return self.filter(kind=AgencyKind.INTERNATIONAL)


class Agency(models.Model):
    """A ministry, police force, immigration service… of one country, or an international organisation."""

    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=40, blank=True)
    kind = models.CharField(max_length=16, choices=AgencyKind.choices)
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agencies",
        help_text="Empty for an international organisation.",
    )
    website = models.URLField(blank=True)
    is_active = models.BooleanField(default=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["country__name", "name"]
        verbose_name_plural = "agencies"
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=AgencyKind.INTERNATIONAL) & Q(country__isnull=True))
                | (~Q(kind=AgencyKind.INTERNATIONAL) & Q(country__isnull=False)),
                name="agency_country_unless_international",
            ),
            models.UniqueConstraint(fields=["country", "name"], name="agency_unique_name_per_country"),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:agency_detail", args=[self.pk])

    @property
    def is_international(self) -> bool:
        return self.kind == AgencyKind.INTERNATIONAL

    def clean(self) -> None:
        if self.is_international and self.country_id:
            raise ValidationError({"country": "An international organisation belongs to no country."})
        if not self.is_international and not self.country_id:
            raise ValidationError({"country": "A national agency belongs to a country."})


class Role(models.Model):
    """One of the six roles of the platform. Rows, so an administrator can require 2FA per role."""

    code = models.CharField(max_length=16, choices=RoleCode.choices, unique=True)
    requires_two_factor = models.BooleanField(
        default=False, help_text="Holders must sign in with an authenticator app code."
    )

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.get_code_display()


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username)


def _new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account. Belongs to one agency; holds one or more roles."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200, blank=True)
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text="Every user but a technical administrator belongs to an agency.",
    )
    roles = models.ManyToManyField(Role, blank=True, related_name="users")
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="May use the administration site.")
    is_demo = models.BooleanField(default=False, help_text="A synthetic account for demonstrations.")
    date_joined = models.DateTimeField(default=timezone.now)
    feed_token = models.CharField(max_length=64, unique=True, default=_new_feed_token, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_absolute_url(self) -> str:
        return reverse("directory:user_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        self.email = self.email.strip().lower()

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def country(self) -> Country | None:
        return self.agency.country if self.agency_id and self.agency else None

    @property
    def country_id(self) -> int | None:
        return self.agency.country_id if self.agency_id and self.agency else None

    @property
    def role_codes(self) -> frozenset[str]:
        """The codes of the user's roles, read once per request."""
        cached = getattr(self, "_role_codes", None)
        if cached is None:
            cached = frozenset(self.roles.values_list("code", flat=True)) if self.pk else frozenset()
            self._role_codes = cached
        return cached

    def has_role(self, *codes: str) -> bool:
        return bool(self.role_codes.intersection(codes))

    def needs_two_factor(self) -> bool:
        return self.roles.filter(requires_two_factor=True).exists()

    def reset_feed_token(self) -> None:
        self.feed_token = _new_feed_token()
        self.save(update_fields=["feed_token"])
