"""A second factor before anything else: for whoever enrolled one, and for roles that require it."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

# Pages a signed-in user may reach before verifying: enrolment, verification, signing out, assets.
_EXEMPT_NAMES = ("two_factor_setup", "two_factor_verify", "logout")


def second_factor_page(user: object) -> str | None:
    """The page an unverified user must pass first, if any.

    A person who enrolled an authenticator app always verifies it. A role's
    `requires_two_factor` makes enrolment compulsory while TWO_FACTOR_ENFORCED is on
    (a trial installation or the test suite can defer enrolment, never verification).
    """
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return "two_factor_verify"
    if settings.TWO_FACTOR_ENFORCED and user.needs_two_factor():  # type: ignore[attr-defined]
        return "two_factor_setup"
    return None


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            # Not /api/: a token request is anonymous here, and a browser session must verify.
            and not request.path.startswith("/static/")
            and not user.is_verified()  # type: ignore[union-attr,attr-defined]
            and request.path not in {reverse(name) for name in _EXEMPT_NAMES}
        ):
            target = second_factor_page(user)
            if target is not None:
                return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
