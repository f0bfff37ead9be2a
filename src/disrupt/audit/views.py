"""The audit trail page and its CSV export."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from disrupt.access import policy
from disrupt.access.policy import may_read_trail
from disrupt.audit.choices import AuditAction
from disrupt.audit.filters import AuditEntryFilter
from disrupt.audit.models import AuditEntry
from disrupt.audit.recorder import record
from disrupt.directory.choices import RoleCode

PAGE_SIZE = 50
CSV_COLUMNS = [
    "sequence",
    "at (UTC)",
    "actor",
    "action",
    "target type",
    "target id",
    "target",
    "country",
    "ip address",
    "detail",
    "hash",
]


def _filtered(request: HttpRequest) -> AuditEntryFilter:
    if not may_read_trail(request.user):
        raise PermissionDenied("The audit trail is for the secretariat and the focal points.")
    entries = policy.visible_to(request.user, AuditEntry.objects.all()).select_related("country")
    return AuditEntryFilter(request.GET or None, queryset=entries)


@login_required
def trail(request: HttpRequest) -> HttpResponse:
    filterset = _filtered(request)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/trail.html",
        {
            "filter": filterset,
            "page_obj": page,
            "entries": page.object_list,
            "whole_trail": request.user.has_role(RoleCode.SECRETARIAT),  # type: ignore[union-attr]
        },
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def _safe(value: Any) -> str:
    """A cell a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


def _rows(entries: QuerySet[AuditEntry]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_COLUMNS)
    for entry in entries.order_by("sequence").iterator(chunk_size=1000):
        yield writer.writerow(
            [
                _safe(value)
                for value in (
                    entry.sequence,
                    entry.at.astimezone(dt.UTC).isoformat(),
                    entry.actor_label,
                    entry.action,
                    entry.target_kind,
                    entry.target_id,
                    entry.target_label,
                    entry.country.code if entry.country else "",
                    entry.ip_address,
                    entry.detail,
                    entry.hash,
                )
            ]
        )


@login_required
def export(request: HttpRequest) -> StreamingHttpResponse:
    filterset = _filtered(request)
    entries = filterset.qs
    record(
        AuditAction.EXPORT,
        request=request,
        detail={"of": "audit trail", "filters": {k: v for k, v in request.GET.items() if k != "page"}},
    )
    response = StreamingHttpResponse(_rows(entries), content_type="text/csv; charset=utf-8")
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-trail-{stamp}.csv"'
    return response
