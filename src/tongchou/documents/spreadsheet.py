"""Spreadsheet cells written the way SECURITY.md demands: a cell beginning with = + - @ tab or CR is
text, never a formula (openpyxl would otherwise store "=…" as a formula)."""

from __future__ import annotations

from typing import Any

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell_value(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def write_safe(cell: Any, value: Any) -> None:
    """Sets an openpyxl cell; strings are always typed as text so nothing is evaluated."""
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"
    else:
        cell.value = value
