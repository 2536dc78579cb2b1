"""Budget performance management (Art. 25)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from tongchou.accounts.models import MemberRole
from tongchou.audit.services import audit_record
from tongchou.core_errors import Conflict, DomainError
from tongchou.delivery.models import (
    Dimension,
    Operator,
    PerformanceIndicator,
    PerformanceReport,
    ReviewStatus,
)
from tongchou.delivery.notices import notify_performance_reported, notify_performance_reviewed
from tongchou.delivery.rules.scoring import Score, achievement, mean, score
from tongchou.delivery.services.access import (
    is_decider,
    is_unit_member,
    require_decider,
    require_open,
    require_unit,
)
from tongchou.delivery.services.obligations import delivery_obligations_sync
from tongchou.projects.models import Project

ART25 = "第二十五条"


def indicator_add(*, project: Project, actor: Any, dimension: str, name: str, operator: str, target: Decimal,
                  unit: str = "") -> PerformanceIndicator:
    require_unit(actor, project, "设定绩效目标", ART25)
    require_open(project)
    if dimension not in Dimension.values:
        raise DomainError("指标类别应为 产出、效益、满意度 或 成本。", code="invalid", field="dimension")
    if operator not in Operator.values:
        raise DomainError("比较方式应为 ≥、≤、=、> 或 <。", code="invalid", field="operator")
    if not name.strip():
        raise DomainError("请填写指标名称。", code="invalid", field="name")
    try:
        with transaction.atomic():
            indicator = PerformanceIndicator.objects.create(project=project, dimension=dimension, name=name.strip(),
                                                            operator=operator, target=target, unit=unit)
            audit_record(event="delivery.performance.indicator", actor=actor, target=project,
                         data={"indicator": indicator.pk, "name": indicator.name, "target": str(target)})
    except IntegrityError as exc:
        raise DomainError(f"该类别下已有名为「{name}」的指标。", code="duplicate", field="name") from exc
    return indicator


def report_schedule(*, project: Project, actor: Any, kind: str, year: int, due_on: date,
                    period: str = "") -> PerformanceReport:
    """The finance bureau (or the unit itself) fixes when a report is owed (Art. 25 按照时间节点报送)."""
    if not (is_decider(actor, MemberRole.FINANCE, project) or is_unit_member(actor, project)):
        who = "县市数字化发展局负责人（第十九条、第三十六条）" if project.level == "county" else "州财政局"
        raise DomainError(f"只有{who}或项目建设单位可以安排绩效报告的报送时间。", code="forbidden", status=403,
                          article=ART25)
    if kind not in PerformanceReport.Kind.values:
        raise DomainError("报告类型应为 运行监控报告 或 绩效自评报告。", code="invalid", field="kind")
    try:
        with transaction.atomic():
            report = PerformanceReport.objects.create(project=project, kind=kind, year=year, period=period,
                                                      due_on=due_on, created_by=actor)
            audit_record(event="delivery.performance.schedule", actor=actor, target=project,
                         data={"report": report.pk, "kind": kind, "year": year, "due_on": due_on})
            delivery_obligations_sync(project=project, actor=actor)
    except IntegrityError as exc:
        raise DomainError(f"{year}年度的绩效自评已安排。", code="duplicate", field="year") from exc
    return report


def _open_report(project: Project, kind: str, year: int, period: str) -> PerformanceReport:
    qs = PerformanceReport.objects.select_for_update().filter(project=project, kind=kind, year=year)
    if kind == PerformanceReport.Kind.MONITORING:
        qs = qs.filter(period=period)
    report = qs.first()
    if report is None:
        raise DomainError("未找到该期的报送安排，请先安排报送时间。", code="not_scheduled", field="year", article=ART25)
    if report.submitted_on is not None and report.review_status != ReviewStatus.RETURNED:
        raise Conflict("该报告已报送。", code="already_submitted", article=ART25)
    return report


def _mark_submitted(report: PerformanceReport) -> bool:
    """Submitted (again) for finance's review; True when this corrects a returned report."""
    resubmitted = report.review_status == ReviewStatus.RETURNED
    report.submitted_on = timezone.localdate()
    report.review_status = ReviewStatus.PENDING
    return resubmitted


def monitoring_submit(*, project: Project, actor: Any, year: int, period: str, progress_percent: Decimal,
                      budget: Decimal, spent: Decimal, summary: str = "") -> PerformanceReport:
    require_unit(actor, project, "报送运行监控报告", ART25)
    if not Decimal(0) <= progress_percent <= Decimal(100):
        raise DomainError("进度完成率应在 0 到 100 之间。", code="invalid", field="progress_percent")
    if budget < 0 or spent < 0:
        raise DomainError("预算数和执行数不能为负数。", code="invalid", field="budget" if budget < 0 else "spent")
    with transaction.atomic():
        report = _open_report(project, PerformanceReport.Kind.MONITORING, year, period)
        report.progress_percent, report.budget, report.spent, report.summary = progress_percent, budget, spent, summary
        resubmitted = _mark_submitted(report)
        report.save()
        audit_record(event="delivery.performance.monitoring", actor=actor, target=project,
                     data={"report": report.pk, "progress": str(progress_percent), "spent": str(spent),
                           "resubmitted": resubmitted})
        delivery_obligations_sync(project=project, actor=actor)
        notify_performance_reported(report)
    return report


