"""Official documents (公文) in the layout of GB/T 9704-2012, as .docx (python-docx).

版头 (发文机关标志 in red 小标宋, 发文字号, red separator line), 主体 (标题, 主送机关, 正文 with its
heading levels, 附件说明, 发文机关署名, 成文日期), 版记 (抄送, 印发机关和印发日期) and page numbers
"— 1 —". Chinese font names are written into `w:rFonts/@w:eastAsia` as well as ASCII/hAnsi: Word and
WPS pick the East Asian font from that attribute only, so without it the text falls back to 宋体.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from docx import Document
from docx.enum.section import WD_SECTION_START
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from tongchou.core_errors import DomainError

# Font names as the 公文 templates in use spell them.
XIAOBIAOSONG = "方正小标宋简体"
FANGSONG = "仿宋_GB2312"
HEITI = "黑体"
KAITI = "楷体_GB2312"
SONGTI = "宋体"

# 字号 in points.
ERHAO, SANHAO, SIHAO = 22.0, 16.0, 14.0
BODY_LINE = Pt(28)  # fixed line spacing of the body
CHAR = SANHAO  # one character of body text, the unit of every indent
RED = RGBColor(0xFF, 0x00, 0x00)
BLACK = RGBColor(0, 0, 0)

_DIGITS = "〇一二三四五六七八九"
_DOC_NUMBER = re.compile(
    r"^(?P<prefix>[\u4e00-\u9fffA-Za-z]{1,20})\s*[〔\[［【(（]\s*(?P<year>\d{4})\s*[〕\]］】)）]\s*"
    r"第?(?P<serial>\d{1,5})\s*号$"
)


@dataclass(frozen=True)
class Section:
    """A titled part of the body. Nesting gives the levels: 一、 → （一） → 1. → （1）."""

    title: str
    body: Sequence[str | Section] = field(default_factory=tuple)


# ---------------------------------------------------------------- text rules


def chinese_number(n: int) -> str:
    """1–99 as written in dates: 五, 十, 十二, 二十, 三十一."""
    if not 0 < n < 100:
        raise ValueError(n)
    tens, units = divmod(n, 10)
    if tens == 0:
        return _DIGITS[units]
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[units] if units else "")


def chinese_date(day: dt.date) -> str:
    """二〇二五年三月五日."""
    year = "".join(_DIGITS[int(d)] for d in str(day.year))
    return f"{year}年{chinese_number(day.month)}月{chinese_number(day.day)}日"


def arabic_date(day: dt.date) -> str:
    """2025年3月5日 — GB/T 9704-2012's form (no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


def normalise_doc_number(value: str) -> str:
    """昌州数发[2025]012号 → 昌州数发〔2025〕12号 (六角括号, no 第, no leading zeros, per GB/T 9704)."""
    match = _DOC_NUMBER.match((value or "").strip())
    if not match:
        raise DomainError(
            f"文号“{value}”格式不正确。", code="doc_number_invalid", field="doc_number",
            hint="文号应为“机关代字〔年份〕序号号”，如：昌州数发〔2025〕12号。")
    serial = int(match["serial"])
    if serial == 0:
        raise DomainError("文号序号不能为 0。", code="doc_number_invalid", field="doc_number")
    return f"{match['prefix']}〔{match['year']}〕{serial}号"


_LEVEL_PATTERNS = (
    re.compile(r"^[一二三四五六七八九十]+、"),
    re.compile(r"^（[一二三四五六七八九十]+）"),
    re.compile(r"^\d+[.．]"),
    re.compile(r"^（\d+）"),
)


def _chinese_ordinal(n: int) -> str:
    return chinese_number(n) if n < 100 else str(n)


def heading_text(title: str, level: int, index: int) -> str:
    """The numbered heading, unless the author already numbered it."""
    title = title.strip()
    if level > len(_LEVEL_PATTERNS) or _LEVEL_PATTERNS[level - 1].match(title):
        return title
    number = (f"{_chinese_ordinal(index)}、", f"（{_chinese_ordinal(index)}）", f"{index}. ", f"（{index}）")[level - 1]
    return number + title


# ---------------------------------------------------------------- low-level formatting


def set_run_font(run, name: str, size: float, *, bold: bool = False, color: RGBColor = BLACK) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = color
    r_fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        r_fonts.set(qn(attribute), name)


