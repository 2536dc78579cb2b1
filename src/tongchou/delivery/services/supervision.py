"""Supervision after approval (Art. 14(二)(三), 22, 30; ADR 0180): public security's 风险排查 and the crypto
bureau's 密码应用检查, the 整改通知 either issues (an obligation of the unit until it reports), the unit's
整改报告, the issuer's 验收整改, and the crypto bureau's word on a recorded 密评. One transaction each, audited;
the unit or the issuer is told (inbox row in the transaction, mail after commit — ADR 0054)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from tongchou.accounts.models import MemberRole, Role, User
from tongchou.audit.services import audit_record
from tongchou.core_errors import Conflict, DomainError
from tongchou.delivery.models import (
    CryptoAssessment,
    CryptoReview,
    InspectionKind,
    RectificationOrder,
    RectificationStatus,
    SupervisoryInspection,
)
from tongchou.delivery.selectors import DELIVERY_STATUSES
from tongchou.delivery.services.access import is_member, require_member, require_open, require_unit
from tongchou.delivery.services.obligations import delivery_obligations_sync
from tongchou.notifications.models import Kind
from tongchou.notifications.services import notify
from tongchou.projects.models import Project

KIND_OF = {MemberRole.PUBLIC_SECURITY: InspectionKind.RISK, MemberRole.CRYPTO_BUREAU: InspectionKind.CRYPTO}
ARTICLE = {MemberRole.PUBLIC_SECURITY: "第十四条第（三）项、第三十条第（二）项",
           MemberRole.CRYPTO_BUREAU: "第十四条第（二）项、第二十二条、第三十条第（二）项"}
ANY_SUPERVISOR = "第十四条、第二十二条、第三十条"


def supervisor_role(user: Any, project: Project) -> MemberRole | None:
    """The supervising member unit the user writes for on this project (prefecture and park projects, as
    `is_member`), or None."""
    return next((role for role in KIND_OF if is_member(user, role, project)), None)


def _require_supervisor(user: Any, project: Project, what: str) -> MemberRole:
    role = supervisor_role(user, project)
    if role is None:
        raise DomainError(f"只有州公安局或州党委机要保密局可以{what}。", code="forbidden", article=ANY_SUPERVISOR,
                          status=403)
    if project.status not in DELIVERY_STATUSES:
        raise DomainError(f"项目状态为「{project.get_status_display()}」，立项批复后方可{what}。",
                          code="not_approved", article=ANY_SUPERVISOR)
    require_open(project)
    return role


def _today_or_past(value: date | None, field: str, label: str) -> date:
    today = timezone.localdate()
    if value is None:
        return today
    if value > today:
        raise DomainError(f"{label}不能晚于今天。", code="invalid", field=field)
    return value


def _text(value: str, field: str, message: str) -> str:
    if not (value or "").strip():
        raise DomainError(message, code="invalid", field=field)
    return value.strip()


def _unit_users(project: Project) -> list[User]:
    from tongchou.accounts.models import UNIT_ROLES

    return list(User.objects.filter(organisation_id=project.unit_id, role__in=UNIT_ROLES, is_active=True))


def _org_users(org_id: int) -> list[User]:
    return list(User.objects.filter(organisation_id=org_id, role=Role.MEMBER_REVIEWER, is_active=True))


def _link(project: Project) -> str:
    return f"/projects/{project.pk}/delivery/?tab=security"


def _label(project: Project) -> str:
    return f"{project.code}《{project.name}》"


def inspection_record(*, project: Project, actor: Any, scope: str, adverse: bool, findings: str = "",
                      inspected_on: date | None = None) -> SupervisoryInspection:
    """A 风险排查 (public security) or 密码应用检查 (crypto bureau), the kind by who records it. A clean one
    resolves the same kind's open adverse findings on the project (复查未发现问题)."""
    role = _require_supervisor(actor, project, "登记监管检查")
    on = _today_or_past(inspected_on, "inspected_on", "检查日期")
    scope = _text(scope, "scope", "请填写检查范围。")
    kind = KIND_OF[role]
    if adverse and not (findings or "").strip():
        what = "重大安全隐患" if kind == InspectionKind.RISK else "密码应用不合规"
        raise DomainError(f"认定{what}时请写明发现的问题。", code="invalid", field="findings")
    with transaction.atomic():
        record = SupervisoryInspection.objects.create(
            project=project, kind=kind, supervisor=actor.organisation, inspected_on=on, scope=scope,
            findings=(findings or "").strip(), adverse=adverse, created_by=actor)
        resolved: list[int] = []
        if not adverse:
            for earlier in SupervisoryInspection.objects.select_for_update().filter(
                    project=project, kind=kind, adverse=True, resolved_on__isnull=True, inspected_on__lte=on,
            ).exclude(pk=record.pk).order_by("pk"):
                earlier.resolved_on, earlier.resolution = on, f"{on:%Y-%m-%d} 复查未发现问题（检查记录 {record.pk}）"
                earlier.save(update_fields=["resolved_on", "resolution"])
                resolved.append(earlier.pk)
        audit_record(event="delivery.supervision.inspect", actor=actor, target=project,
                     data={"record": record.pk, "kind": kind, "inspected_on": on, "adverse": adverse,
                           "resolved": resolved, "article": ARTICLE[role]})
        if adverse:
            notify(users=_unit_users(project), kind=Kind.DECISION, link=_link(project),
                   subject=f"{actor.organisation.name}{record.get_kind_display()}：{record.adverse_label}",
                   body=f"{_label(project)} {on:%Y年%m月%d日}{record.get_kind_display()}认定{record.adverse_label}：\n"
                        f"{record.findings}\n未消除前，运维经费申请按第三十条第（二）项评估。")
    return record


