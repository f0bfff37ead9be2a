"""Keep the search index in step with the records (connected in apps.SearchConfig.ready).

Bulk updates (`QuerySet.update`, `bulk_create`) send no signals; `disrupt reindex` rebuilds
the index after them. Fixture loading (`raw`) is skipped for the same reason.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save

from disrupt.search import indexing


def _saved(sender: type[Model], instance: Model, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        indexing.index(instance)


def _deleted(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    indexing.unindex(sender, instance.pk)


def _reply_changed(sender: type[Model], instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """A reply's words are searched as part of its enquiry."""
    if raw:
        return
    enquiry = (
        type(instance).enquiry.field.related_model._default_manager.filter(pk=instance.enquiry_id).first()
    )
    if enquiry is not None:
        indexing.index(enquiry)


def _member_changed(sender: type[Model], instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """A member's caption and role are searched as part of its assessment."""
    if raw:
        return
    assessment = (
        type(instance)
        .assessment.field.related_model._default_manager.filter(pk=instance.assessment_id)
        .first()
    )
    if assessment is not None:
        indexing.index(assessment)


def _plan_periods_changed(sender: type[Model], instance: Any, action: str, **kwargs: Any) -> None:
    if action in {"post_add", "post_remove", "post_clear"} and instance._meta.label_lower == "programme.plan":
        indexing.index(instance)


def connect() -> None:
    for model in indexing.source_models():
        uid = f"search-{model._meta.label_lower}"
        post_save.connect(_saved, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"{uid}-delete")
    try:
        reply = apps.get_model("exchange.Reply")
    except LookupError:
        pass
    else:
        post_save.connect(_reply_changed, sender=reply, dispatch_uid="search-reply-save")
        post_delete.connect(_reply_changed, sender=reply, dispatch_uid="search-reply-delete")
    try:
        member = apps.get_model("intel.AssessmentMember")
    except LookupError:
        pass
    else:
        post_save.connect(_member_changed, sender=member, dispatch_uid="search-member-save")
        post_delete.connect(_member_changed, sender=member, dispatch_uid="search-member-delete")
    plan = apps.get_model("programme.Plan")
    m2m_changed.connect(
        _plan_periods_changed, sender=plan.periods.through, dispatch_uid="search-plan-periods"
    )
