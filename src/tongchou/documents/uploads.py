"""Checks an uploaded file before anything else touches it (SECURITY.md, "Files and exports").

The type is decided by the content, never by the name; Office files (zip packages) are checked for
entry count, total uncompressed size, compression ratio, unsafe entry names, nested archives and
macros before any parser sees them, and every XML part is parsed once with `defusedxml`, which refuses
DTDs (billion laughs, external entities). Refusals are `UploadRejected` with a Chinese message that
names the problem and says what to do.
"""

from __future__ import annotations

import io
import os
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from typing import IO, Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from defusedxml.ElementTree import parse as defused_parse

from tongchou.core_errors import DomainError
from tongchou.crypto.sm import sm3_hex

PDF, PNG, JPEG, DOCX, XLSX = "pdf", "png", "jpeg", "docx", "xlsx"
KIND_LABELS = {PDF: "PDF 文档", PNG: "PNG 图片", JPEG: "JPEG 图片", DOCX: "Word 文档（.docx）",
               XLSX: "Excel 表格（.xlsx）"}
CONTENT_TYPES = {
    PDF: "application/pdf",
    PNG: "image/png",
    JPEG: "image/jpeg",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXTENSIONS = {PDF: ".pdf", PNG: ".png", JPEG: ".jpg", DOCX: ".docx", XLSX: ".xlsx"}
_EXTENSION_ALIASES = {".jpeg": JPEG, ".jpg": JPEG, ".pdf": PDF, ".png": PNG, ".docx": DOCX, ".xlsx": XLSX}

# Limits for zip-based Office files. A real application .docx or a 10,000-row .xlsx stays far below.
MAX_ZIP_ENTRIES = 2000
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100  # whole package; XML compresses ~5–20×, bombs 1000× and more
MAX_ENTRY_RATIO = 200  # one entry, checked when it inflates past RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024

_OFFICE_MAIN = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
}
_CANONICAL_MAIN = {DOCX: "word/document.xml", XLSX: "xl/workbook.xml"}
_MACRO_MAIN = {
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
    "application/vnd.ms-excel.sheet.binary.macroEnabled.main",
}
_NESTED_SUFFIXES = (".zip", ".docx", ".xlsx", ".pptx", ".docm", ".xlsm", ".jar", ".rar", ".7z", ".exe", ".dll")
# Content that makes a part an embedded package or OLE object whatever its name (printer settings
# .bin parts, which Excel and Word write routinely, are neither and stay allowed).
_NESTED_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"Rar!", b"7z\xbc\xaf", b"MZ")
_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"

# What an unwanted file is, so the refusal can say it.
_KNOWN_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"MZ", "Windows 可执行程序"),
    (b"\x7fELF", "Linux 可执行程序"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "旧版 Office 文档（.doc/.xls），请另存为 .docx 或 .xlsx"),
    (b"Rar!", "RAR 压缩包"),
    (b"7z\xbc\xaf\x27\x1c", "7z 压缩包"),
    (b"\x1f\x8b", "gzip 压缩包"),
    (b"GIF8", "GIF 图片"),
    (b"#!", "脚本文件"),
    (b"<", "网页或 XML 文件"),
)


class UploadRejected(DomainError):
    status = 400

    def __init__(self, message: str, *, code: str, hint: str | None = None) -> None:
        super().__init__(message, code=code, hint=hint, field="file")


@dataclass(frozen=True)
class UploadCheck:
    kind: str  # pdf / png / jpeg / docx / xlsx, from the content
    display_name: str  # safe to show and to put in Content-Disposition
    size: int
    sm3: str
    data: bytes

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.kind]

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.kind]


# ---------------------------------------------------------------- names

_RESERVED = re.compile(r'[<>:"/\\|?*]')
MAX_NAME_LENGTH = 120


def sanitise_filename(name: str | None, *, kind: str | None = None) -> str:
    """The name a person sees: no directories, no control or direction-override characters, no
    characters Windows refuses; Chinese kept; the extension made to match the detected type."""
    text = unicodedata.normalize("NFC", name or "")
    text = re.split(r"[/\\]", text)[-1]  # the last path component, whatever the client's separator
    text = "".join(ch for ch in text if unicodedata.category(ch) not in {"Cc", "Cf", "Cs", "Co", "Cn"})
    text = _RESERVED.sub("_", text)
    text = re.sub(r"\s+", " ", text).strip().lstrip(".").strip()
    stem, ext = os.path.splitext(text)
    if kind is not None:
        wanted = EXTENSIONS[kind]
        if _EXTENSION_ALIASES.get(ext.lower()) == kind:
            wanted = ext.lower()
        else:
            stem = text  # keep what the user wrote (e.g. "报告.exe") visible, then the true extension
        ext = wanted
    stem = stem.strip() or "未命名文件"
    stem = stem[: MAX_NAME_LENGTH - len(ext)]
    return stem + ext


# ---------------------------------------------------------------- reading


