"""Normalisers: the same value typed two ways is one canonical string; garbage is None."""

from __future__ import annotations

import pytest

from disrupt.matching import normalise


@pytest.mark.parametrize("typed", ["a 1234567", "A-1234567", "A.123.4567", " a/1234567 ", "Ａ1234567"])
def test_passport_numbers_typed_differently_are_equal(typed: str) -> None:
    assert normalise.document_number(typed, "Indonesia") == "ID:A1234567"


def test_a_passport_number_keeps_its_issuing_country_and_unknown_is_empty() -> None:
    assert normalise.document_number("A1234567", "id") != normalise.document_number("A1234567", "th")
    assert normalise.document_number("A1234567") == ":A1234567"
    assert normalise.document_number("A1234567", "not a country") == ":A1234567"


@pytest.mark.parametrize("garbage", ["", "   ", "unknown", "N/A", "000000", "X-X-X-X", "12", None, 42])
def test_unusable_document_numbers_are_none(garbage: object) -> None:
    assert normalise.document_number(garbage) is None  # type: ignore[arg-type]


def test_a_national_phone_number_reads_with_its_region_and_equals_the_international_form() -> None:
    assert normalise.phone("0812 3456 7890", "ID") == "+6281234567890"
    assert normalise.phone("+62 812-3456-7890") == "+6281234567890"
    assert normalise.phone("0062 812 3456 7890", "TH") == "+6281234567890"
    assert normalise.phone("(0412) 345 678", "Australia") == "+61412345678"


def test_a_national_number_without_a_region_or_a_garbled_one_is_none() -> None:
    assert normalise.phone("0812 3456 7890") is None
    assert normalise.phone("call me maybe", "ID") is None
    assert normalise.phone("+62 1", "ID") is None
    assert normalise.phone("", "ID") is None


def test_emails_are_lower_case_and_only_gmail_folds_dots_and_tags() -> None:
    assert normalise.email(" Budi.Santoso+boat@GMail.com ") == "budisantoso@gmail.com"
    assert normalise.email("budisantoso@googlemail.com") == "budisantoso@gmail.com"
    assert normalise.email("Budi.Santoso+boat@example.org") == "budi.santoso+boat@example.org"
    assert normalise.email("mailto:AYU@Example.ORG") == "ayu@example.org"
    assert normalise.email("not an address") is None
    assert normalise.email("a@b") is None


def test_an_iban_passes_its_checksum_and_a_changed_digit_fails() -> None:
    assert normalise.iban("gb82 west 1234 5698 7654 32") == "GB82WEST12345698765432"
    assert normalise.iban("GB82 WEST 1234 5698 7654 33") is None
    assert normalise.iban("GB00 0000") is None


def test_account_numbers_keep_letters_digits_and_country_and_an_iban_stays_an_iban() -> None:
    assert normalise.account_number("1234-5678-9012", "Thailand") == "TH:123456789012"
    assert normalise.account_number("1234 5678 9012", "th") == "TH:123456789012"
    assert normalise.account_number("GB82 WEST 1234 5698 7654 32", "th") == "GB82WEST12345698765432"
    assert normalise.account_number("abc", "th") is None


def test_crypto_wallets_hex_lower_base58_as_typed() -> None:
    hex_wallet = "0x52908400098527886E0F7030069857D2E4169EE7"
    assert normalise.crypto_wallet(hex_wallet) == hex_wallet.lower()
    assert normalise.crypto_wallet("BC1QAR0SRRR7XFKVY5L643LYDNW9RE59GTZZWF5MDQ") == (
        "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"
    )
    base58 = "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"
    assert normalise.crypto_wallet(base58) == base58
    assert normalise.crypto_wallet(base58.lower()) != base58
    assert normalise.crypto_wallet("not a wallet") is None


def test_imo_numbers_need_a_valid_check_digit() -> None:
    assert normalise.imo("IMO 9074729") == "9074729"
    assert normalise.imo("imo9074729") == "9074729"
    assert normalise.imo("9074728") is None
    assert normalise.imo("907472") is None
    assert normalise.imo("0000000") is None


def test_mmsi_is_nine_digits() -> None:
    assert normalise.mmsi("525 012 345") == "525012345"
    assert normalise.mmsi("MMSI 525012345") == "525012345"
    assert normalise.mmsi("52501234") is None
    assert normalise.mmsi("111111111") is None


def test_plates_are_upper_alnum_with_country() -> None:
    assert normalise.plate("b 1234-xyz", "id") == "ID:B1234XYZ"
    assert normalise.plate("B1234XYZ", "id") != normalise.plate("B1234XYZ", "my")
    assert normalise.plate("-", "id") is None


def test_handles_lose_the_at_and_case_and_keep_the_service() -> None:
    assert normalise.handle("@Some_User", "Telegram") == "telegram:some_user"
    assert normalise.handle("some_user", "telegram") == "telegram:some_user"
    assert normalise.handle("some_user", "Facebook Messenger") == "facebookmessenger:some_user"
    assert normalise.handle("some user", "telegram") is None
    assert normalise.handle("@", "telegram") is None


def test_name_tokens_are_latin_lower_case_without_punctuation_and_order_free() -> None:
    assert (
        normalise.name_tokens("Budi Santoso") == normalise.name_tokens("SANTOSO, Budi") == ("budi", "santoso")
    )
    assert normalise.name_tokens("O'Brien-Ryan, Seán") == (
        "brien",
        "o",
        "ryan",
        "sean",
    ) or normalise.name_tokens("O'Brien-Ryan, Seán") == ("obrien", "ryan", "sean")
    assert normalise.name_tokens("Шевченко Дмитрий") == ("dmitry", "shevchenko")
    assert normalise.name_tokens("", "  ") == ()


def test_birth_dates_keep_what_is_known() -> None:
    assert normalise.birth_date("1985-03-12") == "1985-03-12"
    assert normalise.birth_date("1985-03-12T00:00:00") == "1985-03-12"
    assert normalise.birth_date("1985-03") == "1985-03"
    assert normalise.birth_date("1985") == "1985"
    assert normalise.birth_date("1985-13-40") == "1985"
    assert normalise.birth_date("born in spring") is None
    assert normalise.birth_date("0005") is None
