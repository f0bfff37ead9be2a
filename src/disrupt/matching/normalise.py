"""One canonical string per selector value, so that the same value typed two ways blinds the same.

Every function takes a raw value (and the context it needs: an issuing country, a phone region, a
service) and returns the canonical string, or None when the value cannot identify anything (empty,
garbage, a failed checksum). None is never an error: a collection holds whatever officers typed.

Qualifiers are part of the value, written "QUALIFIER:VALUE". The qualifier is '' when unknown, and
an unqualified value matches only other unqualified values: "ID:A1234567" (an Indonesian passport)
and ":A1234567" (a number whose issuing country nobody recorded) do not match, because passport
and account numbers are only unique within their issuer. docs/matching-keys.md gives the choices.
"""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers
from followthemoney.types import registry
from rigour.text.translit import ascii_text
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError

_NOT_ALNUM = re.compile(r"[^A-Z0-9]+")
_NOT_ALPHA_LOWER = re.compile(r"[^a-z]+")
_NOT_ALNUM_LOWER = re.compile(r"[^a-z0-9]+")
_APOSTROPHES = re.compile(r"['\u2019\u02bc`\u00b4]")
_EMAIL = re.compile(r"^[^@\s]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$")
_HEX_WALLET = re.compile(r"^0x[0-9a-f]{40}$")
_BECH32 = re.compile(r"^[a-z]{1,10}1[02-9ac-hj-np-z]{6,100}$")
_WALLET = re.compile(r"^[A-Za-z0-9]{20,120}$")
_HANDLE_SPACE = re.compile(r"\s")
_BIRTH = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")

# Gmail ignores dots in the local part and delivers "name+tag" to "name" (Google's help pages say
# so of gmail.com and its old twin googlemail.com); no other provider's rules are folded.
_GMAIL = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}


@lru_cache(maxsize=4096)
def country_code(value: str) -> str:
    """An ISO 3166 alpha-2 code, upper-case ("Indonesia", "idn", "id" -> "ID"); '' when unknown."""
    if not isinstance(value, str) or not value.strip():
        return ""
    code = registry.country.clean(value.strip())
    if not code or len(code) != 2 or code == "zz":
        return ""
    return code.upper()


def _compact_upper(value: str) -> str:
    text = value if value.isascii() else ascii_text(value)
    return _NOT_ALNUM.sub("", text.upper())


def document_number(value: str, country: str = "") -> str | None:
    """Passport and identity numbers: upper-case letters and digits, with the issuing country.

    "a 1234567", "A-1234567" and "A.123.4567" are all "ID:A1234567" for Indonesia. A number needs at
    least one digit and four characters, and is not one character repeated ("000000", "XXXXXX").
    """
    if not isinstance(value, str):
        return None
    number = _compact_upper(value)
    if not 4 <= len(number) <= 24 or not any(c.isdigit() for c in number) or len(set(number)) == 1:
        return None
    return f"{country_code(country)}:{number}"


def phone(value: str, region: str = "") -> str | None:
    """E.164 ("0812 3456 7890" in region ID -> "+6281234567890"); None when unparseable or impossible.

    The region (the entity's country, else the collection's) only reads national formats; an
    international number keeps its own country code.
    """
    if not isinstance(value, str) or not value.strip():
        return None
    code = country_code(region) if region else ""
    default = code if code in phonenumbers.SUPPORTED_REGIONS else None
    text = value.strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, default)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number) or len(str(number.national_number)) < 6:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def email(value: str) -> str | None:
    """Lower-case; for Gmail only, dots and a "+tag" in the local part are dropped."""
    if not isinstance(value, str):
        return None
    text = value.strip().lower()
    if text.startswith("mailto:"):
        text = text[7:]
    if not text.isascii() or not _EMAIL.match(text):
        return None
    local, domain = text.rsplit("@", 1)
    if domain in _GMAIL:
        local = local.split("+", 1)[0].replace(".", "")
        if not local:
            return None
        domain = _GMAIL[domain]
    return f"{local}@{domain}"


def iban(value: str) -> str | None:
    """Compact upper-case IBAN whose mod-97 checksum and national format hold."""
    if not isinstance(value, str):
        return None
    try:
        return str(stdnum_iban.compact(stdnum_iban.validate(value)))
    except (ValidationError, ValueError, TypeError):
        return None


