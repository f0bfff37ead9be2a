from typing import Any

from django.http import HttpRequest

from disrupt.access import policy
from disrupt.notifications.models import Notification


def notifications(request: HttpRequest) -> dict[str, Any]:
    def unread() -> int:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return 0
        return policy.visible_to(user, Notification.objects.filter(read_at__isnull=True)).count()

    # A callable, so the count is asked of the database only by templates that show it.
    return {"unread_notifications": unread}
