"""The API's one permission class: it asks the access policy, as the pages do.

Lists and details start from `policy.visible_to`, so a record the user may not know exists is
a 404 before this class is asked; here a visible record the user may not change is a 403.
"""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from disrupt.access import policy


class PolicyPermission(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method in SAFE_METHODS:
            return True
        if getattr(view, "action", None) == "create":
            return policy.can_create(request.user, view.queryset.model)
        return True

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        if getattr(view, "action", None) == "decide":
            return policy.can_decide_plan(request.user, obj)
        return policy.can_edit(request.user, obj)
