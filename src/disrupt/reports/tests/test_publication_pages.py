"""Pages of the group's texts: generate, read, edit, approve, download; 404 for drafts one may not know."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from docx import Document

from disrupt.audit.choices import AuditAction
from disrupt.audit.models import AuditEntry
from disrupt.conftest import Cast
from disrupt.directory.models import Country
from disrupt.lib.documents import docx_text
from disrupt.programme.models import PeriodOfAction
from disrupt.reports.choices import PublicationKind, PublicationStatus
from disrupt.reports.models import Publication
from disrupt.reports.publishing import do_approve, do_generate


@pytest.fixture
def first_period(cast: Cast) -> PeriodOfAction:
    """The 1st period of the public record, co-chaired (for these tests) by New Zealand."""
    call_command("loadhistory", verbosity=0)
    period = PeriodOfAction.objects.get(number=1)
    period.co_chairs.add(Country.objects.get(code="NZ"))
    return period


def test_the_secretariat_writes_a_draft_from_the_page(
    client: Client, cast: Cast, first_period: PeriodOfAction
) -> None:
    client.force_login(cast.secretariat)
    page = client.get(reverse("reports:publication_list", args=[1]))
    assert page.status_code == 200
    assert "Write the draft" in page.content.decode()
    response = client.post(
        reverse("reports:publication_generate", args=[1]), {"kind": PublicationKind.OUTCOME_SUMMARY}
    )
    publication = Publication.objects.get(period=first_period, kind=PublicationKind.OUTCOME_SUMMARY)
    assert response.status_code == 302 and response["Location"] == publication.get_absolute_url()
    html = client.get(publication.get_absolute_url()).content.decode()
    for phrase in ("Assisted 59 trafficked persons", "seven search warrants", "over 70", "485 officers"):
        assert phrase in html
    assert "TLP:GREEN" in html and "Draft, version 1" in html
    assert "Approve version 1" not in html  # the secretariat drafts; co-chairs approve


def test_others_may_not_write_drafts(client: Client, cast: Cast, first_period: PeriodOfAction) -> None:
    client.force_login(cast.investigator_id)
    page = client.get(reverse("reports:publication_list", args=[1])).content.decode()
    assert "Write the draft" not in page
    response = client.post(
        reverse("reports:publication_generate", args=[1]), {"kind": PublicationKind.OUTCOME_SUMMARY}
    )
    assert response.status_code == 403
    assert not Publication.objects.exists()


def test_a_draft_is_404_to_people_who_may_not_know_it(
    client: Client, cast: Cast, first_period: PeriodOfAction
) -> None:
    version = do_generate(cast.secretariat, first_period, PublicationKind.OUTCOME_SUMMARY)
    pk = version.publication_id
    for outsider in (cast.investigator_th, cast.co_chair_other):
        client.force_login(outsider)
        for name, args in (
            ("reports:publication_detail", [pk]),
            ("reports:publication_edit", [pk]),
            ("reports:publication_docx", [pk]),
            ("reports:publication_version", [pk, 1]),
        ):
            assert client.get(reverse(name, args=args)).status_code == 404, (outsider, name)
        assert client.post(reverse("reports:publication_approve", args=[pk, 1])).status_code == 404
        assert (
            "Outcome summary"
            not in client.get(reverse("reports:publication_list", args=[1])).content.decode()
        )
    version.refresh_from_db()
    assert version.status == PublicationStatus.DRAFT


def test_the_co_chair_edits_and_approves_and_everyone_reads_the_release(
    client: Client, cast: Cast, first_period: PeriodOfAction
) -> None:
    version = do_generate(cast.secretariat, first_period, PublicationKind.OUTCOME_SUMMARY)
    publication = version.publication
    client.force_login(cast.co_chair)
    edit = reverse("reports:publication_edit", args=[publication.pk])
    form = client.get(edit).content.decode()
    assert "• Assisted 59 trafficked persons" in form
    response = client.post(
        edit, {"title": "Outcomes", "body": version.body + "\nA closing line.", "change_summary": ""}
    )
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    assert publication.versions.count() == 1  # the form refused: no reason given
    client.post(
        edit, {"title": "Outcomes", "body": version.body + "\nA closing line.", "change_summary": "Close."}
    )
    assert publication.versions.count() == 2
    page = client.get(publication.get_absolute_url()).content.decode()
    assert "A closing line." in page and "Approve version 2 for release" in page
    client.post(reverse("reports:publication_approve", args=[publication.pk, 2]))
    assert publication.approved is not None and publication.approved.number == 2

    client.force_login(cast.investigator_th)
    page = client.get(publication.get_absolute_url()).content.decode()
    assert "TLP:CLEAR" in page and "A closing line." in page and "Approved for release" in page
    assert "Edit" not in page.split("<article")[0].split("page-header__actions")[1]
    assert client.get(reverse("reports:publication_version", args=[publication.pk, 1])).status_code == 404
    assert client.get(edit).status_code == 403
    assert client.post(reverse("reports:publication_approve", args=[publication.pk, 2])).status_code == 403


def test_the_docx_downloads_as_an_attachment_and_is_on_the_trail(
    client: Client, cast: Cast, first_period: PeriodOfAction
) -> None:
    version = do_generate(cast.secretariat, first_period, PublicationKind.OUTCOME_SUMMARY)
    do_approve(cast.co_chair, version)
    client.force_login(cast.observer)
    response = client.get(reverse("reports:publication_docx", args=[version.publication_id]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="jpa1-outcome-summary-v1.docx"'
    Document(io.BytesIO(response.content))  # opens
    words = docx_text(response.content)
    for phrase in ("Assisted 59 trafficked persons", "seven search warrants", "Made over 70", "485 officers"):
        assert phrase in words
    assert "TLP:CLEAR" in words
    entry = AuditEntry.objects.get(action=AuditAction.DOWNLOAD, actor=cast.observer)
    assert entry.detail == {"version": 1, "format": "docx", "status": "approved"}


def test_the_outcomes_page_links_to_the_texts(
    client: Client, cast: Cast, first_period: PeriodOfAction
) -> None:
    client.force_login(cast.secretariat)
    html = client.get(reverse("reports:period_outcomes", args=[1])).content.decode()
    assert f'href="{reverse("reports:publication_list", args=[1])}"' in html


def test_the_list_page_does_not_query_per_text(client: Client, cast: Cast) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(cast.co_chair)
    url = reverse("reports:publication_list", args=[cast.period.number])
    do_generate(cast.secretariat, cast.period, PublicationKind.OUTCOME_SUMMARY)
    client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    do_approve(cast.co_chair, do_generate(cast.secretariat, cast.period, PublicationKind.OUTCOME_SUMMARY))
    do_generate(cast.secretariat, cast.period, PublicationKind.MEDIA_RELEASE)
    with CaptureQueriesContext(connection) as two:
        html = client.get(url).content.decode()
    assert "Media release" in html and "Version 2" in html
    assert len(two) == len(one)


def test_a_statement_is_written_for_the_chosen_workshop_of_the_period(
    client: Client, cast: Cast, first_period: PeriodOfAction
) -> None:
    from disrupt.programme.models import Meeting

    workshop = Meeting.objects.get(title="2nd Joint Period of Action planning workshop")
    other = Meeting.objects.filter(period__number=1).first()
    assert other is not None
    client.force_login(cast.secretariat)
    url = reverse("reports:publication_generate", args=[2])
    statement = PublicationKind.CO_CHAIRS_STATEMENT
    refused = client.post(url, {"kind": statement, "meeting": other.pk}, follow=True)
    assert "Choose a kind of text" in refused.content.decode()  # not one of the 2nd period's meetings
    assert not Publication.objects.exists()
    client.post(url, {"kind": PublicationKind.CO_CHAIRS_STATEMENT, "meeting": workshop.pk})
    publication = Publication.objects.get(kind=PublicationKind.CO_CHAIRS_STATEMENT)
    assert publication.meeting == workshop
    html = client.get(publication.get_absolute_url()).content.decode()
    assert "Co-Chairs&#x27; Statement" in html or "Co-Chairs' Statement" in html
    assert "Nine plans were developed:" in html
    assert "<h2>Next steps under the Joint Period of Action</h2>" in html
