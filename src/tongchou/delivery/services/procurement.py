"""Procurement and implementation (Art. 20, 21, 23, 26, 27, 29)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from tongchou.audit.services import audit_record
from tongchou.core_errors import Conflict, DomainError
from tongchou.delivery.models import Contract, ImplementationReport, Milestone, Procurement
from tongchou.delivery.rules.contract_check import check_contract
from tongchou.delivery.seams import contract_thresholds
from tongchou.delivery.services.access import changed_fields, require_open, require_unit, sync_register
from tongchou.lifecycle.services import project_transition
from tongchou.obligations.models import OPEN_STATUSES, Obligation
from tongchou.obligations.services import obligation_fulfil
from tongchou.projects.models import Project, Status

SIGNABLE = (Status.PROCUREMENT, Status.IMPLEMENTATION, Status.TRIAL_OPERATION, Status.ACCEPTANCE_APPLIED,
            Status.ACCEPTED, Status.OPERATING)
PROCUREMENT_FIELDS = (
    "method", "start_date", "tender_free_om_months", "tender_annual_om_fee", "tender_ip_to_government",
    "implementing_body", "responsible_person", "responsible_phone",
)


def _not_future(value: date | None, field: str, label: str) -> None:
    if value is not None and value > timezone.localdate():
        raise DomainError(f"{label}不能晚于今天。", code="invalid", field=field)


def procurement_record(*, project: Project, actor: Any, **values: Any) -> Procurement:
    """Save the procurement facts (partial: only the keys given). The start date stops the Art. 26 clock."""
    unknown = set(values) - set(PROCUREMENT_FIELDS)
    if unknown:
        raise DomainError(f"未知字段：{'、'.join(sorted(unknown))}", code="invalid", field=sorted(unknown)[0])
    require_unit(actor, project, "登记采购信息", "第二十条、第二十一条")
    require_open(project)
    _not_future(values.get("start_date"), "start_date", "启动政府采购日期")
    with transaction.atomic():
        record, _ = Procurement.objects.select_for_update().get_or_create(project=project)
        diff = changed_fields(record, values)
        record.updated_by = actor
        record.save()
        if "start_date" in values:
            sync_register(project, procurement_start_date=values["start_date"])
        if "responsible_phone" in diff:
            diff["responsible_phone"] = ["***", "***"]
        audit_record(event="delivery.procurement.record", actor=actor, target=project, data={"changed": diff})
    return record


def procurement_missing(record: Procurement | None) -> list[str]:
    """What the checklist still lacks before procurement may start (Art. 20, 27, 29)."""
    if record is None:
        return ["采购方式", "启动政府采购日期", "招标文件中的免费运维期限（第二十九条）",
                "招标文件中免费期后每年运维费（第二十九条）", "招标文件中成果及知识产权归政府所有（第二十七条）",
                "项目实施机构（第二十条）", "项目责任人（第二十条）"]
    missing = []
    if not record.method:
        missing.append("采购方式")
    if record.start_date is None:
        missing.append("启动政府采购日期")
    if record.tender_free_om_months is None:
        missing.append("招标文件中的免费运维期限（第二十九条）")
    if record.tender_annual_om_fee is None:
        missing.append("招标文件中免费期后每年运维费（第二十九条）")
    if not record.tender_ip_to_government:
        missing.append("招标文件中成果及知识产权归政府所有（第二十七条）")
    if not record.implementing_body.strip():
        missing.append("项目实施机构（第二十条）")
    if not record.responsible_person.strip():
        missing.append("项目责任人（第二十条）")
    return missing


ART26_OBLIGATION = "ART26-PROCUREMENT-DEADLINE"


def procurement_start(*, project: Project, actor: Any, expected_version: int | None = None) -> Project:
    """`start_procurement`; the guards refuse while the checklist is incomplete or the approval has lapsed.
    Starting stops the Art. 26 clock: the approval's open deadline is fulfilled in the same transaction."""
    with transaction.atomic():
        done = project_transition(project=project, action="start_procurement", actor=actor,
                                  expected_version=expected_version)
        record = Procurement.objects.get(project=project)
        for ob in Obligation.objects.filter(project=project, code=ART26_OBLIGATION, status__in=OPEN_STATUSES):
            obligation_fulfil(obligation=ob, actor=actor, note=f"已于 {record.start_date} 启动政府采购")
    return done


