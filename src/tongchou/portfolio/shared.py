"""Art. 6 and 19: a prefecture department's project that counties or parks join. One parent project
with its participating jurisdictions; each county's part is its own project in the register (own cost,
funding and approval, approved by that county's bureau: 分级审批、分级建设); the parent's unit sets the
shared requirements and standards."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from tongchou.accounts.models import BUREAU_ROLES, UNIT_ROLES, Level, Organisation, OrgKind, User
from tongchou.audit.services import audit_record
from tongchou.core_errors import Conflict, DomainError
from tongchou.documents import storage
from tongchou.documents.services import stored_file_create
from tongchou.documents.uploads import DOCX, PDF, inspect_upload
from tongchou.lifecycle.permissions import is_project_authority
from tongchou.notifications.models import Kind
from tongchou.notifications.services import notify
from tongchou.portfolio.models import SharedDocument, SharedParticipant, SharedProject
from tongchou.projects.models import Project

ARTICLE = "第六条"
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


def participating_jurisdictions() -> list[str]:
    """The counties (each with its bureau) and parks (each with its responsible body) of the prefecture."""
    return list(
        Organisation.objects.filter(
            is_active=True, kind__in=(OrgKind.BUREAU, OrgKind.PARK_BODY), level__in=(Level.COUNTY, Level.PARK)
        ).exclude(jurisdiction="").order_by("level", "code").values_list("jurisdiction", flat=True).distinct()
    )


def _require_parent_unit(actor: Any, parent: Project) -> None:
    if actor.role not in UNIT_ROLES or actor.organisation_id != parent.unit_id:
        raise DomainError("只有共建项目的州直建设单位可以办理此事项（第六条）。", code="forbidden",
                          article=ARTICLE, status=403)


def shared_project_create(*, parent: Project, jurisdictions: list[str], actor: Any) -> SharedProject:
    cleaned = list(dict.fromkeys(j.strip() for j in jurisdictions if isinstance(j, str) and j.strip()))
    if not cleaned:
        raise DomainError("请至少选择一个参与共建的县市或园区。", code="required", field="jurisdictions",
                          article=ARTICLE)
    known = set(participating_jurisdictions())
    unknown = [j for j in cleaned if j not in known]
    if unknown:
        raise DomainError(f"「{unknown[0][:30]}」不是本州的县市或园区。", code="invalid", field="jurisdictions",
                          article=ARTICLE)
    with transaction.atomic():
        current = Project.objects.select_for_update().select_related("unit").get(pk=parent.pk)
        _require_parent_unit(actor, current)
        if current.level != Level.PREFECTURE:
            raise DomainError("共建共享项目须由州直部门单位牵头（第六条）；县市（园区）的部分作为子项目加入。",
                              code="not_prefecture", article=ARTICLE, field="parent")
        if SharedProject.objects.filter(parent=current).exists() or hasattr(current, "shared_as_part"):
            raise Conflict("该项目已是共建共享项目或其子项目。", code="duplicate", article=ARTICLE)
        shared = SharedProject.objects.create(parent=current, created_by=actor, created_at=timezone.now())
        SharedParticipant.objects.bulk_create(
            [SharedParticipant(shared=shared, jurisdiction=j) for j in cleaned]
        )
        audit_record(event="portfolio.shared_create", actor=actor, target=current,
                     data={"jurisdictions": cleaned})
    return shared


def may_manage_participants(actor: Any, parent: Project) -> bool:
    """The parent's unit, or the bureau that runs the parent (the prefecture bureau: Art. 6, 19)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if actor.role in UNIT_ROLES and actor.organisation_id == parent.unit_id:
        return True
    return is_project_authority(actor, parent)


def _require_manager(actor: Any, parent: Project) -> None:
    if not may_manage_participants(actor, parent):
        raise DomainError("只有共建项目的州直建设单位或数字化发展局可以调整参与的县市（园区）（第六条）。",
                          code="forbidden", article=ARTICLE, status=403)


def participant_bureau_users(jurisdiction: str) -> list[User]:
    """Who speaks for a participating county (its bureau) or park (its responsible body)."""
    return list(User.objects.filter(
        is_active=True, organisation__is_active=True, organisation__jurisdiction=jurisdiction,
        organisation__kind__in=(OrgKind.BUREAU, OrgKind.PARK_BODY),
        organisation__level__in=(Level.COUNTY, Level.PARK),
        role__in=(*BUREAU_ROLES, *UNIT_ROLES),
    ).order_by("id"))


def shared_participant_add(*, shared: SharedProject, jurisdiction: str, actor: Any) -> SharedParticipant:
    """A county or park joins after the shared project was set up; its bureau (or the park's body) is told,
    so that its department can declare its part (分级审批、分级建设)."""
    jurisdiction = (jurisdiction or "").strip() if isinstance(jurisdiction, str) else ""
    if not jurisdiction:
        raise DomainError("请选择要加入的县市或园区（jurisdiction）。", code="required", field="jurisdiction",
                          article=ARTICLE, status=422)
    if jurisdiction not in set(participating_jurisdictions()):
        raise DomainError(f"「{jurisdiction[:30]}」不是本州的县市或园区，请从列表中选择（jurisdiction）。",
                          code="unknown_jurisdiction", field="jurisdiction", article=ARTICLE, status=422)
    with transaction.atomic():
        parent = Project.objects.select_for_update().select_related("unit").get(pk=shared.parent_id)
        _require_manager(actor, parent)
        if SharedParticipant.objects.filter(shared=shared, jurisdiction=jurisdiction).exists():
            raise DomainError(f"{jurisdiction}已在该共建项目的参与名单中（jurisdiction）。",
                              code="already_participant", field="jurisdiction", article=ARTICLE, status=422)
        participant = SharedParticipant.objects.create(shared=shared, jurisdiction=jurisdiction)
        audit_record(event="portfolio.shared_participant_add", actor=actor, target=parent,
                     data={"jurisdiction": jurisdiction, "shared": shared.pk})
        # The inbox rows are written with the change; the mail copy goes after commit (notify).
        notify(users=participant_bureau_users(jurisdiction), kind=Kind.INFO, link=f"/portfolio/shared/{shared.pk}/",
               subject=f"共建共享项目邀请：{parent.code}《{parent.name}》",
               body=f"{parent.unit.name}牵头的共建共享项目已将{jurisdiction}列为参与县市（园区）。"
                    f"请组织本县市（园区）的项目建设单位申报子项目并关联，子项目由本县市审批（第六条、第十九条）。")
    return participant


