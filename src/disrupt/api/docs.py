"""The API's documentation page, rendered by our own template from the OpenAPI document.

No Swagger or Redoc from a CDN: the page lists each path with its methods, summary and
parameters, and links to the JSON document itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from drf_spectacular.generators import SchemaGenerator

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass
class Parameter:
    name: str
    location: str
    required: bool
    kind: str
    description: str


@dataclass
class Operation:
    method: str
    summary: str
    description: str
    parameters: list[Parameter]
    request_body: str
    responses: list[str]


@dataclass
class PathEntry:
    path: str
    operations: list[Operation] = field(default_factory=list)


def _kind(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    kind = str(schema.get("type", ""))
    if kind == "array":
        return f"list of {_kind(schema.get('items', {}))}"
    if "enum" in schema:
        return "one of " + ", ".join(str(value) for value in schema["enum"] if value is not None)
    return kind + (f" ({schema['format']})" if "format" in schema else "")


def _body(operation: dict[str, Any]) -> str:
    content = operation.get("requestBody", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema", {})
    return _kind(schema) if schema else ""


def paths_of(schema: dict[str, Any]) -> list[PathEntry]:
    entries = []
    for path, item in schema.get("paths", {}).items():
        entry = PathEntry(path=path)
        shared = item.get("parameters", [])
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            parameters = [
                Parameter(
                    name=p["name"],
                    location=p["in"],
                    required=bool(p.get("required")),
                    kind=_kind(p.get("schema", {})),
                    description=p.get("description", ""),
                )
                for p in [*shared, *operation.get("parameters", [])]
            ]
            entry.operations.append(
                Operation(
                    method=method.upper(),
                    summary=operation.get("summary", ""),
                    description=operation.get("description", ""),
                    parameters=parameters,
                    request_body=_body(operation),
                    responses=sorted(operation.get("responses", {})),
                )
            )
        entries.append(entry)
    return entries


@login_required
def api_docs(request: HttpRequest) -> HttpResponse:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return render(
        request,
        "api/docs.html",
        {"info": schema["info"], "paths": paths_of(schema), "version": schema["openapi"]},
    )
