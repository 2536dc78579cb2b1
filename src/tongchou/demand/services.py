"""Writes of the yearly call (Art. 8): open, reopen, submit a need in the web or from the template.

Each service takes the acting user, runs in one transaction and records its audit event inside it.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from tongchou.accounts.models import ADMIN_ROLES, BUREAU_ROLES, UNIT_ROLES, Level, Organisation, OrgKind, User
from tongchou.audit.services import audit_record
from tongchou.core_errors import DomainError
from tongchou.demand.columns import NEED_COLUMNS, NEED_FIELDS
from tongchou.demand.models import Call, Need
from tongchou.demand.notices import notify_call
from tongchou.documents.xlsx import ImportResult, read_rows
from tongchou.portfolio.choices import ManagementMode
from tongchou.projects.models import Category, PriorityBasis


def _require_bureau(actor: User, call: Call | None = None) -> None:
    org = actor.organisation
    if actor.role in ADMIN_ROLES:
        raise DomainError("管理员账号不能办理业务（三权分立）。", code="admin_no_business", status=403)
    if actor.role not in BUREAU_ROLES or org is None or org.kind != OrgKind.BUREAU:
        raise DomainError("只有数字化发展局可以组织需求征集和编制年度计划（第八条）。", code="not_bureau",
                          article="第八条", status=403)
    if call is not None and call.bureau_id != org.pk and org.level != Level.PREFECTURE:
        raise DomainError("这不是本局组织的需求征集。", code="not_call_bureau", status=403)


def call_open(*, actor: User, year: int, deadline: datetime.datetime, instructions: str = "",
              title: str = "", budget_cap: Decimal | None = None) -> Call:
    _require_bureau(actor)
    org = actor.organisation
    assert org is not None
    if not 2000 <= int(year) <= 2200:
        raise DomainError("预算年度不是合理的年份。", field="year")
    if timezone.is_naive(deadline):
        deadline = timezone.make_aware(deadline)
    if deadline <= timezone.now():
        raise DomainError("截止时间须晚于现在。", field="deadline")
    if budget_cap is not None and budget_cap < 0:
        raise DomainError("年度预算总额上限不能为负数。", field="budget_cap")
    with transaction.atomic():
        if Call.objects.filter(bureau=org, year=year).exists():
            raise DomainError(f"本局 {year} 年度的需求征集已经发布，不能重复发布。", code="call_exists",
                              status=409, hint="如需延长，请使用“重新开放”。")
        call = Call.objects.create(
            bureau=org, year=year, deadline=deadline, instructions=instructions.strip(),
            title=title.strip() or f"{org.short_name or org.name} {year} 年度数字政府项目需求征集",
            budget_cap=budget_cap, created_by=actor)
        audit_record(event="demand.call_opened", actor=actor, target=call,
                     data={"year": year, "deadline": deadline.isoformat()})
        notify_call(call)
    return call


def call_reopen(*, actor: User, call: Call, until: datetime.datetime, reason: str) -> Call:
    """Accepts late needs until `until` (audited, with the reason)."""
    _require_bureau(actor, call)
    if not (reason or "").strip():
        raise DomainError("请填写重新开放的理由。", field="reason")
    if timezone.is_naive(until):
        until = timezone.make_aware(until)
    if until <= timezone.now():
        raise DomainError("补报截止时间须晚于现在。", field="until")
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        call.reopened_until = until
        call.save(update_fields=["reopened_until"])
        audit_record(event="demand.call_reopened", actor=actor, target=call,
                     data={"until": until.isoformat(), "reason": reason.strip()})
        notify_call(call, reopened=True)
    return call


def call_accepts_until(call: Call) -> datetime.datetime:
    return max(call.deadline, call.reopened_until) if call.reopened_until else call.deadline


def call_is_open(call: Call, now: datetime.datetime | None = None) -> bool:
    return (now or timezone.now()) <= call_accepts_until(call)


def _require_submitter(actor: User, call: Call) -> Organisation:
    """Refuses anyone who may not submit to `call`; returns the submitter's unit."""
    org = actor.organisation
    if actor.role in ADMIN_ROLES:
        raise DomainError("管理员账号不能办理业务（三权分立）。", code="admin_no_business", status=403)
    if actor.role not in UNIT_ROLES or org is None:
        raise DomainError("只有部门单位的申报人或单位负责人可以填报需求（第八条）。", code="not_unit", status=403,
                          article="第八条")
    county_call = call.bureau.level == Level.COUNTY
    eligible = (org.level == Level.COUNTY and org.jurisdiction == call.bureau.jurisdiction) if county_call \
        else org.level != Level.COUNTY
    if not eligible:
        raise DomainError("本单位不在该需求征集的范围内。", code="not_in_call", status=403,
                          hint="县市单位请向本县市数字化发展局的征集填报。")
    if not call_is_open(call):
        local = timezone.localtime(call_accepts_until(call)).strftime("%Y年%m月%d日 %H:%M")
        raise DomainError(f"需求征集已于 {local} 截止，不再接收需求（第八条）。", code="call_closed",
                          status=409, article="第八条", hint="如确需补报，请联系数字化发展局重新开放征集。")
    return org


