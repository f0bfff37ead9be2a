"""Every path by which an operational record can reach a person, per kind of record.

`PATHS[kind][path]` answers one question: does `user` (signed in on `client`) get `record`
this way? A path reads the record through the real page or route, never through the policy
module, so a view that forgets the policy is caught. The names of PATH_NAMES are the issue's;
the meta-tests insist that every kind has every one of them and that every route of the
exchange app and API is a path here or a write listed in WRITES.

A `NoSuchPath` says, with its reason, that a kind has no such path by design. A path whose
route does not exist yet (`Path.missing`) is skipped loudly and fails the meta-test.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import Model
from django.test import Client
from django.urls import NoReverseMatch, reverse

from disrupt.access.tests.operational_scenario import token
from disrupt.notifications.actions import notify

PATH_NAMES = ("list", "detail", "search", "export", "api_list", "api_detail", "notification", "count")

Check = Callable[[Client, Any, Any], bool]


@dataclass(frozen=True)
class Path:
    check: Check
    routes: tuple[str, ...]  # the URL names it reads: the coverage meta-test counts them

    @property
    def missing(self) -> list[str]:
        """The routes not built yet."""
        return [name for name in self.routes if not _exists(name)]


@dataclass(frozen=True)
class NoSuchPath:
    reason: str


def _exists(name: str) -> bool:
    for args in ([], [1]):
        try:
            reverse(name, args=args)
        except NoReverseMatch:
            continue
        return True
    return False


# Pages do not change while a module's tests run (each test's writes are rolled back), so one
# fetch per person and address serves every record on it.
_PAGES: dict[tuple[int, str], tuple[int, str]] = {}


def forget_pages() -> None:
    _PAGES.clear()


def _get(client: Client, user: Any, url: str) -> tuple[int, str]:
    key = (user.pk, url)
    if key not in _PAGES:
        response = client.get(url)
        assert response.status_code in {200, 404}, f"{url}: HTTP {response.status_code}"
        body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
        _PAGES[key] = (response.status_code, body.decode(errors="replace"))
    return _PAGES[key]


def get_page(client: Client, user: Any, url: str) -> tuple[int, str]:
    """(status, text) of `url` as `user` gets it (200 or 404 only), fetched once per module."""
    return _get(client, user, url)


def _json(client: Client, user: Any, url: str) -> Any:
    status, text = _get(client, user, url)
    return json.loads(text) if status == 200 else None


def _record_of(record: Any) -> Any:
    """The operational record a child (reply, attachment, entity…) is read through, or itself."""
    parent = type(record).access_parent
    return getattr(record, parent) if parent else record


# The words records of another world are found by (matching/tests/test_every_path.py): the
# matrix's records carry their token; a world whose records do not names each one's word here.
_KNOWN_AS: dict[tuple[str, Any], str] = {}


def known_as(record: Model, word: str) -> None:
    _KNOWN_AS[record._meta.label_lower, record.pk] = word


def forget_words() -> None:
    _KNOWN_AS.clear()


def _word(record: Any) -> str:
    known = _KNOWN_AS.get((record._meta.label_lower, record.pk))
    if known is not None:
        return known
    return token(record._meta.model_name, _record_of(record).handling_code)


# --- HTML pages -----------------------------------------------------------------------------------


def enquiry_in_list(client: Client, user: Any, record: Any) -> bool:
    status, page = _get(client, user, reverse("exchange:enquiry_list"))
    assert status == 200
    return _word(record) in page


def on_enquiry_page(client: Client, user: Any, record: Any) -> bool:
    """The enquiry's page: the enquiry itself, its thread of replies and its files (404 otherwise)."""
    status, page = _get(client, user, reverse("exchange:enquiry_detail", args=[_record_of(record).pk]))
    return status == 200 and _word(record) in page


