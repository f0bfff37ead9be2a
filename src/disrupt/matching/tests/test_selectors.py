"""Selectors from FtM entities: every kind, holders, people, and bad values skipped."""

from __future__ import annotations

from typing import Any

from disrupt.matching.kinds import Kind
from disrupt.matching.selectors import PersonName, Selector, extract, holder_of, person_of


def entity(schema: str, **properties: list[str]) -> dict[str, Any]:
    return {"id": f"{schema.lower()}-1", "schema": schema, "properties": properties}


def test_a_person_gives_phone_email_and_numbers_with_the_entity_country_as_phone_region() -> None:
    person = entity(
        "Person",
        name=["Budi Santoso"],
        country=["id"],
        phone=["0812 3456 7890", "+62 812-3456-7890"],
        email=["Budi@Example.org"],
        passportNumber=["a 1234567"],
        idNumber=["3174-0123-4567-0001"],
        socialSecurityNumber=["12-345-678"],
    )
    assert extract(person) == [
        Selector(Kind.PHONE, "+6281234567890"),
        Selector(Kind.EMAIL, "budi@example.org"),
        Selector(Kind.ID_NUMBER, ":3174012345670001"),
        Selector(Kind.PASSPORT, ":A1234567"),
        Selector(Kind.ID_NUMBER, ":12345678"),
    ]


def test_the_collection_country_reads_national_phones_only_when_the_entity_names_none() -> None:
    assert extract(entity("Person", phone=["0812 3456 7890"]), default_country="ID") == [
        Selector(Kind.PHONE, "+6281234567890")
    ]
    assert extract(entity("Person", phone=["0812 3456 7890"])) == []
    assert extract(entity("Person", phone=["081 234 5678"], country=["th"]), default_country="ID") == [
        Selector(Kind.PHONE, "+66812345678")
    ]


def test_a_passport_carries_its_issuing_country_and_names_its_holder() -> None:
    passport = entity("Passport", number=["A-1234567"], country=["Indonesia"], holder=["person-1"])
    assert extract(passport) == [Selector(Kind.PASSPORT, "ID:A1234567")]
    assert holder_of(passport) == "person-1"
    identification = entity("Identification", number=["1234 5678"], country=["th"], holder=["person-2"])
    assert extract(identification) == [Selector(Kind.ID_NUMBER, "TH:12345678")]
    typed = entity("Identification", number=["X1234567"], type=["Passport"], country=["my"])
    assert extract(typed) == [Selector(Kind.PASSPORT, "MY:X1234567")]


def test_holders_are_named_only_for_what_is_held() -> None:
    assert holder_of(entity("UserAccount", owner=["p-1"], username=["x"])) == "p-1"
    assert holder_of(entity("CryptoWallet", holder=["p-2"])) == "p-2"
    assert holder_of(entity("Vessel", operator=["p-3"], imoNumber=["9074729"])) is None
    assert holder_of(entity("Person", name=["A B"])) is None
    assert holder_of({"schema": "Passport", "properties": {}}) is None


def test_bank_accounts_give_iban_and_account_number_with_country_or_the_bic_country() -> None:
    account = entity("BankAccount", iban=["GB82 WEST 1234 5698 7654 32"], accountNumber=["1234-5678-9012"])
    account["properties"]["bic"] = ["BKKBTHBK"]
    assert extract(account) == [
        Selector(Kind.ACCOUNT, "GB82WEST12345698765432"),
        Selector(Kind.ACCOUNT, "TH:123456789012"),
    ]


def test_wallets_vessels_vehicles_and_user_accounts() -> None:
    wallet = entity("CryptoWallet", publicKey=["0xAB" + "cd" * 19], cryptoAddress=["0xab" + "CD" * 19])
    assert extract(wallet) == [Selector(Kind.CRYPTO_WALLET, "0xab" + "cd" * 19)]
    vessel = entity("Vessel", imoNumber=["IMO 9074729"], mmsi=["525 012 345"], registrationNumber=["ABC 123"])
    assert extract(vessel) == [Selector(Kind.IMO, "9074729"), Selector(Kind.MMSI, "525012345")]
    vehicle = entity("Vehicle", registrationNumber=["b 1234 xyz"])
    assert extract(vehicle, default_country="id") == [Selector(Kind.PLATE, "ID:B1234XYZ")]
    account = entity("UserAccount", username=["@Some_User"], service=["Telegram"], phone=["+66 81 234 5678"])
    assert extract(account) == [
        Selector(Kind.HANDLE, "telegram:some_user"),
        Selector(Kind.PHONE, "+66812345678"),
    ]


def test_bad_values_and_shapes_are_skipped_never_raised() -> None:
    messy: dict[str, Any] = {
        "id": "x",
        "schema": "Person",
        "properties": {"phone": ["n/a", None, 7, ""], "email": "not a list@", "passportNumber": [["A1"]]},
    }
    assert extract(messy) == []
    assert extract({"schema": "NoSuchSchema", "properties": {"phone": ["+6281234567890"]}}) == []
    assert extract({"schema": "Person"}) == []
    assert extract("not an entity") == []  # type: ignore[arg-type]
    assert extract(entity("Vessel", imoNumber=["IMO 9074728"])) == []


def test_selectors_are_deduplicated_in_a_stable_order() -> None:
    person = entity("Person", phone=["+62 812 3456 7890", "+6281234567890", "+66 81 234 5678"])
    assert extract(person) == [Selector(Kind.PHONE, "+6281234567890"), Selector(Kind.PHONE, "+66812345678")]


def test_a_person_has_a_name_birth_address_and_identity_numbers() -> None:
    person = entity(
        "Person",
        name=["SANTOSO, Budi"],
        firstName=["Budi"],
        lastName=["Santoso"],
        birthDate=["1984-05-02"],
        address=["Jl. Merdeka 12, Jakarta"],
        idNumber=["3174 0123"],
        passportNumber=["A1234567"],
    )
    assert person_of(person) == PersonName(
        ("budi", "santoso"), "1984-05-02", ("12", "jakarta", "jl", "merdeka"), ("31740123",)
    )


def test_name_parts_stand_in_for_a_missing_full_name_and_aliases_are_not_read() -> None:
    parts = entity("Person", firstName=["Siti"], lastName=["Rahayu"], alias=["The Accountant"])
    assert person_of(parts) == PersonName(("rahayu", "siti"))


def test_no_person_without_a_name_or_from_a_single_token_without_birth() -> None:
    assert person_of(entity("Person", birthDate=["1984"])) is None
    assert person_of(entity("Person", name=["Budi"])) is None
    assert person_of(entity("Person", name=["Budi"], birthDate=["1984"])) == PersonName(("budi",), "1984")
    assert person_of(entity("Company", name=["Budi Santoso Ltd"])) is None


def test_a_number_on_a_person_of_one_nationality_is_taken_as_issued_by_it() -> None:
    indonesian = entity("Person", passportNumber=["a 1234567"], nationality=["id"])
    assert extract(indonesian) == [Selector(Kind.PASSPORT, "ID:A1234567")]
    passport = entity("Passport", number=["A-1234567"], country=["id"])
    assert extract(passport) == extract(indonesian)
    dual = entity("Person", passportNumber=["a 1234567"], nationality=["id"], citizenship=["au"])
    assert extract(dual) == [Selector(Kind.PASSPORT, ":A1234567")]
