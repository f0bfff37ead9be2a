"""Counts of enquiries that other apps offer (the reports' indicator values)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils import timezone

from disrupt.exchange.models import Enquiry

if TYPE_CHECKING:
    from disrupt.directory.models import Country
    from disrupt.programme.models import PeriodOfAction


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def enquiries_sent(country: Country, period: PeriodOfAction) -> int:
    """How many enquiries the agencies of `country` sent within the period's window, counting
    the disclosure requests they made from hits.

    The value offered for the "bilateral and international enquiries" indicator when the
    country fills its report. A count about the country's own sending, not a read of any
    enquiry's content, so it needs no access check. A period without both dates counts none.
    """
    if period.starts_on is None or period.ends_on is None:
        return 0
    from disrupt.matching.models import DisclosureRequest

    start, end = _start_of(period.starts_on), _start_of(period.ends_on + dt.timedelta(days=1))
    sent = Enquiry.objects.filter(owner_agency__country=country, created_at__gte=start, created_at__lt=end)
    # A request to disclose the record behind a hit is an enquiry too (matching/actions.py).
    disclosures = DisclosureRequest.objects.filter(
        requesting_agency__country=country, requested_at__gte=start, requested_at__lt=end
    )
    return sent.count() + disclosures.count()
