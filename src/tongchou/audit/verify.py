"""`audit_verify` walks the chain from the genesis hash and names the first event that does not fit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tongchou.audit.models import AuditChainHead, AuditEvent
from tongchou.audit.services import GENESIS, chain_hash


@dataclass(frozen=True)
class ChainBreak:
    event_id: int | None
    kind: str  # edited / missing_or_reordered / tail_missing / head_missing
    message: str


@dataclass(frozen=True)
class VerifyResult:
    checked: int
    first_at: datetime | None
    last_id: int | None
    broken: ChainBreak | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def audit_verify(*, chunk_size: int = 2000) -> VerifyResult:
    prev_hash, prev_id, checked, first_at = GENESIS, None, 0, None
    for row in AuditEvent.objects.order_by("id").iterator(chunk_size=chunk_size):
        checked += 1
        first_at = first_at or row.at
        if row.prev_hash != prev_hash:
            where = f"事件 #{prev_id} 与 #{row.id} 之间" if prev_id else f"事件 #{row.id} 之前（链首）"
            return VerifyResult(checked, first_at, prev_id, ChainBreak(
                row.id, "missing_or_reordered",
                f"事件 #{row.id} 记录的上一哈希与前一事件不符：{where}的事件被删除、插入或顺序被改动"
                f"（也可能是前一事件连同其哈希被改写）。",
            ))
        if chain_hash(row.prev_hash, row) != row.hash:
            return VerifyResult(checked, first_at, prev_id, ChainBreak(
                row.id, "edited", f"事件 #{row.id}（{row.event}）的内容与其哈希不符：该行被修改过。",
            ))
        prev_hash, prev_id = row.hash, row.id
    head = AuditChainHead.objects.filter(id=1).first()
    if head is None:
        if checked:
            return VerifyResult(checked, first_at, prev_id, ChainBreak(
                None, "head_missing", "链头记录缺失：无法确认最后的事件是否被删除。"))
    elif head.last_hash != prev_hash or head.last_event_id != (prev_id or 0):
        return VerifyResult(checked, first_at, prev_id, ChainBreak(
            head.last_event_id, "tail_missing",
            f"链头指向事件 #{head.last_event_id}，但日志止于 #{prev_id or '（空）'}：链尾的事件被删除。",
        ))
    return VerifyResult(checked, first_at, prev_id, None)
