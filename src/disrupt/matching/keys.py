"""The members' shared matching key, and the keyed blind index (HMAC-SHA256) of selector values.

The key lives in a file, never in the database (settings.MATCHING_KEY_FILE; during a rotation
MATCHING_PREVIOUS_KEY_FILE too). Everything the hub stores is derived from it one way: a digest
per selector, Bloom encodings and blocking keys for people (bloom.py), and `key_id`, a short
fingerprint that says which key a digest was made under and that is safe to show.

Each use of the key has its own sub-key, HMAC(key, "disrupt/v1/" + purpose), so a phone digest can
never equal a passport digest of the same text, and a digest says nothing about a Bloom filter.
docs/matching-keys.md says what the blind index protects against, and what it does not.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from disrupt.matching.kinds import Kind

KEY_BYTES = 32
_HEADER = "# Disrupt matching key"
_DOMAIN = b"disrupt/v1/"


class MatchingKeyError(ValueError):
    """A key file that is missing, unreadable or malformed; the message says which and how to fix it."""


def _pads(key: bytes) -> tuple[Any, Any]:
    """HMAC-SHA256's inner and outer hash states after the key block, to be copied per value."""
    block = key.ljust(64, b"\0") if len(key) <= 64 else hashlib.sha256(key).digest().ljust(64, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in block))
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in block))
    return inner, outer


class MatchingKey:
    """32 (or more) random bytes shared by the members; never printed, never stored by the hub."""

    __slots__ = ("_raw", "key_id", "_states", "_caches")

    def __init__(self, raw: bytes) -> None:
        if not isinstance(raw, bytes) or len(raw) < KEY_BYTES:
            raise MatchingKeyError(f"A matching key needs at least {KEY_BYTES} random bytes.")
        self._raw = raw
        self.key_id = hmac.new(raw, _DOMAIN + b"key-id", hashlib.sha256).hexdigest()[:16]
        self._states: dict[str, tuple[Any, Any]] = {}
        # Per-key memo tables for bloom.py (gram -> bit mask, text -> block key).
        self._caches: dict[str, dict[Any, Any]] = {}

    @property
    def raw(self) -> bytes:
        return self._raw

    def __repr__(self) -> str:
        return f"MatchingKey(key_id={self.key_id!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MatchingKey) and hmac.compare_digest(self._raw, other._raw)

    def __hash__(self) -> int:
        return hash(self.key_id)

    # ---- making, reading and writing -------------------------------------------------------
    @classmethod
    def generate(cls) -> MatchingKey:
        return cls(secrets.token_bytes(KEY_BYTES))

    def to_text(self) -> str:
        """The key file's content: a comment naming the key, then the key in base64."""
        body = base64.b64encode(self._raw).decode("ascii")
        return (
            f"{_HEADER} {self.key_id}: keep it secret, share it only out of band (docs/matching-keys.md)\n"
            f"{body}\n"
        )

    @classmethod
    def from_text(cls, text: str, source: str = "the key") -> MatchingKey:
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        header = [line for line in lines if line.startswith("#")]
        body = [line for line in lines if not line.startswith("#")]
        if len(body) != 1:
            raise MatchingKeyError(
                f"{source} is not a matching key file: expected one line of base64 after the comment, "
                f"found {len(body)}."
            )
        try:
            raw = base64.b64decode(body[0], validate=True)
        except (binascii.Error, ValueError) as error:
            raise MatchingKeyError(f"{source} is not a matching key file: the key is not base64.") from error
        if len(raw) < KEY_BYTES:
            raise MatchingKeyError(
                f"{source} holds a key of {len(raw)} bytes; a matching key needs at least {KEY_BYTES}. "
                "Make one with `disrupt selectors keygen`."
            )
        key = cls(raw)
        named = [line[len(_HEADER) :].split(":", 1)[0].strip() for line in header if line.startswith(_HEADER)]
        if named and named[0] and named[0] != key.key_id:
            raise MatchingKeyError(
                f"{source} is damaged: its comment names key {named[0]} but the key is {key.key_id}."
            )
        return key

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> MatchingKey:
        where = Path(path)
        try:
            text = where.read_text(encoding="ascii")
        except FileNotFoundError as error:
            raise MatchingKeyError(
                f"No matching key file at {where}. Make one with `disrupt selectors keygen --out {where}` "
                "(once, for all members) or ask the secretariat for the group's key."
            ) from error
        except (OSError, UnicodeDecodeError) as error:
            raise MatchingKeyError(f"The matching key file {where} cannot be read: {error}") from error
        return cls.from_text(text, source=f"The key file {where}")

    def write(self, path: str | os.PathLike[str], overwrite: bool = False) -> None:
        """Write the key file readable by its owner only (mode 0600); an existing file is kept."""
        flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if overwrite else os.O_EXCL)
        try:
            fd = os.open(path, flags, 0o600)
        except FileExistsError as error:
            raise MatchingKeyError(f"{path} exists already; a key file is never overwritten.") from error
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(self.to_text())
        os.chmod(path, 0o600)

    # ---- deriving ---------------------------------------------------------------------------
    def subkey(self, purpose: str) -> bytes:
        """A 32-byte key for one purpose ("blind/phone", "bloom/person", ...)."""
        return hmac.new(self._raw, _DOMAIN + purpose.encode("ascii"), hashlib.sha256).digest()

    def _state(self, purpose: str) -> tuple[Any, Any]:
        state = self._states.get(purpose)
        if state is None:
            state = self._states[purpose] = _pads(self.subkey(purpose))
        return state

    def cache(self, name: str) -> dict[Any, Any]:
        table = self._caches.get(name)
        if table is None:
            table = self._caches[name] = {}
        return table

    def mac(self, purpose: str, message: bytes) -> bytes:
        """HMAC-SHA256 of message under the purpose's sub-key (from precomputed states)."""
        inner, outer = self._state(purpose)
        inner = inner.copy()
        inner.update(message)
        outer = outer.copy()
        outer.update(inner.digest())
        return outer.digest()  # type: ignore[no-any-return]

    def blind(self, kind: Kind, value: str) -> bytes:
        """The 32-byte digest of one canonical selector value of this kind."""
        return self.mac("blind/" + Kind(kind).value, value.encode("utf-8"))

    def blind_many(self, kind: Kind, values: Sequence[str]) -> list[bytes]:
        """blind() of every value, several times faster: the key's pad states are copied, not rebuilt."""
        inner, outer = self._state("blind/" + Kind(kind).value)
        copy_inner, copy_outer = inner.copy, outer.copy
        out: list[bytes] = []
        append = out.append
        for value in values:
            h = copy_inner()
            h.update(value.encode("utf-8"))
            o = copy_outer()
            o.update(h.digest())
            append(o.digest())
        return out


