"""Spreadsheet cells written the way SECURITY.md demands: a cell beginning with = + - @ tab or CR is
text, never a formula (openpyxl would otherwise store "=…" as a formula)."""

from __future__ import annotations

from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def safe_cell_value(value: Any) -> Any:
    """For plain-text exports (CSV), where a cell cannot be typed: a leading apostrophe keeps a
    spreadsheet program from evaluating it. In .xlsx use `write_safe`, which keeps the text unchanged."""
    if looks_like_formula(value):
        return "'" + value
    return value


def write_safe(cell: Any, value: Any) -> None:
    """Sets an openpyxl cell; strings are always typed as text so nothing is evaluated.

    A formula-like string also gets Excel's quote prefix, so editing the cell later in Excel or WPS
    does not turn it into a formula either. Characters XML cannot hold (NUL and the other C0 controls
    except tab, LF and CR) are dropped rather than failing the whole export.
    """
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.value = value
        cell.data_type = "s"
        if looks_like_formula(value):
            cell.quotePrefix = True
    else:
        cell.value = value


def needs_safe_cell(value: Any) -> bool:
    """Whether a value appended as-is could become something other than what it says: a formula-like
    string, or characters XML cannot hold. Any other string is stored by openpyxl as text already."""
    return isinstance(value, str) and (looks_like_formula(value) or ILLEGAL_CHARACTERS_RE.search(value) is not None)
