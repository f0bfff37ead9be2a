"""Values other parts of Disrupt offer for a country's report lines.

The enquiries indicator: Disrupt counts the enquiries a country's agencies sent through its
secure exchange during the cycle (`exchange.queries.enquiries_sent`), and the draft page offers
that number for the "Bilateral and international enquiries" line. The country decides: it may
also have sent enquiries outside Disrupt, so the value is offered, never imposed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from disrupt.exchange.queries import enquiries_sent

if TYPE_CHECKING:
    from disrupt.directory.models import Country
    from disrupt.programme.models import PeriodOfAction

ENQUIRIES_INDICATOR = "enquiries"


def enquiries_offer(country: Country, period: PeriodOfAction) -> int | None:
    """The enquiries count to offer, or None when Disrupt saw none (nothing worth offering)."""
    sent = enquiries_sent(country, period)
    return sent or None
