"""Uploads: type by content, zip and XML bombs, unsafe names — refused with a Chinese reason."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tongchou.documents.uploads import (
    DOCX,
    JPEG,
    PDF,
    PNG,
    XLSX,
    UploadRejected,
    inspect_upload,
    sanitise_filename,
)

ALL = {PDF, PNG, JPEG, DOCX, XLSX}
MB = 1024 * 1024
PDF_BYTES = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40 + b"\xff\xd9"


def _docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("申报材料")
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _xlsx() -> bytes:
    wb = openpyxl.Workbook()
    wb.active["A1"] = "项目名称"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _rezip(source: bytes, *, add: dict[str, bytes] | None = None, replace: dict[str, bytes] | None = None) -> bytes:
    """An Office package with parts added or replaced, as an attacker would craft it."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = (replace or {}).get(info.filename, zin.read(info))
            zout.writestr(info.filename, data)
        for name, data in (add or {}).items():
            zout.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(("data", "kind"), [(PDF_BYTES, PDF), (PNG_BYTES, PNG), (JPEG_BYTES, JPEG)])
def test_types_by_magic_bytes(data, kind):
    check = inspect_upload("附件", data, allowed=ALL, max_bytes=MB)
    assert check.kind == kind
    assert check.size == len(data) and len(check.sm3) == 64


def test_docx_and_xlsx_told_apart_by_their_main_part_not_their_name():
    assert inspect_upload("表格.docx", _xlsx(), allowed=ALL, max_bytes=MB).kind == XLSX
    check = inspect_upload("方案.xlsx", _docx(), allowed=ALL, max_bytes=MB)
    assert check.kind == DOCX
    assert check.display_name == "方案.xlsx.docx"
    assert check.content_type.endswith("wordprocessingml.document")


def test_renamed_exe_refused():
    with pytest.raises(UploadRejected, match="Windows 可执行程序") as caught:
        inspect_upload("报告.pdf", b"MZ\x90\x00" + b"\x00" * 100, allowed={PDF}, max_bytes=MB)
    assert caught.value.code == "upload_type_refused"
    assert "PDF 文档" in caught.value.message


def test_allowed_type_enforced():
    with pytest.raises(UploadRejected, match="只接受Excel 表格"):
        inspect_upload("需求.xlsx", _docx(), allowed={XLSX}, max_bytes=MB)


def test_oversize_refused_without_reading_everything():
    big = io.BytesIO(PDF_BYTES + b"0" * (2 * MB))
    with pytest.raises(UploadRejected, match="文件过大") as caught:
        inspect_upload("大文件.pdf", big, allowed=ALL, max_bytes=MB)
    assert caught.value.code == "upload_too_large"
    assert big.tell() <= MB + 128 * 1024


def test_django_uploaded_file_accepted():
    upload = SimpleUploadedFile("../../etc/可研报告.pdf", PDF_BYTES, content_type="text/plain")
    check = inspect_upload(upload.name, upload, allowed={PDF}, max_bytes=MB)
    assert check.kind == PDF and check.display_name == "可研报告.pdf"


def test_empty_and_truncated_refused():
    with pytest.raises(UploadRejected, match="文件为空"):
        inspect_upload("a.pdf", b"", allowed=ALL, max_bytes=MB)
    with pytest.raises(UploadRejected, match="不完整"):
        inspect_upload("a.pdf", b"%PDF-1.7\n1 0 obj", allowed=ALL, max_bytes=MB)


def test_zip_bomb_refused_before_parsing():
    """A 100 KB package that would inflate to 60 MB of zeros is refused by its ratio."""
    bomb = _rezip(_xlsx(), add={"xl/media/zeros.xml": b"\x00" * (60 * MB)})
    assert len(bomb) < 200 * 1024
    with pytest.raises(UploadRejected, match="压缩炸弹") as caught:
        inspect_upload("需求.xlsx", bomb, allowed=ALL, max_bytes=MB)
    assert caught.value.code == "upload_zip_bomb"


