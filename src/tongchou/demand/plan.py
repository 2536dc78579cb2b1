"""The yearly plan (Art. 8, 11, 3): rank the call's needs, merge overlapping ones into one shared
project, decide each with a reason, turn included needs into draft applications, export for finance."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum

from tongchou.accounts.models import UNIT_ROLES, User
from tongchou.audit.services import audit_record
from tongchou.core_errors import DomainError
from tongchou.demand.findings import FLAG_LABELS, need_flags
from tongchou.demand.models import Call, Decision, Need
from tongchou.demand.modes import (
    MODE_LABELS,
    TOTALS_HEADERS,
    apply_merged_mode,
    mode_label,
    mode_source_label,
    plan_mode_totals,
    plan_rows_filtered,
    plan_rows_with_mode,
    totals_table_rows,
)
from tongchou.demand.notices import notify_decision, notify_draft
from tongchou.demand.services import _require_bureau
from tongchou.documents.services import export_record
from tongchou.documents.xlsx import write_table
from tongchou.portfolio.modes import mode_propose
from tongchou.projects.models import MaterialKind, PriorityBasis
from tongchou.projects.services import project_create

PRIORITY_ORDER = {code: i for i, code in enumerate(PriorityBasis.values)}  # Art. 11 (一)…(四)


def need_total_cost(need: Need) -> Decimal:
    """A lead need's cost together with the needs merged into it (the shared project's cost)."""
    return need.estimated_cost + sum((m.estimated_cost for m in need.merged_needs.all()), Decimal(0))


def plan_rows(call: Call) -> list[dict[str, Any]]:
    """The ranking: Art. 11 priority basis first, needs under a split/overlap finding after clean ones,
    then cheaper first; a running total marks what fits the budget cap. Merged needs follow their lead."""
    flags = need_flags(call)
    needs = list(call.needs.select_related("unit", "merged_into", "project").prefetch_related("merged_needs"))
    leads = [n for n in needs if n.decision != Decision.MERGED]

    def key(n: Need) -> tuple:
        return (n.decision == Decision.REFUSED, PRIORITY_ORDER.get(n.priority_basis, len(PRIORITY_ORDER)),
                bool(flags.get(n.pk)), need_total_cost(n), n.pk)

    rows: list[dict[str, Any]] = []
    running = Decimal(0)
    cap = call.budget_cap
    for rank, need in enumerate(sorted(leads, key=key), start=1):
        total = need_total_cost(need)
        counted = need.decision not in (Decision.REFUSED, Decision.DEFERRED)
        if counted:
            running += total
        rows.append({"rank": rank, "need": need, "total": total, "flags": flags.get(need.pk, []),
                     "flag_labels": sorted({FLAG_LABELS.get(f, f) for f in flags.get(need.pk, [])}),
                     "running": running if counted else None,
                     "within_cap": counted and (cap is None or running <= cap)})
        for merged in need.merged_needs.all():
            rows.append({"rank": None, "need": merged, "total": merged.estimated_cost,
                         "flags": flags.get(merged.pk, []), "running": None, "within_cap": None,
                         "flag_labels": sorted({FLAG_LABELS.get(f, f) for f in flags.get(merged.pk, [])})})
    return plan_rows_with_mode(rows)


def plan_rank(*, actor: User, call: Call, budget_cap: Decimal | None = None, clear_cap: bool = False) -> list[dict]:
    """Stores the ranking (and the year's budget cap if given)."""
    _require_bureau(actor, call)
    if budget_cap is not None and budget_cap < 0:
        raise DomainError("年度预算总额上限不能为负数。", field="budget_cap")
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        if budget_cap is not None or clear_cap:
            call.budget_cap = None if clear_cap else budget_cap
            call.save(update_fields=["budget_cap"])
        rows = plan_rows(call)
        for row in rows:
            if row["need"].rank != row["rank"]:
                Need.objects.filter(pk=row["need"].pk).update(rank=row["rank"])
        audit_record(event="demand.plan_ranked", actor=actor, target=call, data={
            "budget_cap": str(call.budget_cap) if call.budget_cap is not None else None,
            "order": [r["need"].pk for r in rows if r["rank"] is not None]})
    return rows


def _included_total(call: Call, excluding: int) -> Decimal:
    leads = call.needs.filter(decision=Decision.INCLUDED).exclude(pk=excluding)
    total = leads.aggregate(s=Sum("estimated_cost"))["s"] or Decimal(0)
    merged = call.needs.filter(decision=Decision.MERGED, merged_into__decision=Decision.INCLUDED).exclude(
        merged_into_id=excluding)
    return total + (merged.aggregate(s=Sum("estimated_cost"))["s"] or Decimal(0))


def need_decide(*, actor: User, need: Need, decision: str, reason: str) -> Need:
    """Included, deferred or refused — always with the reason (Art. 11: the ranking must be explainable)."""
    _require_bureau(actor, need.call)
    if decision not in (Decision.INCLUDED, Decision.DEFERRED, Decision.REFUSED, Decision.PENDING):
        raise DomainError("决定应为纳入、暂缓或不予纳入。", field="decision")
    if decision != Decision.PENDING and not (reason or "").strip():
        raise DomainError("请填写决定理由：纳入、暂缓或不予纳入都须说明理由（第十一条）。", field="reason",
                          article="第十一条")
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=need.call_id)
        locked = Need.objects.select_for_update().get(pk=need.pk)
        if locked.decision == Decision.MERGED:
            raise DomainError("该需求已合并至共建项目，请对牵头需求作出决定。", code="need_merged", status=409)
        if locked.project_id and decision != Decision.INCLUDED:
            raise DomainError("该需求已生成申报草稿，不能再改为暂缓或不予纳入。", code="draft_exists", status=409)
        if decision == Decision.INCLUDED and call.budget_cap is not None:
            total = _included_total(call, locked.pk) + need_total_cost(locked)
            if total > call.budget_cap:
                raise DomainError(
                    f"纳入后年度计划合计 {total:,.2f} 元，超过年度预算总额上限 {call.budget_cap:,.2f} 元。",
                    code="over_budget_cap", field="decision",
                    hint="请先暂缓排序靠后的需求，或调整年度预算总额上限。")
        previous = locked.decision
        locked.decision, locked.reason = decision, (reason or "").strip()
        locked.save(update_fields=["decision", "reason"])
        audit_record(event="demand.need_decided", actor=actor, target=locked,
                     data={"from": previous, "to": decision, "reason": locked.reason})
        if decision != Decision.PENDING:
            notify_decision(locked)
    return locked


