from django.db import models


class SelectorKind(models.TextChoices):
    """What matched: the kinds of selector of `matching.kinds.Kind`, as the pages name them."""

    PASSPORT = "passport", "Passport number"
    ID_NUMBER = "id_number", "Identity number"
    PHONE = "phone", "Phone number"
    EMAIL = "email", "E-mail address"
    ACCOUNT = "account", "Bank account or IBAN"
    CRYPTO_WALLET = "crypto_wallet", "Crypto wallet"
    IMO = "imo", "Vessel IMO number"
    MMSI = "mmsi", "Vessel MMSI"
    PLATE = "plate", "Vehicle plate"
    HANDLE = "handle", "Online handle"
    PERSON = "person", "Person (name and birth)"


class Verdict(models.TextChoices):
    """A side's judgement of a hit."""

    CONFIRMED = "confirmed", "Confirmed: the same"
    REJECTED = "rejected", "Rejected: not the same"


class DisclosureStatus(models.TextChoices):
    PENDING = "pending", "Awaiting the owner"
    GRANTED = "granted", "Granted in full"
    PARTIAL = "partial", "Granted in part"
    REFUSED = "refused", "Refused"
    WITHDRAWN = "withdrawn", "Withdrawn"


class JobKind(models.TextChoices):
    COLLECTION = "collection", "A collection changed"
    UPLOAD = "upload", "A selector upload"
    BULK = "bulk", "Everything, on demand"
    REINDEX = "reindex", "Re-index under the configured keys"


class WideValueStatus(models.TextChoices):
    CAPPED = "capped", "Capped: makes no hits until decided"
    EXCLUDED = "excluded", "Excluded by an administrator"
    ALLOWED = "allowed", "Allowed by an administrator"
