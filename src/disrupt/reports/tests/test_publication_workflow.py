"""Drafts are written by the secretariat and the period's co-chairs, approved by the co-chairs only;
an approved text never changes and stays on release until a new approval supersedes it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from disrupt.access import policy
from disrupt.audit.choices import AuditAction
from disrupt.audit.models import AuditEntry
from disrupt.conftest import Cast
from disrupt.reports.choices import PublicationKind, PublicationStatus
from disrupt.reports.models import Publication, PublicationVersion
from disrupt.reports.models.publications import PublicationIsLocked
from disrupt.reports.publishing import do_approve, do_edit, do_generate


def _draft(cast: Cast) -> PublicationVersion:
    return do_generate(cast.secretariat, cast.period, PublicationKind.OUTCOME_SUMMARY)


def test_the_secretariat_and_the_periods_co_chair_draft_and_nobody_else(cast: Cast) -> None:
    assert _draft(cast).number == 1
    assert do_generate(cast.co_chair, cast.period, PublicationKind.MEDIA_RELEASE).status == "draft"
    for outsider in (cast.investigator_id, cast.focal_id, cast.co_chair_other, cast.observer):
        with pytest.raises(PermissionDenied):
            do_generate(outsider, cast.period, PublicationKind.OUTCOME_SUMMARY)
    assert Publication.objects.count() == 2


def test_generating_again_adds_a_version_to_the_same_text(cast: Cast) -> None:
    first = _draft(cast)
    second = _draft(cast)
    assert second.publication_id == first.publication_id
    assert second.number == 2
    assert second.change_summary.startswith("Generated from the data on ")


def test_only_a_co_chair_of_the_period_approves(cast: Cast) -> None:
    version = _draft(cast)
    for refused in (cast.investigator_id, cast.secretariat, cast.co_chair_other, cast.focal_au):
        with pytest.raises(PermissionDenied):
            do_approve(refused, version)
    version.refresh_from_db()
    assert version.status == PublicationStatus.DRAFT
    assert not policy.can_approve_publication(cast.co_chair_other, version)
    assert policy.can_approve_publication(cast.co_chair, version)
    do_approve(cast.co_chair, version)
    version.refresh_from_db()
    assert version.status == PublicationStatus.APPROVED
    assert version.approved_by == cast.co_chair and version.approved_at is not None
    entry = AuditEntry.objects.get(action=AuditAction.DISCLOSURE, target_id=str(version.publication_id))
    assert entry.actor == cast.co_chair and entry.detail["version"] == 1


def test_an_edit_is_a_new_draft_and_the_approved_text_stays_on_release(cast: Cast) -> None:
    first = _draft(cast)
    do_approve(cast.co_chair, first)
    publication = first.publication
    second = do_edit(
        cast.secretariat, publication, "Outcomes, revised", "A new text.\n", "Shorter, as agreed."
    )
    assert second.number == 2 and second.status == PublicationStatus.DRAFT
    assert publication.approved == first  # still the released text
    first.refresh_from_db()
    assert first.status == PublicationStatus.APPROVED and first.body != second.body
    # The older version can no longer be approved: only the newest draft can.
    with pytest.raises(ValidationError):
        do_approve(cast.co_chair, first)
    do_approve(cast.co_chair, second)
    first.refresh_from_db()
    assert first.status == PublicationStatus.SUPERSEDED
    assert publication.approved == second
    assert list(publication.versions.values_list("number", "status")) == [
        (1, PublicationStatus.SUPERSEDED),
        (2, PublicationStatus.APPROVED),
    ]


def test_an_edit_needs_a_title_a_text_and_a_reason(cast: Cast) -> None:
    publication = _draft(cast).publication
    with pytest.raises(ValidationError) as error:
        do_edit(cast.co_chair, publication, " ", "\n\n", "")
    assert set(error.value.message_dict) == {"title", "body", "change_summary"}
    assert publication.versions.count() == 1
    with pytest.raises(PermissionDenied):
        do_edit(cast.co_chair_other, publication, "T", "Body", "Why")


def test_a_written_version_never_changes(cast: Cast) -> None:
    version = _draft(cast)
    version.body = "Something else"
    with pytest.raises(PublicationIsLocked):
        version.save()
    with pytest.raises(PublicationIsLocked):
        version.save(update_fields=["body"])
    do_approve(cast.co_chair, version)
    version.refresh_from_db()
    version.status = PublicationStatus.DRAFT
    with pytest.raises(PublicationIsLocked):
        version.save(update_fields=["status"])
    with pytest.raises(PublicationIsLocked):
        version.delete()
    version.refresh_from_db()
    assert version.status == PublicationStatus.APPROVED


def test_drafts_are_known_to_the_drafters_and_released_texts_to_everyone(cast: Cast) -> None:
    version = _draft(cast)
    publications = Publication.objects.all()
    for outsider in (cast.investigator_th, cast.co_chair_other, cast.observer, cast.focal_id):
        assert not policy.visible_to(outsider, publications).exists()
    for drafter in (cast.secretariat, cast.co_chair):
        assert policy.visible_to(drafter, publications).count() == 1
    do_approve(cast.co_chair, version)
    do_edit(cast.co_chair, version.publication, "Next", "Next draft.", "Reworded.")
    versions = PublicationVersion.objects.all()
    for reader in (cast.investigator_th, cast.observer):
        assert policy.visible_to(reader, publications).count() == 1
        assert list(policy.visible_to(reader, versions).values_list("number", flat=True)) == [1]
    assert policy.visible_to(cast.secretariat, versions).count() == 2