def needs_merge(*, actor: User, lead: Need, others: list[Need], reason: str) -> Need:
    """Art. 3: one shared project — `lead` carries it, the others are linked to it as merged."""
    _require_bureau(actor, lead.call)
    if not (reason or "").strip():
        raise DomainError("请填写合并理由（第三条：统一建设、共建共享）。", field="reason", article="第三条")
    others = [o for o in others if o.pk != lead.pk]
    if not others:
        raise DomainError("请至少选择一个要合并到牵头需求的其他需求。", field="others")
    with transaction.atomic():
        locked_lead = Need.objects.select_for_update().get(pk=lead.pk)
        if locked_lead.decision == Decision.MERGED:
            raise DomainError("牵头需求本身已被合并，请选择共建项目的牵头需求。", field="lead", status=409)
        if locked_lead.project_id:
            raise DomainError("牵头需求已生成申报草稿，不能再合并。", code="draft_exists", status=409)
        merged, locked_others = [], []
        for other in others:
            o = Need.objects.select_for_update().get(pk=other.pk)
            if o.call_id != locked_lead.call_id:
                raise DomainError("只能合并同一次征集中的需求。", field="others")
            if o.project_id or o.merged_needs.exists():
                raise DomainError(f"「{o.name}」已生成申报草稿或本身是牵头需求，不能合并。", field="others",
                                  status=409)
            o.decision, o.merged_into, o.reason = Decision.MERGED, locked_lead, reason.strip()
            o.save(update_fields=["decision", "merged_into", "reason"])
            merged.append(o.pk)
            locked_others.append(o)
        mode_change = apply_merged_mode(actor=actor, lead=locked_lead, others=locked_others)
        audit_record(event="demand.needs_merged", actor=actor, target=locked_lead,
                     data={"merged": merged, "reason": reason.strip(), "article": "第三条", "mode": mode_change})
    return locked_lead


