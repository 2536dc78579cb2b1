"""/api/v1/delivery/ — procurement to retirement (Art. 20–30, 5, 35). Thin: every write is a service call."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Router, Schema, Status
from ninja.decorators import decorate_view

from tongchou.accounts.models import Organisation
from tongchou.accounts.requests import AuthenticatedHttpRequest
from tongchou.api.idempotency import idempotent
from tongchou.core_errors import NotFound
from tongchou.delivery.models import (
    CryptoAssessment,
    Milestone,
    OMFundingRequest,
    PerformanceReport,
    RectificationOrder,
    SupervisoryInspection,
)
from tongchou.delivery.overview import (
    attestation_data,
    data_sharing_data,
    delivery_overview,
    inspection_data,
    om_request_data,
    rectification_data,
    report_data,
    supervision_data,
    system_data,
)
from tongchou.delivery.selectors import (
    delivery_due_items,
    inventory_overlaps,
    inventory_visible_to,
    project_get,
    project_record,
    project_record_get,
    projects_visible_to,
    system_get,
)
from tongchou.delivery.services import acceptance as acc
from tongchou.delivery.services import (
    data_sharing,
    om,
    performance,
    procurement,
    retirement,
    security,
    supervision,
)
from tongchou.delivery.services import inventory as inv

router = Router(tags=["实施与运维"])

Kind = Literal["development", "equipment", "security_assessment"]
Result = Literal["passed", "basically_passed", "failed"]
DeploymentCode = Literal["gov_cloud", "self_hosted", "special_network", "none"]


def _user(request: AuthenticatedHttpRequest) -> Any:
    return request.user


def _project(request: AuthenticatedHttpRequest, project_id: int) -> Any:
    return project_get(user=request.user, project_id=project_id)


def _state(project: Any) -> dict[str, Any]:
    return {"id": project.pk, "status": project.status, "status_label": project.get_status_display(),
            "version": project.version}


class Versioned(Schema):
    expected_version: int | None = None


@router.get("/projects/{project_id}", summary="项目实施与运维全貌")
def overview(request: AuthenticatedHttpRequest, project_id: int) -> dict[str, Any]:
    return delivery_overview(_project(request, project_id))


# --- Procurement and implementation (Art. 20, 21, 23, 26, 27, 29) ---

class ProcurementIn(Schema):
    method: Literal["open_tender", "invited_tender", "competitive_negotiation", "competitive_consultation",
                    "single_source", "inquiry", "framework", "self_organised"] | None = None
    start_date: date | None = None
    tender_free_om_months: int | None = Field(None, ge=0, le=600)
    tender_annual_om_fee: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    tender_ip_to_government: bool | None = None
    implementing_body: str | None = Field(None, max_length=128)
    responsible_person: str | None = Field(None, max_length=64)
    responsible_phone: str | None = Field(None, max_length=32)


@router.put("/projects/{project_id}/procurement", summary="登记采购信息与招标文件清单")
def procurement_put(request: AuthenticatedHttpRequest, project_id: int, payload: ProcurementIn) -> dict[str, Any]:
    project = _project(request, project_id)
    procurement.procurement_record(project=project, actor=_user(request), **payload.dict(exclude_unset=True))
    return delivery_overview(project)


@router.post("/projects/{project_id}/procurement/start", summary="启动政府采购")
def procurement_start(request: AuthenticatedHttpRequest, project_id: int, payload: Versioned) -> dict[str, Any]:
    project = _project(request, project_id)
    return _state(procurement.procurement_start(project=project, actor=_user(request),
                                                expected_version=payload.expected_version))


class ContractIn(Schema):
    kind: Kind | None = None
    vendor: str = Field(..., max_length=200)
    amount: Decimal = Field(..., ge=0, max_digits=14, decimal_places=2)
    signed_on: date
    construction_period_months: int | None = Field(None, ge=0, le=600)
    free_om_months: int | None = Field(None, ge=0, le=600)
    term_months: int | None = Field(None, ge=0, le=600)
    ip_to_government: bool = False


@router.post("/projects/{project_id}/contracts", response={201: dict}, summary="登记合同（第二十三条检查）")
@decorate_view(idempotent)
def contract_create(request: AuthenticatedHttpRequest, project_id: int, payload: ContractIn) -> Status:
    project = _project(request, project_id)
    contract, findings = procurement.contract_record(project=project, actor=_user(request), **payload.dict())
    return Status(201, {"id": contract.pk, "findings": findings})


class StartIn(Versioned):
    started_on: date | None = None


@router.post("/projects/{project_id}/implementation/start", summary="开始实施")
def implementation_start(request: AuthenticatedHttpRequest, project_id: int, payload: StartIn) -> dict[str, Any]:
    project = _project(request, project_id)
    return _state(procurement.implementation_start(project=project, actor=_user(request), started_on=payload.started_on,
                                                   expected_version=payload.expected_version))


class MilestoneIn(Schema):
    name: str = Field(..., max_length=200)
    planned_on: date
    note: str = ""


@router.post("/projects/{project_id}/milestones", response={201: dict}, summary="登记里程碑")
@decorate_view(idempotent)
def milestone_create(request: AuthenticatedHttpRequest, project_id: int, payload: MilestoneIn) -> Status:
    m = procurement.milestone_add(project=_project(request, project_id), actor=_user(request), **payload.dict())
    return Status(201, {"id": m.pk})


class MilestoneDoneIn(Schema):
    done_on: date


@router.post("/projects/{project_id}/milestones/{milestone_id}/done", summary="里程碑完成")
def milestone_done(request: AuthenticatedHttpRequest, project_id: int, milestone_id: int, payload: MilestoneDoneIn) -> dict:
    project = _project(request, project_id)
    milestone = project_record_get(Milestone, project, milestone_id)
    m = procurement.milestone_complete(milestone=milestone, actor=_user(request), done_on=payload.done_on)
    return {"id": m.pk, "done_on": payload.done_on.isoformat()}  # the date milestone_complete has just saved


class ReportIn(Schema):
    kind: Literal["progress", "supervision"]
    reported_on: date
    author: str = Field(..., max_length=200)
    summary: str
    percent_complete: int | None = Field(None, ge=0, le=100)
    issues: str = ""


@router.post("/projects/{project_id}/reports", response={201: dict}, summary="登记进度报告或监理报告")
@decorate_view(idempotent)
def report_create(request: AuthenticatedHttpRequest, project_id: int, payload: ReportIn) -> Status:
    r = procurement.report_add(project=_project(request, project_id), actor=_user(request), **payload.dict())
    return Status(201, {"id": r.pk})


# --- Security and cryptography (Art. 22) ---

class SecurityIn(Schema):
    crypto_plan: str | None = None
    crypto_plan_approved_on: date | None = None
    grade: int | None = Field(None, ge=1, le=5)
    go_live_on: date | None = None
    filed_on: date | None = None
    filing_number: str | None = Field(None, max_length=64)


@router.put("/projects/{project_id}/security", summary="登记密码应用方案、等保定级与备案")
def security_put(request: AuthenticatedHttpRequest, project_id: int, payload: SecurityIn) -> dict[str, Any]:
    project = _project(request, project_id)
    security.security_profile_update(project=project, actor=_user(request), **payload.dict(exclude_unset=True))
    return delivery_overview(project)["security"]


class AssessmentIn(Schema):
    assessed_on: date
    assessor: str = Field(..., max_length=200)
    result: Result
    next_due: date | None = None


class CryptoAssessmentIn(AssessmentIn):
    score: Decimal | None = Field(None, ge=0, le=100, max_digits=5, decimal_places=2)


@router.post("/projects/{project_id}/crypto-assessments", response={201: dict}, summary="登记密评")
@decorate_view(idempotent)
def crypto_assessment_create(request: AuthenticatedHttpRequest, project_id: int, payload: CryptoAssessmentIn) -> Status:
    r = security.crypto_assessment_record(project=_project(request, project_id), actor=_user(request), **payload.dict())
    return Status(201, {"id": r.pk, "next_due": r.next_due.isoformat()})


@router.post("/projects/{project_id}/grade-assessments", response={201: dict}, summary="登记等级测评")
@decorate_view(idempotent)
def grade_assessment_create(request: AuthenticatedHttpRequest, project_id: int, payload: AssessmentIn) -> Status:
    r = security.grade_assessment_record(project=_project(request, project_id), actor=_user(request), **payload.dict())
    return Status(201, {"id": r.pk, "next_due": r.next_due.isoformat()})


# --- Supervision: public security and the crypto bureau (Art. 14(二)(三), 22, 30(二); ADR 0180) ---

@router.get("/projects/{project_id}/supervision", summary="安全监管记录（风险排查、密码应用检查、整改通知）")
def supervision_get(request: AuthenticatedHttpRequest, project_id: int) -> dict[str, Any]:
    return supervision_data(_project(request, project_id))


class InspectionIn(Schema):
    inspected_on: date | None = None
    scope: str = Field(..., max_length=5000)
    findings: str = Field("", max_length=20000)
    adverse: bool = Field(..., description="风险排查：存在重大安全隐患；密码应用检查：密码应用不合规")


@router.post("/projects/{project_id}/inspections", response={201: dict},
             summary="登记风险排查（州公安局）或密码应用检查（州党委机要保密局）")
@decorate_view(idempotent)
def inspection_create(request: AuthenticatedHttpRequest, project_id: int, payload: InspectionIn) -> Status:
    record = supervision.inspection_record(project=_project(request, project_id), actor=_user(request),
                                           **payload.dict())
    return Status(201, inspection_data(record))


class RectificationIn(Schema):
    due_on: date
    requirements: str = Field(..., max_length=20000)
    inspection_id: int | None = None


@router.post("/projects/{project_id}/rectifications", response={201: dict}, summary="下达整改通知")
@decorate_view(idempotent)
def rectification_create(request: AuthenticatedHttpRequest, project_id: int, payload: RectificationIn) -> Status:
    project = _project(request, project_id)
    values = payload.dict()
    inspection_id = values.pop("inspection_id")
    inspection = None
    if inspection_id is not None:
        inspection = project_record(SupervisoryInspection, project, inspection_id)
        if inspection is None:
            raise NotFound("未找到该检查记录")
    order = supervision.rectification_issue(project=project, actor=_user(request), inspection=inspection, **values)
    return Status(201, rectification_data(order))


def _order(request: AuthenticatedHttpRequest, project_id: int, order_id: int) -> RectificationOrder:
    return project_record_get(RectificationOrder, _project(request, project_id), order_id)


class RectificationReportIn(Schema):
    report: str = Field(..., max_length=20000)
    reported_on: date | None = None


@router.post("/projects/{project_id}/rectifications/{order_id}/report", summary="报送整改报告（项目建设单位）")
def rectification_report(request: AuthenticatedHttpRequest, project_id: int, order_id: int,
                         payload: RectificationReportIn) -> dict[str, Any]:
    order = supervision.rectification_report(order=_order(request, project_id, order_id), actor=_user(request),
                                             **payload.dict())
    return rectification_data(order)


class RectificationVerifyIn(Schema):
    passed: bool
    note: str = Field("", max_length=20000)
    new_due_on: date | None = None


@router.post("/projects/{project_id}/rectifications/{order_id}/verify", summary="验收整改（下达单位）")
def rectification_verify(request: AuthenticatedHttpRequest, project_id: int, order_id: int,
                         payload: RectificationVerifyIn) -> dict[str, Any]:
    order = supervision.rectification_verify(order=_order(request, project_id, order_id), actor=_user(request),
                                             **payload.dict())
    return rectification_data(order)


class CryptoReviewIn(Schema):
    confirmed: bool
    note: str = Field("", max_length=20000)


@router.post("/projects/{project_id}/crypto-assessments/{assessment_id}/review",
             summary="确认或质疑密评结论（州党委机要保密局）")
def crypto_assessment_review(request: AuthenticatedHttpRequest, project_id: int, assessment_id: int,
                             payload: CryptoReviewIn) -> dict[str, Any]:
    record = project_record_get(CryptoAssessment, _project(request, project_id), assessment_id)
    record = supervision.crypto_assessment_review(assessment=record, actor=_user(request), **payload.dict())
    return {"id": record.pk, "result": record.result, "review": record.review, "review_note": record.review_note,
            "reviewed_on": record.reviewed_on.isoformat() if record.reviewed_on else None}


# --- Data sharing: the digital development bureau's attestation (Art. 5, 14, 30(一); ADR 0210) ---

@router.get("/projects/{project_id}/data-sharing",
            summary="数据共享认定（数字化发展局）与台账部署方式：第三十条第（一）项、第（三）项的依据")
def data_sharing_get(request: AuthenticatedHttpRequest, project_id: int) -> dict[str, Any]:
    return data_sharing_data(_project(request, project_id))


class AttestationIn(Schema):
    attested_on: date | None = None
    system_id: int | None = Field(None, description="本项目建成或迁移的应用系统；留空为整个项目")
    shared_as_required: bool = Field(..., description="已按要求共享数据资源")
    catalogue: str = Field("", max_length=5000, description="共享的目录或数据资源（已共享时必填）")
    duplicate_collection: bool = Field(..., description="存在重复采集数据")
    evidence: str = Field("", max_length=20000, description="认定依据（未共享或重复采集时必填）")


@router.post("/projects/{project_id}/data-sharing", response={201: dict},
             summary="登记数据共享认定（数字化发展局，第三十条第（一）项）")
@decorate_view(idempotent)
def data_sharing_attest(request: AuthenticatedHttpRequest, project_id: int, payload: AttestationIn) -> Status:
    record = data_sharing.attestation_record(project=_project(request, project_id), actor=_user(request),
                                             **payload.dict())
    return Status(201, attestation_data(record))


# --- Trial operation and acceptance (Art. 24) ---

class TrialStartIn(Versioned):
    started_on: date


@router.post("/projects/{project_id}/trial/start", summary="进入试运行（投入运行）")
def trial_start(request: AuthenticatedHttpRequest, project_id: int, payload: TrialStartIn) -> dict[str, Any]:
    return _state(acc.trial_start(project=_project(request, project_id), actor=_user(request),
                                  started_on=payload.started_on, expected_version=payload.expected_version))


class TrialFinishIn(Schema):
    ended_on: date
    normal: bool
    summary: str = ""


@router.post("/projects/{project_id}/trial/finish", summary="登记试运行结果")
def trial_finish(request: AuthenticatedHttpRequest, project_id: int, payload: TrialFinishIn) -> dict[str, Any]:
    t = acc.trial_finish(project=_project(request, project_id), actor=_user(request), **payload.dict())
    return {"ended_on": t.ended_on.isoformat() if t.ended_on else None, "normal": t.normal}


class ApplyIn(Versioned):
    report: str
    applied_on: date | None = None


@router.post("/projects/{project_id}/acceptance/apply", summary="申请竣工验收（州发改委受理；县市项目由县市数字化发展局负责人受理）")
def acceptance_apply(request: AuthenticatedHttpRequest, project_id: int, payload: ApplyIn) -> dict[str, Any]:
    project = _project(request, project_id)
    acc.acceptance_apply(project=project, actor=_user(request), report=payload.report, applied_on=payload.applied_on,
                         expected_version=payload.expected_version)
    project.refresh_from_db()
    return _state(project)


class MemberIn(Schema):
    seat: Literal["development_reform", "finance", "digital_bureau", "archives", "unit", "expert", "other"]
    name: str = Field("", max_length=64)
    organisation_id: int | None = None
    draw_member_id: int | None = None


class CommitteeIn(Schema):
    members: list[MemberIn]
    convened_on: date | None = None


@router.post("/projects/{project_id}/acceptance/committee", summary="组建竣工验收委员会（州发改委；县市项目为县市数字化发展局负责人）")
def committee(request: AuthenticatedHttpRequest, project_id: int, payload: CommitteeIn) -> dict[str, Any]:
    project = _project(request, project_id)
    acc.committee_convene(project=project, actor=_user(request), members=[m.dict() for m in payload.members],
                          convened_on=payload.convened_on)
    return delivery_overview(project)["acceptance"]


class ConcludeIn(Schema):
    passed: bool
    conclusion: str
    issues: str = ""
    concluded_on: date | None = None


@router.post("/projects/{project_id}/acceptance/conclude", summary="登记验收结论（州发改委；县市项目为县市数字化发展局负责人）")
def conclude(request: AuthenticatedHttpRequest, project_id: int, payload: ConcludeIn) -> dict[str, Any]:
    project = _project(request, project_id)
    acc.acceptance_conclude(project=project, actor=_user(request), **payload.dict())
    project.refresh_from_db()
    return _state(project)


@router.post("/projects/{project_id}/operations/start", summary="转入运维")
def operations_start(request: AuthenticatedHttpRequest, project_id: int, payload: Versioned) -> dict[str, Any]:
    return _state(acc.operations_start(project=_project(request, project_id), actor=_user(request),
                                       expected_version=payload.expected_version))


# --- Performance (Art. 25) ---

class IndicatorIn(Schema):
    dimension: Literal["output", "benefit", "satisfaction", "cost"]
    name: str = Field(..., max_length=200)
    operator: Literal["ge", "le", "eq", "gt", "lt"]
    target: Decimal = Field(..., max_digits=16, decimal_places=4)
    unit: str = Field("", max_length=32)


@router.post("/projects/{project_id}/indicators", response={201: dict}, summary="设定绩效指标")
@decorate_view(idempotent)
def indicator_create(request: AuthenticatedHttpRequest, project_id: int, payload: IndicatorIn) -> Status:
    i = performance.indicator_add(project=_project(request, project_id), actor=_user(request), **payload.dict())
    return Status(201, {"id": i.pk})


class ScheduleIn(Schema):
    kind: Literal["monitoring", "self_evaluation"]
    year: int = Field(..., ge=2000, le=2100)
    due_on: date
    period: str = Field("", max_length=32)


@router.post("/projects/{project_id}/performance-reports", response={201: dict}, summary="安排绩效报告报送时间")
@decorate_view(idempotent)
def report_schedule(request: AuthenticatedHttpRequest, project_id: int, payload: ScheduleIn) -> Status:
    r = performance.report_schedule(project=_project(request, project_id), actor=_user(request), **payload.dict())
    return Status(201, report_data(r))


class MonitoringIn(Schema):
    year: int
    period: str = ""
    progress_percent: Decimal = Field(..., ge=0, le=100)
    budget: Decimal = Field(..., ge=0)
    spent: Decimal = Field(..., ge=0)
    summary: str = ""


@router.post("/projects/{project_id}/performance/monitoring", summary="报送运行监控报告")
def monitoring(request: AuthenticatedHttpRequest, project_id: int, payload: MonitoringIn) -> dict[str, Any]:
    return report_data(performance.monitoring_submit(project=_project(request, project_id), actor=_user(request),
                                                     **payload.dict()))


class SelfEvaluationIn(Schema):
    year: int
    budget: Decimal = Field(..., ge=0)
    spent: Decimal = Field(..., ge=0)
    actuals: dict[str, Decimal]
    summary: str = ""


@router.post("/projects/{project_id}/performance/self-evaluation", summary="报送绩效自评（评分与等级）")
def self_evaluation(request: AuthenticatedHttpRequest, project_id: int, payload: SelfEvaluationIn) -> dict[str, Any]:
    return report_data(performance.self_evaluation_submit(project=_project(request, project_id),
                                                          actor=_user(request), **payload.dict()))


class ReviewIn(Schema):
    accept: bool
    note: str = Field("", max_length=2000)


@router.post("/projects/{project_id}/performance-reports/{report_id}/review",
             summary="审核绩效报告：通过或退回（州财政局；县市项目为县市数字化发展局负责人）")
def report_review(request: AuthenticatedHttpRequest, project_id: int, report_id: int, payload: ReviewIn) -> dict[str, Any]:
    project = _project(request, project_id)
    r = project_record_get(PerformanceReport, project, report_id)
    return report_data(performance.report_review(report=r, actor=_user(request), **payload.dict()))


# --- O&M funding (Art. 24, 29, 30) ---

class OMRequestIn(Schema):
    year: int = Field(..., ge=2000, le=2100)
    amount: Decimal = Field(..., ge=0, max_digits=14, decimal_places=2)
    justification: str = ""
    data_sharing_done: bool = True
    duplicate_data_collection: bool = False
    major_security_risk: bool = False


@router.post("/projects/{project_id}/om-requests", response={201: dict}, summary="申请年度运维经费")
@decorate_view(idempotent)
def om_request_create(request: AuthenticatedHttpRequest, project_id: int, payload: OMRequestIn) -> Status:
    r = om.om_request_submit(project=_project(request, project_id), actor=_user(request), **payload.dict())
    return Status(201, om_request_data(r))


class DecisionIn(Schema):
    approve: bool
    granted_amount: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    note: str = ""


@router.post("/projects/{project_id}/om-requests/{request_id}/decision", summary="运维经费决定（州财政局；县市项目为县市数字化发展局负责人）")
def om_request_decision(request: AuthenticatedHttpRequest, project_id: int, request_id: int, payload: DecisionIn) -> dict:
    project = _project(request, project_id)
    r = project_record_get(OMFundingRequest, project, request_id)
    return om_request_data(om.om_request_decide(request=r, actor=_user(request), **payload.dict()))


# --- Retirement (Art. 35) ---

class HandoverIn(Schema):
    data_handed_over: bool
    documents_handed_over: bool
    receiver_id: int | None = None
    handed_over_on: date | None = None
    note: str = ""


@router.put("/projects/{project_id}/handover", summary="登记退役移交")
def handover(request: AuthenticatedHttpRequest, project_id: int, payload: HandoverIn) -> dict[str, Any]:
    project = _project(request, project_id)
    values = payload.dict()
    receiver_id = values.pop("receiver_id")
    receiver = Organisation.objects.filter(pk=receiver_id).first() if receiver_id else None
    if receiver_id and receiver is None:
        raise NotFound("未找到接收单位")
    retirement.handover_record(project=project, actor=_user(request), receiver=receiver, **values)
    data = delivery_overview(project)
    return {"handover": data["handover"], "missing": data["handover_missing"]}


class RetireIn(Versioned):
    note: str = ""


@router.post("/projects/{project_id}/retire", summary="退役")
def retire(request: AuthenticatedHttpRequest, project_id: int, payload: RetireIn) -> dict[str, Any]:
    return _state(retirement.project_retire(project=_project(request, project_id), actor=_user(request),
                                            expected_version=payload.expected_version, note=payload.note))


# --- The system inventory (Art. 5, 7, 35) ---

class SystemIn(Schema):
    owner_id: int | None = None
    name: str = Field(..., max_length=200)
    purpose: str
    deployment: DeploymentCode
    built_by_project_id: int | None = None
    special_network_basis: str = Field("", max_length=500)
    classified: bool = False
    data_interfaces: list[str] = []
    shared_resources: list[str] = []
    migration_plan: str = ""
    migration_due: date | None = None


@router.get("/inventory", summary="应用系统台账")
def inventory_list(request: AuthenticatedHttpRequest) -> list[dict[str, Any]]:
    return [system_data(s) for s in inventory_visible_to(request.user)]


@router.post("/inventory", response={201: dict}, summary="登记应用系统")
@decorate_view(idempotent)
def inventory_create(request: AuthenticatedHttpRequest, payload: SystemIn) -> Status:
    values = payload.dict()
    owner_id = values.pop("owner_id") or request.user.organisation_id
    owner = Organisation.objects.filter(pk=owner_id).first() if owner_id is not None else None
    if owner is None:
        raise NotFound("未找到所属单位")
    built_by_id = values.pop("built_by_project_id")
    built_by = project_get(user=request.user, project_id=built_by_id) if built_by_id else None
    system = inv.system_register(actor=_user(request), owner=owner, built_by=built_by, **values)
    return Status(201, system_data(system))


class SystemPatch(Schema):
    expected_version: int | None = None
    name: str | None = Field(None, max_length=200)
    purpose: str | None = None
    deployment: DeploymentCode | None = None
    special_network_basis: str | None = Field(None, max_length=500)
    data_interfaces: list[str] | None = None
    shared_resources: list[str] | None = None
    migration_status: Literal["not_required", "not_planned", "planned", "in_progress", "migrated"] | None = None
    migration_plan: str | None = None
    migration_due: date | None = None


@router.patch("/inventory/{system_id}", summary="修改应用系统台账")
def inventory_update(request: AuthenticatedHttpRequest, system_id: int, payload: SystemPatch) -> dict[str, Any]:
    values = payload.dict(exclude_unset=True)
    version = values.pop("expected_version", None)
    system = inv.system_update(system=system_get(user=request.user, system_id=system_id), actor=_user(request),
                               expected_version=version, **values)
    return system_data(system)


class LinkIn(Schema):
    project_id: int
    migration_due: date | None = None


@router.post("/inventory/{system_id}/migration", summary="关联上云迁移项目")
def inventory_link(request: AuthenticatedHttpRequest, system_id: int, payload: LinkIn) -> dict[str, Any]:
    system = system_get(user=request.user, system_id=system_id)
    project = project_get(user=request.user, project_id=payload.project_id)
    return system_data(inv.system_link_migration(system=system, project=project, actor=_user(request),
                                                 migration_due=payload.migration_due))


@router.get("/due-items", summary="到期与逾期事项（密评、等保、绩效报告、上云）")
def due_items(request: AuthenticatedHttpRequest, as_of: date | None = None, lead_days: int = 30) -> list[dict[str, Any]]:
    return [i.as_dict() for i in delivery_due_items(as_of, projects=projects_visible_to(request.user),
                                                     lead_days=max(0, min(lead_days, 365)))]


class OverlapIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    description: str = Field(..., min_length=1)
    year: int = Field(..., ge=2000, le=2100)


@router.post("/inventory-overlaps", summary="与已运行系统查重（第三条、第五条）")
def inventory_overlap(request: AuthenticatedHttpRequest, payload: OverlapIn) -> list[dict[str, Any]]:
    org = request.user.organisation
    return inventory_overlaps(user=request.user, name=payload.name, description=payload.description,
                              unit=org.name if org else "", year=payload.year)
