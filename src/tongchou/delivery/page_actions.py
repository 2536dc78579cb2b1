"""What each form on the 实施与运维 page does: the form that parses it, the ONE service call it makes, the
message on success, the tab it lives on and to whom the page offers it. Offering is only a courtesy of
the page; the service is what allows or refuses (its own permission and state checks)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db.models import Q

from tongchou.delivery import forms as f
from tongchou.delivery.models import (
    CryptoAssessment,
    InventorySystem,
    Milestone,
    OMFundingRequest,
    PerformanceReport,
    RectificationOrder,
)
from tongchou.delivery.rules.execution import overspend_warning
from tongchou.delivery.selectors import project_record
from tongchou.delivery.services import acceptance as acc
from tongchou.delivery.services import (
    data_sharing,
    inventory,
    om,
    performance,
    procurement,
    retirement,
    security,
    supervision,
)
from tongchou.delivery.services.access import is_decider, is_unit_member
from tongchou.lifecycle.actions import project_actions_for
from tongchou.lifecycle.permissions import is_project_authority
from tongchou.projects.models import Project

TABS: tuple[tuple[str, str, str], ...] = (
    ("procurement", "采购与合同", "第二十条至第二十九条"),
    ("implementation", "实施进度", "第二十条"),
    ("security", "安全与密码", "第二十二条"),
    ("acceptance", "试运行与竣工验收", "第二十四条"),
    ("performance", "绩效管理", "第二十五条"),
    ("om", "运维与退役", "第二十九条、第三十条、第三十五条"),
)
TAB_FOR_STATUS = {
    "implementation": "implementation", "trial_operation": "acceptance", "acceptance_applied": "acceptance",
    "accepted": "acceptance", "operating": "om", "retired": "om",
}


def default_tab(project: Project) -> str:
    return TAB_FOR_STATUS.get(project.status, "procurement")


@dataclass(frozen=True)
class Who:
    """What the page offers this user on this project: the services' own predicates, asked once."""

    unit: bool
    ndrc: bool  # records the development and reform commission's decisions (a county project: its bureau lead)
    finance: bool  # records finance's decisions (a county project: its bureau lead), ADR 0190
    authority: bool  # the digital bureau that runs this project (Art. 19, 36)
    steps: frozenset[str]  # lifecycle actions the user may take now (the lifecycle's may_act)
    supervisor: str = ""  # "public_security" or "crypto_bureau": writes its own supervisory records (ADR 0180)
    org_id: int | None = None
    bureau: bool = False  # the digital development bureau: attests data sharing (Art. 30(一), ADR 0210)

    @classmethod
    def of(cls, user: Any, project: Project) -> Who:
        return cls(unit=is_unit_member(user, project), ndrc=is_decider(user, "development_reform", project),
                   finance=is_decider(user, "finance", project), authority=is_project_authority(user, project),
                   steps=frozenset(a["action"] for a in project_actions_for(project=project, user=user)),
                   supervisor=supervision.supervisor_role(user, project) or "",
                   org_id=getattr(user, "organisation_id", None),
                   bureau=data_sharing.may_attest(user, project))

    @property
    def crypto(self) -> bool:
        return self.supervisor == "crypto_bureau"


@dataclass(frozen=True)
class PageAction:
    key: str
    tab: str
    form: type[f.DeliveryForm]
    call: Callable[[Any, Project, Any, dict[str, Any]], Any]  # (actor, project, object, form values) -> result
    done: Callable[[Any], str]
    shown: Callable[[Who], bool]
    lookup: Callable[[Project, int], Any] | None = None  # for a form about one row (a milestone, a request)
    moves: bool = False  # a lifecycle step: afterwards the page opens on the new stage's tab

    @property
    def slug(self) -> str:
        return self.key.replace("_", "-")


def _unit(who: Who) -> bool:
    return who.unit


def _step(action: str) -> Callable[[Who], bool]:
    return lambda who: action in who.steps


def _procurement_done(record: Any) -> str:
    missing = procurement.procurement_missing(record)
    if missing:
        return f"采购信息已保存。启动政府采购前尚缺：{'、'.join(missing)}。"
    return "采购信息已保存，招标文件清单已齐全，可以启动政府采购。"


def _contract_done(result: Any) -> str:
    _contract, findings = result
    if not findings:
        return "合同已登记，第二十三条检查：符合。"
    return "合同已登记。第二十三条提示：" + " ".join(x["message"] for x in findings)


def _overspent(report: Any) -> str:
    warning = overspend_warning(report.budget, report.spent)
    return f"请注意：{warning}，已一并告知财政部门审核（第二十五条）。" if warning else ""


def _monitoring_done(report: Any) -> str:
    return "运行监控报告已报送。" + _overspent(report)


def _handover_done(handover: Any) -> str:
    missing = retirement.handover_missing(handover)
    return "退役移交已登记。" + (f"退役前尚缺：{'、'.join(missing)}。" if missing else "移交已齐全，可以退役。")


