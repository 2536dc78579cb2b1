"""Art. 3 in the yearly plan: a need's management mode, proposed by its unit, confirmed (or corrected) by
the bureau while it builds the plan — the same semantics as a project's (portfolio/modes.py) — and the
plan's rows filtered and counted by it. A merged group (Art. 3 共建共享) is classified by its lead.
docs/adr/0140-need-management-mode.md."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from tongchou.accounts.models import User
from tongchou.audit.services import audit_record
from tongchou.core_errors import Conflict, DomainError
from tongchou.demand.models import Decision, Need
from tongchou.demand.services import _require_bureau
from tongchou.portfolio.choices import ManagementMode
from tongchou.portfolio.selectors import UNCLASSIFIED, UNCLASSIFIED_LABEL

ARTICLE = "第三条"
MODE_KEYS = (*ManagementMode.values, UNCLASSIFIED)
MODE_LABELS: dict[str, str] = {**{v: str(label) for v, label in ManagementMode.choices},
                               UNCLASSIFIED: UNCLASSIFIED_LABEL}
BUCKETS = (Decision.INCLUDED, Decision.DEFERRED, Decision.REFUSED, Decision.PENDING)


def mode_key(mode: str) -> str:
    return mode or UNCLASSIFIED


def mode_label(mode: str) -> str:
    return MODE_LABELS[mode_key(mode)]


def mode_source_label(need: Need) -> str:
    if need.confirmed_mode:
        return "数字化发展局确认"
    return "单位申报" if need.proposed_mode else ""


def merged_mode(modes: Iterable[str]) -> str:
    """The mode of needs merged into one shared project (Art. 3): unified if any of them is — a system
    several units build and share is at least as foundational as its most foundational part — else
    specialised if any is, else unclassified. Two phases of one unit's domain system stay specialised."""
    present = set(modes)
    if ManagementMode.UNIFIED in present:
        return str(ManagementMode.UNIFIED)
    if ManagementMode.SPECIALISED in present:
        return str(ManagementMode.SPECIALISED)
    return ""


def parse_mode_filter(value: str | None) -> str | None:
    """The plan's filter: unified, specialised, unclassified (未分类), or nothing for all."""
    value = (value or "").strip()
    if not value:
        return None
    if value not in MODE_KEYS:
        raise DomainError("「管理模式」筛选应为 unified（统一建设）、specialised（专业建设）或 unclassified（未分类）。",
                          field="mode", article=ARTICLE)
    return value


def need_mode_confirm(*, actor: User, need: Need, mode: str) -> Need:
    """The bureau confirms or corrects a need's mode; the unit's proposal stays recorded. A need of
    before this field (no proposal) can be classified too: its unit can no longer edit it."""
    _require_bureau(actor, need.call)
    if mode not in ManagementMode.values:
        raise DomainError("请选择管理模式：统一建设·统筹管理（unified）或专业建设·分类管理（specialised）。",
                          field="mode", article=ARTICLE)
    with transaction.atomic():
        locked = Need.objects.select_for_update().get(pk=need.pk)
        if locked.decision == Decision.MERGED:
            raise Conflict("该需求已合并至共建项目，管理模式随牵头需求，请对牵头需求确认（第三条）。",
                           code="need_merged", field="mode", article=ARTICLE)
        if locked.project_id:
            raise Conflict("该需求已生成申报草稿，管理模式请在项目审查中确认（第三条）。", code="draft_exists",
                           field="mode", article=ARTICLE)
        previous = locked.confirmed_mode
        locked.mode = locked.confirmed_mode = mode
        locked.mode_confirmed_by = actor
        locked.mode_confirmed_at = timezone.now()
        locked.save(update_fields=["mode", "confirmed_mode", "mode_confirmed_by", "mode_confirmed_at"])
        audit_record(event="demand.need_mode_confirmed", actor=actor, target=locked,
                     data={"mode": mode, "proposed": locked.proposed_mode, "previous": previous,
                           "article": ARTICLE})
    return locked


def apply_merged_mode(*, actor: User, lead: Need, others: list[Need]) -> dict[str, str] | None:
    """Inside `needs_merge`'s transaction: the lead carries the merged mode. Where it differs from the
    lead's mode in force it is the bureau's decision (the merge is), recorded as its confirmation."""
    combined = merged_mode([lead.mode, *(o.mode for o in others)])
    if not combined or combined == lead.mode:
        return None
    change = {"from": lead.mode, "to": combined}
    lead.mode = lead.confirmed_mode = combined
    lead.mode_confirmed_by = actor
    lead.mode_confirmed_at = timezone.now()
    lead.save(update_fields=["mode", "confirmed_mode", "mode_confirmed_by", "mode_confirmed_at"])
    return change


def plan_rows_with_mode(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Adds each row's group mode (a merged need is counted under its lead's mode)."""
    group = ""
    for row in rows:
        if row["rank"] is not None:
            group = row["need"].mode
        row["mode"] = mode_key(group)
        row["mode_label"] = MODE_LABELS[row["mode"]]
    return rows


def plan_rows_filtered(rows: list[dict[str, Any]], mode: str | None) -> list[dict[str, Any]]:
    return rows if mode is None else [r for r in rows if r["mode"] == mode]


def _cell() -> dict[str, Any]:
    return {"count": 0, "amount": Decimal("0.00")}


def plan_mode_totals(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per mode and in all: how many plan items (a merged group is one) and how much, by decision."""
    table = {m: {b: _cell() for b in (*BUCKETS, "total")} for m in (*MODE_KEYS, "all")}
    for row in rows:
        if row["rank"] is None:
            continue  # a merged need: its cost is in its lead's total
        decision = row["need"].decision
        for m in (row["mode"], "all"):
            for bucket in (decision, "total"):
                if bucket in table[m]:
                    table[m][bucket]["count"] += 1
                    table[m][bucket]["amount"] += row["total"]
    return [{"mode": m, "label": MODE_LABELS.get(m, "合计"), **{str(b): table[m][b] for b in table[m]}}
            for m in table]


TOTALS_HEADERS = ["管理模式", "纳入（项）", "纳入金额（元）", "暂缓（项）", "暂缓金额（元）", "不予纳入（项）",
                  "不予纳入金额（元）", "待定（项）", "待定金额（元）", "合计（项）", "合计金额（元）"]


def totals_table_rows(totals: list[dict[str, Any]]) -> list[list[Any]]:
    return [[t["label"], *[v for b in (*BUCKETS, "total") for v in (t[str(b)]["count"], t[str(b)]["amount"])]]
            for t in totals]
