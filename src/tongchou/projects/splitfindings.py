"""Suspected splits kept with the submitted project, and the bureau's judgement of them (Art. 8, 16, 3).

`split_finding_record` runs inside `project_submit`'s transaction; `split_finding_judge` is the
bureau's action: 确认拆分 (then 按合计金额走审查路径, 退回合并申报, or 记录在案) or 排除 with a reason. A
confirmed split changes the route only through the register's and the reviews' own services
(`assessment_store`, `review_route`, `project_decide`), never by writing status fields.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from tongchou.accounts.models import BUREAU_ROLES, OrgKind, User
from tongchou.audit.services import audit_record
from tongchou.core_errors import Conflict, DomainError, NotFound
from tongchou.lifecycle.permissions import is_project_authority
from tongchou.projects.models import (
    Project,
    ProjectAssessment,
    SplitFinding,
    SplitOutcome,
    SplitVerdict,
    Status,
)
from tongchou.projects.splitcheck import project_split_evidence

ART_SPLIT = "第八条、第十六条"
ART_DUPLICATE = "第三条、第五条"


def split_finding_record(*, project: Project, actor: User | None,
                         assessment: ProjectAssessment | None = None) -> SplitFinding | None:
    """Keeps what the check found at submission (nothing when it found nothing). Call inside the
    submission's transaction: the finding is written with it or not at all."""
    evidence = project_split_evidence(project=project, actor=actor)
    if not (evidence["split"] or evidence["overlap"] or evidence["systems"]):
        return None
    split = bool(evidence["split"])
    scores = [h["score"] for key in ("split", "overlap", "systems") for h in evidence[key]]
    finding = SplitFinding.objects.create(
        project=project, assessment=assessment, code="ART8-SPLIT" if split else "ART3-DUPLICATE",
        article=ART_SPLIT if split else ART_DUPLICATE, score=max(scores or [0]),
        own_cost=project.construction_cost,
        combined_cost=Decimal(str(evidence.get("combined_cost") or project.construction_cost)).quantize(Decimal("0.01")),
        combined_path=evidence.get("review_path", ""), evades_review=bool(evidence.get("evades_review")),
        evidence={k: evidence[k] for k in ("split", "overlap", "systems")},
        ruleset_thresholds=evidence.get("thresholds", {}), detected_at=timezone.now(),
    )
    audit_record(event="project.split_suspected", actor=actor, target=project, data={
        "finding": finding.pk, "code": finding.code, "article": finding.article,
        "projects": [h["project_id"] for h in evidence["split"] + evidence["overlap"]],
        "combined_cost": str(finding.combined_cost), "combined_path": finding.combined_path,
        "evades_review": finding.evades_review,
    })
    return finding


# ------------------------------------------------------------------ reads

def may_see_split_findings(user: Any) -> bool:
    """The bureaus see the finding (its evidence names other units' projects); the applicant does not.
    Callers pass a project the reader already reached through `projects_visible_to`."""
    org = getattr(user, "organisation", None)
    return org is not None and org.kind == OrgKind.BUREAU and getattr(user, "role", None) in BUREAU_ROLES


def _visible_evidence(user: User, finding: SplitFinding) -> dict[str, Any]:
    """The stored evidence less the projects this reader may not see (another county's, classified)."""
    from tongchou.projects.selectors import projects_visible_to

    ids = [h["project_id"] for key in ("split", "overlap") for h in finding.evidence.get(key, [])]
    visible = set(projects_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))
    out: dict[str, Any] = {}
    for key in ("split", "overlap"):
        out[key] = [h for h in finding.evidence.get(key, []) if h["project_id"] in visible]
    out["systems"] = list(finding.evidence.get("systems", []))
    return out


def split_findings_for(*, user: User, project: Project) -> list[dict[str, Any]]:
    """The findings of a project the reader already reached, for the bureau's box (empty for others)."""
    if not may_see_split_findings(user):
        return []
    from tongchou.demand.splits.review_path import PATH_LABELS
    from tongchou.projects.selectors import projects_visible_to

    may_judge = is_project_authority(user, project)
    out = []
    for finding in project.split_findings.select_related("judged_by"):
        out.append({"row": finding, "evidence": _visible_evidence(user, finding), "found_on": None,
                    "path_label": PATH_LABELS.get(finding.combined_path, ""),
                    "may_judge": may_judge and finding.verdict == SplitVerdict.OPEN,
                    "may_reroute": project.status == Status.SUBMITTED})
    # The earlier half carries no finding of its own: show the findings of the later halves that name it.
    later = (SplitFinding.objects.filter(project__in=projects_visible_to(user), project__unit_id=project.unit_id,
                                         code="ART8-SPLIT")
             .exclude(project=project).select_related("project", "judged_by"))
    for finding in later:
        if any(h.get("project_id") == project.pk for h in finding.evidence.get("split", [])):
            out.append({"row": finding, "evidence": _visible_evidence(user, finding), "found_on": finding.project,
                        "path_label": PATH_LABELS.get(finding.combined_path, ""), "may_judge": False,
                        "may_reroute": False})
    return out


