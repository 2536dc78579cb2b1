"""The consolidated opinion as a .docx in the layout of Chinese official documents (GB/T 9704).

Uses the shared builder `tongchou.documents.official.build_official_document` when it is installed;
until then a minimal layout of our own (below) with the same elements: 发文机关标志, 发文字号, 红色分隔线,
标题 (小标宋), 主送机关, 正文 (仿宋 三号, 首行缩进两字), 落款, 成文日期."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def render_official_docx(
    *, issuer: str, doc_number: str, title: str, addressee: str, paragraphs: Sequence[str], signer: str,
    day: date,
) -> bytes:
    try:
        from tongchou.documents.official import build_official_document  # type: ignore[import-not-found]
    except ImportError:
        return _fallback_docx(issuer=issuer, doc_number=doc_number, title=title, addressee=addressee,
                              paragraphs=paragraphs, signer=signer, day=day)
    return build_official_document(issuer=issuer, doc_number=doc_number, title=title, addressee=addressee,
                                   body="\n".join(paragraphs), signer=signer, date=day)


def docx_plain_text(data: bytes) -> str:
    try:
        from tongchou.documents.official import docx_text  # type: ignore[import-not-found]
    except ImportError:
        document = Document(io.BytesIO(data))
        return "\n".join(p.text for p in document.paragraphs)
    return docx_text(data)


def _run(paragraph, text: str, font: str, size: float, *, bold: bool = False, red: bool = False):  # type: ignore[no-untyped-def]
    run = paragraph.add_run(text)
    run.font.name = font
    run.font.size = Pt(size)
    run.font.bold = bold
    # East Asian text takes its font from w:eastAsia; Word and WPS ignore font.name for CJK.
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        fonts.set(qn(attr), font)
    if red:
        run.font.color.rgb = RGBColor(0xE6, 0x00, 0x12)
    return run


def _fallback_docx(
    *, issuer: str, doc_number: str, title: str, addressee: str, paragraphs: Sequence[str], signer: str,
    day: date,
) -> bytes:
    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)

    mark = document.add_paragraph()
    mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(mark, f"{issuer}文件", TITLE_FONT, 36, red=True)

    number = document.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(number, doc_number, BODY_FONT, 16)

    rule = document.add_paragraph()
    _run(rule, "─" * 28, BODY_FONT, 16, red=True)

    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(heading, title, TITLE_FONT, 22)

    to = document.add_paragraph()
    _run(to, f"{addressee}：", BODY_FONT, 16)

    for text in paragraphs:
        para = document.add_paragraph()
        para.paragraph_format.first_line_indent = Pt(32)
        is_heading = text[:2] in {"一、", "二、", "三、", "四、", "五、", "六、", "七、"}
        _run(para, text, HEADING_FONT if is_heading else BODY_FONT, 16)

    sign = document.add_paragraph()
    sign.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _run(sign, signer, BODY_FONT, 16)
    dated = document.add_paragraph()
    dated.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _run(dated, chinese_date(day), BODY_FONT, 16)

    props = document.core_properties
    props.title = title
    props.author = issuer
    props.identifier = doc_number
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
