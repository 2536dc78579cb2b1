"""Exports: the pool (contact details masked) and the fee ledger for finance. Both audited."""

from __future__ import annotations

import io

from django.db import transaction
from openpyxl import Workbook

from tongchou.accounts.models import User
from tongchou.audit.services import audit_record
from tongchou.documents.spreadsheet import write_safe
from tongchou.experts import selectors
from tongchou.experts.permissions import require_pool_manager
from tongchou.experts.xlsx_columns import COLUMNS, STATUS_LABELS, TITLE_LABELS


def _save(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _row(ws, values: list[object]) -> None:
    """Appends a row through write_safe (openpyxl's append would store "=…" as a formula)."""
    r = getattr(ws, "_tongchou_next_row", 1)
    for c, value in enumerate(values, start=1):
        write_safe(ws.cell(row=r, column=c), value)
    ws._tongchou_next_row = r + 1


def experts_export_xlsx(*, actor: User) -> bytes:
    """The pool in the import layout; phone and ID number masked (the full values are audited views)."""
    require_pool_manager(actor, "导出专家库")
    wb = Workbook()
    ws = wb.active
    ws.title = "专家库"
    _row(ws, [label for _, label in COLUMNS])
    experts = selectors.experts_visible_to(actor).prefetch_related("former_employers", "declared_conflicts")
    count = 0
    for e in experts:
        masked = selectors.expert_masked_contact(e)
        _row(ws, [
            e.code, e.name, "、".join(c.name for c in e.categories.all()), e.title,
            TITLE_LABELS.get(e.title_level, e.title_level), e.years, e.employer, masked["phone"],
            masked["id_number"], STATUS_LABELS.get(e.status, e.status), "是" if e.available else "否",
            "；".join(f"{f.org}:{f.until.isoformat()}" for f in e.former_employers.all()),
            "、".join(c.org for c in e.declared_conflicts.all()),
        ])
        count += 1
    with transaction.atomic():
        audit_record(event="expert.exported", actor=actor, data={"rows": count, "contact": "masked"})
    return _save(wb)


def fee_ledger_xlsx(*, year: int, actor: User) -> bytes:
    """For finance (Art. 33: paid by the bureau from the prefecture's budget): summary and detail."""
    require_pool_manager(actor, "导出专家费台账")
    wb = Workbook()
    summary = wb.active
    summary.title = f"{year}年汇总"
    _row(summary, ["专家编号", "姓名", "年度", "服务次数", "时长（分钟）", "金额（元）"])
    rows = selectors.fee_ledger(year=year, user=actor)
    for r in rows:
        _row(summary, [r.expert_code, r.expert_name, r.year, r.services, r.minutes, r.amount])
    detail = wb.create_sheet(f"{year}年明细")
    _row(detail, ["服务日期", "专家编号", "姓名", "事项", "用途", "时长（分钟）", "金额（元）", "支付单位"])
    entries = selectors.fee_entries(year=year, user=actor)
    for e in entries:
        _row(detail, [e.service_date.isoformat(), e.expert.code, e.expert.name, e.member.draw.subject,
                      e.get_purpose_display(), e.minutes, e.amount, e.payer])
    with transaction.atomic():
        audit_record(event="expert_fee.exported", actor=actor, data={"year": year, "experts": len(rows)})
    return _save(wb)
