"""The CSV export of the enquiries a user may see, with their threads (recorded as an export)."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import Prefetch, QuerySet

from disrupt.access import policy
from disrupt.exchange.models import Attachment, Enquiry, Reply

COLUMNS = [
    "reference",
    "sent_at_utc",
    "kind",
    "from_agency",
    "to_agencies",
    "handling_code",
    "priority",
    "status",
    "overdue",
    "reply_wanted_by",
    "plan",
    "subject",
    "body",
    "replies",
    "attachments",
]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value: Any) -> str:
    """A cell a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


def with_threads(user: Any, enquiries: QuerySet[Enquiry]) -> QuerySet[Enquiry]:
    """The enquiries with their recipients, replies and files, each read through the policy."""
    return enquiries.select_related("owner_agency", "plan").prefetch_related(
        "recipients",
        Prefetch(
            "replies",
            queryset=policy.visible_to(user, Reply.objects.all()).select_related("agency", "author"),
        ),
        Prefetch("attachments", queryset=policy.visible_to(user, Attachment.objects.all())),
    )


def _row(enquiry: Enquiry) -> list[str]:
    replies = "\n\n".join(
        f"{reply.created_at.astimezone(dt.UTC):%Y-%m-%d %H:%M} {reply.agency} "
        f"({reply.author.full_name}): {reply.body}"
        for reply in enquiry.replies.all()
    )
    return [
        _cell(value)
        for value in (
            enquiry.reference,
            enquiry.created_at.astimezone(dt.UTC).isoformat(timespec="minutes"),
            enquiry.get_kind_display(),
            enquiry.owner_agency,
            "; ".join(str(agency) for agency in enquiry.recipients.all()),
            enquiry.get_handling_code_display(),
            enquiry.get_priority_display(),
            enquiry.get_status_display(),
            "yes" if enquiry.is_overdue else "no",
            enquiry.due_on.isoformat() if enquiry.due_on else "",
            enquiry.plan.reference if enquiry.plan else "",
            enquiry.subject,
            enquiry.body,
            replies,
            "; ".join(file.original_name for file in enquiry.attachments.all()),
        )
    ]


def rows(enquiries: Iterable[Enquiry]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(COLUMNS)
    for enquiry in enquiries:
        yield writer.writerow(_row(enquiry))
