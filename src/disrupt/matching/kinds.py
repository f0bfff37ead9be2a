"""The kinds of selector that cross-border matching compares, and how the pages name them."""

from __future__ import annotations

import enum


class Kind(enum.StrEnum):
    PASSPORT = "passport"
    ID_NUMBER = "id_number"
    PHONE = "phone"
    EMAIL = "email"
    ACCOUNT = "account"  # IBANs and account numbers
    CRYPTO_WALLET = "crypto_wallet"
    IMO = "imo"
    MMSI = "mmsi"
    PLATE = "plate"
    HANDLE = "handle"
    PERSON = "person"  # the fuzzy encoding of a name with a date or year of birth


LABELS: dict[Kind, str] = {
    Kind.PASSPORT: "passport number",
    Kind.ID_NUMBER: "identity number",
    Kind.PHONE: "phone number",
    Kind.EMAIL: "e-mail address",
    Kind.ACCOUNT: "bank account",
    Kind.CRYPTO_WALLET: "crypto wallet",
    Kind.IMO: "vessel IMO number",
    Kind.MMSI: "vessel MMSI",
    Kind.PLATE: "vehicle plate",
    Kind.HANDLE: "online handle",
    Kind.PERSON: "person (name and birth)",
}

# The kinds matched on equal blind digests; PERSON is matched by similarity of encodings.
EXACT_KINDS: tuple[Kind, ...] = tuple(kind for kind in Kind if kind is not Kind.PERSON)