def clean_need(data: dict[str, Any]) -> dict[str, Any]:
    """Checks one need's values; raises DomainError naming the first wrong field (in Chinese)."""
    out: dict[str, Any] = {}
    labels = {c.key: c.header for c in NEED_COLUMNS}
    for key in NEED_FIELDS:
        value = data.get(key)
        out[key] = value.strip() if isinstance(value, str) else value
    for key in ("name", "goals", "content", "contact"):
        if not out[key]:
            raise DomainError(f"请填写「{labels[key]}」。", field=key)
    for column in NEED_COLUMNS:
        if column.max_length and isinstance(out[column.key], str) and len(out[column.key]) > column.max_length:
            raise DomainError(f"「{column.header}」不能超过 {column.max_length} 个字。", field=column.key)
    try:
        cost = Decimal(str(out["estimated_cost"]).replace(",", "")).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise DomainError("「预计金额」须为数字（单位：元）。", field="estimated_cost") from None
    if not cost.is_finite() or cost < 0 or cost > Decimal("10000000000"):
        raise DomainError("「预计金额」须为 0 至 100 亿元之间的数字。", field="estimated_cost")
    out["estimated_cost"] = cost
    out["category"] = out["category"] or Category.DEVELOPMENT
    if out["category"] not in Category.values:
        raise DomainError("「项目类别」应为建设开发类、设备（硬件）采购类或等保测评·密评类。", field="category")
    out["priority_basis"] = out["priority_basis"] or ""
    if out["priority_basis"] and out["priority_basis"] not in PriorityBasis.values:
        raise DomainError("「重点支持情形」的取值无效（第十一条）。", field="priority_basis", article="第十一条")
    out["technical_route"] = out["technical_route"] or ""
    out["proposed_mode"] = out["proposed_mode"] or ""
    if out["proposed_mode"] and out["proposed_mode"] not in ManagementMode.values:
        raise DomainError("「管理模式」应为统一建设·统筹管理（unified）或专业建设·分类管理（specialised），"
                          "不确定可不填（第三条）。", field="proposed_mode", article="第三条")
    return out


def need_submit(*, actor: User, call: Call, data: dict[str, Any]) -> Need:
    unit = _require_submitter(actor, call)
    values = clean_need(data)
    with transaction.atomic():
        need = Need.objects.create(call=call, unit=unit, created_by=actor, source="web",
                                   mode=values["proposed_mode"], **values)
        audit_record(event="demand.need_submitted", actor=actor, target=need,
                     data={"call": call.pk, "cost": str(need.estimated_cost), "source": "web",
                           "mode": need.proposed_mode})
    return need


def needs_import(*, actor: User, call: Call, data: Any, only_good_rows: bool = False) -> tuple[list[Need], ImportResult]:
    """Imports a filled template. With any wrong row nothing is imported (an empty list comes back with
    the result listing every problem) unless `only_good_rows`."""
    unit = _require_submitter(actor, call)
    result = read_rows(data, NEED_COLUMNS)
    if result.errors and not only_good_rows:
        return [], result
    rows = result.importable(only_good_rows=only_good_rows)
    if not rows:
        raise DomainError("表格中没有可导入的需求。", code="import_empty", field="file",
                          hint="请在“填写数据”工作表第 2 行起填写。")
    created = []
    with transaction.atomic():
        for row in rows:
            values = clean_need(row.values)
            created.append(Need.objects.create(call=call, unit=unit, created_by=actor, source="xlsx",
                                               mode=values["proposed_mode"], **values))
        audit_record(event="demand.needs_imported", actor=actor, target=call, data={
            "imported": len(created), "bad_rows": result.bad_rows, "only_good_rows": only_good_rows})
    return created, result