def _concluded(a: Any) -> str:
    return "验收结论已登记：通过竣工验收，项目状态为「已竣工验收」。" if a.passed else "验收结论已登记：未通过，请项目建设单位整改。"


ACTIONS: dict[str, PageAction] = {a.slug: a for a in (
    PageAction("procurement", "procurement", f.ProcurementForm,
               lambda u, p, o, kw: procurement.procurement_record(project=p, actor=u, **kw), _procurement_done, _unit),
    PageAction("procurement_start", "procurement", f.StepForm,
               lambda u, p, o, kw: procurement.procurement_start(project=p, actor=u, **kw),
               lambda r: "已启动政府采购（第二十一条），第二十六条的期限已停止计算。", _step("start_procurement"), moves=True),
    PageAction("contracts", "procurement", f.ContractForm,
               lambda u, p, o, kw: procurement.contract_record(project=p, actor=u, **kw), _contract_done, _unit),
    PageAction("implementation_start", "procurement", f.ImplementationStartForm,
               lambda u, p, o, kw: procurement.implementation_start(project=p, actor=u, **kw),
               lambda r: "已开始实施。请登记里程碑、进度报告和监理报告。", _step("start_implementation"), moves=True),
    PageAction("milestones", "implementation", f.MilestoneForm,
               lambda u, p, o, kw: procurement.milestone_add(project=p, actor=u, **kw),
               lambda m: f"里程碑「{m.name}」已登记。", _unit),
    PageAction("milestone_done", "implementation", f.MilestoneDoneForm,
               lambda u, p, o, kw: procurement.milestone_complete(milestone=o, actor=u, **kw),
               lambda m: f"里程碑「{m.name}」已于 {m.done_on:%Y-%m-%d} 完成。", _unit,
               partial(project_record, Milestone)),
    PageAction("reports", "implementation", f.ReportForm,
               lambda u, p, o, kw: procurement.report_add(project=p, actor=u, **kw),
               lambda r: f"{r.get_kind_display()}已登记。", _unit),
    PageAction("security", "security", f.SecurityForm,
               lambda u, p, o, kw: security.security_profile_update(project=p, actor=u, **kw),
               lambda r: "安全与密码信息已保存。", _unit),
    PageAction("crypto_assessments", "security", f.CryptoAssessmentForm,
               lambda u, p, o, kw: security.crypto_assessment_record(project=p, actor=u, **kw),
               lambda r: f"密评记录已登记，下次评估到期日 {r.next_due:%Y-%m-%d}。", _unit),
    PageAction("grade_assessments", "security", f.GradeAssessmentForm,
               lambda u, p, o, kw: security.grade_assessment_record(project=p, actor=u, **kw),
               lambda r: f"等级测评记录已登记，下次测评到期日 {r.next_due:%Y-%m-%d}。", _unit),
    PageAction("inspections", "security", f.InspectionForm,
               lambda u, p, o, kw: supervision.inspection_record(project=p, actor=u, **kw),
               lambda r: f"{r.get_kind_display()}已登记" + (f"：{r.adverse_label}。" if r.adverse else "，未发现重大问题。"),
               lambda who: bool(who.supervisor)),
    PageAction("rectifications", "security", f.RectificationForm,
               lambda u, p, o, kw: supervision.rectification_issue(project=p, actor=u, **kw),
               lambda r: f"整改通知已下达，整改期限 {r.due_on:%Y-%m-%d}。", lambda who: bool(who.supervisor)),
    PageAction("rectification_report", "security", f.RectificationReportForm,
               lambda u, p, o, kw: supervision.rectification_report(order=o, actor=u, **kw),
               lambda r: "整改报告已报送，待下达单位验收。", _unit,
               partial(project_record, RectificationOrder)),
    PageAction("rectification_verify", "security", f.RectificationVerifyForm,
               lambda u, p, o, kw: supervision.rectification_verify(order=o, actor=u, **kw),
               lambda r: "整改已验收。" if r.status == "closed" else f"整改已退回，新的整改期限 {r.due_on:%Y-%m-%d}。",
               lambda who: bool(who.supervisor),
               partial(project_record, RectificationOrder)),
    PageAction("crypto_review", "security", f.CryptoReviewForm,
               lambda u, p, o, kw: supervision.crypto_assessment_review(assessment=o, actor=u, **kw),
               lambda r: "已确认密评结论。" if r.review == "confirmed" else "已登记对密评结论的异议。",
               lambda who: who.crypto,
               partial(project_record, CryptoAssessment)),
    PageAction("trial_start", "acceptance", f.TrialStartForm,
               lambda u, p, o, kw: acc.trial_start(project=p, actor=u, **kw),
               lambda r: "已进入试运行，投入运行日期已登记：等保备案须在30日内完成（第二十二条）。", _step("start_trial"), moves=True),
    PageAction("trial_finish", "acceptance", f.TrialFinishForm,
               lambda u, p, o, kw: acc.trial_finish(project=p, actor=u, **kw),
               lambda t: "试运行结果已登记：" + ("运行正常。" if t.normal else "运行不正常，整改后方可申请竣工验收。"), _unit),
    PageAction("acceptance_apply", "acceptance", f.AcceptanceApplyForm,
               lambda u, p, o, kw: acc.acceptance_apply(project=p, actor=u, **kw),
               lambda r: ("已向县市数字化发展局申请竣工验收（第二十四条、第三十六条）。" if r.project.level == "county"
                          else "已向州发改委申请竣工验收（第二十四条）。"), _step("apply_acceptance"), moves=True),
    PageAction("committee", "acceptance", f.CommitteeForm,
               lambda u, p, o, kw: acc.committee_convene(project=p, actor=u, **kw),
               lambda a: f"竣工验收委员会已组建（{a.members.count()}人）。", lambda who: who.ndrc),
    PageAction("acceptance_conclude", "acceptance", f.ConcludeForm,
               lambda u, p, o, kw: acc.acceptance_conclude(project=p, actor=u, **kw), _concluded,
               lambda who: who.ndrc),
    PageAction("operations_start", "acceptance", f.StepForm,
               lambda u, p, o, kw: acc.operations_start(project=p, actor=u, **kw),
               lambda r: "项目已转入运维。", _step("start_operations"), moves=True),
    PageAction("indicators", "performance", f.IndicatorForm,
               lambda u, p, o, kw: performance.indicator_add(project=p, actor=u, **kw),
               lambda i: f"绩效指标「{i.name}」已设定。", _unit),
    PageAction("performance_reports", "performance", f.ScheduleForm,
               lambda u, p, o, kw: performance.report_schedule(project=p, actor=u, **kw),
               lambda r: f"已安排{r.year}年{r.period}{r.get_kind_display()}，报送期限 {r.due_on:%Y-%m-%d}。",
               lambda who: who.finance or who.unit),
    PageAction("monitoring", "performance", f.MonitoringForm,
               lambda u, p, o, kw: performance.monitoring_submit(project=p, actor=u, **kw),
               _monitoring_done, _unit),
    PageAction("self_evaluation", "performance", f.SelfEvaluationForm,
               lambda u, p, o, kw: performance.self_evaluation_submit(project=p, actor=u, **kw),
               lambda r: f"绩效自评已报送：总分 {r.score_total}（{r.grade}）。" + _overspent(r), _unit),
    PageAction("performance_review", "performance", f.PerformanceReviewForm,
               lambda u, p, o, kw: performance.report_review(report=o, actor=u, **kw),
               lambda r: "绩效报告已审核通过。" if r.review_status == "accepted" else "绩效报告已退回项目建设单位修改。",
               lambda who: who.finance,
               partial(project_record, PerformanceReport)),
    PageAction("om_requests", "om", f.OMRequestForm,
               lambda u, p, o, kw: om.om_request_submit(project=p, actor=u, **kw),
               lambda r: f"{r.year}年度运维经费申请已提交，并已按《办法》评估。", _unit),
    PageAction("om_decision", "om", f.OMDecisionForm,
               lambda u, p, o, kw: om.om_request_decide(request=o, actor=u, **kw),
               lambda r: "决定已记录。", lambda who: who.finance,
               partial(project_record, OMFundingRequest)),
    PageAction("data_sharing", "om", f.AttestationForm,
               lambda u, p, o, kw: data_sharing.attestation_record(project=p, actor=u, **kw),
               lambda a: f"数据共享认定已登记：{a.adverse_label}。", lambda who: who.bureau),
    PageAction("systems", "om", f.SystemForm,
               lambda u, p, o, kw: inventory.system_register(actor=u, owner=p.unit, built_by=p, **kw),
               lambda s: f"系统「{s.name}」已登记到应用系统台账。", _unit),
    PageAction("system_edit", "om", f.SystemEditForm,
               lambda u, p, o, kw: inventory.system_update(system=o, actor=u, **kw),
               lambda s: f"系统「{s.name}」的台账已更新。", lambda who: who.unit or who.authority,
               lambda p, pk: InventorySystem.objects.filter(Q(built_by=p) | Q(migration_project=p), pk=pk).first()),
    PageAction("migration_link", "om", f.MigrationLinkForm,
               lambda u, p, o, kw: inventory.system_link_migration(project=p, actor=u, **kw),
               lambda s: f"本项目已关联为「{s.name}」的上云迁移项目（第五条）。", lambda who: who.unit or who.authority),
    PageAction("handover", "om", f.HandoverForm,
               lambda u, p, o, kw: retirement.handover_record(project=p, actor=u, **kw),
               _handover_done, _unit),
    PageAction("retire", "om", f.RetireForm,
               lambda u, p, o, kw: retirement.project_retire(project=p, actor=u, **kw),
               lambda r: "项目已退役，应用系统台账已同步标记。", _step("retire"), moves=True),
)}
