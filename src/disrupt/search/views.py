"""The search page: one box over everything the person may see, with facets."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from disrupt.core.ratelimits import rate_limited
from disrupt.search.highlight import mark, snippet
from disrupt.search.queries import FACETS, search

PAGE_SIZE = 20
MAX_QUERY_CHARS = 200


@login_required
@rate_limited("search", key="user", setting="SEARCH_RATE", doing="searching")
def search_page(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()[:MAX_QUERY_CHARS]
    filters = {name: request.GET.get(name, "") for name in FACETS}
    results = search(request.user, text, filters)
    page = Paginator(results.documents, PAGE_SIZE).get_page(request.GET.get("page"))
    hits = [
        {
            "document": document,
            "title": mark(document.title, results.words),
            "snippet": snippet(document.body, results.words) if document.body else "",
        }
        for document in page.object_list
    ]
    return render(
        request,
        "search/results.html",
        {
            "q": text,
            "words": results.words,
            "page_obj": page,
            "hits": hits,
            "facets": results.facets,
            "filters": filters,
            "facet_names": {"kind": "Kind", "country": "Country", "period": "Period"},
        },
    )