def evaluate(indicators: list[PerformanceIndicator], actuals: dict[str, Any], budget: Decimal,
             spent: Decimal) -> Score:
    """The self-evaluation's score from indicator actuals (keyed by indicator id) and budget execution."""
    by_dimension: dict[str, list[Decimal]] = {d: [] for d in Dimension.values}
    for indicator in indicators:
        raw = actuals.get(str(indicator.pk))
        if raw is None:
            raise DomainError(f"请填写指标「{indicator.name}」的实际完成值。", code="invalid", field=f"actuals.{indicator.pk}")
        try:
            actual = Decimal(str(raw))
        except InvalidOperation as exc:
            raise DomainError(f"指标「{indicator.name}」的实际值应为数字。", code="invalid",
                              field=f"actuals.{indicator.pk}") from exc
        by_dimension[indicator.dimension].append(achievement(indicator.operator, indicator.target, actual))
    missing = [label for code, label in ((Dimension.OUTPUT, "产出"), (Dimension.BENEFIT, "效益"),
                                         (Dimension.SATISFACTION, "满意度")) if not by_dimension[code]]
    if missing:
        raise DomainError(f"绩效目标缺少{'、'.join(missing)}指标，无法自评（第二十五条）。", code="goals_incomplete",
                          article=ART25, field="indicators")
    budget_rate = spent / budget if budget > 0 else Decimal(0)
    outputs = mean(by_dimension[Dimension.OUTPUT] + by_dimension[Dimension.COST])  # cost counts in outputs
    return score(budget_rate=budget_rate, outputs_rate=outputs or Decimal(0),
                 benefits_rate=mean(by_dimension[Dimension.BENEFIT]) or Decimal(0),
                 satisfaction_rate=mean(by_dimension[Dimension.SATISFACTION]) or Decimal(0))


def self_evaluation_submit(*, project: Project, actor: Any, year: int, budget: Decimal, spent: Decimal,
                           actuals: dict[str, Any], summary: str = "") -> PerformanceReport:
    require_unit(actor, project, "报送绩效自评", ART25)
    if budget < 0 or spent < 0:
        raise DomainError("预算数和执行数不能为负数。", code="invalid", field="budget" if budget < 0 else "spent")
    indicators = list(PerformanceIndicator.objects.filter(project=project))
    result = evaluate(indicators, actuals, budget, spent)
    with transaction.atomic():
        report = _open_report(project, PerformanceReport.Kind.SELF_EVALUATION, year, "")
        report.budget, report.spent, report.summary = budget, spent, summary
        report.actuals = {str(k): str(v) for k, v in actuals.items()}
        report.score_budget, report.score_outputs = result.budget, result.outputs
        report.score_benefits, report.score_satisfaction = result.benefits, result.satisfaction
        report.score_total, report.grade = result.total, result.grade
        resubmitted = _mark_submitted(report)
        report.save()
        audit_record(event="delivery.performance.self_evaluation", actor=actor, target=project,
                     data={"report": report.pk, "total": str(result.total), "grade": result.grade,
                           "resubmitted": resubmitted})
        delivery_obligations_sync(project=project, actor=actor)
        notify_performance_reported(report)
    return report


def report_review(*, report: PerformanceReport, actor: Any, accept: bool, note: str = "") -> PerformanceReport:
    """Finance reviews a submitted report (Art. 25 报送州财政局审核; for a county project the county bureau
    lead, Art. 19, 36): it accepts it, or returns it with its reasons for the unit to correct and resubmit."""
    project = report.project
    require_decider(actor, project, MemberRole.FINANCE, "审核绩效报告", ART25)
    note = (note or "").strip()
    if not accept and not note:
        raise DomainError("退回绩效报告时请写明退回理由和需要修改的内容。", code="invalid", field="note", article=ART25)
    if len(note) > 2000:
        raise DomainError("审核意见不能超过 2000 个字。", code="invalid", field="note")
    with transaction.atomic():
        locked = PerformanceReport.objects.select_for_update().select_related("project").get(pk=report.pk)
        if locked.submitted_on is None:
            raise Conflict("该报告尚未报送，不能审核。", code="not_submitted", article=ART25)
        if locked.review_status != ReviewStatus.PENDING:
            raise Conflict(f"该报告已{ReviewStatus(locked.review_status).label}，须由项目建设单位重新报送后再审核。"
                           if locked.review_status == ReviewStatus.RETURNED else "该报告已审核通过。",
                           code="already_reviewed", article=ART25)
        locked.review_status = ReviewStatus.ACCEPTED if accept else ReviewStatus.RETURNED
        locked.review_note, locked.reviewed_by, locked.reviewed_on = note, actor, timezone.localdate()
        if not accept:
            locked.times_returned += 1
        locked.save(update_fields=["review_status", "review_note", "reviewed_by", "reviewed_on", "times_returned"])
        audit_record(event="delivery.performance.review", actor=actor, target=project,
                     data={"report": locked.pk, "kind": locked.kind, "year": locked.year, "period": locked.period,
                           "status": locked.review_status, "note": note, "times_returned": locked.times_returned})
        transaction.on_commit(lambda: notify_performance_reviewed(locked))
    return locked