def _format(paragraph: Paragraph, *, align=WD_ALIGN_PARAGRAPH.JUSTIFY, line: Pt = BODY_LINE,
            first_line_chars: float = 0, left_chars: float = 0, right_chars: float = 0) -> None:
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = line
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.first_line_indent = Pt(first_line_chars * CHAR) if first_line_chars else None
    fmt.left_indent = Pt(left_chars * CHAR) if left_chars else None
    fmt.right_indent = Pt(right_chars * CHAR) if right_chars else None
    if first_line_chars:
        # Character-based indent as well, so the indent stays two characters whatever the font size.
        ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
        ind.set(qn("w:firstLineChars"), str(int(first_line_chars * 100)))


def _paragraph(doc, text: str = "", *, font: str = FANGSONG, size: float = SANHAO, bold: bool = False,
               color: RGBColor = BLACK, **fmt) -> Paragraph:
    paragraph = doc.add_paragraph()
    _format(paragraph, **fmt)
    if text:
        set_run_font(paragraph.add_run(text), font, size, bold=bold, color=color)
    return paragraph


_AFTER_PBDR = {qn(f"w:{t}") for t in (
    "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE",
    "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents",
    "suppressOverlap", "jc", "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId",
    "cnfStyle", "rPr", "sectPr", "pPrChange")}


