"""The register list: filters, text search, sorting and keyset pagination.

Keyset ("after this row") rather than OFFSET keeps page 500 as fast as page 1 with 100,000 projects;
each sort has a matching (column, id) index.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Q, QuerySet

from tongchou.accounts.models import User
from tongchou.portfolio.choices import ManagementMode
from tongchou.projects.models import Level, Project, ReviewPath, Status, Support
from tongchou.projects.plan_link import PLAN_FILTER_LABELS, plan_filter
from tongchou.projects.selectors import projects_visible_to

# sort key → (column, descending)
SORTS: dict[str, tuple[str, bool]] = {
    "newest": ("id", True),
    "oldest": ("id", False),
    "cost_desc": ("construction_cost", True),
    "cost_asc": ("construction_cost", False),
    "name": ("name", False),
}
SORT_LABELS = {"newest": "最新创建", "oldest": "最早创建", "cost_desc": "金额从高到低",
               "cost_asc": "金额从低到高", "name": "名称"}
PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


@dataclass
class RegisterQuery:
    year: int | None = None
    unit: int | None = None
    level: str = ""
    status: str = ""
    review_path: str = ""
    support: str = ""
    mode: str = ""
    plan: str = ""  # "in": from the yearly plan; "out": 计划外 (Art. 8, 11)
    q: str = ""
    sort: str = "newest"
    after: str = ""
    limit: int = PAGE_SIZE
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_params(cls, params: Any) -> RegisterQuery:
        """Reads query parameters; a bad value is dropped with a Chinese note naming the filter."""
        query = cls()

        def _int(name: str, label: str) -> int | None:
            raw = (params.get(name) or "").strip()
            if not raw:
                return None
            try:
                return int(raw)
            except ValueError:
                query.errors[name] = f"{label}应为整数，已忽略该筛选条件。"
                return None

        def _choice(name: str, label: str, choices: Any) -> str:
            raw = (params.get(name) or "").strip()
            if raw and raw not in choices.values:
                query.errors[name] = f"{label}的取值「{raw[:20]}」无效，已忽略该筛选条件。"
                return ""
            return raw

        query.year = _int("year", "预算年度")
        query.unit = _int("unit", "项目建设单位")
        query.level = _choice("level", "层级", Level)
        query.status = _choice("status", "状态", Status)
        query.review_path = _choice("review_path", "审查路径", ReviewPath)
        query.support = _choice("support", "支持意见", Support)
        query.mode = _choice("mode", "管理模式", ManagementMode)
        plan = (params.get("plan") or "").strip()
        if plan and plan not in PLAN_FILTER_LABELS:
            query.errors["plan"] = f"年度计划筛选的取值「{plan[:20]}」无效（应为 in 或 out），已忽略该筛选条件。"
            plan = ""
        query.plan = plan
        query.q = (params.get("q") or "").strip()[:100]
        sort = (params.get("sort") or "newest").strip()
        if sort not in SORTS:
            query.errors["sort"] = f"排序方式「{sort[:20]}」无效，已按最新创建排序。"
            sort = "newest"
        query.sort = sort
        query.after = (params.get("after") or "").strip()
        limit = _int("limit", "每页条数")
        query.limit = max(1, min(limit or PAGE_SIZE, MAX_PAGE_SIZE))
        return query


def _encode(value: Any, pk: int) -> str:
    raw = json.dumps([str(value) if isinstance(value, Decimal) else value, pk], ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode("utf-8")).decode("ascii").rstrip("=")


def _decode(cursor: str, column: str) -> tuple[Any, int] | None:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("utf-8")
        value, pk = json.loads(raw)
        pk = int(pk)
        if column == "construction_cost":
            value = Decimal(str(value))
        elif column == "id":
            value = int(value)
        else:
            value = str(value)
        return value, pk
    except (ValueError, TypeError, InvalidOperation, json.JSONDecodeError, UnicodeDecodeError):
        return None


def register_filter(user: User, query: RegisterQuery) -> QuerySet[Project]:
    qs = projects_visible_to(user)
    if query.year:
        qs = qs.filter(year=query.year)
    if query.unit:
        qs = qs.filter(unit_id=query.unit)
    for name in ("level", "status", "review_path", "support"):
        value = getattr(query, name)
        if value:
            qs = qs.filter(**{name: value})
    if query.mode:
        qs = qs.filter(portfolio_mode__mode=query.mode)
    if query.plan:
        qs = plan_filter(qs, query.plan)
    if query.q:
        qs = qs.filter(_search(query.q))
    return qs


def _search(text: str) -> Q:
    """Name or code containing the text, or a unit whose name does. Units are resolved first (a few
    hundred rows) so the project scan needs no join; Chinese has no case, so a plain LIKE is used
    unless the text has Latin letters (UPPER() on every row is what makes icontains slow)."""
    from tongchou.accounts.models import Organisation

    lookup = "icontains" if any(c.isascii() and c.isalpha() for c in text) else "contains"
    units = list(Organisation.objects.filter(
        Q(**{f"name__{lookup}": text}) | Q(**{f"short_name__{lookup}": text})).values_list("pk", flat=True))
    condition = Q(**{f"name__{lookup}": text}) | Q(code__contains=text.upper())
    if units:
        condition |= Q(unit_id__in=units)
    return condition


@dataclass
class RegisterPage:
    items: list[Project]
    next_cursor: str | None
    total: int


def register_page(user: User, query: RegisterQuery, *, with_total: bool = True) -> RegisterPage:
    column, descending = SORTS[query.sort]
    qs = register_filter(user, query)
    total = qs.count() if with_total else -1
    if query.after:
        decoded = _decode(query.after, column)
        if decoded is None:
            query.errors["after"] = "翻页参数无效，已回到第一页。"
        else:
            value, pk = decoded
            if column == "id":
                qs = qs.filter(id__lt=pk) if descending else qs.filter(id__gt=pk)
            elif descending:
                qs = qs.filter(Q(**{f"{column}__lt": value}) | Q(**{column: value, "id__lt": pk}))
            else:
                qs = qs.filter(Q(**{f"{column}__gt": value}) | Q(**{column: value, "id__gt": pk}))
    order = [f"-{column}", "-id"] if descending else [column, "id"]
    if column == "id":
        order = order[:1]
    rows = list(qs.select_related("unit").order_by(*order)[: query.limit + 1])
    next_cursor = None
    if len(rows) > query.limit:
        rows = rows[: query.limit]
        last = rows[-1]
        next_cursor = _encode(getattr(last, column), last.pk)
    return RegisterPage(items=rows, next_cursor=next_cursor, total=total)