def reply_at_its_address(client: Client, user: Any, record: Any) -> bool:
    status, page = _get(client, user, record.get_absolute_url().split("#")[0])
    return status == 200 and f'id="reply-{record.pk}"' in page


def attachment_download(client: Client, user: Any, record: Any) -> bool:
    return _download(client, user, reverse("exchange:attachment_download", args=[record.pk]), record)


def attachment_api_download(client: Client, user: Any, record: Any) -> bool:
    return _download(client, user, reverse("api:attachment-download", args=[record.pk]), record)


def _download(client: Client, user: Any, url: str, record: Any) -> bool:
    response = client.get(url)
    if response.status_code == 404:
        return False
    assert response.status_code == 200, f"{url}: HTTP {response.status_code}"
    assert response["Content-Disposition"].startswith("attachment"), response["Content-Disposition"]
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return _word(record).encode() in content


def enquiry_export(client: Client, user: Any, record: Any) -> bool:
    status, text = _get(client, user, reverse("exchange:enquiry_export"))
    assert status == 200
    return _word(record) in text


# --- Search and its counts ------------------------------------------------------------------------------


def _search(client: Client, user: Any, record: Any) -> str:
    status, page = _get(client, user, f"{reverse('search:search')}?{urlencode({'q': _word(record)})}")
    assert status == 200
    return page


def found_in_search(client: Client, user: Any, record: Any) -> bool:
    return f'href="{_record_of(record).get_absolute_url()}"' in _search(client, user, record)


COUNT = re.compile(r"(\d+) results? for")
FACET_COUNT = re.compile(r'class="search-facet__count">(\d+)<')


def counted_in_search(client: Client, user: Any, record: Any) -> bool:
    """The result count and the facets' counts for the record's own word: 1 or 0, and agreeing."""
    page = _search(client, user, record)
    found = COUNT.search(page)
    assert found is not None, "the search page shows no result count"
    count = int(found.group(1))
    facets = [int(n) for n in FACET_COUNT.findall(page)]
    assert count in {0, 1}, count
    # Each facet (kind, country, period) counts the one document once, or nothing at all.
    assert all(n == count for n in facets), (count, facets)
    return count == 1


# --- API ------------------------------------------------------------------------------------------------


def _ids(payload: Any) -> set[int]:
    if payload is None:
        return set()
    rows = payload["results"] if isinstance(payload, dict) else payload
    return {row["id"] for row in rows}


def in_api_list(route: str) -> Check:
    def check(client: Client, user: Any, record: Any) -> bool:
        return record.pk in _ids(_json(client, user, f"{reverse(route)}?limit=1000"))

    return check


def reply_in_api_thread(client: Client, user: Any, record: Any) -> bool:
    return record.pk in _ids(_json(client, user, reverse("api:enquiry-replies", args=[record.enquiry_id])))


def api_detail(route: str) -> Check:
    def check(client: Client, user: Any, record: Any) -> bool:
        payload = _json(client, user, reverse(route, args=[record.pk]))
        return payload is not None and payload["id"] == record.pk

    return check


# --- Notifications ----------------------------------------------------------------------------------


def tell_everyone(people: Any, records: Any) -> None:
    """Someone tells every person about every record (the scenario does this once)."""
    for record in records:
        notify(
            people,
            verb=f"matrix {_word(record)}",
            record=record,
            url=_record_of(record).get_absolute_url(),
            handling_code=_record_of(record).handling_code,
        )


def notified(client: Client, user: Any, record: Model) -> bool:
    """Everyone was told about every record: the notification shows only while they may read it.
    The list is paged, so every page is read."""
    number = 1
    while True:
        status, page = _get(client, user, f"{reverse('notifications:list')}?page={number}")
        assert status == 200
        if _word(record) in page:
            return True
        if 'rel="next"' not in page:
            return False
        number += 1


ENQUIRY_PAGE = ("exchange:enquiry_detail",)
SEARCH = ("search:search",)
NOTIFICATIONS = ("notifications:list",)

