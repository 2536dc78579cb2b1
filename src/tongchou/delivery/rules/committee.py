"""Art. 24: who must sit on the completion-acceptance committee. Pure.

A county project's committee (Art. 19, 36: the county runs its own cycle, "参照本办法执行") has the same
seats, filled by the county's own departments: its 发改 and 财政 offices are not Tongchou organisations, so
those two seats are named people of the county office (no Tongchou organisation), and the digital-bureau
seat is the county bureau's (ADR 0190)."""

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
# The seats a county project fills from the county's own departments (Art. 19, 36).
COUNTY_SEAT_LABELS = {
    "development_reform": "县市发改部门",
    "finance": "县市财政部门",
    "digital_bureau": "县市数字化发展部门",
    "archives": "档案部门",
}


def required_seats(county: bool = False) -> list[tuple[str, str]]:
    if not county:
        return list(REQUIRED_SEATS)
    return [(code, COUNTY_SEAT_LABELS.get(code, label)) for code, label in REQUIRED_SEATS]


def missing_seats(seats: Iterable[str], county: bool = False) -> list[str]:
    """The Chinese names of the required seats nobody fills, in the article's order."""
    present = set(seats)
    return [label for code, label in required_seats(county) if code not in present]


def refusal_message(missing: list[str], county: bool = False) -> str:
    where = "（县市项目由县市相应部门组成，第十九条、第三十六条）" if county else ""
    return (
        f"不能组建竣工验收委员会：缺少{'、'.join(missing)}。根据第二十四条，竣工验收委员会由发改、财政、"
        f"数字化发展、档案等部门、项目建设单位及相关专家组建{where}，请补齐后再组建。"
    )


def seat_roll(members: Iterable[tuple[str, str]], county: bool = False) -> list[dict[str, object]]:
    """Each required seat with who fills it ([] when nobody does), for the page's checklist."""
    names: dict[str, list[str]] = {}
    for seat, name in members:
        names.setdefault(seat, []).append(name)
    return [{"seat": code, "label": label, "names": names.get(code, []), "missing": code not in names}
            for code, label in required_seats(county)]
