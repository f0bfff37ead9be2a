"""`disrupt democode <e-mail>`: the current authenticator code of a demo account.

For a reviewer trying the demo without a phone. Only accounts marked `is_demo`, which share a
known key (loaddemo), and never in production: it reveals nothing an attacker lacks already.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp

from disrupt.directory.management.commands.loaddemo import DEMO_DEVICE_NAME
from disrupt.directory.models import User


class Command(BaseCommand):
    help = "Print the current two-factor code of a demo account (not in production)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("email", help="The demo account's e-mail address.")

    def handle(self, *args: Any, **options: Any) -> None:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        if settings.PRODUCTION:
            raise CommandError("Demo accounts do not exist in production.")
        email = options["email"].strip().lower()
        user = User.objects.filter(email=email).first()
        if user is None or not user.is_demo:
            raise CommandError(f"{email}: not a demo account (run `disrupt loaddemo`).")
        device = TOTPDevice.objects.filter(user=user, name=DEMO_DEVICE_NAME, confirmed=True).first()
        if device is None:
            raise CommandError(f"{email}: this account signs in with its password alone.")
        value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
        self.stdout.write(f"{value:0{device.digits}d}")
