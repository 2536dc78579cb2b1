"""Art. 24: who must sit on the completion-acceptance committee. Pure."""

from __future__ import annotations

from collections.abc import Iterable

REQUIRED_SEATS: tuple[tuple[str, str], ...] = (
    ("development_reform", "发改部门"),
    ("finance", "财政部门"),
    ("digital_bureau", "数字化发展部门"),
    ("archives", "档案部门"),
    ("unit", "项目建设单位"),
    ("expert", "信息化专家库抽取的专家"),
)


def missing_seats(seats: Iterable[str]) -> list[str]:
    """The Chinese names of the required seats nobody fills, in the article's order."""
    present = set(seats)
    return [label for code, label in REQUIRED_SEATS if code not in present]


def refusal_message(missing: list[str]) -> str:
    return (
        f"不能组建竣工验收委员会：缺少{'、'.join(missing)}。根据第二十四条，竣工验收委员会由发改、财政、"
        "数字化发展、档案等部门、项目建设单位及相关专家组建，请补齐后再组建。"
    )


def seat_roll(members: Iterable[tuple[str, str]]) -> list[dict[str, object]]:
    """Each required seat with who fills it ([] when nobody does), for the page's checklist."""
    names: dict[str, list[str]] = {}
    for seat, name in members:
        names.setdefault(seat, []).append(name)
    return [{"seat": code, "label": label, "names": names.get(code, []), "missing": code not in names}
            for code, label in REQUIRED_SEATS]
