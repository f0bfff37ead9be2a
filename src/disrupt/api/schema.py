"""The OpenAPI description of the answers every route may give besides success."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema


class PolicyAutoSchema(AutoSchema):
    """Documents 400, 401, 403 and 404 where a route can give them, as the access policy does."""

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        method = self.method.upper()
        responses = operation.setdefault("responses", {})
        responses.setdefault("401", {"description": "Not signed in: no session, or no valid token."})
        if method != "GET" or self._is_list_view():
            responses.setdefault(
                "400", {"description": "Bad data or filter values; the body names the field."}
            )
        if method != "GET":
            responses.setdefault("403", {"description": "The record is visible but you may not do this."})
        if self.path_regex and "(?P<" in self.path_regex:
            responses.setdefault("404", {"description": "No such record, or one you may not know exists."})
        return operation
