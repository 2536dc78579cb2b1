"""Art. 6 and 19: a prefecture department's project that counties or parks join. One parent project
with its participating jurisdictions; each county's part is its own project in the register (own cost,
funding and approval, approved by that county's bureau: 分级审批、分级建设); the parent's unit sets the
shared requirements and standards."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from tongchou.accounts.models import UNIT_ROLES, Level, Organisation, OrgKind
from tongchou.audit.services import audit_record
from tongchou.core_errors import Conflict, DomainError
from tongchou.documents import storage
from tongchou.documents.services import stored_file_create
from tongchou.documents.uploads import DOCX, PDF, inspect_upload
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
        if participant.part_id is not None:
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