def contract_record(
    *, project: Project, actor: Any, vendor: str, amount: Decimal, signed_on: date, kind: str | None = None,
    construction_period_months: int | None = None, free_om_months: int | None = None,
    term_months: int | None = None, ip_to_government: bool = False,
) -> tuple[Contract, list[dict[str, str]]]:
    """Record a signed contract checked against Art. 23: a `block` finding refuses it, a `warn` is kept."""
    require_unit(actor, project, "登记合同", "第二十条、第二十三条")
    require_open(project)
    kind = kind or project.category
    if not kind:
        raise DomainError("请选择合同类别（建设开发类、设备采购类或等保测评·密评类）。", code="invalid", field="kind")
    if not vendor.strip():
        raise DomainError("请填写供应商名称。", code="invalid", field="vendor")
    if amount < 0:
        raise DomainError("合同金额不能为负数。", code="invalid", field="amount")
    _not_future(signed_on, "signed_on", "签订日期")
    if project.status not in SIGNABLE:
        raise Conflict(f"项目当前状态为「{Status(project.status).label}」，须先启动政府采购再签订合同（第二十一条）。",
                       code="invalid_state", article="第二十一条")
    started = Procurement.objects.filter(project=project).values_list("start_date", flat=True).first()
    if started and signed_on < started:
        raise DomainError(f"签订日期不能早于启动政府采购日期（{started}）。", code="invalid", field="signed_on")
    findings = check_contract(kind=kind, construction_period_months=construction_period_months,
                              free_om_months=free_om_months, term_months=term_months,
                              limits=contract_thresholds(signed_on))
    blocks = [f for f in findings if f.severity == "block"]
    if blocks:
        first = blocks[0]
        raise DomainError(" ".join(f.message for f in blocks), code=first.code, article=first.article, field=first.field)
    if not ip_to_government:
        raise DomainError(
            "合同须明确项目建设完成后形成的成果及相关知识产权归政府所有（第二十七条）。",
            code="ART27-IP", article="第二十七条", field="ip_to_government",
        )
    with transaction.atomic():
        contract = Contract.objects.create(
            project=project, kind=kind, vendor=vendor.strip(), amount=amount, signed_on=signed_on,
            construction_period_months=construction_period_months, free_om_months=free_om_months,
            term_months=term_months, ip_to_government=ip_to_government,
            findings=[f.as_dict() for f in findings], created_by=actor,
        )
        sync_register(project, construction_period_months=construction_period_months,
                      free_om_months=free_om_months, contract_term_months=term_months)
        audit_record(event="delivery.contract.record", actor=actor, target=project,
                     data={"contract": contract.pk, "vendor": contract.vendor, "amount": str(amount),
                           "findings": [f.code for f in findings]})
    return contract, contract.findings


def implementation_start(*, project: Project, actor: Any, started_on: date | None = None,
                         expected_version: int | None = None) -> Project:
    started_on = started_on or timezone.localdate()
    _not_future(started_on, "started_on", "开始实施日期")
    with transaction.atomic():
        done = project_transition(project=project, action="start_implementation", actor=actor,
                                  expected_version=expected_version)
        sync_register(project, work_start_date=started_on)
    return done


def milestone_add(*, project: Project, actor: Any, name: str, planned_on: date, note: str = "") -> Milestone:
    require_unit(actor, project, "登记里程碑", "第二十三条")
    require_open(project)
    if not name.strip():
        raise DomainError("请填写里程碑名称。", code="invalid", field="name")
    with transaction.atomic():
        milestone = Milestone.objects.create(project=project, name=name.strip(), planned_on=planned_on, note=note)
        audit_record(event="delivery.milestone.add", actor=actor, target=project,
                     data={"milestone": milestone.pk, "name": milestone.name, "planned_on": planned_on})
    return milestone


def milestone_complete(*, milestone: Milestone, actor: Any, done_on: date) -> Milestone:
    require_unit(actor, milestone.project, "登记里程碑完成", "第二十三条")
    _not_future(done_on, "done_on", "实际完成日期")
    with transaction.atomic():
        locked = Milestone.objects.select_for_update().get(pk=milestone.pk)
        locked.done_on = done_on
        locked.save(update_fields=["done_on"])
        audit_record(event="delivery.milestone.complete", actor=actor, target=locked.project,
                     data={"milestone": locked.pk, "done_on": done_on})
    return locked


def report_add(*, project: Project, actor: Any, kind: str, reported_on: date, author: str, summary: str,
               percent_complete: int | None = None, issues: str = "") -> ImplementationReport:
    """Progress reports and 监理 reports (Art. 20: 工程监理)."""
    require_unit(actor, project, "登记进度报告或监理报告", "第二十条")
    require_open(project)
    if not summary.strip():
        raise DomainError("请填写报告内容摘要。", code="invalid", field="summary")
    if percent_complete is not None and not 0 <= percent_complete <= 100:
        raise DomainError("完成比例应在 0 到 100 之间。", code="invalid", field="percent_complete")
    _not_future(reported_on, "reported_on", "报告日期")
    with transaction.atomic():
        report = ImplementationReport.objects.create(
            project=project, kind=kind, reported_on=reported_on, author=author.strip(), summary=summary,
            percent_complete=percent_complete, issues=issues, created_by=actor)
        audit_record(event=f"delivery.report.{kind}", actor=actor, target=project,
                     data={"report": report.pk, "reported_on": reported_on, "percent": percent_complete})
    return report
