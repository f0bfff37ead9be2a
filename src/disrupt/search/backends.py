"""Full-text matching: PostgreSQL's tsvector in production, SQLite's FTS5 in the embedded default.

Both take the same words (letters and digits only, so no query syntax reaches the database),
match every word as a prefix, and annotate `score` (higher is better). They return querysets,
so visibility, counts and facets are all computed in the database on the same filter.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import F, QuerySet
from django.db.models.expressions import RawSQL

from disrupt.search.models import SearchDocument

MAX_WORDS = 8
FTS_TABLE = "search_fts"


def words_of(text: str) -> list[str]:
    """The words of a query, lower-cased; punctuation and operators are dropped."""
    return re.findall(r"\w+", text.lower())[:MAX_WORDS]


def match(documents: QuerySet[SearchDocument], words: list[str]) -> QuerySet[SearchDocument]:
    if not words:
        return documents.none()
    if connection.vendor == "postgresql":
        return _match_postgresql(documents, words)
    return _match_sqlite(documents, words)


def _match_postgresql(documents: QuerySet[SearchDocument], words: list[str]) -> QuerySet[SearchDocument]:
    from django.contrib.postgres.search import SearchQuery, SearchRank

    query = SearchQuery(" & ".join(f"{word}:*" for word in words), search_type="raw", config="english")
    return documents.filter(search_vector=query).annotate(score=SearchRank(F("search_vector"), query))


def _match_sqlite(documents: QuerySet[SearchDocument], words: list[str]) -> QuerySet[SearchDocument]:
    expression = " AND ".join(f'"{word}"*' for word in words)
    table = SearchDocument._meta.db_table
    matching = RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [expression])
    # bm25 is lower for better matches; titles weigh ten times the body.
    score = RawSQL(
        f"SELECT -bm25({FTS_TABLE}, 10.0, 1.0) FROM {FTS_TABLE} "
        f"WHERE {FTS_TABLE} MATCH %s AND {FTS_TABLE}.rowid = {table}.id",
        [expression],
    )
    return documents.filter(id__in=matching).annotate(score=score)
