"""Exporting the log is itself an audited event (written before the file leaves the server)."""

from __future__ import annotations

import io
import json

from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook

from tongchou.audit.labels import event_label
from tongchou.audit.selectors import AuditFilters, audit_events_search
from tongchou.audit.services import audit_record
from tongchou.documents.spreadsheet import write_safe

MAX_EXPORT_ROWS = 100_000
HEADERS = ["编号", "时间", "事件", "结果", "操作人", "角色", "组织", "对象类型", "对象编号", "对象", "内容",
           "地址", "请求编号", "哈希", "事件说明"]


def audit_export(*, actor: object, filters: AuditFilters) -> tuple[str, bytes, int]:
    rows = audit_events_search(user=actor, filters=filters)[:MAX_EXPORT_ROWS]
    wb = Workbook(write_only=False)
    ws = wb.active
    ws.title = "审计日志"
    ws.append(HEADERS)
    count = 0
    for r, ev in enumerate(rows.iterator(chunk_size=2000), start=2):
        values = [ev.id, timezone.localtime(ev.at).strftime("%Y-%m-%d %H:%M:%S"), ev.event, ev.outcome,
                  ev.actor_name, ev.actor_role, ev.actor_org, ev.target_type, ev.target_id, ev.target_label,
                  json.dumps(ev.data, ensure_ascii=False, sort_keys=True), ev.client_address, ev.request_id, ev.hash,
                  event_label(ev.event)]
        for c, value in enumerate(values, start=1):
            write_safe(ws.cell(row=r, column=c), value)
        count += 1
    buffer = io.BytesIO()
    wb.save(buffer)
    with transaction.atomic():
        audit_record(event="audit.exported", actor=actor, data={"filters": filters.as_dict(), "rows": count})
    name = f"audit-{timezone.localtime():%Y%m%d-%H%M%S}.xlsx"
    return name, buffer.getvalue(), count
