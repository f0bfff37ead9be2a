"""Word documents (python-docx) from a title and the blocks of the body format. No Django here."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor

from disrupt.lib.text import Block


def docx_bytes(
    title: str,
    blocks: Iterable[Block],
    marking: str,
    dated: str,
    subtitle: Sequence[str] = (),
    footer: str = "",
) -> bytes:
    """A .docx with the handling marking at the top of every page, the title, a date line and the body."""
    document = Document()
    document.core_properties.title = title
    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.text = marking
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for run in header.runs:
        run.bold = True
        run.font.size = Pt(9)
    if footer:
        section.footer.paragraphs[0].text = footer

    _marking_line(document, marking)
    document.add_heading(title, level=0)
    for line in subtitle:
        document.add_paragraph(line).runs[0].italic = True
    document.add_paragraph(dated)
    for block in blocks:
        if block.kind == "heading":
            document.add_heading(block.text, level=1)
        elif block.kind == "bullet":
            document.add_paragraph(block.text, style="List Bullet")
        else:
            document.add_paragraph(block.text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _marking_line(document: object, marking: str) -> None:
    # The marking also opens the body, so it survives copying the text out of the header.
    paragraph = document.add_paragraph()  # type: ignore[attr-defined]
    run = paragraph.add_run(marking)
    run.bold = True
    run.font.color.rgb = RGBColor(0x33, 0x33, 0x33)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def docx_text(data: bytes) -> str:
    """Every paragraph of a .docx (body, header, footer), one a line: for checking what a file holds."""
    document = Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for section in document.sections:
        lines += [p.text for p in section.header.paragraphs] + [p.text for p in section.footer.paragraphs]
    return "\n".join(lines)