PATHS: dict[str, dict[str, Path | NoSuchPath]] = {
    "enquiry": {
        "list": Path(enquiry_in_list, ("exchange:enquiry_list",)),
        "detail": Path(on_enquiry_page, ENQUIRY_PAGE),
        "search": Path(found_in_search, SEARCH),
        "export": Path(enquiry_export, ("exchange:enquiry_export",)),
        "api_list": Path(in_api_list("api:enquiry-list"), ("api:enquiry-list",)),
        "api_detail": Path(api_detail("api:enquiry-detail"), ("api:enquiry-detail",)),
        "notification": Path(notified, NOTIFICATIONS),
        "count": Path(counted_in_search, SEARCH),
    },
    "reply": {
        # A reply is listed in its enquiry's thread.
        "list": Path(on_enquiry_page, ENQUIRY_PAGE),
        "detail": Path(reply_at_its_address, ENQUIRY_PAGE),
        # A reply's words are searched as part of its enquiry.
        "search": Path(found_in_search, SEARCH),
        "export": Path(enquiry_export, ("exchange:enquiry_export",)),
        "api_list": Path(reply_in_api_thread, ("api:enquiry-replies",)),
        "api_detail": NoSuchPath(
            "a reply has no API route of its own: it is read in its enquiry's thread (api_list)"
        ),
        "notification": Path(notified, NOTIFICATIONS),
        "count": Path(counted_in_search, SEARCH),
    },
    "attachment": {
        # An attachment is listed on its enquiry's page.
        "list": Path(on_enquiry_page, ENQUIRY_PAGE),
        "detail": Path(attachment_download, ("exchange:attachment_download",)),
        # The file leaving the platform through the API is its export.
        "export": Path(attachment_api_download, ("api:attachment-download",)),
        "search": Path(found_in_search, SEARCH),
        "api_list": Path(in_api_list("api:attachment-list"), ("api:attachment-list",)),
        "api_detail": Path(api_detail("api:attachment-detail"), ("api:attachment-detail",)),
        "notification": Path(notified, NOTIFICATIONS),
        "count": Path(counted_in_search, SEARCH),
    },
}

# --- Network intelligence: collections, entities, their earlier states, assessments ------------------


def _page_has(route: str, args: Callable[[Any], list[Any]] = lambda record: [], query: str = "") -> Check:
    """The page at `route` answers 200 and carries the record's word (a 404 reads as not shown)."""

    def check(client: Client, user: Any, record: Any) -> bool:
        status, page = _get(client, user, reverse(route, args=args(record)) + query)
        return status == 200 and _word(record) in page

    return check


def _collection_pk(record: Any) -> list[Any]:
    return [record.pk if record._meta.model_name == "collection" else record.collection_id]


def _assessment_pk(record: Any) -> list[Any]:
    return [record.pk if record._meta.model_name == "assessment" else record.assessment_id]


def collection_export(client: Client, user: Any, record: Any) -> bool:
    """The collection's FtM export, from its page and from the API alike: its entities' words (an
    entity's own, or any of a collection's), or a 404 from both."""
    entities = [record] if record._meta.model_name == "entity" else list(record.entities.all())
    found = []
    for route in ("intel:collection_export", "api:collection-export"):
        status, text = _get(client, user, reverse(route, args=_collection_pk(record)) + "?format=ftm")
        found.append(status == 200 and any(_word(entity) in text for entity in entities))
    assert found[0] == found[1], f"the page export says {found[0]}, the API export {found[1]}"
    return found[0]


def assessment_docx(client: Client, user: Any, record: Any) -> bool:
    """The assessment as DOCX, from its page and from the API alike."""
    from disrupt.lib.documents import docx_text

    found = []
    for route in ("intel:assessment_docx", "api:assessment-docx"):
        response = client.get(reverse(route, args=_assessment_pk(record)))
        assert response.status_code in {200, 404}, (route, response.status_code)
        found.append(response.status_code == 200 and _word(record) in docx_text(response.content))
    assert found[0] == found[1], f"the page's DOCX says {found[0]}, the API's {found[1]}"
    return found[0]


