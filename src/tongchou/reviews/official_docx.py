"""The consolidated opinion as a .docx through the shared GB/T 9704 builder
(`tongchou.documents.official`): 发文机关标志, 发文字号, 标题 (小标宋), 主送机关, 正文 (仿宋 with 黑体
first-level headings), 落款 and 成文日期. The bureau edits the body as plain lines; a line numbered
"一、…" starts a first-level section, the lines after it are its paragraphs."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from tongchou.documents.official import Section, build_official_document, docx_text

_HEADING = re.compile(r"^[一二三四五六七八九十]+、")


def body_items(lines: Sequence[str], extra_sections: Sequence[tuple[str, Sequence[str]]] = ()) -> list[str | Section]:
    items: list[str | Section] = []
    heading: str | None = None
    under: list[str] = []
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if _HEADING.match(line):
            if heading is not None:
                items.append(Section(heading, tuple(under)))
            heading, under = line, []
        elif heading is None:
            items.append(line)
        else:
            under.append(line)
    if heading is not None:
        # A closing line such as 特此函告。 belongs after the sections, not inside the last one.
        closing = [u for u in under if u in ("特此函告。", "特此复函。", "此复。")]
        items.append(Section(heading, tuple(u for u in under if u not in closing)))
        items.extend(closing)
    if extra_sections:
        # Before the closing lines that follow the last section (特此函告。), else at the end.
        tail = _trailing_count(items) if any(isinstance(i, Section) for i in items) else 0
        position = len(items) - tail
        items[position:position] = [Section(title, tuple(paragraphs)) for title, paragraphs in extra_sections]
    return items


def _trailing_count(items: list[str | Section]) -> int:
    count = 0
    for item in reversed(items):
        if not isinstance(item, str):
            break
        count += 1
    return count


def render_official_docx(
    *, issuer: str, doc_number: str, title: str, addressee: str, lines: Sequence[str],
    extra_sections: Sequence[tuple[str, Sequence[str]]] = (), signer: str, day: date,
) -> bytes:
    return build_official_document(issuer=issuer, doc_number=doc_number, title=title, addressee=addressee,
                                   body=body_items(lines, extra_sections), signer=signer, date=day)


def docx_plain_text(data: bytes) -> str:
    return docx_text(data)
