"""Delivery's conditions on lifecycle transitions, registered in DeliveryConfig.ready()."""

from __future__ import annotations

from typing import Any

from tongchou.core_errors import DomainError
from tongchou.delivery.models import (
    Acceptance,
    Contract,
    InventorySystem,
    Procurement,
    SecurityProfile,
    TrialRun,
)
from tongchou.delivery.services.procurement import procurement_missing
from tongchou.delivery.services.retirement import handover_missing
from tongchou.lifecycle.guards import register_guard
from tongchou.reviews.models import ProjectApproval


def procurement_checklist_complete(project: Any, actor: Any, context: dict[str, Any]) -> DomainError | None:
    missing = procurement_missing(Procurement.objects.filter(project=project).first())
    if missing:
        return DomainError(
            f"不能启动政府采购：尚缺{'、'.join(missing)}。招标文件须明确免费运维期限及期满后每年运维资金"
            "（第二十九条）和成果及知识产权归政府所有（第二十七条），并确定项目实施机构和责任人（第二十条）。",
            code="procurement_incomplete", article="第二十条、第二十七条、第二十九条", field="procurement",
            hint="请先在“采购”中补齐上述信息。")
    return None


def procurement_within_art26(project: Any, actor: Any, context: dict[str, Any]) -> DomainError | None:
    """The approval's own deadline (recorded by reviews with the 立项批复) against the start date."""
    record = Procurement.objects.filter(project=project).first()
    approval = ProjectApproval.objects.filter(project=project).first()
    if record is None or record.start_date is None or approval is None:
        return None
    if record.start_date > approval.procurement_deadline:
        return DomainError(
            f"立项批复于 {approval.approval_date} 出具，启动政府采购的期限为 {approval.procurement_deadline}（含当日）；"
            f"登记的启动日期 {record.start_date} 已超过期限，批复已失效，应重新申报（第二十六条）。",
            code="ART26-LAPSED", article="第二十六条", field="start_date", hint="请重新申报项目。")
    return None


def contract_signed(project: Any, actor: Any, context: dict[str, Any]) -> DomainError | None:
    contracts = list(Contract.objects.filter(project=project))
    if not contracts:
        return DomainError("尚未登记已签订的合同，不能开始实施（第二十条、第二十三条）。", code="no_contract",
                           article="第二十条、第二十三条", hint="请先登记合同。")
    blocked = [c for c in contracts if any(f.get("severity") == "block" for f in c.findings) or not c.ip_to_government]
    if blocked:
        return DomainError(f"合同「{blocked[0].vendor}」不符合第二十三条或第二十七条，不能开始实施。",
                           code="contract_invalid", article="第二十三条、第二十七条")
    return None


def crypto_plan_before_going_live(project: Any, actor: Any, context: dict[str, Any]) -> DomainError | None:
    profile = SecurityProfile.objects.filter(project=project).first()
    if profile is None or not profile.crypto_plan.strip():
        return DomainError(
            "不能进入试运行：尚未登记密码应用方案。第二十二条要求密码保障系统同步规划、同步建设、同步运行。",
            code="no_crypto_plan", article="第二十二条", hint="请在“安全与密码”中登记密码应用方案。")
    return None


def trial_normal_and_report(project: Any, actor: Any, context: dict[str, Any]) -> DomainError | None:
    trial = TrialRun.objects.filter(project=project).first()
    if trial is None or trial.ended_on is None or not trial.normal:
        return DomainError("项目须经试运行正常后方可申请竣工验收（第二十四条）。", code="trial_not_normal",
                           article="第二十四条", hint="请先登记试运行结束及正常的结论。")
    acceptance = Acceptance.objects.filter(project=project).first()
    if acceptance is None or not acceptance.report.strip():
        return DomainError("请提交竣工验收报告（第二十四条）。", code="no_report", article="第二十四条")
    return None


def acceptance_passed(project: Any, actor: Any, context: dict[str, Any]) -> DomainError | None:
    acceptance = Acceptance.objects.filter(project=project).first()
    if acceptance is None or acceptance.convened_on is None or not acceptance.passed:
        return DomainError("竣工验收委员会尚未作出通过的验收结论（第二十四条）。", code="not_accepted",
                           article="第二十四条")
    return None


def system_in_inventory(project: Any, actor: Any, context: dict[str, Any]) -> DomainError | None:
    if not (InventorySystem.objects.filter(built_by=project).exists()
            or InventorySystem.objects.filter(migration_project=project).exists()):
        return DomainError(
            "转入运维前须将项目建成的系统登记到应用系统台账（第三十五条：投资形成的系统归政府所有、统一调度）。",
            code="not_in_inventory", article="第三十五条", hint="请在“应用系统台账”中登记本项目建成的系统。")
    return None


def handover_complete(project: Any, actor: Any, context: dict[str, Any]) -> DomainError | None:
    from tongchou.delivery.models import Handover

    missing = handover_missing(Handover.objects.filter(project=project).first())
    if missing:
        return DomainError(f"不能退役：尚缺{'、'.join(missing)}（第三十五条：系统和数据资产归政府所有）。",
                           code="handover_incomplete", article="第三十五条", hint="请先完成退役移交登记。")
    return None


def register_all() -> None:
    register_guard("start_procurement", procurement_checklist_complete)
    register_guard("start_procurement", procurement_within_art26)
    register_guard("start_implementation", contract_signed)
    register_guard("start_trial", crypto_plan_before_going_live)
    register_guard("apply_acceptance", trial_normal_and_report)
    register_guard("accept", acceptance_passed)
    register_guard("start_operations", system_in_inventory)
    register_guard("retire", handover_complete)
