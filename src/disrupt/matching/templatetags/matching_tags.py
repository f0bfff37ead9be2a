"""What other apps' templates show of matching: the navigation's entries, an entity's hits and a
collection's "Match now", each decided by the access policy (nothing here decides on its own)."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Q

from disrupt.access import policy
from disrupt.access.choices import HandlingCode

register = template.Library()

# Hits listed on an entity's page; the hits page has the rest.
ENTITY_HITS_SHOWN = 5


@register.filter
def reviews_hits(user: Any) -> bool:
    """Officers of an agency have hits of their own to review."""
    return policy.is_officer(user)


@register.filter
def runs_matching(user: Any) -> bool:
    return policy.is_matching_administrator(user)


@register.filter
def code_label(code: str) -> str:
    """Turns "amber_strict" into "TLP:AMBER+STRICT"."""
    return str(HandlingCode(code).label) if code in HandlingCode.values else code


@register.inclusion_tag("matching/includes/entity_hits.html", takes_context=True)
def entity_hits(context: dict[str, Any], entity: Any) -> dict[str, Any]:
    """The hits on one entity, for its owner's officers only: a reader of a shared collection
    learns nothing of who else holds what."""
    from disrupt.matching.models import Hit, Subject
    from disrupt.matching.present import hit_for, related_for_hits

    user = context["request"].user
    subject = policy.visible_to(user, Subject.objects.filter(entity=entity)).first()
    if subject is None:
        return {"shown": False}
    hits = (
        policy.visible_to(user, Hit.objects.filter(Q(subject_a=subject) | Q(subject_b=subject)))
        .select_related(*related_for_hits())
        .prefetch_related("judgements", "requests")
    )
    rows = [hit_for(user, hit) for hit in hits[:ENTITY_HITS_SHOWN]]
    return {"shown": True, "rows": rows, "more": max(0, hits.count() - len(rows))}


@register.inclusion_tag("matching/includes/collection_matching.html", takes_context=True)
def collection_matching(context: dict[str, Any], collection: Any) -> dict[str, Any]:
    """The "Match now" button, for those who may change the collection."""
    user = context["request"].user
    return {
        "shown": policy.can_edit_collection(user, collection),
        "collection": collection,
        "csrf_token": context.get("csrf_token"),
    }