def _read_limited(source: bytes | IO[bytes] | Any, max_bytes: int) -> bytes:
    """Reads at most max_bytes + 1 so an oversized upload is refused without being held whole."""
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
    else:
        declared = getattr(source, "size", None)
        if isinstance(declared, int) and declared > max_bytes:
            raise _too_big(declared, max_bytes)
        if hasattr(source, "seek"):
            try:
                source.seek(0)
            except (OSError, ValueError):
                pass  # a stream that cannot rewind is read from where it is
        chunks: list[bytes] = []
        total = 0
        if hasattr(source, "chunks"):  # Django's UploadedFile
            iterator = source.chunks()
        else:
            iterator = iter(lambda: source.read(64 * 1024), b"")
        for chunk in iterator:
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:
                break
        data = b"".join(chunks)
    if len(data) > max_bytes:
        raise _too_big(len(data), max_bytes)
    return data


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def _too_big(size: int, max_bytes: int) -> UploadRejected:
    return UploadRejected(
        f"文件过大（至少 {_megabytes(size)}），上限为 {_megabytes(max_bytes)}。",
        code="upload_too_large", hint="请压缩图片或拆分文件后重新上传。")


def sniff(data: bytes) -> str | None:
    """The type by magic bytes; zip packages need `_inspect_office` to tell DOCX from XLSX."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR":
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04"):
        return "zip"
    return None


def _describe_unknown(data: bytes) -> str:
    stripped = data.lstrip()
    for signature, label in _KNOWN_SIGNATURES:
        if stripped.startswith(signature):
            return label
    return "无法识别的格式"


def _allowed_text(allowed: set[str]) -> str:
    return "、".join(KIND_LABELS[k] for k in sorted(allowed))


def _refuse_type(found: str, allowed: set[str]) -> UploadRejected:
    return UploadRejected(f"不接受该文件：内容识别为{found}，这里只接受{_allowed_text(allowed)}。",
                          code="upload_type_refused",
                          hint="系统按文件内容而不是扩展名识别类型；请上传正确格式的文件。")


def inspect_upload(
    name: str | None,
    data: bytes | IO[bytes] | Any,
    *,
    allowed: set[str],
    max_bytes: int,
) -> UploadCheck:
    """Decides what an upload is and whether it may be kept. Raises `UploadRejected`."""
    unknown = set(allowed) - set(KIND_LABELS)
    if unknown:
        raise ValueError(f"unknown upload kinds {unknown}")
    content = _read_limited(data, max_bytes)
    if not content:
        raise UploadRejected("文件为空（0 字节）。", code="upload_empty", hint="请重新选择文件上传。")
    kind = sniff(content)
    if kind is None:
        raise _refuse_type(_describe_unknown(content), allowed)
    if kind == "zip":
        kind = _inspect_office(content)
    if kind not in allowed:
        raise _refuse_type(KIND_LABELS[kind], allowed)
    if kind == PDF and b"%%EOF" not in content[-2048:]:
        raise UploadRejected("PDF 文件不完整（缺少文件结尾标记），可能在传输中被截断。",
                             code="upload_truncated", hint="请重新导出 PDF 后上传。")
    return UploadCheck(kind=kind, display_name=sanitise_filename(name, kind=kind), size=len(content),
                       sm3=sm3_hex(content), data=content)


def _unsafe_member_name(name: str) -> bool:
    if not name or name.startswith(("/", "\\")) or "\\" in name or "\x00" in name:
        return True
    if re.match(r"^[A-Za-z]:", name):
        return True
    return any(part == ".." for part in name.split("/"))


def _inspect_office(content: bytes) -> str:
    """Checks a zip package before any parser reads it, then tells DOCX from XLSX."""
    broken = UploadRejected("文件已损坏，无法识别为 Word 或 Excel 文件（压缩包结构无法读取）。", code="upload_zip_broken",
                            hint="请用 Office 或 WPS 打开后另存，再上传。")
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise broken from exc
    if len(infos) > MAX_ZIP_ENTRIES:
        raise UploadRejected(f"压缩包内文件过多（{len(infos)} 个，上限 {MAX_ZIP_ENTRIES} 个），疑似异常文件。",
                             code="upload_zip_entries")
    total = 0
    packed = 0
    for info in infos:
        if _unsafe_member_name(info.filename):
            raise UploadRejected(f"压缩包内含不安全的路径「{info.filename[:80]}」，已拒收。",
                                 code="upload_zip_path")
        if info.flag_bits & 0x1:
            raise UploadRejected("文件已加密，无法检查其内容。", code="upload_encrypted",
                                 hint="请取消密码保护后重新上传。")
        total += info.file_size
        packed += info.compress_size
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_ENTRY_RATIO * max(info.compress_size, 1):
            raise _bomb(total)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise UploadRejected(f"文件解压后过大（{_megabytes(total)}，上限 {_megabytes(MAX_UNCOMPRESSED_BYTES)}）。",
                             code="upload_zip_size", hint="请拆分文件后重新上传。")
    # Measured against the compressed bytes the entries declare, not the file's length, so padding the
    # package (a long comment, junk between entries) cannot dilute the ratio (the check the project
    # attachments' own pipeline made before ADR 0160).
    if total > RATIO_FLOOR and total > MAX_COMPRESSION_RATIO * max(min(packed, len(content)), 1):
        raise _bomb(total)
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names:
        raise _refuse_type("普通 ZIP 压缩包", set(KIND_LABELS))
    for info in infos:
        lowered = info.filename.lower()
        if (lowered.endswith(_NESTED_SUFFIXES) or lowered.endswith("vbaproject.bin")
                or "/embeddings/" in f"/{lowered}" or _starts_with(archive, info, _NESTED_MAGIC)):
            raise UploadRejected("文件中嵌入了其他文件或宏（如嵌入的表格、压缩包、宏代码），出于安全原因不予接收。",
                                 code="upload_nested", hint="请删除嵌入对象，或另存为不含宏的 .docx/.xlsx 后上传。")
    kind = _main_part_kind(archive)
    for info in infos:
        lowered = info.filename.lower()
        if lowered.endswith((".xml", ".rels")):
            _parse_xml_part(archive, info)
        elif lowered.endswith(".vml"):
            _scan_vml_part(archive, info)
    return kind


def _bomb(total: int) -> UploadRejected:
    return UploadRejected(f"文件解压后体积异常（{_megabytes(total)}），压缩比过高，疑似“压缩炸弹”，已拒收。",
                          code="upload_zip_bomb")


def _main_part_kind(archive: zipfile.ZipFile) -> str:
    try:
        with archive.open("[Content_Types].xml") as stream:
            root = defused_parse(stream, forbid_dtd=True).getroot()
    except (DefusedXmlException, SyntaxError, zipfile.BadZipFile, ValueError, EOFError, zlib.error,
            NotImplementedError) as exc:
        raise _bad_xml("[Content_Types].xml") from exc
    kinds = set()
    for default in root.iter(f"{_CT_NS}Default"):  # a few generators declare the main part this way
        content_type = default.get("ContentType", "")
        if content_type in _MACRO_MAIN:
            raise UploadRejected("文件含有宏（.docm/.xlsm），出于安全原因不予接收。", code="upload_macro",
                                 hint="请另存为不含宏的 .docx 或 .xlsx 后上传。")
        kind = _OFFICE_MAIN.get(content_type)
        if kind and _CANONICAL_MAIN[kind] in archive.NameToInfo:
            kinds.add(kind)
    for override in root.iter(f"{_CT_NS}Override"):
        content_type = override.get("ContentType", "")
        part = override.get("PartName", "").lstrip("/")
        if content_type in _MACRO_MAIN:
            raise UploadRejected("文件含有宏（.docm/.xlsm），出于安全原因不予接收。", code="upload_macro",
                                 hint="请另存为不含宏的 .docx 或 .xlsx 后上传。")
        if content_type in _OFFICE_MAIN and part in archive.NameToInfo:
            kinds.add(_OFFICE_MAIN[content_type])
    if len(kinds) != 1:
        raise _refuse_type("无法识别的 Office 文件（如 .pptx 或模板文件）", set(KIND_LABELS))
    return kinds.pop()


def _bad_xml(part: str) -> UploadRejected:
    return UploadRejected(f"文件内部结构不合规（{part[:80]} 无法安全解析，可能含有实体声明等危险内容），已拒收。",
                          code="upload_bad_xml", hint="请用 Office 或 WPS 打开后另存，再上传。")


def _parse_xml_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """One streaming pass with defusedxml; elements are dropped as they close so memory stays flat."""
    try:
        with archive.open(info) as stream:
            for _event, element in iterparse(stream, events=("end",), forbid_dtd=True):
                element.clear()
    except (DefusedXmlException, SyntaxError, zipfile.BadZipFile, ValueError, EOFError, zlib.error,
            NotImplementedError) as exc:
        raise _bad_xml(info.filename) from exc


def _scan_vml_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Legacy VML (comment shapes) is often not well-formed XML even when Excel wrote it, so it is not
    parsed; it may still not declare a DTD or entities. Neither openpyxl nor python-docx parses it."""
    try:
        with archive.open(info) as stream:
            head = stream.read(MAX_UNCOMPRESSED_BYTES).lower()
    except (zipfile.BadZipFile, ValueError, EOFError, zlib.error, NotImplementedError) as exc:
        raise _bad_xml(info.filename) from exc
    if b"<!doctype" in head or b"<!entity" in head:
        raise _bad_xml(info.filename)


def _starts_with(archive: zipfile.ZipFile, info: zipfile.ZipInfo, prefixes: tuple[bytes, ...]) -> bool:
    if info.is_dir() or info.file_size == 0:
        return False
    try:
        with archive.open(info) as stream:
            head = stream.read(8)
    except (zipfile.BadZipFile, ValueError, EOFError, NotImplementedError, zlib.error) as exc:
        raise UploadRejected("文件已损坏，无法识别为 Word 或 Excel 文件（压缩包结构无法读取）。", code="upload_zip_broken",
                             hint="请用 Office 或 WPS 打开后另存，再上传。") from exc
    return head.startswith(prefixes)
