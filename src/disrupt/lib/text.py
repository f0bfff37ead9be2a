"""Text as the group writes it: numbers in words, lists of names, and a plain body format.

The body format is what a person edits in a text area and what pages and DOCX files render:
blocks separated by blank lines; a block starting with "## " is a heading, lines starting
with "• " are bullets, anything else is a paragraph. No Django here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def number_words(n: int) -> str:
    """0 to 999 in words, as the group hyphenates them: "seven", "sixty-two", "one hundred and five"."""
    if not 0 <= n <= 999:
        raise ValueError(f"Only 0 to 999 can be written in words here, not {n}.")
    if n < 20:
        return _UNITS[n]
    if n < 100:
        tens, unit = divmod(n, 10)
        return _TENS[tens - 2] + (f"-{_UNITS[unit]}" if unit else "")
    hundreds, rest = divmod(n, 100)
    return f"{_UNITS[hundreds]} hundred" + (f" and {number_words(rest)}" if rest else "")


def count(n: int, words_below: int = 10) -> str:
    """A count in running text: words below `words_below` ("seven"), digits from there ("10", "1,250")."""
    return number_words(n) if 0 <= n < words_below else f"{n:,}"


def capitalise(text: str) -> str:
    """The first letter in capitals, the rest untouched ("over 70" -> "Over 70")."""
    return text[:1].upper() + text[1:]


def join_names(names: Sequence[str], conjunction: str = "and") -> str:
    """ "A", "A and B", "A, B and C" (the group's later statements drop the serial comma)."""
    names = [name for name in names if name]
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {conjunction} {names[-1]}"


# --- The body format -------------------------------------------------------------------------

BlockKind = Literal["heading", "paragraph", "bullet"]
HEADING, BULLET = "## ", "• "


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str


def parse_body(body: str) -> list[Block]:
    """Blocks from an edited body; stray whitespace and empty lines are forgiven."""
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", body.replace("\r\n", "\n").strip()):
        paragraph: list[str] = []
        for raw in chunk.split("\n"):
            line = raw.strip()
            if not line:
                continue
            if line.startswith(HEADING.strip()) and line.lstrip("#").startswith(" "):
                _flush(paragraph, blocks)
                blocks.append(Block("heading", line.lstrip("#").strip()))
            elif line[:1] in {"•", "-", "*"} and line[1:2] == " ":
                _flush(paragraph, blocks)
                blocks.append(Block("bullet", line[2:].strip()))
            else:
                paragraph.append(line)
        _flush(paragraph, blocks)
    return blocks


def _flush(lines: list[str], blocks: list[Block]) -> None:
    if lines:
        blocks.append(Block("paragraph", " ".join(lines)))
        lines.clear()


def format_body(blocks: Iterable[Block]) -> str:
    """The editable body for `blocks`: bullets in a run stay together, everything else apart."""
    out: list[str] = []
    previous: BlockKind | None = None
    for block in blocks:
        prefix = {"heading": HEADING, "bullet": BULLET, "paragraph": ""}[block.kind]
        separator = "\n" if block.kind == "bullet" and previous == "bullet" else "\n\n"
        out.append((separator if out else "") + prefix + block.text)
        previous = block.kind
    return "".join(out) + "\n"


def grouped(blocks: Iterable[Block]) -> list[tuple[str, str | list[str]]]:
    """Blocks for a page: a run of bullets becomes one ("list", [items]) entry
    (templates/includes/text_blocks.html draws them)."""
    out: list[tuple[str, str | list[str]]] = []
    for block in blocks:
        if block.kind == "bullet":
            if out and out[-1][0] == "list":
                out[-1][1].append(block.text)  # type: ignore[union-attr]
            else:
                out.append(("list", [block.text]))
        else:
            out.append((block.kind, block.text))
    return out