def entity_found(client: Client, user: Any, record: Any) -> bool:
    status, page = _get(client, user, f"{reverse('intel:entity_search')}?{urlencode({'q': _word(record)})}")
    assert status == 200
    return f'href="{record.get_absolute_url()}"' in page


def in_api_payload(route: str, args: Callable[[Any], list[Any]]) -> Check:
    """The record's word somewhere in an API answer (a 404 reads as not shown)."""

    def check(client: Client, user: Any, record: Any) -> bool:
        status, text = _get(client, user, reverse(route, args=args(record)))
        return status == 200 and _word(record) in text

    return check


def entity_in_api_list(client: Client, user: Any, record: Any) -> bool:
    """Every entity the user may read, unfiltered (a filter by a collection one may not read is
    refused as an unknown choice, which says no more than a collection that does not exist)."""
    return record.pk in _ids(_json(client, user, f"{reverse('api:entity-list')}?limit=1000"))


INTEL_SEARCH = SEARCH
EXPORTS = ("intel:collection_export", "api:collection-export")
DOCX = ("intel:assessment_docx", "api:assessment-docx")
NOT_TOLD = NoSuchPath("nothing notifies about one entity: imports and analyses notify about the collection")

INTEL_PATHS: dict[str, dict[str, Path | NoSuchPath]] = {
    "collection": {
        "list": Path(_page_has("intel:collection_list"), ("intel:collection_list",)),
        "detail": Path(_page_has("intel:collection_detail", _collection_pk), ("intel:collection_detail",)),
        "search": Path(found_in_search, INTEL_SEARCH),
        "export": Path(collection_export, EXPORTS),
        "api_list": Path(in_api_list("api:collection-list"), ("api:collection-list",)),
        "api_detail": Path(api_detail("api:collection-detail"), ("api:collection-detail",)),
        "notification": Path(notified, NOTIFICATIONS),
        "count": Path(counted_in_search, INTEL_SEARCH),
    },
    "entity": {
        "list": Path(_page_has("intel:entity_list", _collection_pk), ("intel:entity_list",)),
        "detail": Path(_page_has("intel:entity_detail", lambda r: [r.pk]), ("intel:entity_detail",)),
        "search": Path(entity_found, ("intel:entity_search",)),
        "export": Path(collection_export, EXPORTS),
        "api_list": Path(entity_in_api_list, ("api:entity-list",)),
        "api_detail": Path(api_detail("api:entity-detail"), ("api:entity-detail",)),
        "notification": NOT_TOLD,
        "count": NoSuchPath("entities are searched on their own page (search), which shows no counts"),
    },
    "entityversion": {
        "list": Path(_page_has("intel:entity_history", lambda r: [r.entity_id]), ("intel:entity_history",)),
        "detail": NoSuchPath("an earlier state is read on its entity's history page (list)"),
        "search": NoSuchPath("earlier states are not searched"),
        "export": NoSuchPath("exports carry the live entities only"),
        "api_list": Path(
            in_api_payload("api:entity-versions", lambda r: [r.entity_id]), ("api:entity-versions",)
        ),
        "api_detail": NoSuchPath("an earlier state is read in its entity's versions (api_list)"),
        "notification": NOT_TOLD,
        "count": NoSuchPath("earlier states are not searched"),
    },
    "assessment": {
        "list": Path(_page_has("intel:assessment_list"), ("intel:assessment_list",)),
        "detail": Path(_page_has("intel:assessment_detail", _assessment_pk), ("intel:assessment_detail",)),
        "search": Path(found_in_search, INTEL_SEARCH),
        "export": Path(assessment_docx, DOCX),
        "api_list": Path(in_api_list("api:assessment-list"), ("api:assessment-list",)),
        "api_detail": Path(api_detail("api:assessment-detail"), ("api:assessment-detail",)),
        "notification": Path(notified, NOTIFICATIONS),
        "count": Path(counted_in_search, INTEL_SEARCH),
    },
    "assessmentmember": {
        # A member is listed on its assessment and searched as part of it.
        "list": Path(_page_has("intel:assessment_detail", _assessment_pk), ("intel:assessment_detail",)),
        "detail": NoSuchPath("a member is read on its assessment's page (list)"),
        "search": Path(found_in_search, INTEL_SEARCH),
        "export": Path(assessment_docx, DOCX),
        "api_list": Path(in_api_payload("api:assessment-detail", _assessment_pk), ("api:assessment-detail",)),
        "api_detail": NoSuchPath("a member is read in its assessment (api_list)"),
        "notification": NoSuchPath("nothing notifies about one member: the assessment is the record"),
        "count": Path(counted_in_search, INTEL_SEARCH),
    },
}
PATHS.update(INTEL_PATHS)


