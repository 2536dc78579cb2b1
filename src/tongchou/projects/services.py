"""Writes to the register: create and edit an application, store an assessment, submit.

Each service takes the acting user, runs in one transaction and writes its audit event inside it.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from tongchou.accounts.models import ADMIN_ROLES, UNIT_ROLES, User
from tongchou.audit.services import audit_record
from tongchou.core_errors import Conflict, DomainError, NotFound
from tongchou.lifecycle.services import project_transition
from tongchou.projects.assessing import assess, receipt_ruleset
from tongchou.projects.codes import project_code_allocate
from tongchou.projects.facts import consent_missing, project_facts
from tongchou.projects.models import (
    FILE_ONLY_MATERIALS,
    MaterialKind,
    PriorityBasis,
    Project,
    ProjectAssessment,
    ProjectMaterial,
    Status,
)
from tongchou.projects.notices import notify_project_submitted
from tongchou.projects.selectors import EDITABLE_STATUSES, project_can_edit
from tongchou.projects.splitfindings import split_finding_record

# The facts an applicant fills in; identity (code, unit, level), status and version are not among them, nor
# `exception_superior_consent`, which follows from the uploaded consent document (Art. 13, ADR 0195).
FACT_FIELDS = (
    "name", "year", "classified", "application_date", "funding_source", "emergency", "project_type", "category",
    "construction_cost", "annual_om_cost", "deployment", "special_network_basis",
    "builds_standalone_infrastructure", "buys_server_hardware", "leases_internet_line",
    "leases_unintegrated_private_network", "key_components_compliant", "crypto_compliant",
    "major_security_risk", "obsolete_technology", "goals_clear", "internal_integration_done",
    "data_sharing_done", "duplicate_data_collection", "original_project_accepted", "exception_legal_basis",
    "provides_data_interface", "involves_work_secrets", "priority_basis",
    "approval_date", "procurement_start_date", "work_start_date", "construction_period_months",
    "free_om_months", "contract_term_months", "accepted", "requests_om_funding",
)


def _require_unit_actor(actor: User) -> None:
    """三权分立: admin accounts do no business; only a construction unit's people apply."""
    if actor.role in ADMIN_ROLES:
        raise DomainError(
            "管理员账号不能办理业务（三权分立）。", code="admin_no_business", status=403,
            hint="请使用业务账号办理。",
        )
    if actor.role not in UNIT_ROLES or actor.organisation_id is None:
        raise DomainError(
            "只有项目建设单位的申报人或单位负责人可以填写申报（第十条）。", code="not_unit", article="第十条",
            status=403,
        )


def _apply(project: Project, data: dict[str, Any]) -> list[str]:
    changed = []
    for field in FACT_FIELDS:
        if field in data and getattr(project, field) != data[field]:
            setattr(project, field, data[field])
            changed.append(field)
    basis = project.priority_basis or []
    allowed = set(PriorityBasis.values)
    if any(b not in allowed for b in basis):
        raise DomainError("重点支持情形的取值无效（第十一条）。", field="priority_basis", article="第十一条")
    project.priority_basis = sorted(set(basis), key=list(PriorityBasis.values).index)
    return changed


def _save_texts(project: Project, texts: dict[str, str]) -> list[str]:
    changed = []
    existing = {m.kind: m for m in project.materials.all()}
    for kind, text in texts.items():
        if kind not in MaterialKind.values:
            raise DomainError(f"未知的申报材料：{kind}", field=kind)
        if kind in FILE_ONLY_MATERIALS:
            if (text or "").strip():
                raise DomainError(f"{MaterialKind(kind).label}须以附件上传，不能填写文字（第十三条）。", field=kind,
                                  article="第十三条")
            continue
        text = (text or "").strip()
        current = existing.get(kind)
        if current is None and not text:
            continue
        if current is None:
            ProjectMaterial.objects.create(project=project, kind=kind, text=text)
            changed.append(kind)
        elif current.text != text:
            current.text = text
            current.save(update_fields=["text", "updated_at"])
            changed.append(kind)
    return changed


def project_create(*, actor: User, data: dict[str, Any], texts: dict[str, str] | None = None,
                   supersedes: Project | None = None) -> Project:
    """A new draft with the unit's next code. `supersedes`: the project this one re-applies for
    (`projects.reapply.project_reapply`, Art. 26), linked at creation and named in the audit event."""
    _require_unit_actor(actor)
    unit = actor.organisation
    assert unit is not None
    with transaction.atomic():
        project = Project(unit=unit, level=unit.level, created_by=actor, status=Status.DRAFT,
                          year=data.get("year") or timezone.localdate().year, name=data.get("name", ""),
                          supersedes=supersedes)
        _apply(project, data)
        if not project.name.strip():
            raise DomainError("请填写项目名称（第十条第（一）项）。", field="name", article="第十条")
        project.code = project_code_allocate(unit=unit, year=project.year)
        project.save()
        _save_texts(project, texts or {})
        created: dict[str, Any] = {"code": project.code, "year": project.year}
        if supersedes is not None:
            created["supersedes"] = supersedes.code
        audit_record(event="project.created", actor=actor, target=project, data=created)
    return project


