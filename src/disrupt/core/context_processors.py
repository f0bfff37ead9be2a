from typing import Any

from django.conf import settings
from django.http import HttpRequest

from disrupt.access.policy import may_read_trail


def platform(request: HttpRequest) -> dict[str, Any]:
    return {
        "DEPLOYMENT": settings.DEPLOYMENT,
        "SITE_URL": settings.SITE_URL,
        # A callable, so the roles are read only by templates that ask (the navigation does).
        "may_read_audit": lambda: hasattr(request, "user") and may_read_trail(request.user),
    }