def test_too_many_entries_refused():
    crowded = _rezip(_xlsx(), add={f"xl/junk/{i}.txt": b"" for i in range(2100)})
    with pytest.raises(UploadRejected, match="文件过多"):
        inspect_upload("需求.xlsx", crowded, allowed=ALL, max_bytes=5 * MB)


@pytest.mark.parametrize("name", ["../../evil.xml", "/etc/passwd", "xl\\..\\evil.xml", "C:/evil.xml"])
def test_path_like_entries_refused(name):
    with pytest.raises(UploadRejected, match="不安全的路径"):
        inspect_upload("需求.xlsx", _rezip(_xlsx(), add={name: b"x"}), allowed=ALL, max_bytes=MB)


def test_nested_archive_refused():
    nested = _rezip(_docx(), add={"word/embeddings/Microsoft_Excel_Worksheet.xlsx": _xlsx()})
    with pytest.raises(UploadRejected, match="嵌入") as caught:
        inspect_upload("方案.docx", nested, allowed=ALL, max_bytes=MB)
    assert caught.value.code == "upload_nested"


@pytest.mark.parametrize(("name", "data"), [
    ("word/media/image1.png", b"PK\x03\x04 a zip hiding behind an image name"),
    ("word/embeddings/oleObject1.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 ole"),
    ("word/activeX/activeX1.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 ole"),
    ("word/vbaProject.bin", b"anything"),
])
def test_embedded_objects_refused_by_name_or_content(name, data):
    with pytest.raises(UploadRejected, match="嵌入"):
        inspect_upload("方案.docx", _rezip(_docx(), add={name: data}), allowed=ALL, max_bytes=MB)


def test_printer_settings_part_accepted():
    """Excel writes printer settings as a .bin part; that is not an embedded object."""
    data = _rezip(_xlsx(), add={"xl/printerSettings/printerSettings1.bin": b"\x00DEVMODE" + b"\x01" * 200})
    assert inspect_upload("需求.xlsx", data, allowed=ALL, max_bytes=MB).kind == XLSX


def test_billion_laughs_refused():
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                         for i in range(1, 10))
              + b']><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">&lol9;</sst>')
    bad = _rezip(_xlsx(), add={"xl/sharedStrings.xml": laughs})
    with pytest.raises(UploadRejected, match="无法安全解析") as caught:
        inspect_upload("需求.xlsx", bad, allowed=ALL, max_bytes=MB)
    assert caught.value.code == "upload_bad_xml"


def test_external_entity_refused():
    xxe = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    with pytest.raises(UploadRejected, match="无法安全解析"):
        inspect_upload("a.docx", _rezip(_docx(), replace={"word/document.xml": xxe}), allowed=ALL, max_bytes=MB)


def test_macro_package_and_plain_zip_refused():
    macro_types = (b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   b'<Override PartName="/xl/workbook.xml" '
                   b'ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/></Types>')
    with pytest.raises(UploadRejected, match="宏"):
        inspect_upload("a.xlsx", _rezip(_xlsx(), replace={"[Content_Types].xml": macro_types}),
                       allowed=ALL, max_bytes=MB)
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w") as z:
        z.writestr("readme.txt", "hi")
    with pytest.raises(UploadRejected, match="普通 ZIP 压缩包"):
        inspect_upload("a.xlsx", plain.getvalue(), allowed=ALL, max_bytes=MB)


def test_broken_zip_refused():
    with pytest.raises(UploadRejected, match="已损坏"):
        inspect_upload("a.xlsx", _xlsx()[:300], allowed=ALL, max_bytes=MB)


@pytest.mark.parametrize(("raw", "kind", "shown"), [
    ("../../etc/passwd", PDF, "passwd.pdf"),
    ("C:\\Users\\张三\\桌面\\可研报告.PDF", PDF, "可研报告.pdf"),
    ("报告\u202etxt.exe", PDF, "报告txt.exe.pdf"),
    ("a\x00b\r\nc.png", PNG, "abc.png"),
    ("...", JPEG, "未命名文件.jpg"),
    ("照片.jpeg", JPEG, "照片.jpeg"),
    ('名称<>:"|?*.docx', DOCX, "名称_______.docx"),
    ("长" * 300 + ".xlsx", XLSX, "长" * 115 + ".xlsx"),
])
def test_display_name_sanitised(raw, kind, shown):
    assert sanitise_filename(raw, kind=kind) == shown