def project_update(
    *, actor: User, project: Project, version: int, data: dict[str, Any], texts: dict[str, str] | None = None
) -> Project:
    """Saves the draft if nobody saved it since the applicant loaded version `version`."""
    _require_unit_actor(actor)
    with transaction.atomic():
        locked = Project.objects.select_for_update().filter(pk=project.pk).first()
        if locked is None:
            raise NotFound()
        if not project_can_edit(user=actor, project=locked):
            raise DomainError(
                f"项目当前状态为「{locked.get_status_display()}」，不能修改。", code="not_editable", status=409,
                hint="只有草稿或退回补正的项目可以由本单位修改。",
            )
        if version != locked.version:
            raise Conflict(
                f"该项目已被他人修改（当前为第 {locked.version} 版，您编辑的是第 {version} 版），您的修改未保存。",
                code="stale_version", hint="请刷新页面，查看最新内容后重新修改。",
            )
        if "year" in data and data["year"] != locked.year:
            raise DomainError("项目编号已按预算年度分配，预算年度不能修改。", field="year",
                              hint="如年度有误，请撤回后重新申报。")
        changed = _apply(locked, data)
        if not locked.name.strip():
            raise DomainError("请填写项目名称（第十条第（一）项）。", field="name", article="第十条")
        changed += [f"material:{k}" for k in _save_texts(locked, texts or {})]
        locked.version += 1
        locked.save()
        audit_record(event="project.updated", actor=actor, target=locked,
                     data={"version": locked.version, "changed": changed})
    return locked


def project_assess_draft(
    *, project: Project, data: dict[str, Any], texts: dict[str, str]
) -> dict[str, Any]:
    """The live assessment beside the form: the unsaved values, nothing written."""
    draft = project_draft(project=project, data=data)
    if not draft.name.strip():
        draft.name = "（未命名项目）"
    facts = project_facts(draft, texts=texts)
    result = assess(facts, project=draft)
    if consent_missing(facts):
        # Art. 13: submission refuses an exception claimed without the written consent (ART13-CONSENT);
        # the live box says so beforehand, as it does for the Art. 10 materials.
        label = MaterialKind.SUPERIOR_CONSENT.label
        result = {**result, "missing_consent": [MaterialKind.SUPERIOR_CONSENT.value], "findings": [
            *(result.get("findings") or []),
            {"code": "ART13-CONSENT", "severity": "block", "article": "第十三条",
             "message": f"申请第十三条例外但缺少{label}，提交时将被拒绝。依据《办法》第十三条，例外建设须提供明确的"
                        "法律依据和上一级业务主管部门书面同意的证明材料。"},
        ]}
    return result


def project_draft(*, project: Project, data: dict[str, Any]) -> Project:
    """An unsaved copy of the project with the typed values applied (for the live checks)."""
    draft = Project(pk=project.pk, unit=project.unit, level=project.level, code=project.code,
                    year=project.year, name=project.name, status=project.status, supersedes_id=project.supersedes_id)
    for field in FACT_FIELDS:
        setattr(draft, field, getattr(project, field))
    _apply(draft, data)
    return draft


def assessment_store(
    *, project: Project, actor: User | None, purpose: str = "submit",
    assessed: tuple[dict[str, Any], dict[str, Any]] | None = None,
) -> ProjectAssessment:
    """Assesses the stored project (or takes the `(facts, result)` just computed) and keeps the answer
    with its receipt; refreshes the columns the register filters and routes on."""
    facts, result = assessed if assessed is not None else _assess_stored(project)
    ruleset_id, ruleset_hash = receipt_ruleset(result)
    with transaction.atomic():
        stored = ProjectAssessment.objects.create(
            project=project, facts=facts, result=result, receipt=result.get("receipt") or {},
            ruleset_id=ruleset_id, ruleset_hash=ruleset_hash, purpose=purpose,
            assessed_at=timezone.now(), assessed_by=actor,
        )
        project.review_path = result.get("review_path") or ""
        project.support = result.get("support") or ""
        reviewers = sorted(result.get("reviewers") or [])
        project.reviewer_codes = f",{','.join(reviewers)}," if reviewers else ""
        project.save(update_fields=["review_path", "support", "reviewer_codes", "updated_at"])
        audit_record(event="project.assessed", actor=actor, target=project, data={
            "assessment": stored.pk, "purpose": purpose, "ruleset": ruleset_id, "ruleset_hash": ruleset_hash,
            "review_path": project.review_path, "support": project.support,
            "missing_materials": result.get("missing_materials") or [],
        })
    return stored


