"""Collections and their entities: list, new, detail, export; entity list, search, detail,
edit and history."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from disrupt.access import policy
from disrupt.audit.recorder import record_read
from disrupt.intel import actions, exports
from disrupt.intel.choices import ExportFormat
from disrupt.intel.filters import CollectionFilter, EntityFilter
from disrupt.intel.forms import CollectionForm, EntityEditForm
from disrupt.intel.ftm import ftm_model
from disrupt.intel.models import Collection, Entity, EntityVersion, ImportJob
from disrupt.intel.views.common import (
    add_errors,
    sharing_page,
    user_of,
    visible,
    visible_or_404,
    who_can_read,
)

PAGE_SIZE = 50


def _collections(request: HttpRequest) -> Any:
    return visible(request, Collection.objects.select_related("owner_agency__country"))


@login_required
@require_GET
def collection_list(request: HttpRequest) -> HttpResponse:
    live = Count("entities", filter=Q(entities__pending=False))
    # An aggregate drops the default ordering; the pages must not shuffle.
    collections = _collections(request).annotate(entity_count=live).order_by("name", "pk")
    filterset = CollectionFilter(request.GET or None, queryset=collections, request=request)
    page = Paginator(filterset.qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "intel/collection_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "collections": page.object_list,
            "can_create": policy.can_create(request.user, Collection),
            "agency_id": getattr(request.user, "agency_id", None),
        },
    )


@login_required
def collection_create(request: HttpRequest) -> HttpResponse:
    if not policy.can_create(request.user, Collection):
        raise PermissionDenied("Only officers of an agency hold collections.")
    form = CollectionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            collection = actions.do_create_collection(
                user_of(request),
                name=data["name"],
                summary=data["summary"],
                handling_code=data["handling_code"],
                plans=data["plans"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, f"Collection “{collection.name}” created. Import entities into it next."
            )
            return redirect(collection)
    return render(request, "intel/collection_form.html", {"form": form})


@login_required
@require_GET
def collection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    collection = visible_or_404(request, _collections(request), pk)
    record_read(collection, collection.handling_code, request=request)
    entities = collection.entities.all()
    by_schema = list(entities.values("schema").annotate(count=Count("pk")).order_by("-count", "schema"))
    for row in by_schema:
        row["label"] = schema_label(row["schema"], plural=True)
    imports = visible(request, ImportJob.objects.filter(collection=collection).select_related("created_by"))
    return render(
        request,
        "intel/collection_detail.html",
        {
            "collection": collection,
            "by_schema": by_schema,
            "total": sum(row["count"] for row in by_schema),
            "links": entities.links().count(),
            "plans": list(policy.visible_to(request.user, collection.plans.all())),
            "imports": list(imports[:10]),
            "can_edit": policy.can_edit_collection(request.user, collection),
            "can_share": policy.owns_record(request.user, collection),
            "who_can_read": who_can_read(collection),
            "export_formats": ExportFormat.choices,
        },
    )


@login_required
@require_GET
def collection_export(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    """The collection as FtM JSON lines, GraphML or GEXF; recorded as an export."""
    collection = visible_or_404(request, _collections(request), pk)
    chosen = request.GET.get("format", ExportFormat.FTM)
    if chosen not in ExportFormat.values:
        raise Http404("No such export format.")
    export = exports.export_for(request.user, collection, chosen, request=request)
    response = StreamingHttpResponse(export.chunks, content_type=export.content_type)
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    name = f"collection-{collection.pk}-{stamp}.{export.extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- Entities -------------------------------------------------------------------------------------


def _entities(request: HttpRequest) -> Any:
    return visible(request, Entity.objects.select_related("collection__owner_agency__country"))


@login_required
@require_GET
def entity_list(request: HttpRequest, pk: int) -> HttpResponse:
    collection = visible_or_404(request, _collections(request), pk)
    filterset = EntityFilter(request.GET or None, queryset=collection.entities.all(), request=request)
    filterset.form.fields.pop("collection")
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "intel/entity_list.html",
        {"collection": collection, "filter": filterset, "page_obj": page, "entities": page.object_list},
    )


@login_required
@require_GET
def entity_search(request: HttpRequest) -> HttpResponse:
    """Names across every entity the user may see (nothing before something is asked)."""
    filterset = EntityFilter(request.GET or None, queryset=_entities(request), request=request)
    asked = any(request.GET.get(name) for name in ("q", "schema", "country", "collection"))
    page = Paginator(filterset.qs if asked else Entity.objects.none(), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "intel/entity_search.html",
        {"filter": filterset, "page_obj": page, "entities": page.object_list, "asked": asked},
    )


def schema_label(name: str, plural: bool = False) -> str:
    schema = ftm_model().get(name)
    if schema is None:
        return name
    return str(schema.plural if plural else schema.label)


def _property_rows(entity: Entity, ends: dict[str, Entity]) -> list[dict[str, Any]]:
    """The properties as FtM labels them, entity references resolved to what the user may see."""
    schema = ftm_model().get(entity.schema)
    rows = []
    for name, values in entity.properties.items():
        prop = schema.get(name) if schema is not None else None
        is_ref = prop is not None and prop.type.name == "entity"
        rows.append(
            {
                "label": prop.label if prop is not None else name,
                "values": [{"text": v, "entity": ends.get(v) if is_ref else None} for v in values],
            }
        )
    return sorted(rows, key=lambda row: row["label"])


def _ends(request: HttpRequest, entity: Entity, ids: set[str]) -> dict[str, Entity]:
    """Visible entities by FtM id, those of the entity's own collection first."""
    found: dict[str, Entity] = {}
    rows = _entities(request).filter(ftm_id__in=ids).order_by("pk")
    for other in sorted(rows, key=lambda e: e.collection_id != entity.collection_id):
        found.setdefault(other.ftm_id, other)
    return found


