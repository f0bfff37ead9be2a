"""Selectors from FollowTheMoney entities: the strong identifiers, and a person's name with birth.

Pure functions of one entity dict ({"id", "schema", "properties": {prop: [values]}}), so the hub
and the selector-only encoder (selectorfile.py) read entities the same way. Bad values are skipped,
never raised: a collection holds whatever officers typed.

Which entity a selector belongs to: a Passport, an Identification, a UserAccount or a CryptoWallet
is about its holder, so `holder_of` names the person (or company) its selectors should be credited
to when that entity is in the same collection. Vessels, vehicles and bank accounts are subjects in
their own right (a hit on a vessel is about the vessel), so they keep their selectors.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from followthemoney import model

from disrupt.matching import normalise
from disrupt.matching.kinds import Kind


@dataclass(frozen=True)
class Selector:
    kind: Kind
    value: str  # canonical, from normalise.py


@dataclass(frozen=True)
class PersonName:
    """What the fuzzy person encoding reads (bloom.py): name tokens, birth, and optionally an address.

    tokens are sorted (order never matters); birth is "", "1985", "1985-03" or "1985-03-12";
    address holds the tokens of one address and numbers the person's identity and passport
    numbers (compact, upper-case); each is compared only when both sides have it.
    """

    tokens: tuple[str, ...]
    birth: str = ""
    address: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()


@lru_cache(maxsize=256)
def _ancestry(schema: str) -> frozenset[str]:
    found = model.get(schema) if isinstance(schema, str) else None
    if found is None:
        return frozenset()
    return frozenset(s.name for s in found.schemata)


def _values(props: Mapping[str, Any], name: str) -> list[str]:
    values = props.get(name)
    if isinstance(values, str):
        return [values]
    if not isinstance(values, list | tuple):
        return []
    return [v for v in values if isinstance(v, str) and v.strip()]


def _country(props: Mapping[str, Any], names: Sequence[str], default: str = "") -> str:
    for name in names:
        for value in _values(props, name):
            code = normalise.country_code(value)
            if code:
                return code
    return normalise.country_code(default) if default else ""


def _identification(schema: frozenset[str], props: Mapping[str, Any]) -> Iterator[Selector]:
    country = _country(props, ("country",))
    is_passport = "Passport" in schema or any("passport" in t.lower() for t in _values(props, "type"))
    kind = Kind.PASSPORT if is_passport else Kind.ID_NUMBER
    for prop in ("number", "passportNumber"):
        for value in _values(props, prop):
            yield from _one(kind, normalise.document_number(value, country))


def _legal_entity(schema: frozenset[str], props: Mapping[str, Any], region: str) -> Iterator[Selector]:
    for value in _values(props, "phone"):
        yield from _one(Kind.PHONE, normalise.phone(value, region))
    for value in _values(props, "email"):
        yield from _one(Kind.EMAIL, normalise.email(value))
    # The issuer of a number written on a person is not recorded: a person of one nationality
    # (or citizenship) is taken to hold that country's documents, as a passport entity's
    # `country` says outright; with none or several, the number carries no country.
    issuer = ""
    if "Person" in schema:
        nations = {
            normalise.country_code(v) for name in ("nationality", "citizenship") for v in _values(props, name)
        }
        nations.discard("")
        issuer = nations.pop() if len(nations) == 1 else ""
    numbers = [("idNumber", Kind.ID_NUMBER)]
    if "Person" in schema:
        numbers += [("passportNumber", Kind.PASSPORT), ("socialSecurityNumber", Kind.ID_NUMBER)]
    for prop, kind in numbers:
        for value in _values(props, prop):
            yield from _one(kind, normalise.document_number(value, issuer))


def _bank_account(props: Mapping[str, Any]) -> Iterator[Selector]:
    for value in _values(props, "iban"):
        yield from _one(Kind.ACCOUNT, normalise.iban(value))
    country = _country(props, ("country",))
    if not country:
        # A BIC's fifth and sixth letters are the bank's country.
        country = next((normalise.country_code(b.strip()[4:6]) for b in _values(props, "bic")), "")
    for value in _values(props, "accountNumber"):
        yield from _one(Kind.ACCOUNT, normalise.account_number(value, country))


def _user_account(props: Mapping[str, Any], region: str) -> Iterator[Selector]:
    services = _values(props, "service") or [""]
    for value in _values(props, "username"):
        for service in services:
            yield from _one(Kind.HANDLE, normalise.handle(value, service))
    for value in _values(props, "email"):
        yield from _one(Kind.EMAIL, normalise.email(value))
    for value in _values(props, "phone"):
        yield from _one(Kind.PHONE, normalise.phone(value, region))


def _one(kind: Kind, value: str | None) -> Iterator[Selector]:
    if value is not None:
        yield Selector(kind, value)


def _by_values(
    kind: Kind, props: Mapping[str, Any], names: Sequence[str], clean: Callable[[str], str | None]
) -> Iterator[Selector]:
    for name in names:
        for value in _values(props, name):
            yield from _one(kind, clean(value))


def _selectors(entity: Mapping[str, Any], default_country: str) -> Iterator[Selector]:
    schema = _ancestry(entity.get("schema", ""))
    props = entity.get("properties")
    if not schema or not isinstance(props, Mapping):
        return
    region = _country(props, ("country", "jurisdiction"), default_country)
    if "LegalEntity" in schema:
        yield from _legal_entity(schema, props, region)
    if "Identification" in schema:
        yield from _identification(schema, props)
    if "BankAccount" in schema:
        yield from _bank_account(props)
    if "CryptoWallet" in schema:
        yield from _by_values(
            Kind.CRYPTO_WALLET, props, ("publicKey", "cryptoAddress"), normalise.crypto_wallet
        )
    if "Vessel" in schema:
        yield from _by_values(Kind.IMO, props, ("imoNumber",), normalise.imo)
        yield from _by_values(Kind.MMSI, props, ("mmsi",), normalise.mmsi)
    elif "Vehicle" in schema and "Airplane" not in schema:
        country = _country(props, ("country",), default_country)
        for value in _values(props, "registrationNumber"):
            yield from _one(Kind.PLATE, normalise.plate(value, country))
    if "UserAccount" in schema:
        yield from _user_account(props, region)


def extract(entity: Mapping[str, Any], default_country: str = "") -> list[Selector]:
    """The entity's selectors, deduplicated, in a stable order; [] for anything unusable.

    default_country is the phone region (and plate country) when the entity names no country of
    its own: the country of the collection's owner.
    """
    if not isinstance(entity, Mapping):
        return []
    return list(dict.fromkeys(_selectors(entity, default_country)))


def holder_of(entity: Mapping[str, Any]) -> str | None:
    """The id of the entity that a Passport, Identification, UserAccount or CryptoWallet is about."""
    if not isinstance(entity, Mapping):
        return None
    schema = _ancestry(entity.get("schema", ""))
    props = entity.get("properties")
    if not isinstance(props, Mapping):
        return None
    for kind, prop in (("Identification", "holder"), ("UserAccount", "owner"), ("CryptoWallet", "holder")):
        if kind in schema:
            holders = _values(props, prop)
            return holders[0].strip() if holders else None
    return None


def person_of(entity: Mapping[str, Any]) -> PersonName | None:
    """A Person's first full name (with its given and family name parts), birth, address and
    identity numbers (passport numbers are left out: a person holds a new one every few years).

    Aliases are not read: one encoding holds one name, and an alias mixed in would blur it. A name
    of a single token needs a birth, an address or a number beside it, or it would match every
    namesake; a person without a name needs a birth with an address or a number.
    """
    if not isinstance(entity, Mapping) or "Person" not in _ancestry(entity.get("schema", "")):
        return None
    props = entity.get("properties")
    if not isinstance(props, Mapping):
        return None
    names = _values(props, "name")[:1]
    for part in ("firstName", "secondName", "middleName", "lastName"):
        names += _values(props, part)[:1]
    tokens = normalise.name_tokens(*names)
    birth = next(filter(None, map(normalise.birth_date, _values(props, "birthDate"))), "")
    address = normalise.address_tokens(*_values(props, "address")[:1])
    found = (
        normalise.document_number(v) for p in ("idNumber", "socialSecurityNumber") for v in _values(props, p)
    )
    numbers = tuple(sorted({n.split(":", 1)[1] for n in found if n}))
    # Enough to tell one person from another: two name tokens, or what the name lacks made up by
    # a birth, an address or an identity number (the score then needs those to agree).
    evidence = len(tokens) + bool(birth) + bool(address) + bool(numbers)
    if evidence < 2 or (not tokens and not (birth and (address or numbers))):
        return None
    return PersonName(tokens, birth, address, numbers)
