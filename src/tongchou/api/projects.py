"""/api/v1/projects — the register and the application, same services and selectors as the pages.

Input is validated by the application form itself (`ProjectForm`), so the API refuses exactly what the
page refuses, with the same Chinese messages naming each field.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from ninja import Body, File, Form, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.files import UploadedFile

from tongchou.accounts.requests import AuthenticatedHttpRequest
from tongchou.api.idempotency import idempotent
from tongchou.core_errors import DomainError
from tongchou.projects import attachments as attachment_files
from tongchou.projects.forms import ProjectForm, form_data_from
from tongchou.projects.listing import RegisterQuery, register_page
from tongchou.projects.models import FILE_ONLY_MATERIALS, MaterialKind, Project
from tongchou.projects.plan_link import project_plan_out
from tongchou.projects.reapply import project_lineage_out
from tongchou.projects.selectors import project_get, project_latest_assessment, user_may_create_projects
from tongchou.projects.services import (
    FACT_FIELDS,
    project_assess_draft,
    project_create,
    project_submit,
    project_update,
)

router = Router(tags=["项目库"])
_KNOWN_KEYS = set(FACT_FIELDS) | {"materials", "version"}


class InputError(DomainError):
    status = 422

    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__("输入有误，请按提示修改", code="invalid", field=errors[0]["field"] if errors else None)
        self.errors = errors

    def as_dict(self) -> dict[str, Any]:
        return {**super().as_dict(), "errors": self.errors}


def _validated(project: Project, payload: dict[str, Any]) -> ProjectForm:
    unknown = sorted(set(payload) - _KNOWN_KEYS - {"exception_superior_consent"})
    errors = [{"field": k, "message": f"{k}：未知字段（请检查拼写）"} for k in unknown]
    if "exception_superior_consent" in payload:  # follows the uploaded document (Art. 13, ADR 0195)
        errors.append({"field": "exception_superior_consent", "message": (
            "上一级业务主管部门书面同意：不能直接填写，以上传的证明材料为准（第十三条）；请通过附件接口上传，"
            "material 为 superior_consent。")})
    materials = payload.get("materials") or {}
    if not isinstance(materials, dict):
        errors.append({"field": "materials", "message": "申报材料：应为对象，键为材料名称，值为文本"})
        materials = {}
    errors += [{"field": f"materials.{k}", "message": f"申报材料：未知的材料「{k}」"}
               for k in materials if k not in MaterialKind.values]
    errors += [{"field": f"materials.{k}", "message": f"{MaterialKind(k).label}：须以附件上传，不能填写文字（第十三条）"}
               for k in materials if k in FILE_ONLY_MATERIALS]
    errors += [{"field": f"materials.{k}", "message": f"{MaterialKind(k).label}：应为文本"}
               for k, v in materials.items() if k in MaterialKind.values and not isinstance(v, str)]
    if errors:
        raise InputError(errors)
    texts = {m.kind: m.text for m in project.materials.all()} if project.pk else {}
    form = ProjectForm(form_data_from(project, payload, texts), instance=project if project.pk else None)
    if not form.is_valid():
        raise InputError([{"field": e["field"].removeprefix("m_"), "message": e["message"]} for e in form.error_list()])
    return form


def _project_out(project: Project, *, detail: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": project.pk, "code": project.code, "name": project.name, "unit": project.unit.name,
        "unit_id": project.unit_id, "level": project.level, "year": project.year, "status": project.status,
        "classified": project.classified, "construction_cost": str(project.construction_cost),
        "review_path": project.review_path or None, "support": project.support or None,
        "version": project.version,
    }
    if detail:
        for f in (*FACT_FIELDS, "exception_superior_consent"):
            value = getattr(project, f)
            out[f] = value.isoformat() if hasattr(value, "isoformat") else (str(value) if f.endswith("_cost") and value is not None else value)
        out["materials"] = {m.kind: m.text for m in project.materials.all()}
        out["attachments"] = [
            {"id": a.pk, "material": a.material, "name": a.display_name, "size": a.size, "sm3": a.sm3,
             "content_type": a.content_type} for a in project.attachments.select_related("file")
        ]
        out["yearly_plan"] = project_plan_out(project=project)
        out["lineage"] = project_lineage_out(project=project)
        latest = project_latest_assessment(project=project)
        out["assessment"] = None if latest is None else {
            "id": latest.pk, "assessed_at": latest.assessed_at.isoformat(), "ruleset_id": latest.ruleset_id,
            "ruleset_hash": latest.ruleset_hash, "result": latest.result,
        }
    return out


@router.get("/projects", summary="项目库列表（筛选、搜索、排序、游标分页）")
def list_projects(request: AuthenticatedHttpRequest) -> dict[str, Any]:
    query = RegisterQuery.from_params(request.GET)
    page = register_page(request.user, query)
    return {"total": page.total, "next": page.next_cursor, "items": [_project_out(p) for p in page.items],
            "warnings": list(query.errors.values())}


@router.post("/projects", summary="新建申报（草稿）", response={201: dict})
@decorate_view(idempotent)
def create_project(request: AuthenticatedHttpRequest, payload: dict[str, Any] = Body(...)) -> Status:  # noqa: B008
    if not user_may_create_projects(request.user):
        raise DomainError("只有项目建设单位的申报人或单位负责人可以新建申报（第十条）。", code="not_unit",
                          article="第十条", status=403)
    form = _validated(Project(unit=request.user.organisation), payload)
    project = project_create(actor=request.user, data=form.fact_data(), texts=_texts_sent(form, payload))
    return Status(201, _project_out(project, detail=True))


def _texts_sent(form: ProjectForm, payload: dict[str, Any]) -> dict[str, str]:
    sent = payload.get("materials") or {}
    return {k: v for k, v in form.texts().items() if k in sent}


@router.get("/projects/{int:project_id}", summary="项目详情（含最新评估）")
def get_project(request: AuthenticatedHttpRequest, project_id: int) -> dict[str, Any]:
    return _project_out(project_get(user=request.user, pk=project_id), detail=True)


@router.patch("/projects/{int:project_id}", summary="修改草稿（须带 version，版本过期返回 409）")
def update_project(request: AuthenticatedHttpRequest, project_id: int, payload: dict[str, Any] = Body(...)) -> dict[str, Any]:  # noqa: B008
    project = project_get(user=request.user, pk=project_id)
    version = payload.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise InputError([{"field": "version", "message": "version：请提供您所编辑的版本号（整数）"}])
    form = _validated(project, payload)
    data = {k: v for k, v in form.fact_data().items() if k in payload}
    saved = project_update(actor=request.user, project=project, version=version, data=data,
                           texts=_texts_sent(form, payload))
    return _project_out(saved, detail=True)


@router.post("/projects/{int:project_id}/assess", summary="实时评估（不保存）")
def assess_project(request: AuthenticatedHttpRequest, project_id: int, payload: dict[str, Any] = Body(None)) -> dict[str, Any]:  # noqa: B008
    project = project_get(user=request.user, pk=project_id)
    payload = {k: v for k, v in (payload or {}).items() if k != "version"}
    form = _validated(project, payload)
    return project_assess_draft(project=project, data=form.fact_data(), texts=form.texts())


class SubmitIn(Schema):
    version: int | None = None


@router.post("/projects/{int:project_id}/submit", summary="提交申报（重新评估并保存；材料不全时拒绝）")
def submit_project(request: AuthenticatedHttpRequest, project_id: int, payload: SubmitIn | None = None) -> dict[str, Any]:
    project = project_get(user=request.user, pk=project_id)
    project_submit(project=project, actor=request.user, version=payload.version if payload else None)
    project.refresh_from_db()
    return _project_out(project, detail=True)


@router.post("/projects/{int:project_id}/attachments", summary="上传附件（PDF/DOCX/XLSX/PNG/JPEG）", response={201: dict})
@decorate_view(idempotent)
def upload_attachment(
    request: AuthenticatedHttpRequest, project_id: int, material: str = Form(...), file: UploadedFile = File(...),  # noqa: B008
) -> Status:
    project = project_get(user=request.user, pk=project_id)
    attachment = attachment_files.attachment_add(project=project, actor=request.user, material=material,
                                                 upload=file, filename=file.name or "")
    return Status(201, {"id": attachment.pk, "material": attachment.material, "name": attachment.display_name,
                        "size": attachment.size, "sm3": attachment.sm3, "content_type": attachment.content_type})


@router.get("/projects/{int:project_id}/attachments/{int:attachment_id}", summary="下载附件")
def download_attachment(request: AuthenticatedHttpRequest, project_id: int, attachment_id: int) -> HttpResponse:
    attachment, data = attachment_files.attachment_open(user=request.user, project_pk=project_id,
                                                        attachment_pk=attachment_id)
    return attachment_files.file_response(attachment, data)
