"""A synthetic cross-border people-smuggling network as FollowTheMoney entities.

No Django state. Deterministic: the same seed and parameters give byte-identical output.
Streaming: one syndicate is built at a time, written, then forgotten, so memory stays bounded
whatever the size. Values are written already in FtM's cleaned form (lower-case country codes,
E.164 phones, ISO dates) so that the entities are valid without running FtM's (slow) cleaning
for every value; the tests push every entity of a run back through FtM to prove it.

Every name is built from syllable lists: all people, companies and vessels are fictional.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import random
from collections import deque
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol

GENERATOR = "disrupt.intel.synth"
VERSION = 1
PUBLISHER = "Disrupt synthetic network generator (fictional data)"

SOURCE = ["af", "bd", "lk", "vn"]
TRANSIT = ["id", "my", "th"]
DESTINATION = ["au", "nz", "fj"]
COUNTRIES = SOURCE + TRANSIT + DESTINATION

ROLES = [
    "organiser",
    "recruiter",
    "transporter",
    "document forger",
    "money handler",
    "corrupt facilitator",
]

# Schemata that are links (FtM "interval" edges); everything else is a node.
LINK_SCHEMATA = frozenset(
    {"Membership", "Directorship", "Ownership", "Associate", "Family", "Employment", "UnknownLink", "Payment"}
)

# A reporting threshold (AUD 10,000 as in Australia's threshold transaction reports): structured
# payments stay just below it.
THRESHOLD = 10_000

# Syllables per naming style. Built for plausibility of sound, not taken from any list of names.
_STYLE_OF = {
    "af": "pashto",
    "bd": "bengali",
    "lk": "sinhala",
    "vn": "viet",
    "id": "malay",
    "my": "malay",
    "th": "thai",
    "au": "anglo",
    "nz": "anglo",
    "fj": "fiji",
}
_SYLLABLES: dict[str, tuple[list[str], list[str], tuple[int, int], tuple[int, int]]] = {
    # onsets+vowels joined into syllables, codas, given-name syllables, family-name syllables
    "pashto": (
        ["kha", "ra", "za", "mi", "gul", "sha", "wa", "ja", "ha", "ba", "na", "zai", "da"],
        ["", "n", "r", "l", "d"],
        (2, 3),
        (2, 3),
    ),
    "bengali": (
        ["ra", "hi", "mo", "su", "ka", "bi", "sho", "ja", "ta", "ni", "po", "du", "la"],
        ["", "n", "m", "l"],
        (2, 3),
        (2, 3),
    ),
    "sinhala": (
        ["pe", "ra", "wi", "ku", "ma", "sa", "ga", "de", "thi", "lan", "na", "ya", "si"],
        ["", "n", "ka"],
        (2, 3),
        (3, 4),
    ),
    "viet": (
        ["ngu", "tra", "pha", "hoa", "le", "duo", "vu", "thu", "bi", "qua", "kha", "lo"],
        ["", "n", "ng", "nh", "t"],
        (1, 2),
        (1, 1),
    ),
    "malay": (
        ["su", "har", "ti", "wa", "na", "dar", "ma", "ri", "bu", "yo", "ko", "ja", "ka"],
        ["", "n", "di", "to"],
        (2, 3),
        (2, 3),
    ),
    "thai": (
        ["som", "cha", "pra", "sa", "ki", "wat", "na", "pon", "su", "tha", "ri", "lak"],
        ["", "n", "t", "k"],
        (2, 3),
        (3, 4),
    ),
    "anglo": (
        ["mar", "den", "bro", "wil", "ha", "ston", "ley", "gar", "ri", "tho", "ca", "ber"],
        ["", "s", "n", "t"],
        (1, 2),
        (2, 2),
    ),
    "fiji": (
        ["vu", "ni", "ta", "ka", "ra", "lo", "mai", "se", "tu", "wa", "ve", "do"],
        ["", ""],
        (2, 3),
        (3, 4),
    ),
}

# Transliteration differences that an analyst sees between two countries' records of one name.
_TRANSLIT = [
    ("u", "oo"),
    ("oo", "u"),
    ("kh", "k"),
    ("k", "kh"),
    ("ph", "f"),
    ("j", "dj"),
    ("dj", "j"),
    ("sh", "sch"),
    ("w", "v"),
    ("v", "w"),
    ("th", "t"),
    ("i", "ee"),
    ("y", "i"),
    ("c", "k"),
    ("a", "aa"),
]

_PHONE_PLAN = {
    # country calling code, mobile prefixes, subscriber digits after the prefix
    "af": ("93", ["70", "72", "78", "79"], 7),
    "bd": ("880", ["17", "18", "19"], 8),
    "lk": ("94", ["70", "71", "77"], 7),
    "vn": ("84", ["90", "91", "98"], 7),
    "id": ("62", ["812", "813", "821"], 8),
    "my": ("60", ["12", "16", "19"], 7),
    "th": ("66", ["81", "86", "89"], 7),
    "au": ("61", ["412", "423", "433"], 6),
    "nz": ("64", ["21", "22", "27"], 7),
    "fj": ("679", ["7", "9"], 6),
}
_CURRENCY = {
    "af": "AFN",
    "bd": "BDT",
    "lk": "LKR",
    "vn": "VND",
    "id": "IDR",
    "my": "MYR",
    "th": "THB",
    "au": "AUD",
    "nz": "NZD",
    "fj": "FJD",
}
_DATES = [f"{y}-{m:02d}-{d:02d}" for y in range(2021, 2026) for m in range(1, 13) for d in range(1, 29)]
_SERVICES = ["WhatsApp", "Signal", "Telegram", "Viber", "Facebook Messenger"]
_MAIL_DOMAINS = ["example.com", "example.org", "example.net"]


@dataclass
class Params:
    seed: int
    entities: int
    links_per_entity: float = 2.0


@dataclass
class Chunk:
    """What one syndicate adds: its entities (each with its collection) and its ground truth."""

    entities: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    members: dict[str, str] = field(default_factory=dict)  # person id -> role
    countries: set[str] = field(default_factory=set)
    identities: list[list[str]] = field(default_factory=list)
    cycles: list[list[str]] = field(default_factory=list)
    structuring: list[dict[str, Any]] = field(default_factory=list)
    unaffiliated: list[str] = field(default_factory=list)
    recruiters: list[Any] = field(default_factory=list)
    nodes: int = 0
    links: int = 0


@dataclass
class Member:
    id: str
    role: str
    country: str
    nationality: str
    given: str
    family: str
    birth: str
    passport: str
    phone: str
    account: str | None = None


@dataclass
class Broker:
    person: str
    account: str
    country: str


class NetworkGenerator:
    """Builds the network syndicate by syndicate. `stream()` yields (collection, entity dict)."""

    def __init__(self, params: Params) -> None:
        if params.entities < 200:
            raise ValueError("--entities must be at least 200")
        if params.links_per_entity <= 0:
            raise ValueError("--links-per-entity must be positive")
        self.params = params
        self.rng = random.Random(params.seed)
        self.counter = 0
        self.nodes = 0
        self.links = 0
        self.brokers: list[Broker] = []
        self.truth_syndicates: list[dict[str, Any]] = []
        self.identities: list[list[str]] = []
        self.cycles: list[list[str]] = []
        self.structuring: list[dict[str, Any]] = []
        self.unaffiliated: list[str] = []
        self.schema_counts: dict[str, int] = {}
        self.collection_counts: dict[str, int] = {}
        self.publisher = f"{PUBLISHER}, seed {params.seed}"
        self.syndicate_count = 0
        # Members of the last few hundred syndicates, for ties between syndicates (bounded).
        self.recent: deque[str] = deque(maxlen=500)

    # ---- ids, values ---------------------------------------------------------------
    def new_id(self) -> str:
        self.counter += 1
        # Opaque ids, so an id says nothing about the syndicate it belongs to.
        return hashlib.sha1(f"disrupt-synth:{self.params.seed}:{self.counter}".encode()).hexdigest()

    def entity(self, chunk: Chunk, collection: str, schema: str, props: dict[str, list[str]]) -> str:
        entity_id = self.new_id()
        props["publisher"] = [self.publisher]
        chunk.entities.append((collection, {"id": entity_id, "schema": schema, "properties": props}))
        if schema in LINK_SCHEMATA:
            chunk.links += 1
        else:
            chunk.nodes += 1
        return entity_id

    def name_part(self, style: str, which: int) -> str:
        syllables, codas, given_range, family_range = _SYLLABLES[style]
        low, high = given_range if which == 0 else family_range
        parts = [self.rng.choice(syllables) for _ in range(self.rng.randint(low, high))]
        return ("".join(parts) + self.rng.choice(codas)).capitalize()

    def phone(self, country: str) -> str:
        code, prefixes, digits = _PHONE_PLAN[country]
        subscriber = "".join(str(self.rng.randint(0, 9)) for _ in range(digits))
        return f"+{code}{self.rng.choice(prefixes)}{subscriber}"

    def date(self) -> str:
        # An index from random() is several times cheaper than randint; payments need millions.
        return _DATES[int(self.rng.random() * len(_DATES))]

    def passport_number(self) -> str:
        letters = "ABCDEFGHKLMNPRSTUVXYZ"
        return self.rng.choice(letters) + "".join(str(self.rng.randint(0, 9)) for _ in range(7))

    def imo(self) -> str:
        digits = [self.rng.randint(1, 9)] + [self.rng.randint(0, 9) for _ in range(5)]
        check = sum(d * w for d, w in zip(digits, (7, 6, 5, 4, 3, 2), strict=True)) % 10
        return "IMO" + "".join(map(str, digits)) + str(check)

    # ---- people ---------------------------------------------------------------------
    def person(self, chunk: Chunk, role: str, country: str, nationality: str) -> Member:
        style = _STYLE_OF[nationality]
        given, family = self.name_part(style, 0), self.name_part(style, 1)
        birth = f"{self.rng.randint(1958, 2002)}-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}"
        passport = self.passport_number()
        phone = self.phone(country)
        email = f"{given.lower()}.{family.lower()}{self.rng.randint(1, 99)}@{self.rng.choice(_MAIL_DOMAINS)}"
        props = {
            "name": [f"{given} {family}"],
            "firstName": [given],
            "lastName": [family],
            "birthDate": [birth],
            "nationality": [nationality],
            "country": [country],
            "phone": [phone],
            "email": [email],
            "passportNumber": [passport],
            "gender": [self.rng.choice(["male", "male", "male", "female"])],
        }
        person_id = self.entity(chunk, country, "Person", props)
        member = Member(person_id, role, country, nationality, given, family, birth, passport, phone)
        self.entity(
            chunk,
            country,
            "Passport",
            {
                "holder": [person_id],
                "number": [passport],
                "country": [nationality],
                "surname": [family],
                "givenName": [given],
            },
        )
        if self.rng.random() < 0.7:
            self.entity(
                chunk,
                country,
                "UserAccount",
                {
                    "owner": [person_id],
                    "service": [self.rng.choice(_SERVICES)],
                    "username": [f"{given.lower()}{self.rng.randint(10, 9999)}"],
                    "phone": [phone],
                },
            )
        return member

    def duplicate(self, chunk: Chunk, member: Member, country: str, peers: list[Member]) -> str:
        """Record the same human again in another country's collection, as that country wrote it."""
        given, family = _transliterate(self.rng, member.given), _transliterate(self.rng, member.family)
        form = self.rng.randrange(4)
        forms = [
            f"{given} {family}",
            f"{family.upper()} {given}",
            f"{family}, {given}",
            f"{given} {family}".upper(),
        ]
        # Never the very same string: the point is a record the matcher has to work for.
        name = forms[form] if forms[form] != f"{member.given} {member.family}" else forms[1]
        props = {
            "name": [name],
            "birthDate": [member.birth[:4] if self.rng.random() < 0.6 else member.birth],
            "nationality": [member.nationality],
            "country": [country],
            "phone": [member.phone],
            "passportNumber": [_passport_format(self.rng, member.passport)],
        }
        dup_id = self.entity(chunk, country, "Person", props)
        self.entity(
            chunk,
            country,
            "Passport",
            {"holder": [dup_id], "number": props["passportNumber"], "country": [member.nationality]},
        )
        for peer in self.rng.sample(peers, min(2, len(peers))):
            self.entity(
                chunk,
                country,
                "Associate",
                {"person": [dup_id], "associate": [peer.id], "relationship": ["travelled with"]},
            )
        return dup_id

    # ---- money ----------------------------------------------------------------------
    def account(self, chunk: Chunk, owner: str, country: str, holder_name: str) -> str:
        number = "".join(str(self.rng.randint(0, 9)) for _ in range(12))
        account_id = self.entity(
            chunk,
            country,
            "BankAccount",
            {
                "accountNumber": [number],
                "country": [country],
                "currency": [_CURRENCY[country]],
                "bankName": [f"{self.name_part('anglo', 1)} Bank"],
                "name": [f"{holder_name} {number[-4:]}"],
            },
        )
        self.entity(
            chunk,
            country,
            "Ownership",
            {"owner": [owner], "asset": [account_id], "ownershipType": ["account holder"]},
        )
        return account_id

    def payment(
        self,
        chunk: Chunk,
        payer: tuple[str, str, str],
        beneficiary: tuple[str, str],
        amount: int,
        date: str,
        purpose: str = "",
    ) -> None:
        """payer = (party, account, country); beneficiary = (party, account)."""
        props = {
            "payer": [payer[0]],
            "payerAccount": [payer[1]],
            "beneficiary": [beneficiary[0]],
            "beneficiaryAccount": [beneficiary[1]],
            "amount": [str(amount)],
            "currency": ["AUD"],
            "date": [date],
        }
        if purpose:
            props["purpose"] = [purpose]
        self.entity(chunk, payer[2], "Payment", props)

    def make_brokers(self) -> Chunk:
        chunk = Chunk()
        count = max(2, self.params.entities // 25_000)
        for _ in range(count):
            country = self.rng.choice(["my", "id", "th", "au"])
            member = self.person(chunk, "broker", country, self.rng.choice(SOURCE + [country]))
            account = self.account(chunk, member.id, country, f"{member.given} {member.family}")
            self.brokers.append(Broker(member.id, account, country))
            chunk.unaffiliated.append(member.id)
        return chunk

    # ---- one syndicate --------------------------------------------------------------
    def syndicate(self, number: int) -> Chunk:
        rng = self.rng
        chunk = Chunk()
        source = rng.choice(SOURCE)
        transits = rng.sample(TRANSIT, rng.randint(1, 2))
        destination = rng.choice(DESTINATION)
        where = {
            "organiser": [source] + transits,
            "recruiter": [source],
            "transporter": transits,
            "document forger": transits,
            "money handler": transits + [destination],
            "corrupt facilitator": transits + [destination],
        }
        size = rng.randint(6, 24)
        roles = ["organiser", "recruiter", "transporter", "money handler"] + [
            rng.choice(ROLES[1:]) for _ in range(size - 4)
        ]
        members: list[Member] = []
        for role in roles:
            country = rng.choice(where[role])
            nationality = source if rng.random() < 0.7 else country
            members.append(self.person(chunk, role, country, nationality))
        chunk.countries = {m.country for m in members}
        organiser = members[0]
        group_name = f"{self.name_part(_STYLE_OF[source], 1)} network"
        group = self.entity(
            chunk,
            organiser.country,
            "Organization",
            {"name": [group_name], "country": [source], "topics": ["crime"]},
        )
        for member in members:
            # Investigators have placed most, not all, members in the group.
            if member is organiser or rng.random() < 0.6:
                self.entity(
                    chunk,
                    member.country,
                    "Membership",
                    {"member": [member.id], "organization": [group], "role": [member.role]},
                )
        self.associates(chunk, members)
        self.ties(chunk, members)
        companies = self.companies(chunk, members, destination)
        self.assets(chunk, members, companies)
        accounts = self.accounts(chunk, members, companies)
        self.clients(chunk, members)
        self.money(chunk, members, companies, accounts)
        self.duplicates(chunk, members)
        chunk.members = {m.id: m.role for m in members}
        chunk.recruiters = [m for m in members if m.role == "recruiter"]
        return chunk

    def associates(self, chunk: Chunk, members: list[Member]) -> None:
        rng = self.rng
        # A ring plus a few chords: each member knows a handful of others, the organiser most.
        for i, member in enumerate(members):
            peer = members[(i + 1) % len(members)]
            self.entity(
                chunk,
                member.country,
                "Associate",
                {"person": [member.id], "associate": [peer.id], "relationship": ["associate"]},
            )
        for _ in range(len(members) // 2):
            a, b = rng.sample(members, 2)
            self.entity(
                chunk,
                a.country,
                "Associate",
                {"person": [a.id], "associate": [b.id], "relationship": ["phone contact"]},
            )
        for member in rng.sample(members[1:], min(3, len(members) - 1)):
            self.entity(
                chunk,
                members[0].country,
                "Associate",
                {"person": [members[0].id], "associate": [member.id], "relationship": ["instructs"]},
            )
        if rng.random() < 0.6:
            relative = rng.choice(members[1:])
            self.entity(
                chunk,
                relative.country,
                "Family",
                {
                    "person": [members[0].id],
                    "relative": [relative.id],
                    "relationship": [rng.choice(["brother", "cousin", "brother-in-law"])],
                },
            )

    def ties(self, chunk: Chunk, members: list[Member]) -> None:
        """A few contacts with members of other (recent) syndicates: shared forgers, old cellmates."""
        if not self.recent:
            return
        for _ in range(self.rng.choice([0, 0, 1])):
            member = self.rng.choice(members)
            other = self.recent[int(self.rng.random() * len(self.recent))]
            self.entity(
                chunk,
                member.country,
                "UnknownLink",
                {"subject": [member.id], "object": [other], "role": ["phone contact"]},
            )

    def companies(self, chunk: Chunk, members: list[Member], destination: str) -> list[tuple[str, str, str]]:
        """Front companies (id, country, name); the organiser directs them all (the command line)."""
        rng = self.rng
        result = []
        for _ in range(rng.randint(1, 3)):
            country = rng.choice([members[0].country, destination] + TRANSIT)
            trade = rng.choice(["Marine", "Travel", "Logistics", "Trading", "Recruitment"])
            form = rng.choice(["Ltd", "Sdn Bhd", "PT", "Pty Ltd", "Co"])
            name = f"{self.name_part(_STYLE_OF[country], 1)} {trade} {form}"
            address = self.entity(
                chunk,
                country,
                "Address",
                {"full": [f"{rng.randint(1, 200)} {self.name_part('anglo', 1)} Road"], "country": [country]},
            )
            company = self.entity(
                chunk,
                country,
                "Company",
                {
                    "name": [name],
                    "jurisdiction": [country],
                    "addressEntity": [address],
                    "incorporationDate": [self.date()],
                },
            )
            self.entity(
                chunk,
                country,
                "Directorship",
                {"director": [members[0].id], "organization": [company], "role": ["director"]},
            )
            handler = next((m for m in members if m.role == "money handler"), members[0])
            if handler is not members[0]:
                self.entity(
                    chunk,
                    country,
                    "Directorship",
                    {"director": [handler.id], "organization": [company], "role": ["secretary"]},
                )
            result.append((company, country, name))
        for member in members:
            if member.role == "transporter" and rng.random() < 0.5:
                company, country, _ = rng.choice(result)
                self.entity(
                    chunk,
                    country,
                    "Employment",
                    {"employer": [company], "employee": [member.id], "role": ["crew"]},
                )
        return result

    def assets(self, chunk: Chunk, members: list[Member], companies: list[tuple[str, str, str]]) -> None:
        rng = self.rng
        transporters = [m for m in members if m.role == "transporter"] or members[:1]
        for _ in range(rng.randint(1, 2)):
            company, country, _ = rng.choice(companies)
            skipper = rng.choice(transporters)
            vessel = self.entity(
                chunk,
                skipper.country,
                "Vessel",
                {
                    "name": [f"{self.name_part(_STYLE_OF[skipper.country], 1)} {rng.randint(1, 30)}".upper()],
                    "type": [rng.choice(["Fishing vessel", "Cargo boat", "Passenger ferry"])],
                    "flag": [skipper.country],
                    "imoNumber": [self.imo()],
                    "operator": [skipper.id],
                },
            )
            self.entity(
                chunk,
                country,
                "Ownership",
                {"owner": [company], "asset": [vessel], "ownershipType": ["registered owner"]},
            )
        for member in transporters:
            if rng.random() < 0.6:
                plate = f"{rng.choice('ABDFHKLMNRSTW')}{rng.choice('ABDFHKLMNRSTW')} {rng.randint(100, 9999)}"
                vehicle = self.entity(
                    chunk,
                    member.country,
                    "Vehicle",
                    {
                        "registrationNumber": [plate],
                        "type": [rng.choice(["Van", "Minibus", "Truck"])],
                        "owner": [member.id],
                    },
                )
                self.entity(chunk, member.country, "Ownership", {"owner": [member.id], "asset": [vehicle]})

    def accounts(
        self, chunk: Chunk, members: list[Member], companies: list[tuple[str, str, str]]
    ) -> list[tuple[str, str, str]]:
        """Bank accounts as (owner, account, country)."""
        result = []
        for member in members:
            if member.role in ("organiser", "money handler", "recruiter") or self.rng.random() < 0.3:
                member.account = self.account(
                    chunk, member.id, member.country, f"{member.given} {member.family}"
                )
                result.append((member.id, member.account, member.country))
        for company, country, name in companies:
            result.append((company, self.account(chunk, company, country, name), country))
        return result

    def clients(self, chunk: Chunk, members: list[Member]) -> None:
        """A few migrants who paid a recruiter: outside the syndicate, marked unaffiliated."""
        recruiters = [m for m in members if m.role == "recruiter"]
        for recruiter in recruiters:
            for _ in range(self.rng.randint(0, 2)):
                self.client(chunk, recruiter)

    def client(self, chunk: Chunk, recruiter: Member) -> None:
        country = recruiter.country
        style = _STYLE_OF[country]
        given, family = self.name_part(style, 0), self.name_part(style, 1)
        person = self.entity(
            chunk,
            country,
            "Person",
            {"name": [f"{given} {family}"], "country": [country], "nationality": [country]},
        )
        amount = self.rng.randint(30, 120) * 100
        self.entity(
            chunk,
            country,
            "Payment",
            {
                "payer": [person],
                "beneficiary": [recruiter.id],
                "amount": [str(amount)],
                "currency": ["AUD"],
                "date": [self.date()],
                "purpose": ["passage"],
            },
        )
        chunk.unaffiliated.append(person)

    def money(
        self,
        chunk: Chunk,
        members: list[Member],
        companies: list[tuple[str, str, str]],
        accounts: list[tuple[str, str, str]],
    ) -> None:
        rng = self.rng
        organiser = members[0]
        handlers = [m for m in members if m.role == "money handler" and m.account]
        handler = handlers[0] if handlers else organiser
        assert organiser.account and handler.account
        # Round-tripping: organiser -> front company -> money handler -> organiser, less a fee each hop.
        if handler is not organiser and rng.random() < 0.5:
            company_id, company_account, company_country = next(
                a for a in accounts if a[0] == companies[0][0]
            )
            amount = rng.randint(40, 200) * 1000
            date = self.date()
            hops = [
                (organiser.id, organiser.account, organiser.country),
                (company_id, company_account, company_country),
                (handler.id, handler.account, handler.country),
            ]
            for i, payer in enumerate(hops):
                beneficiary = hops[(i + 1) % 3]
                self.payment(chunk, payer, beneficiary[:2], amount, date, "consultancy")
                amount = amount * 97 // 100
            chunk.cycles.append([h[1] for h in hops])
        # Structuring: the money handler breaks a sum into payments just below the threshold.
        target = rng.choice(accounts)
        if target[1] != handler.account:
            runs = rng.randint(4, 9)
            for _ in range(runs):
                amount = THRESHOLD - rng.randint(50, 900)
                self.payment(
                    chunk, (handler.id, handler.account, handler.country), target[:2], amount, self.date()
                )
            chunk.structuring.append(
                {"payer_account": handler.account, "beneficiary_account": target[1], "payments": runs}
            )
        # A hawala-like broker: money goes in from this syndicate and out to a destination account.
        if rng.random() < 0.7:
            broker = rng.choice(self.brokers)
            self.payment(
                chunk,
                (handler.id, handler.account, handler.country),
                (broker.person, broker.account),
                rng.randint(5, 60) * 1000,
                self.date(),
            )
            payee = rng.choice(accounts)
            self.payment(
                chunk,
                (broker.person, broker.account, broker.country),
                payee[:2],
                rng.randint(5, 60) * 1000,
                self.date(),
            )
        # Ordinary traffic fills the link budget.
        wanted = round(self.params.links_per_entity * chunk.nodes) - chunk.links
        random, count = rng.random, len(accounts)  # at least organiser, money handler, a company
        for _ in range(max(2, wanted)):
            i = int(random() * count)
            payer, beneficiary = accounts[i], accounts[(i + 1 + int(random() * (count - 1))) % count]
            self.payment(chunk, payer, beneficiary[:2], (2 + int(random() * 399)) * 50, self.date())

    def duplicates(self, chunk: Chunk, members: list[Member]) -> None:
        for member in members:
            if self.rng.random() < 0.08:
                elsewhere = [c for c in sorted(chunk.countries | {member.nationality}) if c != member.country]
                if not elsewhere:
                    continue
                cluster = [member.id]
                for country in self.rng.sample(elsewhere, min(len(elsewhere), self.rng.randint(1, 2))):
                    cluster.append(self.duplicate(chunk, member, country, members))
                chunk.identities.append(cluster)

    # ---- the whole run --------------------------------------------------------------
    def commit(self, chunk: Chunk, syndicate: str | None) -> Iterator[tuple[str, dict[str, Any]]]:
        self.nodes += chunk.nodes
        self.links += chunk.links
        if syndicate is not None:
            members = dict(chunk.members)
            for cluster in chunk.identities:
                for dup in cluster[1:]:
                    members[dup] = members[cluster[0]]
            self.recent.extend(chunk.members)
            self.truth_syndicates.append(
                {"id": syndicate, "countries": sorted(chunk.countries), "members": members}
            )
        self.identities.extend(chunk.identities)
        self.cycles.extend(chunk.cycles)
        self.structuring.extend(chunk.structuring)
        self.unaffiliated.extend(chunk.unaffiliated)
        for collection, entity in chunk.entities:
            self.schema_counts[entity["schema"]] = self.schema_counts.get(entity["schema"], 0) + 1
            self.collection_counts[collection] = self.collection_counts.get(collection, 0) + 1
            yield collection, entity

    def stream(self) -> Iterator[tuple[str, dict[str, Any]]]:
        yield from self.commit(self.make_brokers(), None)
        number = 0
        last: Chunk | None = None
        while True:
            number += 1
            chunk = self.syndicate(number)
            if self.nodes + chunk.nodes > self.params.entities:
                break  # the candidate is dropped; the remainder is filled with single clients
            last = chunk
            yield from self.commit(chunk, f"S{number:06d}")
        # The remainder is filled with single clients of the last syndicate's recruiters (or of
        # a broker when no syndicate fitted at all), so the node count is exact.
        payees = (
            last.recruiters
            if last
            else [Member(b.person, "broker", b.country, b.country, "", "", "", "", "") for b in self.brokers]
        )
        while self.nodes < self.params.entities:
            filler = Chunk()
            self.client(filler, self.rng.choice(payees))
            yield from self.commit(filler, None)

    def truth_tail(self) -> dict[str, Any]:
        return {
            "unaffiliated": self.unaffiliated,
            "identities": self.identities,
            "brokers": [
                {"person": b.person, "account": b.account, "country": b.country} for b in self.brokers
            ],
            "cycles": self.cycles,
            "structuring": self.structuring,
            "counts": {
                "nodes": self.nodes,
                "links": self.links,
                "entities": self.nodes + self.links,
                "syndicates": self.syndicate_count,
                "schemata": dict(sorted(self.schema_counts.items())),
                "collections": dict(sorted(self.collection_counts.items())),
            },
        }


def _transliterate(rng: random.Random, word: str) -> str:
    lower = word.lower()
    rules = [(a, b) for a, b in _TRANSLIT if a in lower]
    rng.shuffle(rules)
    for a, b in rules[: rng.randint(1, 2)]:
        lower = lower.replace(a, b, 1)
    return lower.capitalize()


def _passport_format(rng: random.Random, number: str) -> str:
    forms = [
        number,
        f"{number[0]} {number[1:]}",
        f"{number[0].lower()}{number[1:]}",
        f"{number[0]}-{number[1:4]}-{number[4:]}",
        f"{number[0]}{number[1:]}",
    ]
    return rng.choice(forms[1:4])


# ---- writing ------------------------------------------------------------------------


class Writer(Protocol):
    def write(self, text: str, /) -> int: ...

    def __enter__(self) -> Writer: ...

    def __exit__(self, *exc: Any) -> Any: ...


def _open(path: Path) -> Writer:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.name.endswith(".gz"):
        # mtime=0 and no file name in the header, so the same seed gives the same bytes.
        raw = open(path, "wb")  # noqa: SIM115 - closed through the GzipFile and the ExitStack
        binary = gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=6)
        return _GzipText(binary, raw)
    return open(path, "w", encoding="utf-8", newline="\n")  # noqa: SIM115


class _GzipText:
    """A text wrapper that closes both the gzip stream and its file."""

    def __init__(self, binary: gzip.GzipFile, raw: IO[bytes]) -> None:
        self.binary, self.raw = binary, raw

    def write(self, text: str) -> int:
        return self.binary.write(text.encode("utf-8"))

    def close(self) -> None:
        self.binary.close()
        self.raw.close()

    def __enter__(self) -> _GzipText:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def country_path(out: Path, collection: str) -> Path:
    """net.ftm.json -> net.au.ftm.json (the collection code goes before the first suffix)."""
    stem, _, suffixes = out.name.partition(".")
    return out.with_name(f"{stem}.{collection}.{suffixes}" if suffixes else f"{stem}.{collection}")


def truth_path(out: Path) -> Path:
    stem = out.name.partition(".")[0]
    return out.with_name(f"{stem}.truth.json")


def _flush_syndicates(generator: NetworkGenerator, truth: Writer, first: bool) -> bool:
    for syndicate in generator.truth_syndicates:
        truth.write(("" if first else ",\n") + json.dumps(syndicate))
        first = False
    generator.syndicate_count += len(generator.truth_syndicates)
    generator.truth_syndicates.clear()
    return first


def generate(params: Params, out: Path, per_country: bool = False) -> dict[str, Any]:
    """Write the network to `out` (or one file per country collection) and its ground truth.

    Single-file lines carry a top-level "collection" (the country code of the collection owner);
    per-country files hold plain FtM entities. Returns the summary counts.
    """
    generator = NetworkGenerator(params)
    truth_file = truth_path(out)
    truth_file.parent.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        files: dict[str, Writer] = {}
        truth = stack.enter_context(open(truth_file, "w", encoding="utf-8", newline="\n"))  # noqa: SIM115
        truth.write(
            "{"
            + json.dumps(
                {
                    "synthetic": True,
                    "generator": GENERATOR,
                    "version": VERSION,
                    "seed": params.seed,
                    "entities_requested": params.entities,
                    "links_per_entity": params.links_per_entity,
                    "threshold_aud": THRESHOLD,
                }
            )[1:-1]
            + ', "syndicates": ['
        )
        if not per_country:
            files[""] = stack.enter_context(_open(out))
        first = True
        encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
        for collection, entity in generator.stream():
            if per_country:
                handle = files.get(collection)
                if handle is None:
                    handle = files[collection] = stack.enter_context(_open(country_path(out, collection)))
                handle.write(encode(entity) + "\n")
            else:
                files[""].write(encode({**entity, "collection": collection}) + "\n")
            if generator.truth_syndicates:
                # A finished syndicate goes to the truth file at once and is then forgotten.
                first = _flush_syndicates(generator, truth, first)
        _flush_syndicates(generator, truth, first)
        tail = generator.truth_tail()
        truth.write("], " + json.dumps(tail)[1:] + "\n")
    return tail["counts"]