def account_number(value: str, country: str = "") -> str | None:
    """An account number's letters and digits with the bank's country; a valid IBAN stays an IBAN.

    Bank names are not part of the value: they are free text, spelt differently by every officer.
    """
    as_iban = iban(value)
    if as_iban is not None:
        return as_iban
    if not isinstance(value, str):
        return None
    number = _compact_upper(value)
    if not 5 <= len(number) <= 34 or sum(c.isdigit() for c in number) < 4 or len(set(number)) == 1:
        return None
    return f"{country_code(country)}:{number}"


def crypto_wallet(value: str) -> str | None:
    """Hex (0x...) and bech32 (bc1...) addresses lower-case; base58 and others as typed (case matters)."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    lower = text.lower()
    if _HEX_WALLET.match(lower) or _BECH32.match(lower):
        return lower
    if _WALLET.match(text) and len(set(text)) > 4:
        return text
    return None


def imo(value: str) -> str | None:
    """A ship's IMO number, 7 digits whose last is the check digit ("IMO 9074729" -> "9074729")."""
    if not isinstance(value, str):
        return None
    text = _compact_upper(value)
    if text.startswith("IMO"):
        text = text[3:]
    if len(text) != 7 or not text.isdigit():
        return None
    digits = [int(c) for c in text]
    if sum(d * w for d, w in zip(digits, (7, 6, 5, 4, 3, 2), strict=False)) % 10 != digits[6]:
        return None
    return text if any(digits) else None


def mmsi(value: str) -> str | None:
    """A Maritime Mobile Service Identity: exactly 9 digits, not one digit repeated."""
    if not isinstance(value, str):
        return None
    text = _compact_upper(value)
    if text.startswith("MMSI"):
        text = text[4:]
    if len(text) != 9 or not text.isdigit() or len(set(text)) == 1:
        return None
    return text


def plate(value: str, country: str = "") -> str | None:
    """A vehicle registration: upper-case letters and digits, with the registering country."""
    if not isinstance(value, str):
        return None
    text = _compact_upper(value)
    if not 2 <= len(text) <= 12 or len(set(text)) == 1:
        return None
    return f"{country_code(country)}:{text}"


def service_name(value: str) -> str:
    """ "Facebook Messenger" -> "facebookmessenger"; '' when unknown."""
    if not isinstance(value, str):
        return ""
    text = value if value.isascii() else ascii_text(value)
    return _NOT_ALNUM_LOWER.sub("", text.lower())


def handle(value: str, service: str = "") -> str | None:
    """An online handle, lower-case without its leading @, with its service ("telegram:some_user")."""
    if not isinstance(value, str):
        return None
    text = value.strip().lstrip("@").lower()
    if not text or len(text) > 100 or _HANDLE_SPACE.search(text):
        return None
    return f"{service_name(service)}:{text}"


def _latin_lower(value: str) -> str:
    text = _APOSTROPHES.sub("", value)
    if not text.isascii():
        text = ascii_text(text)
    return text.lower()


@lru_cache(maxsize=65536)
def _tokens(value: str, pattern: re.Pattern[str]) -> tuple[str, ...]:
    return tuple(token for token in pattern.sub(" ", _latin_lower(value)).split() if token)


def name_tokens(*names: str) -> tuple[str, ...]:
    """The tokens of one person's name, in Latin ASCII, lower-case, without punctuation, sorted.

    Sorted and deduplicated, so that "SANTOSO, Budi" and "Budi Santoso" are the same tokens; other
    scripts are transliterated ("Дмитрий" -> "dmitry").
    """
    tokens: set[str] = set()
    for name in names:
        if isinstance(name, str):
            tokens.update(_tokens(name, _NOT_ALPHA_LOWER))
    return tuple(sorted(tokens))


def address_tokens(*addresses: str) -> tuple[str, ...]:
    """The tokens of addresses (letters and digits), sorted and deduplicated, as for names."""
    tokens: set[str] = set()
    for address in addresses:
        if isinstance(address, str):
            tokens.update(_tokens(address, _NOT_ALNUM_LOWER))
    return tuple(sorted(tokens))


def birth_date(value: str) -> str | None:
    """ "1985", "1985-03" or "1985-03-12" (longer ISO forms are cut to the day); None if unusable."""
    if not isinstance(value, str):
        return None
    found = _BIRTH.match(value.strip())
    if found is None:
        return None
    year, month, day = found.groups()
    if not 1800 <= int(year) <= 2100:
        return None
    if month is None or not 1 <= int(month) <= 12:
        return year
    if day is None or not 1 <= int(day) <= 31:
        return f"{year}-{month}"
    return f"{year}-{month}-{day}"
