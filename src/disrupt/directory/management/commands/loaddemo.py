"""`disrupt loaddemo`: demonstration accounts, one or more per role, across several countries.

Idempotent: running it again updates the same agencies and accounts (and resets their password).
The people are synthetic; the agencies are real public institutions of the group's countries.
Every account is marked `is_demo`. Every role that reads TLP:AMBER requires a second factor
(data/reference.yaml), so each demo holder of such a role is enrolled with one authenticator key,
`DEMO_TOTP_KEY`, printed with the accounts and in docs/demo-accounts.md: a reviewer adds it to an
authenticator app, or runs `disrupt democode <e-mail>` for the current code. The observer has none;
with TWO_FACTOR_ENFORCED off nobody has one (the password alone signs in).
"""

from __future__ import annotations

import os
from base64 import b32encode
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from disrupt.directory.choices import AgencyKind, RoleCode
from disrupt.directory.models import Agency, Country, Role, User

DEFAULT_PASSWORD = "disrupt-demo-2026"
# One known authenticator key for every demo account that needs a second factor (20 bytes, hex).
# Known like the password, which is why demo accounts never exist in production.
DEMO_TOTP_KEY = b"disrupt-demo-2fa-key".hex()
DEMO_DEVICE_NAME = "Demo authenticator"
DOMAIN = "demo.disrupt.test"

# (country code, name, short name, kind)
AGENCIES = [
    ("ID", "Indonesian National Police", "INP", AgencyKind.POLICE),
    ("ID", "Directorate General of Immigration", "DGI", AgencyKind.IMMIGRATION),
    ("AU", "Australian Federal Police", "AFP", AgencyKind.POLICE),
    ("AU", "Australian Border Force", "ABF", AgencyKind.BORDER),
    ("NZ", "Immigration New Zealand", "INZ", AgencyKind.IMMIGRATION),
    ("NZ", "New Zealand Police", "NZP", AgencyKind.POLICE),
    ("TH", "Royal Thai Police", "RTP", AgencyKind.POLICE),
    ("MY", "Royal Malaysia Police", "PDRM", AgencyKind.POLICE),
    ("MY", "Malaysian Maritime Enforcement Agency", "MMEA", AgencyKind.NAVY),
    ("LK", "Sri Lanka Police", "SLP", AgencyKind.POLICE),
    ("LK", "Department of Immigration and Emigration", "DIE", AgencyKind.IMMIGRATION),
]

# The agency a co-chair works in, for each country that may co-chair the latest period.
CO_CHAIR_AGENCY = {"NZ": "INZ", "LK": "DIE", "ID": "DGI", "AU": "ABF", "TH": "RTP", "MY": "PDRM"}


@dataclass(frozen=True)
class DemoPerson:
    local: str  # the e-mail address before @
    name: str
    agency: str  # short name
    role: str
    job_title: str


def people(co_chair_agency: str) -> list[DemoPerson]:
    return [
        DemoPerson("secretariat", "Demo Sekar Secretariat", "RSO", RoleCode.SECRETARIAT, "Programme manager"),
        DemoPerson("cochair", "Demo Corin Cochair", co_chair_agency, RoleCode.CO_CHAIR, "Co-chair delegate"),
        DemoPerson("focal.id", "Demo Ayu Focal", "INP", RoleCode.FOCAL_POINT, "National focal point"),
        DemoPerson("focal.au", "Demo Blake Focal", "AFP", RoleCode.FOCAL_POINT, "National focal point"),
        DemoPerson("focal.lk", "Demo Nimal Focal", "SLP", RoleCode.FOCAL_POINT, "National focal point"),
        DemoPerson("investigator", "Demo Budi Investigator", "INP", RoleCode.INVESTIGATOR, "Investigator"),
        DemoPerson("investigator.th", "Demo Chai Investigator", "RTP", RoleCode.INVESTIGATOR, "Investigator"),
        DemoPerson("analyst", "Demo Jordan Analyst", "AFP", RoleCode.ANALYST, "Intelligence analyst"),
        DemoPerson("analyst.my", "Demo Aisyah Analyst", "PDRM", RoleCode.ANALYST, "Intelligence analyst"),
        DemoPerson("observer", "Demo Olu Observer", "IOM", RoleCode.OBSERVER, "Programme officer"),
    ]


