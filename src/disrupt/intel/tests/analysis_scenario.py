"""Three countries' collections for the analysis tests, with a broker only Thailand holds.

Australia (AFP, the analyst's agency) holds cell A (a, b, c), the syndicate body they belong to
and two accounts paying each other round; Indonesia (INP) holds cell B (d to i) and an account,
and shares the collection with the AFP; Thailand (RTP) holds x, the only bridge between the two
cells, and x's account, and shares nothing. Cell A's tie c-x and cell B's tie x-d sit in the
collections the analyst reads, but x itself does not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from disrupt.access.choices import HandlingCode
from disrupt.conftest import Cast, make_agency
from disrupt.directory.models import Agency
from disrupt.intel.models import Collection, Entity

# (id, schema, caption, properties); a link's ends are given as its FtM properties.
AU = [
    ("p-a", "Person", "Arlo Venn", {"country": ["au"]}),
    ("p-b", "Person", "Brin Tassel", {"country": ["au"]}),
    ("p-c", "Person", "Cade Morrow", {"country": ["au"]}),
    ("org-syn", "Organization", "Southern Crossing Group", {"country": ["au"]}),
    ("acc-1", "BankAccount", "Account 1", {"country": ["au"]}),
    ("acc-4", "BankAccount", "Account 4", {"country": ["au"]}),
    ("l-ab", "Associate", "", {"person": ["p-a"], "associate": ["p-b"]}),
    ("l-bc", "Associate", "", {"person": ["p-b"], "associate": ["p-c"]}),
    ("l-ac", "Associate", "", {"person": ["p-a"], "associate": ["p-c"]}),
    ("m-a", "Membership", "", {"member": ["p-a"], "organization": ["org-syn"], "role": ["recruiter"]}),
    ("m-b", "Membership", "", {"member": ["p-b"], "organization": ["org-syn"], "role": ["transporter"]}),
    ("o-a1", "Ownership", "", {"owner": ["p-a"], "asset": ["acc-1"]}),
    ("o-c4", "Ownership", "", {"owner": ["p-c"], "asset": ["acc-4"]}),
    (
        "pay-1",
        "Payment",
        "",
        {"payerAccount": ["acc-1"], "beneficiaryAccount": ["acc-4"], "amount": ["9500"]},
    ),
    (
        "pay-2",
        "Payment",
        "",
        {"payerAccount": ["acc-1"], "beneficiaryAccount": ["acc-4"], "amount": ["9800"]},
    ),
    (
        "pay-3",
        "Payment",
        "",
        {"payerAccount": ["acc-4"], "beneficiaryAccount": ["acc-1"], "amount": ["18000"]},
    ),
    ("l-cx", "Associate", "", {"person": ["p-c"], "associate": ["p-x"], "startDate": ["2019-05-01"]}),
]
ID = [
    ("p-d", "Person", "Dewi Larang", {"country": ["id"]}),
    ("p-e", "Person", "Eka Sumbang", {"country": ["id"]}),
    ("p-f", "Person", "Fajar Ombak", {"country": ["id"]}),
    ("p-g", "Person", "Gita Pantai", {"country": ["id"]}),
    ("p-h", "Person", "Hadi Selat", {"country": ["id"]}),
    ("p-i", "Person", "Indra Karang", {"country": ["id"]}),
    ("acc-2", "BankAccount", "Account 2", {"country": ["id"]}),
    ("l-eg", "Associate", "", {"person": ["p-e"], "associate": ["p-g"]}),
    ("l-fh", "Associate", "", {"person": ["p-f"], "associate": ["p-h"]}),
    ("l-gi", "Associate", "", {"person": ["p-g"], "associate": ["p-i"]}),
    ("l-de", "Associate", "", {"person": ["p-d"], "associate": ["p-e"], "startDate": ["2021-01-10"]}),
    ("l-ef", "Associate", "", {"person": ["p-e"], "associate": ["p-f"]}),
    ("l-df", "Associate", "", {"person": ["p-d"], "associate": ["p-f"], "date": ["2023-06-01"]}),
    ("o-d2", "Ownership", "", {"owner": ["p-d"], "asset": ["acc-2"]}),
    ("l-xd", "Associate", "", {"person": ["p-x"], "associate": ["p-d"], "startDate": ["2021-03-01"]}),
    (
        "pay-23",
        "Payment",
        "",
        {"payerAccount": ["acc-2"], "beneficiaryAccount": ["acc-3"], "amount": ["7000"]},
    ),
]
TH = [
    ("p-x", "Person", "Xan Prasert", {"country": ["th"]}),
    ("acc-3", "BankAccount", "Account 3", {"country": ["th"]}),
    ("o-x3", "Ownership", "", {"owner": ["p-x"], "asset": ["acc-3"]}),
]

ENDS = {
    "Associate": ("person", "associate"),
    "Membership": ("member", "organization"),
    "Ownership": ("owner", "asset"),
    "Payment": ("payerAccount", "beneficiaryAccount"),
}


@dataclass
class Scenario:
    cast: Cast
    au: Collection
    id: Collection
    th: Collection
    afp: Agency  # the analyst's agency
    rtp: Agency


def fill(collection: Collection, rows: list[tuple[str, str, str, dict[str, Any]]]) -> None:
    """Store the rows as an import would: the graph columns copied out of the properties."""
    for ftm_id, schema, caption, props in rows:
        source = target = currency = ""
        amount = None
        if schema in ENDS:
            start, end = ENDS[schema]
            source, target = props[start][0], props[end][0]
        if schema == "Payment":
            amount, currency = float(props["amount"][0]), "AUD"
            props = {**props, "currency": ["AUD"]}
        Entity.objects.create(
            collection=collection,
            ftm_id=ftm_id,
            schema=schema,
            caption=caption,
            properties=props,
            source=source,
            target=target,
            amount=amount,
            currency=currency,
            country=props.get("country", [""])[0] if not source else "",
        )


def three_countries(cast: Cast) -> Scenario:
    afp = Agency.objects.get(short_name="AFP")
    inp = Agency.objects.get(short_name="INP")
    rtp = make_agency("Royal Thai Police", "TH", short="RTP")
    au = Collection.objects.create(
        name="AFP cell A", owner_agency=afp, created_by=cast.analyst_au, handling_code=HandlingCode.AMBER
    )
    id_ = Collection.objects.create(
        name="INP cell B", owner_agency=inp, created_by=cast.investigator_id, handling_code=HandlingCode.AMBER
    )
    id_.shared_agencies.add(afp)
    th = Collection.objects.create(
        name="RTP broker", owner_agency=rtp, created_by=cast.investigator_th, handling_code=HandlingCode.AMBER
    )
    fill(au, AU)
    fill(id_, ID)
    fill(th, TH)
    return Scenario(cast, au, id_, th, afp, rtp)
