from typing import Any

from django.conf import settings
from django.http import HttpRequest


def platform(request: HttpRequest) -> dict[str, Any]:
    return {"DEPLOYMENT": settings.DEPLOYMENT, "SITE_URL": settings.SITE_URL}