def _assess_stored(project: Project) -> tuple[dict[str, Any], dict[str, Any]]:
    facts = project_facts(project)
    return facts, assess(facts, project=project)


def _material_labels(codes: list[str]) -> str:
    labels = dict(MaterialKind.choices)
    return "、".join(str(labels.get(c, c)) for c in codes)


def _materials_refusal(missing: list[str], consent: list[str]) -> DomainError:
    """Art. 10's refusal as before; with the Art. 13 consent missing, the same refusal naming it and the article."""
    parts = []
    if missing:
        parts.append(f"缺少{_material_labels(missing)}。依据《办法》第十条，申报须提交基本情况、技术方案（或运维实施方案）"
                     "和可行性研究报告")
    if consent:
        parts.append(f"申请第十三条例外但缺少{_material_labels(consent)}。依据《办法》第十三条，例外建设须提供明确的"
                     "法律依据和上一级业务主管部门书面同意的证明材料")
    if not parts:
        parts.append("申报材料不全。依据《办法》第十条，申报须提交基本情况、技术方案（或运维实施方案）和可行性研究报告")
    articles = "、".join(a for a, m in (("第十条", missing), ("第十三条", consent)) if m) or "第十条"
    return DomainError(
        f"申报材料不齐全，不能提交：{'；'.join(parts)}。", code="ART10-MATERIALS" if missing else "ART13-CONSENT",
        article=articles, field="materials",
        hint="请在相应栏目填写内容或上传附件后再提交" + ("；书面同意文件请以附件上传，所属材料选择"
                                                       f"「{MaterialKind.SUPERIOR_CONSENT.label}」。" if consent else "。"),
    )


def project_submit(*, project: Project, actor: User, version: int | None = None) -> ProjectAssessment:
    """Re-assesses and moves draft → submitted; refused, with the reasons, while materials are missing."""
    _require_unit_actor(actor)
    with transaction.atomic():
        locked = Project.objects.select_for_update().filter(pk=project.pk).first()
        if locked is None or not project_can_edit(user=actor, project=locked):
            if locked is not None and locked.unit_id == actor.organisation_id:
                raise DomainError(
                    f"项目当前状态为「{locked.get_status_display()}」，不能再次提交。", code="not_submittable",
                    status=409,
                )
            raise NotFound()
        if version is not None and version != locked.version:
            raise Conflict(
                f"该项目已被他人修改（当前为第 {locked.version} 版，您看到的是第 {version} 版），未提交。",
                code="stale_version", hint="请刷新页面，确认最新内容后再提交。",
            )
        if locked.application_date is None:
            locked.application_date = timezone.localdate()  # saved only if the submission goes through
        facts, result = _assess_stored(locked)
        missing = list(result.get("missing_materials") or [])
        # Art. 13: an exception claimed without the written consent is an incomplete application too.
        consent = [MaterialKind.SUPERIOR_CONSENT.value] if consent_missing(facts) else []
        if missing or result.get("complete") is False or consent:
            refusal = _materials_refusal(missing, consent)
            # The refusal is recorded; the project itself stays exactly as it was.
            audit_record(event="project.submit_refused", actor=actor, target=locked, outcome="refused",
                         data={"code": refusal.code, "missing_materials": missing + consent})
        else:
            refusal = None
            stored = assessment_store(project=locked, actor=actor, purpose="submit", assessed=(facts, result))
            # Art. 8, 16, 3: a suspected split or duplicate is kept for the bureau; it does not block.
            split_finding_record(project=locked, actor=actor, assessment=stored)
            locked.submitted_at = timezone.now()
            locked.save(update_fields=["submitted_at", "application_date", "updated_at"])
            # The state change itself is the lifecycle's: timeline row, audit event, race-safe update.
            project_transition(
                project=locked, action="submit", actor=actor, expected_version=locked.version,
                note=f"评估 #{stored.pk}：{locked.get_review_path_display() or '—'}，{locked.get_support_display() or '—'}",
            )
            notify_project_submitted(locked)
    if refusal is not None:
        raise refusal
    project.refresh_from_db()
    return stored


__all__ = [
    "EDITABLE_STATUSES", "FACT_FIELDS", "assessment_store", "project_assess_draft", "project_create", "project_draft",
    "project_submit", "project_update",
]
