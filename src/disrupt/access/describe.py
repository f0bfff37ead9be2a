"""The sharing of an operational record in words, for the "Who can read it" panels.

It reads the same fields `policy.operational_rule` reads, so what a page says is what the policy
does; the tests of each page check the words against the people who get the record.
"""

from __future__ import annotations

from typing import Any

from disrupt.access.choices import HandlingCode
from disrupt.access.policy import OPEN_CODES


def who_can_read(record: Any, owner: str = "owning agency") -> list[str]:
    """`owner` names the owner as the page calls it ("sending agency" for an enquiry)."""
    code = record.handling_code
    if code in OPEN_CODES:
        return ["Every user of the platform."]
    if code == HandlingCode.RED:
        people = [p.full_name for p in record.named_people.all()]
        author = record.created_by.full_name if record.created_by else "its author"
        return [f"{author}{', ' + ', '.join(people) if people else ''} only."]
    agencies = [record.owner_agency, *record.shared_agencies.select_related("country")]
    names = [a.name + (f" ({a.country.name})" if a.country else "") for a in agencies]
    lines = ["The people of " + ", ".join(names) + "."]
    if code == HandlingCode.AMBER_STRICT:
        lines.append("Nobody else, not even other agencies of the same countries.")
        return lines
    countries = [country.name for country in record.shared_countries.all()]
    if countries:
        lines.append("Every agency of " + ", ".join(countries) + ".")
    plans = [plan.reference for plan in record.shared_plans.all()]
    if plans:
        lines.append("Every agency of the countries working on " + ", ".join(plans) + ".")
    lines.append(f"Only the {owner} can share it more widely.")
    return lines
