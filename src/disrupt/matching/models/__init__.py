from disrupt.matching.models.disclosures import Disclosure, DisclosureRequest
from disrupt.matching.models.hits import Hit, Judgement
from disrupt.matching.models.jobs import MatchingJob
from disrupt.matching.models.subjects import (
    BlockKey,
    PersonEncoding,
    Selector,
    SelectorUpload,
    Subject,
    WideValue,
)

__all__ = [
    "BlockKey",
    "Disclosure",
    "DisclosureRequest",
    "Hit",
    "Judgement",
    "MatchingJob",
    "PersonEncoding",
    "Selector",
    "SelectorUpload",
    "Subject",
    "WideValue",
]
