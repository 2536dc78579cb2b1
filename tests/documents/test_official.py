"""The consolidated opinion as a GB/T 9704 official document: opened again and checked."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt

from tongchou.core_errors import DomainError
from tongchou.documents.official import (
    Section,
    build_official_document,
    chinese_date,
    docx_text,
    heading_text,
    normalise_doc_number,
)

OPINION = dict(
    issuer="昌吉州数字化发展局",
    doc_number="昌州数发〔2025〕12号",
    title="关于州教育局智慧教育平台建设项目的\n行业主管部门审查意见",
    addressee="州教育局",
    body=[
        "你单位报送的《智慧教育平台建设项目可行性研究报告》收悉。经联合会审，现提出审查意见如下：",
        Section("总体意见", ["项目建设必要，原则同意。"]),
        Section("各成员单位意见", [
            Section("州党委机要保密局", ["密码应用方案基本可行，须在初步设计中细化。"]),
            Section("州财政局", ["建议核减投资 35 万元。"]),
        ]),
    ],
    signer="昌吉州数字化发展局",
    date=dt.date(2025, 3, 5),
    attachments=["专家评审意见", "投资核减明细表"],
    copy_to="州发改委，州财政局",
)


@pytest.fixture(scope="module")
def document():
    return docx.Document(io.BytesIO(build_official_document(**OPINION)))


def _paragraph(document, text):
    return next(p for p in document.paragraphs if p.text == text)


def _east_asia(run) -> str:
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


def test_text_in_order():
    text = docx_text(build_official_document(**OPINION))
    expected = ["昌吉州数字化发展局文件", "昌州数发〔2025〕12号", "关于州教育局智慧教育平台建设项目的", "行业主管部门审查意见",
                "州教育局：", "一、总体意见", "项目建设必要，原则同意。", "二、各成员单位意见", "（一）州党委机要保密局",
                "（二）州财政局", "附件：1. 专家评审意见", "2. 投资核减明细表", "昌吉州数字化发展局", "二〇二五年三月五日",
                "抄送：州发改委，州财政局。", "昌吉州数字化发展局\t2025年3月5日印发"]
    lines = [line for line in text.splitlines() if line]
    positions = [lines.index(e) for e in expected]
    assert positions == sorted(positions)


def test_page_a4_with_gbt9704_margins(document):
    section = document.sections[0]
    measured = [round(v.mm, 1) for v in (section.page_width, section.page_height, section.top_margin,
                                         section.bottom_margin, section.left_margin, section.right_margin)]
    assert measured == [210, 297, 37, 35, 28, 26]


def test_issuer_mark_red_xiaobiaosong_centred(document):
    mark = document.paragraphs[0]
    assert mark.text == "昌吉州数字化发展局文件"
    assert mark.alignment == WD_ALIGN_PARAGRAPH.CENTER
    run = mark.runs[0]
    assert _east_asia(run) == "方正小标宋简体" and run.font.name == "方正小标宋简体"
    assert str(run.font.color.rgb) == "FF0000"


def test_doc_number_centred_above_red_line(document):
    number = _paragraph(document, "昌州数发〔2025〕12号")
    assert number.alignment == WD_ALIGN_PARAGRAPH.CENTER
    bottom = number._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert bottom.get(qn("w:color")) == "FF0000" and bottom.get(qn("w:val")) == "single"
    assert _east_asia(number.runs[0]) == "仿宋_GB2312"


def test_title_xiaobiaosong_erhao_centred(document):
    title = _paragraph(document, "行业主管部门审查意见")
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert _east_asia(title.runs[0]) == "方正小标宋简体"
    assert title.runs[0].font.size == Pt(22)


def test_body_fangsong_sanhao_fixed_28pt_two_character_indent(document):
    body = _paragraph(document, "项目建设必要，原则同意。")
    run = body.runs[0]
    assert _east_asia(run) == "仿宋_GB2312" and run.font.size == Pt(16)
    fmt = body.paragraph_format
    assert fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY and fmt.line_spacing == Pt(28)
    assert fmt.first_line_indent == Pt(32)
    assert body._p.pPr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "200"
    addressee = _paragraph(document, "州教育局：")
    assert addressee.paragraph_format.first_line_indent is None


def test_heading_levels_heiti_then_kaiti(document):
    assert _east_asia(_paragraph(document, "一、总体意见").runs[0]) == "黑体"
    assert _east_asia(_paragraph(document, "（二）州财政局").runs[0]) == "楷体_GB2312"


def test_signature_and_chinese_date_right_aligned(document):
    date = _paragraph(document, "二〇二五年三月五日")
    assert date.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    signers = [p for p in document.paragraphs if p.text == "昌吉州数字化发展局"]
    assert signers[-1].alignment == WD_ALIGN_PARAGRAPH.RIGHT


def test_page_number_footer_dash_form(document):
    section = document.sections[0]
    assert document.settings.odd_and_even_pages_header_footer
    for footer in (section.footer, section.even_page_footer):
        paragraph = footer.paragraphs[0]
        assert paragraph.text == "— 1 —"
        assert "PAGE" in paragraph._p.xml


def test_east_asian_font_in_normal_style(document):
    r_fonts = document.styles["Normal"].element.rPr.rFonts
    assert r_fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"


@pytest.mark.parametrize(("day", "text"), [
    (dt.date(2025, 3, 5), "二〇二五年三月五日"),
    (dt.date(2026, 10, 10), "二〇二六年十月十日"),
    (dt.date(2030, 12, 31), "二〇三〇年十二月三十一日"),
    (dt.date(2025, 11, 20), "二〇二五年十一月二十日"),
])
def test_chinese_date(day, text):
    assert chinese_date(day) == text


@pytest.mark.parametrize(("raw", "normal"), [
    ("昌州数发〔2025〕12号", "昌州数发〔2025〕12号"),
    ("昌州数发[2025]012号", "昌州数发〔2025〕12号"),
    ("昌州数发（2025）第3号", "昌州数发〔2025〕3号"),
    ("昌州数发【2025】7 号", "昌州数发〔2025〕7号"),
])
def test_doc_number_normalised(raw, normal):
    assert normalise_doc_number(raw) == normal


@pytest.mark.parametrize("raw", ["", "12号", "昌州数发2025-12", "昌州数发〔25〕12号", "昌州数发〔2025〕0号"])
def test_bad_doc_number_refused_naming_the_field(raw):
    with pytest.raises(DomainError) as caught:
        normalise_doc_number(raw)
    assert caught.value.field == "doc_number"


def test_document_uses_normalised_number_and_arabic_option():
    data = build_official_document(**{**OPINION, "doc_number": "昌州数发[2025]012号", "date_style": "arabic",
                                      "attachments": ["专家意见"], "copy_to": None})
    text = docx_text(data)
    assert "昌州数发〔2025〕12号" in text and "2025年3月5日" in text and "二〇二五" not in text
    assert "附件：专家意见" in text and "抄送" not in text


def test_empty_body_refused():
    with pytest.raises(DomainError, match="正文不能为空"):
        build_official_document(**{**OPINION, "body": ["  "]})


def test_already_numbered_headings_kept():
    assert heading_text("一、总体意见", 1, 3) == "一、总体意见"
    assert heading_text("总体意见", 1, 12) == "十二、总体意见"
    assert heading_text("细节", 3, 2) == "2. 细节"
