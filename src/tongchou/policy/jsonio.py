"""JSON in and out, shared by the CLI and the HTTP API.

Numbers with a fraction are read as Decimal so money keeps its decimal value exactly (0.07 stays
0.07 and the 10 % comparison of Art. 29 carries no binary rounding); NaN and Infinity are refused.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any


def _reject_constant(name: str) -> Any:
    raise ValueError(f"不允许的数值 {name}")


_std_decode = json.JSONDecoder(parse_float=Decimal, parse_constant=_reject_constant).decode


def _std(text: str | bytes) -> Any:
    try:
        return _std_decode(text if isinstance(text, str) else text.decode("utf-8"))
    except RecursionError:
        raise ValueError("嵌套层级过深") from None


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"无法输出为 JSON：{type(value).__name__}")


encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=_default).encode

try:  # msgspec is 3× faster to read and 7× faster to write than the standard library (bench/assess.py)
    import msgspec
except ImportError:  # pragma: no cover — the standard library gives the same values, only slower
    msgspec = None  # type: ignore[assignment]


if msgspec is not None:
    _fast_decode = msgspec.json.Decoder(float_hook=Decimal).decode
    _fast_encode = msgspec.json.Encoder(decimal_format="number").encode
    _DecodeError = msgspec.DecodeError

    def decode(text: str | bytes) -> Any:
        """Parses JSON; where msgspec refuses, the standard library decides and explains in Chinese."""
        try:
            return _fast_decode(text)
        except _DecodeError:
            return _std(text)
        except RecursionError:
            raise ValueError("嵌套层级过深") from None

    def encode_bytes(value: Any) -> bytes:
        """Compact UTF-8 JSON (non-ASCII unescaped)."""
        return _fast_encode(value)

else:  # pragma: no cover
    def decode(text: str | bytes) -> Any:
        return _std(text)

    def encode_bytes(value: Any) -> bytes:
        return encode(value).encode("utf-8")

_JSON_MESSAGES = {
    "Expecting value": "缺少值",
    "Expecting property name enclosed in double quotes": "属性名须用双引号括起",
    "Expecting ',' delimiter": "缺少逗号",
    "Expecting ':' delimiter": "缺少冒号",
    "Extra data": "多余的内容",
    "Unterminated string starting at": "字符串未结束",
    "Invalid control character at": "字符串中有控制字符",
    "Invalid \\escape": "无效的转义",
}


def problem(exc: ValueError) -> str:
    """A JSON syntax error in Chinese."""
    if isinstance(exc, json.JSONDecodeError):
        return f"第 {exc.lineno} 行第 {exc.colno} 列附近：{_JSON_MESSAGES.get(exc.msg, exc.msg)}"
    return str(exc)


def kind(value: Any) -> str:
    """What a JSON value is, in Chinese."""
    if isinstance(value, dict):
        return "对象"
    if isinstance(value, list):
        return "数组"
    if isinstance(value, str):
        return "字符串"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "布尔值"
    return "数字"