def test_vml_with_entities_refused_but_loose_vml_accepted():
    loose = b'<xml xmlns:v="urn:schemas-microsoft-com:vml"><v:shape><br></v:shape></xml>'
    ok = _rezip(_xlsx(), add={"xl/drawings/vmlDrawing1.vml": loose})
    assert inspect_upload("a.xlsx", ok, allowed=ALL, max_bytes=MB).kind == XLSX
    evil = b'<!DOCTYPE x [<!ENTITY a "aaaa">]><xml>&a;</xml>'
    with pytest.raises(UploadRejected, match="无法安全解析"):
        inspect_upload("a.xlsx", _rezip(_xlsx(), add={"xl/drawings/vmlDrawing1.vml": evil}), allowed=ALL,
                       max_bytes=MB)


def test_main_part_declared_by_default_content_type():
    types = (b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             b'<Default Extension="xml" ContentType="application/vnd.openxmlformats-officedocument.'
             b'wordprocessingml.document.main+xml"/></Types>')
    check = inspect_upload("a", _rezip(_docx(), replace={"[Content_Types].xml": types}), allowed=ALL, max_bytes=MB)
    assert check.kind == DOCX


FIXTURES = Path(__file__).with_name("fixtures")


def test_files_saved_by_another_office_program_accepted():
    """Files re-saved by LibreOffice (its own zip layout, VML comment shapes, custom properties) pass."""
    xlsx = (FIXTURES / "needs-saved-by-libreoffice.xlsx").read_bytes()
    assert inspect_upload("需求表.xlsx", xlsx, allowed=ALL, max_bytes=MB).kind == XLSX
    docx_bytes = (FIXTURES / "opinion-saved-by-libreoffice.docx").read_bytes()
    check = inspect_upload("审查意见.docx", docx_bytes, allowed=ALL, max_bytes=MB)
    assert check.kind == DOCX and check.display_name == "审查意见.docx"


def test_padding_does_not_dilute_the_compression_ratio():
    """ADR 0160: the ratio is measured against the compressed sizes the entries declare (as the project
    attachments' own check did), so a long zip comment cannot hide a bomb of moderate entries."""
    import random

    noise = random.Random(1).randbytes(10 * 1024)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for i in range(10):
            archive.writestr(f"word/part{i}.xml", noise + b"0" * (1536 * 1024))
        archive.comment = b"p" * 65535
    data = buf.getvalue()
    infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    total = sum(i.file_size for i in infos)
    assert total < 100 * len(data) and total > 100 * sum(i.compress_size for i in infos)
    with pytest.raises(UploadRejected) as caught:
        inspect_upload("填充.docx", data, allowed=ALL, max_bytes=20 * MB)
    assert caught.value.code == "upload_zip_bomb"


def test_a_small_well_compressed_package_is_not_a_bomb():
    """Below 1 MB decompressed nothing can exhaust memory, so a tiny, very compressible file passes
    (the older project check had no floor and refused such files)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml",
                         '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                         '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
                         'officedocument.wordprocessingml.document.main+xml"/></Types>')
        archive.writestr("word/document.xml", b"<document>" + b" " * 900_000 + b"</document>")
    data = buf.getvalue()
    infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    assert sum(i.file_size for i in infos) > 100 * sum(i.compress_size for i in infos)  # the old check refused it
    assert inspect_upload("小.docx", data, allowed=ALL, max_bytes=MB).kind == DOCX


def test_a_broken_deflate_stream_is_refused_not_a_traceback():
    source = _docx()
    data = bytearray(source)
    info = zipfile.ZipFile(io.BytesIO(source)).getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start:start + info.compress_size] = b"\xff" * info.compress_size
    with pytest.raises(UploadRejected) as caught:
        inspect_upload("损坏.docx", bytes(data), allowed=ALL, max_bytes=MB)
    assert caught.value.code in {"upload_zip_broken", "upload_bad_xml"}
    assert "文件" in caught.value.message