def rectification_issue(*, project: Project, actor: Any, due_on: date, requirements: str,
                        inspection: SupervisoryInspection | None = None) -> RectificationOrder:
    """整改通知: due by `due_on` (an obligation of the unit, with reminders, until it reports)."""
    role = _require_supervisor(actor, project, "下达整改通知")
    requirements = _text(requirements, "requirements", "请填写整改要求。")
    today = timezone.localdate()
    if due_on <= today:
        raise DomainError("整改期限应晚于今天。", code="invalid", field="due_on")
    if inspection is not None and (inspection.project_id != project.pk
                                   or inspection.supervisor_id != actor.organisation_id):
        raise DomainError("依据的检查须为本单位对本项目的检查记录。", code="invalid", field="inspection_id")
    with transaction.atomic():
        order = RectificationOrder.objects.create(
            project=project, issuer=actor.organisation, inspection=inspection, issued_on=today, due_on=due_on,
            requirements=requirements, created_by=actor)
        audit_record(event="delivery.supervision.rectification_issue", actor=actor, target=project,
                     data={"order": order.pk, "due_on": due_on, "inspection": inspection.pk if inspection else None,
                           "article": ARTICLE[role]})
        delivery_obligations_sync(project=project, actor=actor)
        notify(users=_unit_users(project), kind=Kind.DECISION, link=_link(project),
               subject=f"整改通知：{_label(project)}（{actor.organisation.name}）",
               body=f"整改要求：{requirements}\n请于 {due_on:%Y年%m月%d日} 前报送整改报告（{ARTICLE[role]}）。")
    return order


def _locked(order: RectificationOrder) -> RectificationOrder:
    return RectificationOrder.objects.select_for_update().select_related("issuer").get(pk=order.pk)


def rectification_report(*, order: RectificationOrder, actor: Any, report: str,
                         reported_on: date | None = None) -> RectificationOrder:
    """The unit's 整改报告: meets the obligation; the issuer then accepts it or returns it."""
    project = order.project
    require_unit(actor, project, "报送整改报告", ANY_SUPERVISOR)
    require_open(project)
    report = _text(report, "report", "请填写整改报告（整改措施与结果）。")
    on = _today_or_past(reported_on, "reported_on", "报送日期")
    with transaction.atomic():
        locked = _locked(order)
        if locked.status != RectificationStatus.ISSUED:
            raise Conflict(f"该整改通知的状态为「{locked.get_status_display()}」，不能再报送整改报告。",
                           code="not_issued")
        locked.status, locked.report, locked.reported_on, locked.reported_by = (
            RectificationStatus.REPORTED, report, on, actor)
        locked.save(update_fields=["status", "report", "reported_on", "reported_by"])
        audit_record(event="delivery.supervision.rectification_report", actor=actor, target=project,
                     data={"order": locked.pk, "reported_on": on, "late": on > locked.due_on})
        delivery_obligations_sync(project=project, actor=actor)
        notify(users=_org_users(locked.issuer_id), kind=Kind.INFO, link=_link(project),
               subject=f"整改报告已报送：{_label(project)}",
               body=f"项目建设单位已就 {locked.issued_on:%Y年%m月%d日} 的整改通知报送整改报告，请验收整改。")
    return locked


