"""Checks on an uploaded .xlsx before openpyxl parses it (SECURITY.md: size, type by content, zip bombs)."""

from __future__ import annotations

import io
import zipfile

from tongchou.core_errors import DomainError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ENTRIES = 500
MAX_UNCOMPRESSED = 50 * 1024 * 1024
MAX_RATIO = 100


def checked_xlsx_bytes(data: bytes) -> io.BytesIO:
    if len(data) > MAX_UPLOAD_BYTES:
        raise DomainError("文件超过 5 MB，请拆分后分批导入", field="file")
    if not data.startswith(b"PK\x03\x04"):
        raise DomainError("文件不是 .xlsx 格式（请用 Excel 或 WPS 另存为 .xlsx）", field="file")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ENTRIES:
                raise DomainError("文件结构异常（压缩包条目过多），已拒绝", field="file")
            total = sum(i.file_size for i in infos)
            packed = sum(i.compress_size for i in infos) or 1
            if total > MAX_UNCOMPRESSED or total / packed > MAX_RATIO:
                raise DomainError("文件解压后过大或压缩比异常，已拒绝", field="file")
            if "xl/workbook.xml" not in archive.namelist():
                raise DomainError("文件不是 .xlsx 工作簿", field="file")
    except zipfile.BadZipFile:
        raise DomainError("文件已损坏或不是 .xlsx 格式", field="file") from None
    return io.BytesIO(data)