# Routes of network intelligence that are no read path of the matrix: writes and forms of the
# owning agency's officers (their own tests, intel/tests/test_pages_*.py and test_api.py, check
# who gets them), and jobs, which have rules of their own (policy.import_jobs_visible_to and
# analysis_runs_visible_to, tested in intel/tests).
INTEL_WRITES: dict[str, str] = {
    "intel:collection_create": "the form for a new collection",
    "intel:entity_edit": "the owning agency's officers only (test_pages_collections)",
    "intel:collection_sharing": "the owner only: its author or the agency's focal point (test_sharing)",
    "intel:assessment_sharing": "the owner only: its author or the agency's focal point (test_sharing)",
    "intel:import_create": "the owning agency's officers only (upload form)",
    "intel:import_detail": "import jobs: the owning agency's officers (own rule)",
    "intel:analysis_list": "analyses: the requester only (own rule)",
    "intel:analysis_create": "the form for a new analysis",
    "intel:analysis_detail": "analyses: the requester only (own rule)",
    "intel:network": "analyses: the requester only (own rule); entities re-read through the policy",
    "intel:network_data": "analyses: the requester only (own rule); entities re-read through the policy",
    "intel:money": "analyses: the requester only (own rule); entities re-read through the policy",
    "intel:assessment_create": "the form for a new assessment",
    "intel:assessment_edit": "the owning agency's officers only",
    "api:collection-sharing": "POST only (the owner sets the sharing)",
    "api:assessment-sharing": "POST only (the owner sets the sharing)",
    "api:import-job-list": "import jobs: the owning agency's officers (own rule)",
    "api:import-job-detail": "import jobs: the owning agency's officers (own rule)",
    "api:analysis-list": "analyses: the requester only (own rule)",
    "api:analysis-detail": "analyses: the requester only (own rule)",
}


# Routes of the exchange that read no operational record: writes (GET answers 405, or a blank
# form), and sharing requests, which have their own rule (policy.sharing_requests_visible_to).
WRITES: dict[str, str] = {
    "exchange:enquiry_create": "the form for a new enquiry",
    "exchange:enquiry_reply": "POST only",
    "exchange:enquiry_status": "POST only",
    "exchange:sharing_request_create": "POST only",
    "exchange:sharing_request_decide": "POST only",
    "api:enquiry-attach": "POST only (adds files)",
    "api:enquiry-close": "POST only",
    "api:enquiry-withdraw": "POST only",
    "api:sharing-request-list": "sharing requests: their author and the owning agency (own rule)",
    "api:sharing-request-detail": "sharing requests: their author and the owning agency (own rule)",
    "api:sharing-request-decide": "POST only",
}


# --- Cross-border matching: selector uploads and disclosed copies --------------------------------------

NOT_SEARCHED = NoSuchPath("not in the search index (search/indexing.py SOURCES): not searched, not counted")

