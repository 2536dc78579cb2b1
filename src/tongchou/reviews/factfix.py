"""更正审查事实: the reviewing bureau corrects an Art. 12 fact the applicant answered, and the project is
re-assessed on the corrected facts (Art. 12, 14; ADR 0220).

The correction is kept as an audit event (before/after/reason/actor) and an assessment of purpose
"fact_correction"; no table of its own. An opened round keeps its review path: a different path on the
corrected facts is shown to the bureau, and rerouting stays its own decision.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from tongchou.accounts.models import User
from tongchou.audit.models import AuditEvent
from tongchou.audit.services import audit_record
from tongchou.core_errors import DomainError, NotFound
from tongchou.notifications.models import Kind
from tongchou.notifications.services import notify
from tongchou.projects.models import Project, ProjectAssessment, Status
from tongchou.reviews.access import require_authority
from tongchou.reviews.notices import unit_users

EVENT = "project.facts_corrected"
PURPOSE = "fact_correction"
ARTICLE = "第十二条、第十四条"
CORRECTABLE_STATUSES = (Status.SUBMITTED, Status.UNDER_REVIEW)

# Art. 12's facts the applicant answers, with the item of Art. 12 each one is.
CORRECTABLE: dict[str, tuple[str, str]] = {
    "key_components_compliant": ("关键部件符合测评要求", "第十二条第（四）项"),
    "crypto_compliant": ("符合密码应用和网络安全保密要求", "第十二条第（五）项"),
    "major_security_risk": ("存在重大安全（保密）隐患", "第十二条第（五）项"),
    "obsolete_technology": ("技术路线落后、淘汰或高耗能", "第十二条第（六）项"),
    "goals_clear": ("需求与绩效目标明确", "第十二条第（七）项"),
    "internal_integration_done": ("内部系统整合到位", "第十二条第（七）项"),
    "data_sharing_done": ("数据共享要求落实到位", "第十二条第（七）项"),
    "duplicate_data_collection": ("重复采集数据", "第十二条第（七）项"),
    "original_project_accepted": ("原项目已竣工验收", "第十二条第（八）项"),
}

PATH_LABELS = {"joint_review": "联合会审", "security_review": "安全审核", "self_procurement": "自行组织实施",
               "not_applicable": "不适用本办法"}


def _label(value: Any) -> str:
    return "未填写" if value is None else ("是" if value else "否")


def _checked(changes: Any, reason: Any) -> tuple[dict[str, bool], str]:
    if not isinstance(changes, dict) or not changes:
        raise DomainError("请至少选择一项要更正的第十二条事实。", code="required", field="changes", article=ARTICLE, status=422)
    out: dict[str, bool] = {}
    for field, value in changes.items():
        if field not in CORRECTABLE:
            raise DomainError(f"「{field}」不是可由数字化发展局更正的第十二条事实。", code="invalid",
                              field=f"changes.{field}", article=ARTICLE, status=422,
                              hint="可更正：" + "、".join(label for label, _ in CORRECTABLE.values()) + "。")
        if not isinstance(value, bool):
            raise DomainError(f"「{CORRECTABLE[field][0]}」的更正值须为“是”或“否”。", code="invalid",
                              field=f"changes.{field}", article=CORRECTABLE[field][1], status=422)
        out[field] = value
    reason = str(reason or "").strip()
    if not reason:
        raise DomainError("请填写更正理由（reason），写明依据的审查材料或核查情况。", code="required", field="reason",
                          article=ARTICLE, status=422)
    if len(reason) > 2000:
        raise DomainError("更正理由（reason）不能超过 2000 字。", code="invalid", field="reason", article=ARTICLE,
                          status=422)
    return out, reason


def _round_path(project: Project) -> str:
    latest = project.review_rounds.order_by("-number").first()
    if latest is not None:
        return str(latest.review_path)
    routing = getattr(project, "routing", None)
    return str(routing.review_path) if routing is not None else ""


def fact_correct(*, project: Project, actor: User, changes: dict[str, Any], reason: str) -> dict[str, Any]:
    """Sets the corrected facts, re-assesses with the project's rule set (purpose "fact_correction") and
    audits both in one transaction; the applicant unit is told after commit."""
    from tongchou.projects.services import assessment_store

    require_authority(actor, project, "更正审查事实", article=ARTICLE)
    checked, reason = _checked(changes, reason)
    with transaction.atomic():
        current = Project.objects.select_for_update().select_related("unit").filter(pk=project.pk).first()
        if current is None:
            raise NotFound()
        require_authority(actor, current, "更正审查事实", article=ARTICLE)
        if current.status not in CORRECTABLE_STATUSES:
            raise DomainError(
                f"项目当前状态为「{current.get_status_display()}」，只有已提交或审查中的项目可以更正审查事实。",
                code="invalid_state", status=409, article=ARTICLE)
        rows = [{"field": f, "label": CORRECTABLE[f][0], "article": CORRECTABLE[f][1],
                 "before": getattr(current, f), "after": v}
                for f, v in checked.items() if getattr(current, f) != v]
        if not rows:
            raise DomainError("所选事实与现有值相同，无需更正。", code="unchanged", field="changes", article=ARTICLE,
                              status=422)
        before = {"review_path": current.review_path, "support": current.support}
        for row in rows:
            setattr(current, row["field"], row["after"])
        current.save(update_fields=[r["field"] for r in rows] + ["updated_at"])
        stored = assessment_store(project=current, actor=actor, purpose=PURPOSE)
        round_path = _round_path(current)
        new_path = str(stored.result.get("review_path") or "")
        data = {
            "changes": rows, "reason": reason, "assessment": stored.pk, "article": ARTICLE,
            "before": {"review_path": before["review_path"], "support": before["support"]},
            "after": {"review_path": new_path, "support": str(stored.result.get("support") or "")},
            "round_path": round_path, "path_differs": bool(round_path) and new_path != round_path,
        }
        audit_record(event=EVENT, actor=actor, target=current, data=data)
        transaction.on_commit(lambda: _notify(current, rows, reason))
    return correction_dict(data, actor_org=str(actor.organisation or ""), actor_name=actor.get_username())


def _notify(project: Project, rows: list[dict[str, Any]], reason: str) -> None:
    what = "；".join(f"{r['label']}：{_label(r['before'])}→{_label(r['after'])}" for r in rows)
    notify(users=unit_users(project), kind=Kind.DECISION, link=f"/reviews/projects/{project.pk}/",
           subject=f"审查事实已更正：{project.code}《{project.name}》",
           body=f"数字化发展局在审查中更正了申报事实（第十二条、第十四条）：{what}。理由：{reason}")


def correction_dict(data: dict[str, Any], *, actor_org: str = "", actor_name: str = "", at: Any = None
                    ) -> dict[str, Any]:
    new_path = data.get("after", {}).get("review_path", "")
    differs = bool(data.get("path_differs"))
    return {
        "at": at.isoformat() if at is not None else None, "actor": actor_name, "actor_org": actor_org,
        "reason": data.get("reason", ""), "assessment": data.get("assessment"),
        "changes": [{**c, "before_label": _label(c["before"]), "after_label": _label(c["after"])}
                    for c in data.get("changes", [])],
        "review_path": new_path, "review_path_label": PATH_LABELS.get(new_path, new_path),
        "support": data.get("after", {}).get("support", ""),
        "round_path": data.get("round_path", ""), "path_differs": differs,
        "path_notice": f"按更正后的事实应走：{PATH_LABELS.get(new_path, new_path)}" if differs else "",
    }


def fact_corrections_for(project: Project) -> list[dict[str, Any]]:
    """The corrections on a project, newest first (the caller has checked the user may see the project)."""
    events = AuditEvent.objects.filter(event=EVENT, target_type=Project._meta.label_lower,
                                       target_id=str(project.pk)).order_by("-at", "-id")
    return [correction_dict(e.data, actor_org=e.actor_org, actor_name=e.actor_name, at=e.at) for e in events]


def latest_correction_assessment(project: Project) -> ProjectAssessment | None:
    return project.assessments.filter(purpose=PURPOSE).first()