_loaded: dict[tuple[str, str, bool], list[MatchingKey]] = {}


def _embedded_key(path: Path) -> MatchingKey:
    """The embedded deployment's key, made once beside its database (as settings' secret key is)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written aside and linked into place, so two processes starting together agree on one key.
        spare = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        MatchingKey.generate().write(spare)
        try:
            os.link(spare, path)
        except FileExistsError:
            pass
        finally:
            spare.unlink(missing_ok=True)
    return MatchingKey.from_file(path)


def current_keys() -> list[MatchingKey]:
    """The configured keys: MATCHING_KEY_FILE first, then MATCHING_PREVIOUS_KEY_FILE if set.

    Read once per process (and per settings, for tests). The embedded deployment makes its key on
    first use; production refuses to start matching without one.
    """
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    current = str(getattr(settings, "MATCHING_KEY_FILE", "") or "")
    previous = str(getattr(settings, "MATCHING_PREVIOUS_KEY_FILE", "") or "")
    production = bool(getattr(settings, "PRODUCTION", False))
    cached = _loaded.get((current, previous, production))
    if cached is not None:
        return list(cached)
    if not current:
        raise ImproperlyConfigured(
            "MATCHING_KEY_FILE is required in production: the path of the members' matching key "
            "(docs/matching-keys.md)."
        )
    try:
        keys = [MatchingKey.from_file(current) if production else _embedded_key(Path(current))]
        if previous:
            keys.append(MatchingKey.from_file(previous))
    except MatchingKeyError as error:
        raise ImproperlyConfigured(str(error)) from error
    if len(keys) == 2 and keys[0].key_id == keys[1].key_id:
        keys = keys[:1]
    _loaded[(current, previous, production)] = keys
    return list(keys)