def split_findings_visible_to(user: User) -> QuerySet[SplitFinding]:
    """Every finding on a project the bureau reader may see, newest first (the bureau's list)."""
    from tongchou.projects.selectors import projects_visible_to

    if not may_see_split_findings(user):
        return SplitFinding.objects.none()
    return SplitFinding.objects.filter(project__in=projects_visible_to(user)).select_related(
        "project", "project__unit", "judged_by")


# ------------------------------------------------------------------ the bureau's judgement

def _combined_assessment(project: Project, combined: Decimal) -> tuple[dict[str, Any], dict[str, Any]]:
    from tongchou.projects.assessing import assess
    from tongchou.projects.facts import project_facts

    facts = project_facts(project)
    facts["construction_cost"] = int(combined) if combined == combined.to_integral_value() else float(combined)
    return facts, assess(facts, project=project)


def split_finding_judge(*, finding_id: int, project: Project, actor: User, verdict: str, outcome: str = "",
                        reason: str = "") -> SplitFinding:
    """The bureau's judgement, audited. 确认拆分 + 按合计金额走审查路径 re-assesses the project at the
    combined amount (kept as an assessment of purpose "split_combined") and routes it with
    `review_route`; 确认拆分 + 退回合并申报 returns it with `project_decide`; 排除 needs a reason."""
    reason = (reason or "").strip()
    if verdict not in (SplitVerdict.CONFIRMED, SplitVerdict.DISMISSED):
        raise DomainError("请选择研判结论：确认拆分或排除。", code="invalid", field="verdict", article="第十六条")
    if verdict == SplitVerdict.DISMISSED and not reason:
        raise DomainError("排除疑似拆分须填写理由（研判理由）。", code="required", field="reason", article="第十六条",
                          hint="请写明为何不属于拆分申报，例如两项目目标、内容或技术路线不同。")
    if verdict == SplitVerdict.CONFIRMED and outcome not in SplitOutcome.values:
        raise DomainError("确认拆分时请选择处理方式：按合计金额走审查路径、退回合并申报或记录在案。", code="invalid",
                          field="outcome", article="第十六条")
    if verdict == SplitVerdict.DISMISSED:
        outcome = ""
    with transaction.atomic():
        current = Project.objects.select_for_update().select_related("unit").filter(pk=project.pk).first()
        finding = (SplitFinding.objects.select_for_update().filter(pk=finding_id, project_id=project.pk).first()
                   if current is not None else None)
        if current is None or finding is None:
            raise NotFound()
        if not is_project_authority(actor, current):
            raise DomainError("只有负责该项目审查的数字化发展局可以研判疑似拆分。", code="forbidden",
                              article="第十六条", status=403)
        if finding.verdict != SplitVerdict.OPEN:
            raise Conflict(f"该疑似拆分已研判为「{finding.get_verdict_display()}」，不能重复研判。", code="already_judged",
                           article="第十六条")
        reroute = outcome in (SplitOutcome.JOINT_REVIEW, SplitOutcome.RETURNED)
        if reroute and current.status != Status.SUBMITTED:
            raise Conflict(
                f"项目当前状态为「{Status(current.status).label}」，已不能改走审查路径或退回。", code="invalid_state",
                article="第十六条", hint="可选择“记录在案”，并在后续审查、批复中一并考虑。")
        finding.verdict, finding.outcome, finding.reason = verdict, outcome, reason
        finding.judged_by, finding.judged_at = actor, timezone.now()
        finding.save(update_fields=["verdict", "outcome", "reason", "judged_by", "judged_at"])
        audit_record(event="project.split_judged", actor=actor, target=current, data={
            "finding": finding.pk, "verdict": verdict, "outcome": outcome, "reason": reason,
            "combined_cost": str(finding.combined_cost), "article": "第十六条",
        })
        if outcome == SplitOutcome.JOINT_REVIEW:
            from tongchou.projects.services import assessment_store
            from tongchou.reviews.routing import review_route

            assessment_store(project=current, actor=actor, purpose="split_combined",
                             assessed=_combined_assessment(current, finding.combined_cost))
            review_route(project=current, actor=actor)
        elif outcome == SplitOutcome.RETURNED:
            from tongchou.lifecycle.actions import project_decide

            note = (f"经研判属于拆分申报（第八条、第十六条），请与相关项目合并为一个项目申报，合计 "
                    f"{finding.combined_cost:.2f} 元。" + (f"研判意见：{reason}" if reason else ""))
            project_decide(project=current, action="return", actor=actor, note=note)
    return finding
