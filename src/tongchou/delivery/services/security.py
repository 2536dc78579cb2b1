"""Security and cryptography records (Art. 22): plan, 密评, 等保 grade and filing, yearly 等级测评."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from tongchou.audit.services import audit_record
from tongchou.core_errors import DomainError
from tongchou.delivery.models import CryptoAssessment, GradeAssessment, SecurityProfile
from tongchou.delivery.rules.deadlines import next_yearly_due
from tongchou.delivery.services.access import changed_fields, require_open, require_unit
from tongchou.delivery.services.obligations import delivery_obligations_sync
from tongchou.projects.models import Project

PROFILE_FIELDS = ("crypto_plan", "crypto_plan_approved_on", "grade", "go_live_on", "filed_on", "filing_number")


def _past(value: date | None, field: str, label: str) -> None:
    if value is not None and value > timezone.localdate():
        raise DomainError(f"{label}不能晚于今天。", code="invalid", field=field)


def security_profile_update(*, project: Project, actor: Any, **values: Any) -> SecurityProfile:
    unknown = set(values) - set(PROFILE_FIELDS)
    if unknown:
        raise DomainError(f"未知字段：{'、'.join(sorted(unknown))}", code="invalid", field=sorted(unknown)[0])
    require_unit(actor, project, "登记安全与密码信息", "第二十二条")
    require_open(project)
    grade = values.get("grade")
    if grade is not None and not 1 <= grade <= 5:
        raise DomainError("等级保护级别应为 1 到 5 级。", code="invalid", field="grade")
    _past(values.get("filed_on"), "filed_on", "等保备案日期")
    _past(values.get("crypto_plan_approved_on"), "crypto_plan_approved_on", "密码应用方案审核日期")
    with transaction.atomic():
        profile, _ = SecurityProfile.objects.select_for_update().get_or_create(project=project)
        diff = changed_fields(profile, values)
        if profile.filed_on and profile.go_live_on is None:
            raise DomainError("请先登记投入运行日期，再登记等保备案。", code="invalid", field="go_live_on")
        profile.updated_by = actor
        profile.save()
        if "crypto_plan" in diff:
            diff["crypto_plan"] = ["…", f"{len(profile.crypto_plan)}字"]
        audit_record(event="delivery.security.update", actor=actor, target=project, data={"changed": diff})
        delivery_obligations_sync(project=project, actor=actor)
    return profile


def _assessment_inputs(assessed_on: date, assessor: str, result: str) -> None:
    _past(assessed_on, "assessed_on", "评估日期")
    if not assessor.strip():
        raise DomainError("请填写评估（测评）机构。", code="invalid", field="assessor")
    if result not in ("passed", "basically_passed", "failed"):
        raise DomainError("评估结论应为 通过、基本符合 或 不通过。", code="invalid", field="result")


def crypto_assessment_record(*, project: Project, actor: Any, assessed_on: date, assessor: str, result: str,
                             next_due: date | None = None, score: Decimal | None = None) -> CryptoAssessment:
    """A 密评 (定期进行评估, Art. 22). Without `next_due` the next one is due a year later."""
    require_unit(actor, project, "登记密评记录", "第二十二条")
    require_open(project)
    _assessment_inputs(assessed_on, assessor, result)
    due = next_due or next_yearly_due(assessed_on)
    if due <= assessed_on:
        raise DomainError("下次评估到期日应晚于本次评估日期。", code="invalid", field="next_due")
    with transaction.atomic():
        record = CryptoAssessment.objects.create(project=project, assessed_on=assessed_on, assessor=assessor.strip(),
                                                 result=result, score=score, next_due=due, created_by=actor)
        audit_record(event="delivery.crypto_assessment.record", actor=actor, target=project,
                     data={"record": record.pk, "assessed_on": assessed_on, "result": result, "next_due": due})
        delivery_obligations_sync(project=project, actor=actor)
    return record


def grade_assessment_record(*, project: Project, actor: Any, assessed_on: date, assessor: str, result: str,
                            next_due: date | None = None) -> GradeAssessment:
    require_unit(actor, project, "登记等级测评记录", "第二十二条")
    require_open(project)
    _assessment_inputs(assessed_on, assessor, result)
    due = next_due or next_yearly_due(assessed_on)
    if due <= assessed_on:
        raise DomainError("下次测评到期日应晚于本次测评日期。", code="invalid", field="next_due")
    with transaction.atomic():
        record = GradeAssessment.objects.create(project=project, assessed_on=assessed_on, assessor=assessor.strip(),
                                                result=result, next_due=due, created_by=actor)
        audit_record(event="delivery.grade_assessment.record", actor=actor, target=project,
                     data={"record": record.pk, "assessed_on": assessed_on, "result": result, "next_due": due})
        delivery_obligations_sync(project=project, actor=actor)
    return record


def latest_crypto_failed(project: Project) -> bool:
    last = CryptoAssessment.objects.filter(project=project).order_by("-assessed_on", "-id").first()
    return last is not None and last.result == "failed"
