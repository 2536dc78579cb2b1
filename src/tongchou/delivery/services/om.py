"""O&M funding (Art. 24, 29, 30): each year's request judged by the policy engine, decided by finance."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from tongchou.accounts.models import MemberRole
from tongchou.audit.services import audit_record
from tongchou.core_errors import Conflict, DomainError
from tongchou.delivery.facts import om_basis_facts, om_request_facts
from tongchou.delivery.models import OMFundingRequest, OMRequestStatus
from tongchou.delivery.notices import notify_om_requested
from tongchou.delivery.seams import FactsError, assess
from tongchou.delivery.services.access import require_decider, require_open, require_unit
from tongchou.projects.models import Project

REASON_TEXT = {
    "ART24-NOT-ACCEPTED": "项目未经竣工验收（第二十四条）",
    "ART30-1": "未按要求共享数据资源或重复采集数据（第三十条第（一）项）",
    "ART30-2": "不符合密码应用和网络安全要求或存在重大安全隐患（第三十条第（二）项）",
    "ART30-3": "未依托政务网络和政务云承载的非涉密系统（第三十条第（三）项）",
}


def _assess(facts: dict[str, Any]) -> dict[str, Any]:
    try:
        return assess(facts)
    except FactsError as exc:
        first = exc.errors[0] if exc.errors else {"field": None, "message": str(exc)}
        raise DomainError(f"项目信息不完整，无法评估：{first.get('message')}", code="facts_invalid",
                          field=first.get("field"), status=422) from exc


def om_request_submit(*, project: Project, actor: Any, year: int, amount: Decimal, justification: str = "",
                      data_sharing_done: bool = True, duplicate_data_collection: bool = False,
                      major_security_risk: bool = False) -> OMFundingRequest:
    require_unit(actor, project, "申请运维经费", "第二十九条")
    require_open(project)
    if amount < 0:
        raise DomainError("运维经费不能为负数。", code="invalid", field="amount")
    if not 2000 <= year <= 2100:
        raise DomainError("运维年度无效。", code="invalid", field="year")
    # Art. 30 is the records' word where they have one — the bureau's data-sharing attestation (一, ADR 0210),
    # the supervisors' records (二, ADR 0180), the inventory (三) — kept with the request as its basis.
    supervision = om_basis_facts(project)
    facts = om_request_facts(project, amount=amount, data_sharing_done=data_sharing_done,
                             duplicate_data_collection=duplicate_data_collection,
                             major_security_risk=major_security_risk, supervision=supervision)
    result = _assess(facts)
    om = result.get("om_funding") or {"eligible": False, "reasons": []}
    codes = {f.get("code") for f in result.get("findings", [])}
    cap_exceeded = "ART29-OM-CAP" in codes
    if cap_exceeded and not justification.strip():
        raise DomainError(
            "申请的年度运维经费超过建设成本的10%（第二十九条“一般不超过”），须附书面说明理由。",
            code="om_cap_justification_required", article="第二十九条", field="justification",
            hint="请在“超过建设成本10%的书面说明”中写明原因后重新提交。")
    try:
        with transaction.atomic():
            request = OMFundingRequest.objects.create(
                project=project, year=year, amount=amount, justification=justification.strip(),
                data_sharing_done=data_sharing_done, duplicate_data_collection=duplicate_data_collection,
                major_security_risk=major_security_risk, supervision=supervision, facts=facts, assessment=result,
                eligible=bool(om.get("eligible")), reasons=list(om.get("reasons", [])), cap_exceeded=cap_exceeded,
                submitted_by=actor)
            audit_record(event="delivery.om.request", actor=actor, target=project,
                         data={"request": request.pk, "year": year, "amount": str(amount),
                               "eligible": request.eligible, "reasons": request.reasons,
                               "supervision": [x["record"] for x in supervision],
                               "receipt": result.get("receipt")})
            notify_om_requested(request)
    except IntegrityError as exc:
        raise Conflict(f"{year}年度的运维经费已申请。", code="duplicate", field="year") from exc
    return request


def om_request_decide(*, request: OMFundingRequest, actor: Any, approve: bool, granted_amount: Decimal | None = None,
                      note: str = "") -> OMFundingRequest:
    """Finance records the decision (the county bureau lead for a county project, Art. 19, 36). An ineligible request cannot be funded (Art. 24: 不得安排; Art. 30)."""
    project = request.project
    require_decider(actor, project, MemberRole.FINANCE, "决定运维经费", "第二十八条、第三十条")
    with transaction.atomic():
        locked = OMFundingRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status != OMRequestStatus.SUBMITTED:
            raise Conflict("该申请已有决定。", code="already_decided")
        if approve:
            if not locked.eligible:
                reasons = "；".join(REASON_TEXT.get(r, r) for r in locked.reasons)
                raise DomainError(f"不能安排运维经费：{reasons}。", code="om_ineligible",
                                  article="第二十四条、第三十条", hint="整改后由项目建设单位重新申请。")
            granted = locked.amount if granted_amount is None else granted_amount
            if not Decimal(0) <= granted <= locked.amount:
                raise DomainError("安排金额应在 0 与申请金额之间。", code="invalid", field="granted_amount")
            locked.status, locked.granted_amount = OMRequestStatus.APPROVED, granted.quantize(Decimal("0.01"))
        else:
            if not note.strip():
                raise DomainError("不安排运维经费时请写明理由。", code="invalid", field="note")
            locked.status, locked.granted_amount = OMRequestStatus.REFUSED, Decimal("0.00")
        locked.decided_by, locked.decided_on, locked.decision_note = actor, timezone.localdate(), note
        locked.save()
        audit_record(event="delivery.om.decide", actor=actor, target=project,
                     data={"request": locked.pk, "year": locked.year, "status": locked.status,
                           "granted": str(locked.granted_amount)})
    return locked