@login_required
@require_GET
def entity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entity = visible_or_404(request, _entities(request), pk)
    collection = entity.collection
    record_read(collection, collection.handling_code, request=request, entity=entity.ftm_id)
    links = list(_entities(request).filter(Q(source=entity.ftm_id) | Q(target=entity.ftm_id))[:200])
    references = {v for values in entity.properties.values() for v in values if len(v) >= 8}
    ends = _ends(
        request, entity, {*references, *(link.source for link in links), *(link.target for link in links)}
    )
    link_rows = [
        {
            "link": link,
            "label": schema_label(link.schema),
            "outgoing": link.source == entity.ftm_id,
            "other": ends.get(link.target if link.source == entity.ftm_id else link.source),
        }
        for link in links
    ]
    elsewhere = _entities(request).filter(ftm_id=entity.ftm_id).exclude(pk=entity.pk)
    jobs = visible(request, ImportJob.objects.filter(pk=entity.import_job_id))
    return render(
        request,
        "intel/entity_detail.html",
        {
            "entity": entity,
            "collection": collection,
            "schema_label": schema_label(entity.schema),
            "properties": _property_rows(entity, ends),
            "link_rows": link_rows,
            "elsewhere": list(elsewhere),
            "import_job": jobs.first(),
            "plans": list(policy.visible_to(request.user, collection.plans.all())),
            "versions": EntityVersion.objects.filter(collection=collection, ftm_id=entity.ftm_id).count(),
            "can_edit": policy.can_edit_collection(request.user, collection),
        },
    )


@login_required
def entity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entity = visible_or_404(request, _entities(request), pk)
    if not policy.can_edit_collection(request.user, entity.collection):
        raise PermissionDenied("Only officers of the owning agency change its entities.")
    form = EntityEditForm(request.POST or None, entity=entity)
    if request.method == "POST" and form.is_valid():
        try:
            entity = actions.do_edit_entity(
                user_of(request), entity, properties=form.properties(), reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, f"Saved: version {entity.version}. The earlier one is kept in its history."
            )
            return redirect(entity)
    return render(request, "intel/entity_edit.html", {"entity": entity, "form": form})


def _changes(newer: dict[str, list[str]], older: dict[str, list[str]]) -> list[str]:
    return sorted(name for name in {*newer, *older} if newer.get(name) != older.get(name))


@login_required
@require_GET
def entity_history(request: HttpRequest, pk: int) -> HttpResponse:
    entity = visible_or_404(request, _entities(request), pk)
    versions = list(
        visible(
            request,
            EntityVersion.objects.filter(collection=entity.collection, ftm_id=entity.ftm_id).select_related(
                "replaced_by"
            ),
        ).order_by("-number")
    )
    newer = entity.properties
    rows = []
    for version in versions:
        rows.append({"version": version, "changed": _changes(newer, version.properties)})
        newer = version.properties
    return render(request, "intel/entity_history.html", {"entity": entity, "rows": rows})


@login_required
def collection_sharing(request: HttpRequest, pk: int) -> HttpResponse:
    collection = visible_or_404(request, _collections(request), pk)
    return sharing_page(request, collection, back=collection.get_absolute_url())
