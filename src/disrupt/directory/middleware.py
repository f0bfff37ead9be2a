"""Holders of roles that require a second factor must verify one before anything else."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

# Pages a signed-in user may reach before verifying: enrolment, verification, signing out, assets.
_EXEMPT_NAMES = ("two_factor_setup", "two_factor_verify", "logout")


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            settings.TWO_FACTOR_ENFORCED
            and user.is_authenticated
            and not request.path.startswith(("/static/", "/api/"))
            and not user.is_verified()  # type: ignore[union-attr,attr-defined]
            and user.needs_two_factor()  # type: ignore[union-attr]
        ):
            exempt = {reverse(name) for name in _EXEMPT_NAMES}
            if request.path not in exempt:
                from django_otp import devices_for_user

                has_device = any(True for _ in devices_for_user(user, confirmed=True))
                target = "two_factor_verify" if has_device else "two_factor_setup"
                return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)