def shared_participant_remove(*, shared: SharedProject, participant_id: Any, actor: Any) -> str:
    """A jurisdiction leaves before its part exists; one with a part stays (its own approval is on record)."""
    with transaction.atomic():
        parent = Project.objects.select_for_update().select_related("unit").get(pk=shared.parent_id)
        _require_manager(actor, parent)
        try:
            participant = SharedParticipant.objects.select_for_update().get(shared=shared, pk=participant_id)
        except (SharedParticipant.DoesNotExist, ValueError, TypeError):
            raise DomainError("该县市（园区）不在本共建项目的参与名单中（participant_id）。", code="not_participant",
                              field="participant_id", article=ARTICLE, status=422) from None
        if participant.part_id is not None:
            raise DomainError(f"{participant.jurisdiction}已关联子项目，不能移出共建名单（participant_id）。",
                              code="has_part", field="participant_id", article=ARTICLE, status=422,
                              hint="子项目已由本县市（园区）申报和审批；如确需退出，请先由其撤回子项目。")
        if shared.participants.count() <= 1:
            raise DomainError("共建共享项目至少要有一个参与的县市或园区（participant_id）。", code="last_participant",
                              field="participant_id", article=ARTICLE, status=422)
        jurisdiction = participant.jurisdiction
        participant.delete()
        audit_record(event="portfolio.shared_participant_remove", actor=actor, target=parent,
                     data={"jurisdiction": jurisdiction, "shared": shared.pk})
    return jurisdiction


def shared_part_link(*, shared: SharedProject, part: Project, actor: Any) -> SharedParticipant:
    """A participating county's (or park's) department joins with its own project, declared in the
    register like any other (`project_create`); the part is reviewed and approved by its own authority
    (the county bureau for a county part: 分级审批、分级建设)."""
    org = getattr(actor, "organisation", None)
    with transaction.atomic():
        current = Project.objects.select_for_update().select_related("unit").get(pk=part.pk)
        if org is None or actor.role not in UNIT_ROLES or org.pk != current.unit_id:
            raise DomainError("子项目由参与县市（园区）的项目建设单位申报并关联（第六条、第十九条）。",
                              code="forbidden", article="第六条、第十九条", status=403)
        if current.level not in (Level.COUNTY, Level.PARK):
            raise DomainError("共建项目的子项目须为县市（园区）的项目（第十九条：分级审批、分级建设）。",
                              code="not_local", field="project_id", article="第六条、第十九条")
        jurisdiction = current.unit.jurisdiction
        participant = (SharedParticipant.objects.select_for_update()
                       .filter(shared=shared, jurisdiction=jurisdiction).first())
        if participant is None:
            raise DomainError(f"{jurisdiction}不在该共建项目的参与名单中。", code="not_participant",
                              article=ARTICLE, status=403)
        if participant.part is not None:
            raise Conflict(f"{jurisdiction}的子项目已经关联（{participant.part.code}）。", code="duplicate",
                           article=ARTICLE)
        if hasattr(current, "shared_as_part") or hasattr(current, "shared_as_parent"):
            raise Conflict("该项目已属于其他共建项目。", code="duplicate", field="project_id", article=ARTICLE)
        participant.part = current
        participant.save(update_fields=["part"])
        audit_record(event="portfolio.shared_part_link", actor=actor, target=current,
                     data={"parent": shared.parent.code, "jurisdiction": jurisdiction})
    return participant


def shared_document_add(*, shared: SharedProject, title: str, file_name: str, data: Any, actor: Any
                        ) -> SharedDocument:
    """The shared requirements and standards (PDF or Word), kept with the parent project."""
    _require_parent_unit(actor, shared.parent)
    title = (title or "").strip()[:200]
    if not title:
        raise DomainError("请填写文件标题（如：信息共享、业务协同的总体要求和标准规范）。", code="required",
                          field="title", article=ARTICLE)
    check = inspect_upload(file_name, data, allowed={PDF, DOCX}, max_bytes=MAX_DOCUMENT_BYTES)
    stored = stored_file_create(data=check.data, display_name=check.display_name, kind=check.kind, actor=actor,
                                purpose="portfolio.shared_document")
    try:
        with transaction.atomic():
            document = SharedDocument.objects.create(shared=shared, title=title, file=stored, uploaded_by=actor,
                                                     uploaded_at=timezone.now())
            audit_record(event="portfolio.shared_document_add", actor=actor, target=shared.parent,
                         data={"title": title, "file": str(stored.pk), "sm3": stored.sm3})
    except BaseException:
        stored.delete()
        storage.delete_bytes(stored.storage_name)
        raise
    return document