def _border(paragraph: Paragraph, side: str, *, color: str, size_eighths: int, space_pt: int = 0) -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    borders = p_pr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        # CT_PPr is a sequence: pBdr goes before every one of these that is present.
        anchor = next((child for child in p_pr if child.tag in _AFTER_PBDR), None)
        if anchor is not None:
            anchor.addprevious(borders)
        else:
            p_pr.append(borders)
    line = OxmlElement(f"w:{side}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(size_eighths))
    line.set(qn("w:space"), str(space_pt))
    line.set(qn("w:color"), color)
    borders.append(line)


def _page_number(paragraph: Paragraph) -> None:
    """"— N —" with a PAGE field, 4号 宋体 as GB/T 9704 §7.5 asks."""
    set_run_font(paragraph.add_run("— "), SONGTI, SIHAO)
    for kind, text in (("begin", ""), ("instr", " PAGE "), ("separate", ""), ("text", "1"), ("end", "")):
        run = paragraph.add_run()
        set_run_font(run, SONGTI, SIHAO)
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        elif kind == "text":
            run.text = text
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
    set_run_font(paragraph.add_run(" —"), SONGTI, SIHAO)


def _setup_styles(doc) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = FANGSONG
    normal.font.size = Pt(SANHAO)
    r_pr = normal.element.get_or_add_rPr()
    r_fonts = r_pr.get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        r_fonts.set(qn(attribute), FANGSONG)
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")


def _setup_page(doc) -> None:
    section = doc.sections[0]
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance = Mm(15)
    section.footer_distance = Mm(28)  # the page number sits about 7 mm below the text block
    doc.settings.odd_and_even_pages_header_footer = True
    odd = section.footer.paragraphs[0]
    _format(odd, align=WD_ALIGN_PARAGRAPH.RIGHT, line=Pt(20), right_chars=1)
    _page_number(odd)
    even = section.even_page_footer.paragraphs[0]
    _format(even, align=WD_ALIGN_PARAGRAPH.LEFT, line=Pt(20), left_chars=1)
    _page_number(even)


# ---------------------------------------------------------------- the document


def _mark_size(mark: str) -> float:
    """The largest size up to 42 pt at which the issuer's mark fits the 156 mm text width."""
    width_pt = 156 / 25.4 * 72
    return float(min(42, math.floor(width_pt * 0.95 / max(len(mark), 1) * 2) / 2))


def _body(doc, items: Iterable[str | Section], level: int) -> None:
    index = 0
    for item in items:
        if isinstance(item, Section):
            index += 1
            font = {1: HEITI, 2: KAITI}.get(level, FANGSONG)
            _paragraph(doc, heading_text(item.title, level, index), font=font, first_line_chars=2)
            _body(doc, item.body, level + 1)
        else:
            for line in str(item).splitlines() or [""]:
                if line.strip():
                    _paragraph(doc, line.strip(), first_line_chars=2)


def build_official_document(
    *,
    issuer: str,
    doc_number: str,
    title: str,
    addressee: str | None,
    body: Sequence[str | Section],
    signer: str,
    date: dt.date,
    attachments: Sequence[str] = (),
    copy_to: str | None = None,
    mark: str | None = None,
    date_style: str = "chinese",
    printed_on: dt.date | None = None,
) -> bytes:
    """The .docx bytes of one official document.

    `mark` is the 发文机关标志 (default: issuer + "文件"); `date_style` "chinese" writes 二〇二五年三月五日
    (as asked for Tongchou's opinions), "arabic" the 2025年3月5日 of GB/T 9704-2012 §7.3.5.
    """
    if not issuer.strip() or not title.strip() or not signer.strip():
        raise DomainError("发文机关、标题和署名都不能为空。", code="document_incomplete")
    if not any((isinstance(b, Section) or str(b).strip()) for b in body):
        raise DomainError("正文不能为空。", code="document_incomplete", field="body")
    number = normalise_doc_number(doc_number)
    written_date = chinese_date(date) if date_style == "chinese" else arabic_date(date)
    mark_text = (mark or f"{issuer}文件").strip()

    doc = Document()
    _setup_styles(doc)
    _setup_page(doc)
    first = doc.add_paragraph()
    _format(first, align=WD_ALIGN_PARAGRAPH.CENTER, line=Pt(_mark_size(mark_text) * 1.3))
    set_run_font(first.add_run(mark_text), XIAOBIAOSONG, _mark_size(mark_text), color=RED)

    _paragraph(doc)
    _paragraph(doc)
    number_paragraph = _paragraph(doc, number, align=WD_ALIGN_PARAGRAPH.CENTER)
    _border(number_paragraph, "bottom", color="FF0000", size_eighths=12, space_pt=11)  # 4 mm below 文号

    _paragraph(doc)
    _paragraph(doc)
    for line in title.strip().splitlines():
        _paragraph(doc, line.strip(), font=XIAOBIAOSONG, size=ERHAO, align=WD_ALIGN_PARAGRAPH.CENTER, line=Pt(35))
    _paragraph(doc)
    if addressee and addressee.strip():
        _paragraph(doc, addressee.strip().rstrip("：:") + "：")

    _body(doc, body, 1)

    if attachments:
        _paragraph(doc)
        if len(attachments) == 1:
            _paragraph(doc, f"附件：{attachments[0].strip()}", first_line_chars=2)
        else:
            for i, name in enumerate(attachments, start=1):
                text = f"附件：{i}. {name.strip()}" if i == 1 else f"{i}. {name.strip()}"
                _paragraph(doc, text, first_line_chars=2 if i == 1 else 5)

    # 落款: the signer centred over the date, the date four characters from the right edge.
    _paragraph(doc)
    _paragraph(doc)
    shift = max(len(written_date) - len(signer), 0) / 2
    _paragraph(doc, signer.strip(), align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=4 + shift)
    _paragraph(doc, written_date, align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=4)

    # 版记.
    _paragraph(doc)
    printed = printed_on or date
    if copy_to and copy_to.strip():
        cc = _paragraph(doc, f"抄送：{copy_to.strip().rstrip('。')}。", size=SIHAO, left_chars=1, right_chars=1,
                        line=Pt(24))
        _border(cc, "top", color="000000", size_eighths=8)
    imprint = _paragraph(doc, size=SIHAO, left_chars=1, right_chars=1, line=Pt(24))
    if not (copy_to and copy_to.strip()):
        _border(imprint, "top", color="000000", size_eighths=8)
    _border(imprint, "bottom", color="000000", size_eighths=8)
    imprint.paragraph_format.tab_stops.add_tab_stop(Mm(156) - Pt(CHAR), WD_TAB_ALIGNMENT.RIGHT)
    set_run_font(imprint.add_run(f"{issuer}\t{arabic_date(printed)}印发"), FANGSONG, SIHAO)

    props = doc.core_properties
    props.title = title.replace("\n", "")
    props.author = issuer
    props.subject = number
    props.last_modified_by = "统筹"
    props.comments = f"{number}（{written_date}）"
    stamp = dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC)
    props.created = props.modified = stamp
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def docx_text(data: bytes) -> str:
    """The body text of a .docx, one paragraph per line (tables after), for tests and previews."""
    document = Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(lines)
