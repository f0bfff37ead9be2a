"""`disrupt token EMAIL`: print a user's API token, creating it if missing; --reset replaces it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from rest_framework.authtoken.models import Token

from disrupt.directory.models import User


class Command(BaseCommand):
    help = "Print the API token of the user with this e-mail address (created if missing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="The user's e-mail address.")
        parser.add_argument(
            "--reset", action="store_true", help="Replace the token: the old one stops working at once."
        )

    def handle(self, *args: Any, email: str, reset: bool = False, **options: Any) -> None:
        try:
            user = User.objects.get(email__iexact=email.strip())
        except User.DoesNotExist as exc:
            raise CommandError(f"No user has the e-mail address {email!r}.") from exc
        if not user.is_active:
            raise CommandError(f"The account {user.email} is deactivated; it cannot use the API.")
        with transaction.atomic():
            if reset:
                Token.objects.filter(user=user).delete()
            token, _ = Token.objects.get_or_create(user=user)
        self.stdout.write(token.key)
