"""Every role that can read TLP:AMBER or above signs in with a second factor; observers do not.

The demo stays usable: with enforcement on, `loaddemo` enrols its accounts with one known key
and `disrupt democode` prints the current code.
"""

from __future__ import annotations

import datetime as dt
import importlib
import io
from io import StringIO
from typing import Any

import pytest
import yaml
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from disrupt.access.choices import HandlingCode
from disrupt.access.policy import RESTRICTED_READERS
from disrupt.audit.choices import AuditAction
from disrupt.audit.models import AuditEntry
from disrupt.conftest import Cast
from disrupt.core.reference import REFERENCE_FILE
from disrupt.directory.choices import RoleCode
from disrupt.directory.management.commands.loaddemo import DEFAULT_PASSWORD
from disrupt.directory.models import Agency, Role, User
from disrupt.directory.tests.test_two_factor import code_for
from disrupt.exchange.models import Enquiry

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def enforced(settings: Any) -> None:
    settings.TWO_FACTOR_ENFORCED = True


@pytest.fixture
def enquiry(cast: Cast, settings: Any, tmp_path: Any) -> Enquiry:
    from disrupt.exchange.actions import do_send_enquiry

    settings.DATA_DIR = tmp_path
    settings.CLAMD_SOCKET = ""
    settings.CLAMD_HOST = ""
    return do_send_enquiry(
        cast.investigator_id,
        recipients=[Agency.objects.get(short_name="AFP")],
        subject="Passenger manifest, flight to Denpasar",
        body="Please send the manifest.",
        handling_code=HandlingCode.AMBER_STRICT,
        due_on=dt.date.today() + dt.timedelta(days=7),
        files=[("manifest.pdf", io.BytesIO(PDF))],
    )


def test_every_role_that_reads_amber_requires_a_second_factor_and_only_those(db: Any) -> None:
    data = yaml.safe_load(REFERENCE_FILE.read_text())
    in_file = {row["code"]: row["requires_two_factor"] for row in data["roles"]}
    expected = {code: code in RESTRICTED_READERS for code in RoleCode.values}
    assert in_file == expected
    assert dict(Role.objects.values_list("code", "requires_two_factor")) == expected
    assert expected[RoleCode.OBSERVER] is False


def test_the_migration_turns_it_on_for_an_existing_installation(db: Any) -> None:
    Role.objects.update(requires_two_factor=False)
    migration = importlib.import_module("disrupt.directory.migrations.0002_two_factor_for_restricted_readers")
    migration.require(apps, None)
    required = Role.objects.filter(requires_two_factor=True).values_list("code", flat=True)
    assert set(required) == RESTRICTED_READERS


def test_an_investigator_is_sent_to_enrol_and_reads_no_enquiry_before_verifying(
    cast: Cast, client: Client, enquiry: Enquiry, enforced: None
) -> None:
    reader = cast.analyst_au
    client.force_login(reader)
    for url in (enquiry.get_absolute_url(), f"/attachments/{enquiry.attachments.get().pk}/", "/enquiries/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/two-factor/setup/"), url
    assert not AuditEntry.objects.filter(action__in=[AuditAction.READ, AuditAction.DOWNLOAD]).exists()
    assert "Passenger manifest" not in client.get("/search/?q=manifest").content.decode()

    client.get("/two-factor/setup/")
    device = TOTPDevice.objects.get(user=reader)
    client.post("/two-factor/setup/", {"token": code_for(device)})
    response = client.get(enquiry.get_absolute_url())
    assert response.status_code == 200 and "Passenger manifest" in response.content.decode()
    assert AuditEntry.objects.filter(action=AuditAction.READ, actor=reader).count() == 1


@pytest.mark.parametrize("member", ["focal_id", "secretariat", "co_chair", "analyst_au"])
def test_each_national_and_programme_role_is_asked_too(
    cast: Cast, client: Client, enforced: None, member: str
) -> None:
    client.force_login(getattr(cast, member))
    assert client.get("/")["Location"].startswith("/two-factor/setup/")


def test_an_observer_is_not_asked(cast: Cast, client: Client, enforced: None) -> None:
    client.force_login(cast.observer)
    assert client.get("/").status_code == 200
    assert client.get("/enquiries/").status_code == 200


# --- The demo ----------------------------------------------------------------------------------------


def load_demo() -> str:
    out = StringIO()
    call_command("loaddemo", stdout=out)
    return out.getvalue()


def democode(email: str) -> str:
    out = StringIO()
    call_command("democode", email, stdout=out)
    return out.getvalue().strip()


def test_with_enforcement_the_demo_enrols_the_readers_of_amber_and_prints_the_key(
    db: Any, enforced: None
) -> None:
    output = load_demo()
    assert "Authenticator key" in output and "disrupt democode" in output
    for user in User.objects.filter(is_demo=True):
        enrolled = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        assert enrolled == (not user.has_role(RoleCode.OBSERVER)), user.email
    load_demo()  # idempotent: still one device each
    assert TOTPDevice.objects.filter(user__email="investigator@demo.disrupt.test").count() == 1


def test_a_reviewer_signs_in_with_the_password_and_democode(db: Any, enforced: None) -> None:
    load_demo()
    client = Client()
    email = "investigator@demo.disrupt.test"
    client.post("/login/", {"username": email, "password": DEFAULT_PASSWORD})
    assert client.get("/")["Location"].startswith("/two-factor/verify/")
    code = democode(email)
    assert len(code) == 6 and code.isdigit()
    verified = client.post("/two-factor/verify/?next=/", {"token": code})
    assert verified.status_code == 302 and verified["Location"] == "/"
    assert client.get("/").status_code == 200


def test_the_demo_observer_signs_in_with_the_password_alone(db: Any, enforced: None) -> None:
    load_demo()
    client = Client()
    client.post("/login/", {"username": "observer@demo.disrupt.test", "password": DEFAULT_PASSWORD})
    assert client.get("/").status_code == 200
    with pytest.raises(CommandError, match="password alone"):
        democode("observer@demo.disrupt.test")


def test_without_enforcement_the_demo_has_no_devices(db: Any, enforced: None, settings: Any) -> None:
    load_demo()
    settings.TWO_FACTOR_ENFORCED = False
    assert "password alone" in load_demo()
    assert not TOTPDevice.objects.filter(user__is_demo=True).exists()


def test_democode_refuses_real_accounts_and_production(cast: Cast, settings: Any) -> None:
    with pytest.raises(CommandError, match="not a demo account"):
        democode(cast.investigator_id.email)
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        democode("investigator@demo.disrupt.test")


def test_the_documented_key_is_the_one_loaddemo_enrols() -> None:
    from pathlib import Path

    from disrupt.directory.management.commands.loaddemo import demo_key_base32

    docs = Path(__file__).resolve().parents[4] / "docs" / "demo-accounts.md"
    assert demo_key_base32() in docs.read_text()
