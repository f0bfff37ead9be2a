"""Snippets with the searched words marked, escaped before marking (no HTML from records)."""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

SNIPPET_CHARS = 220


def _pattern(words: list[str]) -> re.Pattern[str] | None:
    if not words:
        return None
    # Each word is matched as a prefix, as the search does.
    return re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\w*", re.IGNORECASE)


def mark(text: str, words: list[str]) -> SafeString:
    """`text` escaped, with every word the search matched wrapped in <mark>."""
    pattern = _pattern(words)
    if pattern is None:
        return mark_safe(escape(text))  # noqa: S308 - escaped
    pieces: list[str] = []
    last = 0
    for found in pattern.finditer(text):
        pieces.append(escape(text[last : found.start()]))
        pieces.append(f"<mark>{escape(found.group(0))}</mark>")
        last = found.end()
    pieces.append(escape(text[last:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece escaped above


def snippet(text: str, words: list[str]) -> SafeString:
    """A short passage of `text` around the first matched word, marked."""
    text = " ".join(text.split())
    pattern = _pattern(words)
    found = pattern.search(text) if pattern else None
    start = max(found.start() - SNIPPET_CHARS // 3, 0) if found else 0
    passage = text[start : start + SNIPPET_CHARS]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + SNIPPET_CHARS < len(text) else ""
    return mark_safe(prefix + mark(passage, words) + suffix)  # noqa: S308 - marked text is escaped
