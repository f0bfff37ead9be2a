"""Search finds only what the person may see; counts and facets reveal nothing else."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from disrupt.conftest import Cast
from disrupt.directory.models import Agency
from disrupt.exchange.models import Reply
from disrupt.search.models import SearchDocument
from disrupt.search.queries import search
from disrupt.search.tests.helpers import attach, make_enquiry

pytestmark = pytest.mark.django_db


def titles(user: object, text: str, **filters: str) -> list[str]:
    return [d.title for d in search(user, text, filters).documents]


def snapshot(user: object, text: str) -> tuple[int, dict[str, list[tuple[str, str, int]]]]:
    """What a person is told about a search: the count and every facet value with its count."""
    results = search(user, text, {})
    facets = {name: [(f.value, f.label, f.count) for f in values] for name, values in results.facets.items()}
    return results.documents.count(), facets


def test_partners_find_the_amber_plan_and_the_thai_investigator_does_not(cast: Cast) -> None:
    wanted = "JPA7-02 Recruitment agency network"
    for partner in (cast.investigator_id, cast.analyst_au, cast.investigator_au_abf, cast.co_chair):
        assert wanted in titles(partner, "recruitment"), partner
    for outsider in (cast.investigator_th, cast.observer, cast.co_chair_other):
        assert wanted not in titles(outsider, "recruitment"), outsider
    # The GREEN plan is open to everyone signed in.
    assert "JPA7-01 Maritime venture departing Kupang" in titles(cast.investigator_th, "kupang")


def test_it_finds_programme_data_by_prefix(cast: Cast) -> None:
    assert "Indonesia" in titles(cast.observer, "indones")
    assert "Australian Federal Police" in titles(cast.observer, "federal pol")
    assert "7th Joint Period of Action" in titles(cast.observer, "joint period", kind="period")


def test_counts_and_facets_ignore_what_the_person_cannot_see(cast: Cast) -> None:
    before_th = snapshot(cast.investigator_th, "kupang")
    before_au = snapshot(cast.analyst_au, "kupang")
    enquiry = make_enquiry(
        cast.investigator_id, ["AFP"], subject="Kupang departure check", body="Vessel leaving Kupang"
    )
    attach(enquiry, "kupang-manifest.pdf")
    # As if it did not exist, for Thailand; the recipient sees both the enquiry and the file.
    assert snapshot(cast.investigator_th, "kupang") == before_th
    count_au, facets_au = snapshot(cast.analyst_au, "kupang")
    assert count_au == before_au[0] + 2
    assert ("enquiry", "Enquiry", 1) in facets_au["kind"]
    assert ("attachment", "Attachment", 1) in facets_au["kind"]


def test_an_amber_strict_enquiry_is_found_by_its_three_agencies_only(cast: Cast) -> None:
    enquiry = make_enquiry(
        cast.investigator_id, ["AFP", "INZ"], subject="Synthetic Dawn registration", body="Last port call?"
    )
    attach(enquiry, "dawn-registry.pdf")
    wanted = f"{enquiry.reference} Synthetic Dawn registration"
    for insider in (cast.investigator_id, cast.focal_id, cast.analyst_au, cast.co_chair):
        assert wanted in titles(insider, "synthetic dawn"), insider
        assert "dawn-registry.pdf" in titles(insider, "registry"), insider
    for outsider in (cast.investigator_th, cast.investigator_au_abf, cast.observer, cast.secretariat):
        assert titles(outsider, "synthetic dawn") == [], outsider
        assert titles(outsider, "registry") == [], outsider
        assert snapshot(outsider, "dawn") == (0, {"kind": [], "country": [], "period": []})


def test_replies_are_searched_with_their_enquiry(cast: Cast) -> None:
    enquiry = make_enquiry(cast.investigator_id, ["AFP"], subject="Port call", body="Any record?")
    Reply.objects.create(
        enquiry=enquiry,
        author=cast.analyst_au,
        agency=Agency.objects.get(short_name="AFP"),
        body="Moored at Darwin",
    )
    assert f"{enquiry.reference} Port call" in titles(cast.investigator_id, "darwin")
    assert titles(cast.investigator_th, "darwin") == []


def test_narrowing_the_sharing_hides_the_record_at_once(cast: Cast) -> None:
    enquiry = make_enquiry(cast.investigator_id, ["AFP", "INZ"], subject="Lombok transfer", body="Details")
    assert titles(cast.analyst_au, "lombok")
    enquiry.shared_agencies.remove(Agency.objects.get(short_name="AFP"))
    assert titles(cast.analyst_au, "lombok") == []
    assert titles(cast.co_chair, "lombok")


def test_facets_narrow_the_results(cast: Cast) -> None:
    everything = titles(cast.analyst_au, "indonesia")
    only_countries = titles(cast.analyst_au, "indonesia", kind="country")
    assert only_countries == ["Indonesia"]
    assert len(everything) > len(only_countries)
    country_id = str(cast.investigator_id.agency.country_id)
    assert all(
        d.country_id == int(country_id)
        for d in search(cast.analyst_au, "police", {"country": country_id}).documents
    )
    # A value that is not a number matches nothing rather than failing.
    assert titles(cast.analyst_au, "indonesia", country="x") == []


def test_query_syntax_is_not_passed_to_the_database(cast: Cast) -> None:
    for text in ['"', "kupang*", "NEAR(a b)", "a & | ! b", "'; drop table x; --", "-", "()"]:
        assert search(cast.analyst_au, text, {}).documents.count() >= 0
    assert "JPA7-01 Maritime venture departing Kupang" in titles(cast.analyst_au, "kupang*")
    assert titles(cast.analyst_au, "") == []


def test_deleting_a_record_removes_it_and_reindex_rebuilds(cast: Cast) -> None:
    enquiry = make_enquiry(cast.investigator_id, ["AFP"], subject="Sumba crossing", body="x")
    assert titles(cast.analyst_au, "sumba")
    enquiry.delete()
    assert titles(cast.analyst_au, "sumba") == []
    total = SearchDocument.objects.count()
    SearchDocument.objects.all().delete()
    call_command("reindex", verbosity=0)
    assert SearchDocument.objects.count() == total
    assert "JPA7-02 Recruitment agency network" in titles(cast.analyst_au, "recruitment")