def co_chair_country() -> str:
    """A country co-chairing the latest period of the public record, if loaded; else New Zealand."""
    from disrupt.programme.models import PeriodOfAction

    latest = PeriodOfAction.objects.filter(co_chairs__isnull=False).order_by("-number").first()
    if latest is not None:
        for code in latest.co_chairs.order_by("code").values_list("code", flat=True):
            if code in CO_CHAIR_AGENCY:
                return code
    return "NZ"


class Command(BaseCommand):
    help = "Create or refresh the demonstration accounts (one or more per role) and print how to sign in."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Create them even in a production deployment (they share one known password).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION and not options["allow_production"]:
            raise CommandError(
                "Demo accounts share a known password: not in production (--allow-production)."
            )
        if not Role.objects.exists() or not Agency.objects.filter(short_name__in=["RSO", "IOM"]).exists():
            raise CommandError("Reference data is missing: run `disrupt setup` first.")
        password = os.environ.get("DISRUPT_DEMO_PASSWORD") or DEFAULT_PASSWORD
        rows = self.load(password)
        self.report(rows, password)
        from disrupt.intel.demo import load_demo_collections

        collections = load_demo_collections(DOMAIN)
        if collections:
            self.stdout.write(
                f"Demo intelligence: {len(collections)} collections of a synthetic network queued for import "
                "(the worker imports them)."
            )

    @transaction.atomic
    def load(self, password: str) -> list[tuple[str, str, str, str]]:
        agencies = {
            a.short_name: a for a in Agency.objects.international().filter(short_name__in=["RSO", "IOM"])
        }
        for code, name, short, kind in AGENCIES:
            agencies[short], _ = Agency.objects.update_or_create(
                country=Country.objects.get(code=code),
                name=name,
                defaults={"short_name": short, "kind": kind, "is_active": True},
            )
        roles = {r.code: r for r in Role.objects.all()}
        rows = []
        for person in people(CO_CHAIR_AGENCY[co_chair_country()]):
            agency = agencies[person.agency]
            user, _ = User.objects.update_or_create(
                email=f"{person.local}@{DOMAIN}",
                defaults={
                    "full_name": person.name,
                    "job_title": person.job_title,
                    "agency": agency,
                    "is_active": True,
                    "is_demo": True,
                    "is_staff": False,
                    "is_superuser": False,
                },
            )
            user.set_password(password)
            user.save(update_fields=["password"])
            user.roles.set([roles[person.role]])
            needed = roles[person.role].requires_two_factor and settings.TWO_FACTOR_ENFORCED
            enrol_demo_device(user, needed=needed)
            where = agency.country.name if agency.country else "International organisation"
            rows.append((user.email, roles[person.role].get_code_display(), where, str(agency)))
        return rows

    def report(self, rows: list[tuple[str, str, str, str]], password: str) -> None:
        headers = ("E-mail address", "Role", "Country", "Agency")
        widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(4)]
        line = "  ".join(f"{{:<{w}}}" for w in widths)
        self.stdout.write("Demo accounts (synthetic people):")
        self.stdout.write(line.format(*headers).rstrip())
        self.stdout.write(line.format(*("-" * w for w in widths)).rstrip())
        for row in rows:
            self.stdout.write(line.format(*row).rstrip())
        self.stdout.write(f"Password for every demo account: {password}")
        enrolled = User.objects.filter(is_demo=True, totpdevice__name=DEMO_DEVICE_NAME).distinct()
        if enrolled.exists():
            self.stdout.write(
                "Accounts whose role requires two-factor sign-in ask for a code after the password.\n"
                f"Authenticator key (TOTP, SHA-1, 6 digits, 30 s) for all of them: {demo_key_base32()}\n"
                "or print the current code: disrupt democode <e-mail address>"
            )
        if not settings.TWO_FACTOR_ENFORCED:
            self.stdout.write("TWO_FACTOR_ENFORCED is off: demo accounts sign in with the password alone.")


def demo_key_base32() -> str:
    return b32encode(bytes.fromhex(DEMO_TOTP_KEY)).decode()


def enrol_demo_device(user: User, needed: bool) -> None:
    """Give a demo account the known authenticator key if its role requires one; else none."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not needed:
        TOTPDevice.objects.filter(user=user, name=DEMO_DEVICE_NAME).delete()
        return
    TOTPDevice.objects.update_or_create(
        user=user, name=DEMO_DEVICE_NAME, defaults={"key": DEMO_TOTP_KEY, "confirmed": True}
    )
