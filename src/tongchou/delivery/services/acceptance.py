"""Trial operation, completion acceptance and the move into O&M (Art. 24)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from tongchou.accounts.models import Level, MemberRole, Organisation, OrgKind
from tongchou.audit.services import audit_record
from tongchou.core_errors import Conflict, DomainError
from tongchou.delivery.models import Acceptance, CommitteeMember, SecurityProfile, TrialRun
from tongchou.delivery.notices import notify_acceptance_applied
from tongchou.delivery.rules.committee import missing_seats, refusal_message
from tongchou.delivery.seams import drawn_expert
from tongchou.delivery.services.access import require_decider, require_unit, sync_register
from tongchou.delivery.services.inventory import inventory_on_acceptance
from tongchou.delivery.services.obligations import delivery_obligations_sync
from tongchou.lifecycle.services import project_transition
from tongchou.projects.models import Project, Status

ART24 = "第二十四条"


def _past(value: date | None, field: str, label: str) -> None:
    if value is not None and value > timezone.localdate():
        raise DomainError(f"{label}不能晚于今天。", code="invalid", field=field)


def trial_start(*, project: Project, actor: Any, started_on: date, expected_version: int | None = None) -> Project:
    """Going live: the trial run starts, and the 等保 filing clock (30 days) with it."""
    require_unit(actor, project, "登记试运行", ART24)
    _past(started_on, "started_on", "试运行开始日期")
    with transaction.atomic():
        TrialRun.objects.update_or_create(project=project, defaults={"started_on": started_on})
        profile, _ = SecurityProfile.objects.select_for_update().get_or_create(project=project)
        if profile.go_live_on is None:
            profile.go_live_on = started_on
            profile.save(update_fields=["go_live_on"])
        done = project_transition(project=project, action="start_trial", actor=actor,
                                  expected_version=expected_version, note=f"试运行自 {started_on} 起")
        delivery_obligations_sync(project=done, actor=actor)
    return done


def trial_finish(*, project: Project, actor: Any, ended_on: date, normal: bool, summary: str) -> TrialRun:
    require_unit(actor, project, "登记试运行结果", ART24)
    _past(ended_on, "ended_on", "试运行结束日期")
    with transaction.atomic():
        trial = TrialRun.objects.select_for_update().filter(project=project).first()
        if trial is None or project.status != Status.TRIAL_OPERATION:
            raise Conflict("项目尚未进入试运行，不能登记试运行结果。", code="no_trial", article=ART24)
        if ended_on < trial.started_on:
            raise DomainError("试运行结束日期不能早于开始日期。", code="invalid", field="ended_on")
        trial.ended_on, trial.normal, trial.summary = ended_on, normal, summary
        trial.save()
        audit_record(event="delivery.trial.finish", actor=actor, target=project,
                     data={"ended_on": ended_on, "normal": normal})
    return trial


def acceptance_apply(*, project: Project, actor: Any, report: str, applied_on: date | None = None,
                     expected_version: int | None = None) -> Acceptance:
    """The unit applies to the development and reform commission with its completion report."""
    require_unit(actor, project, "申请竣工验收", ART24)
    applied_on = applied_on or timezone.localdate()
    _past(applied_on, "applied_on", "申请日期")
    if not report.strip():
        raise DomainError("请提交竣工验收报告（第二十四条）。", code="invalid", field="report", article=ART24)
    with transaction.atomic():
        acceptance, _ = Acceptance.objects.update_or_create(
            project=project, defaults={"report": report, "applied_on": applied_on, "applied_by": actor})
        project_transition(project=project, action="apply_acceptance", actor=actor, expected_version=expected_version)
        notify_acceptance_applied(acceptance)
    return acceptance


def _check_seat(project: Project, seat: str, org: Organisation | None, expert: Any, name: str) -> None:
    """`expert` is the accepted draw member for an expert seat (None when the draw does not qualify)."""
    def wrong(why: str) -> DomainError:
        return DomainError(f"验收委员「{name}」{why}（第二十四条）。", code="committee_member_invalid", article=ART24,
                           field="members")

    if seat == "expert":
        if expert is None:
            raise wrong("不是从信息化专家库为本项目抽取并已接受邀请的专家")
        return
    county = project.level == Level.COUNTY
    if org is None:
        # A county's own 发改/财政 offices are not Tongchou organisations: their seats are named people (Art. 19, 36).
        if county and seat in ("development_reform", "finance", "archives", "other"):
            return
        raise wrong("须注明所在单位")
    if county and seat == "digital_bureau":
        if not (org.kind == OrgKind.BUREAU and org.level == Level.COUNTY
                and org.jurisdiction == project.unit.jurisdiction):
            raise wrong(f"所在单位「{org.name}」不是本县市的数字化发展局（第十九条、第三十六条）")
        return
    expected = {
        "development_reform": org.member_role == MemberRole.DEVELOPMENT_REFORM,
        "finance": org.member_role == MemberRole.FINANCE,
        "digital_bureau": org.kind == OrgKind.BUREAU,
        "archives": "档案" in org.name,
        "unit": org.pk == project.unit_id,
        "other": True,
    }
    if not expected.get(seat, False):
        raise wrong(f"所在单位「{org.name}」不能担任该席位")


def committee_convene(*, project: Project, actor: Any, members: list[dict[str, Any]],
                      convened_on: date | None = None) -> Acceptance:
    """The development and reform commission forms the committee (the county bureau lead for a county
    project, Art. 19, 36); Tongchou refuses an incomplete one."""
    require_decider(actor, project, MemberRole.DEVELOPMENT_REFORM, "组建竣工验收委员会", ART24)
    county = project.level == Level.COUNTY
    missing = missing_seats((m.get("seat", "") for m in members), county=county)
    if missing:
        raise DomainError(refusal_message(missing, county=county), code="committee_incomplete", article=ART24, field="members",
                          hint="请补齐上述成员后重新提交。")
    rows = []
    for m in members:
        org_id = m.get("organisation_id")
        org = Organisation.objects.filter(pk=org_id).first() if org_id else None
        expert = drawn_expert(project, m.get("draw_member_id")) if m.get("seat") == "expert" else None
        name = (m.get("name") or (expert.expert.name if expert else "")).strip() or f"专家（抽取成员 {m.get('draw_member_id')}）"
        if m.get("seat") != "expert" and not m.get("name", "").strip():
            raise DomainError("每位验收委员都须填写姓名。", code="invalid", field="members")
        _check_seat(project, m["seat"], org, expert, name)
        rows.append(CommitteeMember(seat=m["seat"], organisation=org, draw_member=expert, name=name))
    with transaction.atomic():
        acceptance = Acceptance.objects.select_for_update().filter(project=project).first()
        if acceptance is None or project.status != Status.ACCEPTANCE_APPLIED:
            raise Conflict("项目建设单位尚未申请竣工验收，不能组建验收委员会。", code="not_applied", article=ART24)
        if acceptance.passed:
            raise Conflict("该项目已通过竣工验收。", code="already_accepted", article=ART24)
        acceptance.members.all().delete()
        for row in rows:
            row.acceptance = acceptance
        CommitteeMember.objects.bulk_create(rows)
        acceptance.convened_on = convened_on or timezone.localdate()
        acceptance.convened_by = actor
        acceptance.save(update_fields=["convened_on", "convened_by"])
        audit_record(event="delivery.acceptance.convene", actor=actor, target=project,
                     data={"members": [[r.seat, r.name] for r in rows]})
    return acceptance


def acceptance_conclude(*, project: Project, actor: Any, passed: bool, conclusion: str, issues: str = "",
                        concluded_on: date | None = None) -> Acceptance:
    """Record the committee's result; a pass takes the project to 已竣工验收 (`accept`)."""
    require_decider(actor, project, MemberRole.DEVELOPMENT_REFORM, "登记竣工验收结论", ART24)
    if not conclusion.strip():
        raise DomainError("请填写验收结论。", code="invalid", field="conclusion")
    concluded_on = concluded_on or timezone.localdate()
    _past(concluded_on, "concluded_on", "验收日期")
    with transaction.atomic():
        acceptance = Acceptance.objects.select_for_update().filter(project=project).first()
        if acceptance is None or acceptance.convened_on is None:
            raise Conflict("竣工验收委员会尚未组建，不能登记验收结论（第二十四条）。", code="not_convened", article=ART24)
        acceptance.passed, acceptance.conclusion, acceptance.issues = passed, conclusion, issues
        acceptance.concluded_on = concluded_on
        acceptance.save()
        audit_record(event="delivery.acceptance.conclude", actor=actor, target=project,
                     data={"passed": passed, "concluded_on": concluded_on})
        if passed:
            project_transition(project=project, action="accept", actor=actor, note=conclusion[:200])
            sync_register(project, accepted=True)
            inventory_on_acceptance(project=project, actor=actor, on=concluded_on)
    return acceptance


def operations_start(*, project: Project, actor: Any, expected_version: int | None = None) -> Project:
    return project_transition(project=project, action="start_operations", actor=actor,
                              expected_version=expected_version)