def rectification_verify(*, order: RectificationOrder, actor: Any, passed: bool, note: str = "",
                         new_due_on: date | None = None) -> RectificationOrder:
    """验收整改 by the issuing unit: accepted closes the order (and the finding it was based on); not accepted
    returns it to the unit with a new due date (the obligation opens again)."""
    project = order.project
    if not (actor is not None and actor.role == Role.MEMBER_REVIEWER
            and actor.organisation_id == order.issuer_id and supervisor_role(actor, project)):
        raise DomainError("只有下达整改通知的单位可以验收整改。", code="forbidden", article=ANY_SUPERVISOR, status=403)
    today = timezone.localdate()
    if not passed:
        _text(note, "note", "整改不合格时请写明验收意见。")
        if new_due_on is None or new_due_on <= today:
            raise DomainError("整改不合格时请给出晚于今天的新整改期限。", code="invalid", field="new_due_on")
    with transaction.atomic():
        locked = _locked(order)
        if locked.status != RectificationStatus.REPORTED:
            raise Conflict(f"该整改通知的状态为「{locked.get_status_display()}」，须项目建设单位报送整改报告后方可验收。",
                           code="not_reported")
        locked.verified_on, locked.verification_note, locked.verified_by = today, (note or "").strip(), actor
        resolved = None
        if passed:
            locked.status = RectificationStatus.CLOSED
            basis = locked.inspection
            if basis is not None and basis.adverse and basis.resolved_on is None:
                basis.resolved_on, basis.resolution = today, f"整改通知 {locked.pk} 已验收整改"
                basis.save(update_fields=["resolved_on", "resolution"])
                resolved = basis.pk
        else:
            assert new_due_on is not None
            locked.status, locked.due_on = RectificationStatus.ISSUED, new_due_on
            locked.returned_count += 1
        locked.save()
        audit_record(event="delivery.supervision.rectification_verify", actor=actor, target=project,
                     data={"order": locked.pk, "passed": passed, "new_due_on": None if passed else new_due_on,
                           "resolved_inspection": resolved})
        delivery_obligations_sync(project=project, actor=actor)
        notify(users=_unit_users(project), kind=Kind.DECISION, link=_link(project),
               subject=f"整改{'已验收' if passed else '未通过验收'}：{_label(project)}",
               body=(f"{locked.issuer.name}已验收整改。" if passed else
                     f"{locked.issuer.name}验收意见：{locked.verification_note}\n"
                     f"请于 {new_due_on:%Y年%m月%d日} 前重新报送整改报告。"))
    return locked


def crypto_assessment_review(*, assessment: CryptoAssessment, actor: Any, confirmed: bool,
                             note: str = "") -> CryptoAssessment:
    """The crypto bureau confirms or disputes a 密评 the unit recorded (Art. 14(二)). A disputed latest 密评
    counts as 不符合密码应用要求 for O&M funding (Art. 30(二)) until a new one is recorded."""
    project = assessment.project
    require_member(actor, project, MemberRole.CRYPTO_BUREAU, "州党委机要保密局", "确认或质疑密评结论",
                   "第十四条第（二）项、第二十二条")
    require_open(project)
    if not confirmed:
        _text(note, "note", "对密评结论有异议时请写明理由。")
    review = CryptoReview.CONFIRMED if confirmed else CryptoReview.DISPUTED
    with transaction.atomic():
        locked = CryptoAssessment.objects.select_for_update().get(pk=assessment.pk)
        before = locked.review
        locked.review, locked.review_note = review, (note or "").strip()
        locked.reviewed_on, locked.reviewed_by = timezone.localdate(), actor
        locked.save(update_fields=["review", "review_note", "reviewed_on", "reviewed_by"])
        audit_record(event="delivery.supervision.crypto_review", actor=actor, target=project,
                     data={"record": locked.pk, "review": [before or None, review], "result": locked.result})
        if not confirmed:
            notify(users=_unit_users(project), kind=Kind.DECISION, link=_link(project),
                   subject=f"密评结论有异议：{_label(project)}",
                   body=f"州党委机要保密局对 {locked.assessed_on:%Y年%m月%d日} 的密评结论有异议：{locked.review_note}\n"
                        "在重新评估前，运维经费申请按不符合密码应用要求评估（第三十条第（二）项）。")
    return locked