MATCHING_PATHS: dict[str, dict[str, Path | NoSuchPath]] = {
    "selectorupload": {
        "list": Path(_page_has("matching:upload_list"), ("matching:upload_list",)),
        "detail": Path(_page_has("matching:upload_detail", lambda r: [r.pk]), ("matching:upload_detail",)),
        "search": NOT_SEARCHED,
        "export": NoSuchPath("an upload holds digests only, kept for the worker: nobody downloads it"),
        "api_list": Path(in_api_list("api:selector-upload-list"), ("api:selector-upload-list",)),
        "api_detail": Path(api_detail("api:selector-upload-detail"), ("api:selector-upload-detail",)),
        "notification": NoSuchPath(
            "nothing notifies about an upload: its hits notify their two sides (matching/tests)"
        ),
        "count": NOT_SEARCHED,
    },
    "disclosure": {
        "list": NoSuchPath(
            "no page lists disclosed copies: the requester reaches one from its request's page "
            "(a disclosure request's own rule) or the notification; the API lists them (api_list)"
        ),
        "detail": Path(
            _page_has("matching:disclosure_detail", lambda r: [r.pk]), ("matching:disclosure_detail",)
        ),
        "search": NOT_SEARCHED,
        "export": NoSuchPath("a disclosed copy has no export or download: the API detail serves machines"),
        "api_list": Path(in_api_list("api:disclosure-list"), ("api:disclosure-list",)),
        "api_detail": Path(api_detail("api:disclosure-detail"), ("api:disclosure-detail",)),
        "notification": Path(notified, NOTIFICATIONS),
        "count": NOT_SEARCHED,
    },
}
PATHS.update(MATCHING_PATHS)

HITS = "hits: the officers of the two sides only (policy.hits_visible_to; matching/tests/test_every_path.py)"
REQUESTS = (
    "disclosure requests: the two sides of the hit and an overdue request's focal points "
    "(policy.disclosure_requests_visible_to; matching/tests/test_every_path.py, test_views_disclosures.py)"
)
JOBS = "matching jobs: whoever may edit the record, runs over everything the administrators (own rule)"

# Routes of cross-border matching that are no read path of an operational record: hits, disclosure
# requests, jobs and wide values have rules of their own (access/policy.py "Cross-border matching"),
# tested in matching/tests (who gets them in every path: test_every_path.py), and writes.
MATCHING_WRITES: dict[str, str] = {
    "matching:hit_list": HITS,
    "matching:hit_detail": HITS,
    "matching:hit_judge": "POST only (one side's verdict; test_views_hits)",
    "matching:hit_request": "POST only (a request to the other side's owner; test_views_disclosures)",
    "matching:request_list": REQUESTS,
    "matching:request_detail": REQUESTS,
    "matching:request_withdraw": "POST only (the requester; test_views_disclosures)",
    "matching:upload_create": "the form for a new upload (officers)",
    "matching:upload_delete": "POST only (the owning agency's officers)",
    "matching:job_detail": JOBS,
    "matching:run": "matching over everything: the administrators only (policy.is_matching_administrator)",
    "matching:collection_match": "POST only (whoever may edit the collection)",
    "matching:wide_values": "digests and counts, the administrators only (test_judgements_and_wide_values)",
    "matching:wide_value_decide": "POST only (the administrators)",
    "api:hit-list": HITS,
    "api:hit-detail": HITS,
    "api:hit-judgement": "POST only (one side's verdict; test_api_hits)",
    "api:disclosure-request-list": REQUESTS + "; test_api_disclosure",
    "api:disclosure-request-detail": REQUESTS + "; test_api_disclosure",
    "api:disclosure-request-decide": "POST only (the owner; test_api_disclosure)",
    "api:disclosure-request-withdraw": "POST only (the requester; test_api_disclosure)",
    "api:matching-job-list": JOBS,
    "api:matching-job-detail": JOBS,
}
