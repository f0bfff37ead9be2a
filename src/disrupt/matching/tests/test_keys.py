"""The matching key: files, key ids, the blind index, and the configured keys."""

from __future__ import annotations

import hashlib
import hmac
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from disrupt.matching import keys
from disrupt.matching.keys import MatchingKey, MatchingKeyError, current_keys
from disrupt.matching.kinds import Kind

RAW = bytes(range(32))


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    keys._loaded.clear()
    yield
    keys._loaded.clear()


def test_the_same_key_gives_the_same_digest_and_another_key_another() -> None:
    one, same, other = MatchingKey(RAW), MatchingKey(bytes(RAW)), MatchingKey.generate()
    assert one.blind(Kind.PHONE, "+6281234567890") == same.blind(Kind.PHONE, "+6281234567890")
    assert one.blind(Kind.PHONE, "+6281234567890") != other.blind(Kind.PHONE, "+6281234567890")
    assert len(one.blind(Kind.PHONE, "+6281234567890")) == 32


def test_kinds_never_collide_on_the_same_text() -> None:
    key = MatchingKey(RAW)
    digests = {key.blind(kind, ":A1234567") for kind in Kind}
    assert len(digests) == len(Kind)


def test_blind_is_hmac_sha256_under_the_kind_sub_key() -> None:
    key = MatchingKey(RAW)
    sub = hmac.new(RAW, b"disrupt/v1/blind/email", hashlib.sha256).digest()
    assert (
        key.blind(Kind.EMAIL, "ayu@example.org") == hmac.new(sub, b"ayu@example.org", hashlib.sha256).digest()
    )


def test_blind_many_equals_blind_for_every_value() -> None:
    key = MatchingKey.generate()
    values = ["+6281234567890", "", "ünïcode@example.org", "x" * 200, "+6281234567890"]
    assert key.blind_many(Kind.PHONE, values) == [key.blind(Kind.PHONE, v) for v in values]
    assert key.blind_many(Kind.PHONE, []) == []


def test_the_key_id_is_short_stable_and_not_the_key() -> None:
    key = MatchingKey(RAW)
    assert key.key_id == MatchingKey(RAW).key_id != MatchingKey.generate().key_id
    assert len(key.key_id) == 16 and int(key.key_id, 16) >= 0
    assert key.key_id not in RAW.hex()
    assert RAW.hex() not in repr(key) and key.key_id in repr(key)


def test_a_written_key_file_reads_back_and_is_private(tmp_path: Path) -> None:
    key = MatchingKey.generate()
    path = tmp_path / "matching.key"
    key.write(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert MatchingKey.from_file(path) == key
    assert key.key_id in path.read_text()


def test_a_key_file_is_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "matching.key"
    MatchingKey.generate().write(path)
    first = path.read_text()
    with pytest.raises(MatchingKeyError, match="exists already"):
        MatchingKey.generate().write(path)
    assert path.read_text() == first


def test_a_missing_key_file_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(MatchingKeyError, match="No matching key file .*`disrupt selectors keygen"):
        MatchingKey.from_file(tmp_path / "absent.key")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "expected one line of base64"),
        ("# Disrupt matching key\nnot base64 at all!\n", "not base64"),
        ("AAAA\nBBBB\n", "found 2"),
        ("AAECAwQFBgcICQoLDA0ODw==\n", "holds a key of 16 bytes"),
    ],
)
def test_malformed_key_files_are_refused_clearly(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.key"
    path.write_text(content)
    with pytest.raises(MatchingKeyError, match=message):
        MatchingKey.from_file(path)


def test_a_key_file_whose_comment_names_another_key_is_damaged(tmp_path: Path) -> None:
    text = MatchingKey(RAW).to_text()
    path = tmp_path / "edited.key"
    path.write_text(
        text.replace(
            MatchingKey(RAW).to_text().splitlines()[1], MatchingKey.generate().to_text().splitlines()[1]
        )
    )
    with pytest.raises(MatchingKeyError, match="damaged"):
        MatchingKey.from_file(path)


def test_a_short_key_is_refused() -> None:
    with pytest.raises(MatchingKeyError):
        MatchingKey(b"short")


def test_the_embedded_deployment_makes_its_key_once(settings: Any, tmp_path: Path) -> None:
    settings.PRODUCTION = False
    settings.MATCHING_KEY_FILE = str(tmp_path / "var" / "matching.key")
    settings.MATCHING_PREVIOUS_KEY_FILE = ""
    first = current_keys()
    keys._loaded.clear()
    assert current_keys() == first and len(first) == 1
    assert stat.S_IMODE(os.stat(settings.MATCHING_KEY_FILE).st_mode) == 0o600


def test_production_refuses_a_missing_or_unset_key(settings: Any, tmp_path: Path) -> None:
    settings.PRODUCTION = True
    settings.MATCHING_KEY_FILE = ""
    with pytest.raises(ImproperlyConfigured, match="MATCHING_KEY_FILE is required"):
        current_keys()
    settings.MATCHING_KEY_FILE = str(tmp_path / "absent.key")
    with pytest.raises(ImproperlyConfigured, match="No matching key file"):
        current_keys()
    assert not (tmp_path / "absent.key").exists()


def test_during_a_rotation_both_keys_are_configured_current_first(settings: Any, tmp_path: Path) -> None:
    new, old = MatchingKey.generate(), MatchingKey.generate()
    new.write(tmp_path / "new.key")
    old.write(tmp_path / "old.key")
    settings.PRODUCTION = True
    settings.MATCHING_KEY_FILE = str(tmp_path / "new.key")
    settings.MATCHING_PREVIOUS_KEY_FILE = str(tmp_path / "old.key")
    assert [k.key_id for k in current_keys()] == [new.key_id, old.key_id]
    settings.MATCHING_PREVIOUS_KEY_FILE = str(tmp_path / "gone.key")
    with pytest.raises(ImproperlyConfigured, match="gone.key"):
        current_keys()
