"""Enquiries for search and notification tests, made straight from the models (no exchange actions)."""

from __future__ import annotations

import hashlib
from typing import Any

from disrupt.access.choices import HandlingCode
from disrupt.directory.models import Agency
from disrupt.exchange.models import Attachment, Enquiry

_count = [0]


def make_enquiry(
    sender: Any, recipients: list[str], *, subject: str, body: str, code: str = HandlingCode.AMBER_STRICT
) -> Enquiry:
    """`sender` asks the agencies with these short names; addressing an agency shares with it."""
    _count[0] += 1
    agencies = list(Agency.objects.filter(short_name__in=recipients))
    enquiry = Enquiry.objects.create(
        reference=f"ENQ-T-{_count[0]:04d}",
        owner_agency_id=sender.agency_id,
        created_by=sender,
        handling_code=code,
        subject=subject,
        body=body,
    )
    enquiry.recipients.set(agencies)
    enquiry.shared_agencies.set(agencies)
    return enquiry


def attach(enquiry: Enquiry, name: str) -> Attachment:
    return Attachment.objects.create(
        enquiry=enquiry,
        original_name=name,
        size=10,
        content_type="application/pdf",
        sha256=hashlib.sha256(name.encode()).hexdigest(),
    )