def plan_create_drafts(*, actor: User, call: Call) -> list[Any]:
    """Every included need without a draft becomes a draft application of its unit, through the
    register's `project_create` (the unit's code series and the project.created audit event), acting
    as the need's submitter; the bureau's step is audited too. All or nothing."""
    _require_bureau(actor, call)
    created = []
    with transaction.atomic():
        needs = list(Need.objects.select_for_update().filter(call=call, decision=Decision.INCLUDED,
                                                             project__isnull=True).select_related("unit"))
        for need in needs:
            owner = need.created_by
            if not owner.is_active or owner.role not in UNIT_ROLES or owner.organisation_id != need.unit_id:
                raise DomainError(f"「{need.name}」的填报人已不在{need.unit.name}，无法代其生成申报草稿。",
                                  code="owner_gone", hint="请联系该单位重新填报需求。")
            merged = list(need.merged_needs.select_related("unit"))
            basic = [need.goals, need.content]
            if merged:
                basic.append("本项目按第三条合并以下需求共建共享：" + "；".join(
                    f"{m.unit.name}「{m.name}」" for m in merged))
            project = project_create(actor=owner, data={
                "name": need.name, "year": call.year, "category": need.category,
                "construction_cost": need_total_cost(need),
                "priority_basis": [need.priority_basis] if need.priority_basis else [],
            }, texts={MaterialKind.BASIC_INFO: "\n".join(basic), MaterialKind.TECHNICAL_PLAN: need.technical_route})
            if need.mode:  # Art. 3: the plan's mode becomes the draft's proposal; review confirms it
                mode_propose(project=project, mode=need.mode, actor=owner)
            need.project = project
            need.save(update_fields=["project"])
            notify_draft(need)
            created.append(project)
        audit_record(event="demand.drafts_created", actor=actor, target=call,
                     data={"projects": [p.code for p in created],
                           "modes": {n.project.code: n.mode for n in needs if n.project and n.mode}})
    return created


PLAN_HEADERS = ["排序", "需求单位", "需求名称", "项目类别", "重点支持情形", "管理模式（第三条）", "管理模式来源",
                "预计金额（元）", "合计金额（含合并，元）", "计划决定", "决定理由", "合并至", "检测提示", "申报草稿编号",
                "联系人"]


def plan_export(*, actor: User, call: Call, mode: str | None = None) -> bytes:
    """The plan for finance, filtered by management mode if asked (Art. 3), with a second sheet of
    counts and amounts by mode and decision (always the whole plan's, so a filtered file keeps the frame)."""
    _require_bureau(actor, call)
    all_rows = plan_rows(call)
    rows = []
    for row in plan_rows_filtered(all_rows, mode):
        n = row["need"]
        own = mode_label(n.mode) if n.merged_into_id and n.mode and n.mode != n.merged_into.mode else ""
        rows.append([row["rank"] or "", n.unit.name, n.name, n.get_category_display(),
                     n.get_priority_basis_display() if n.priority_basis else "",
                     row["mode_label"] + (f"（申报：{own}）" if own else ""),
                     mode_source_label(n.merged_into if n.merged_into_id else n), n.estimated_cost, row["total"],
                     n.get_decision_display(), n.reason, n.merged_into.name if n.merged_into else "",
                     "、".join(row["flag_labels"]), n.project.code if n.project else "", n.contact])
    which = f"·{MODE_LABELS[mode]}" if mode else ""
    data = write_table(PLAN_HEADERS, rows, sheet_name="年度计划", title=f"{call.title}（{call.year} 年度计划{which}）",
                       extra_sheets=[("按管理模式汇总", TOTALS_HEADERS, totals_table_rows(plan_mode_totals(all_rows)),
                                      f"{call.year} 年度计划按管理模式汇总（第三条；合并的需求计入牵头需求）")])
    export_record(actor=actor, what="yearly_plan", rows=len(rows), filters={"call": call.pk, "mode": mode})
    return data
