"""Helpers that build projects through the services, as users do."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tongchou.projects.models import TECHNICAL_SECTIONS, MaterialKind

ALL_BUILD_TEXTS = {
    MaterialKind.BASIC_INFO: "主要任务：建设全州教育资源公共服务平台。建设地点：昌吉市。",
    MaterialKind.TECHNICAL_PLAN: "依托州政务云建设。",
    **{k: f"{k.label}：按要求编制。" for k in TECHNICAL_SECTIONS},
    MaterialKind.FEASIBILITY_STUDY: "可行性研究报告全文见附件。",
}


def build_texts(**overrides: str) -> dict[str, str]:
    texts = {str(k): v for k, v in ALL_BUILD_TEXTS.items()}
    texts.update(overrides)
    return texts


def make_project(actor: Any, *, texts: dict[str, str] | None = None, **data: Any):
    from tongchou.projects.services import project_create

    facts = {"name": "全州教育资源公共服务平台", "year": 2025, "construction_cost": Decimal("1200000"),
             "project_type": "new"}
    facts.update(data)
    return project_create(actor=actor, data=facts, texts=build_texts() if texts is None else texts)


def submitted_project(actor: Any, *, consent: bytes | None = None, **data: Any):
    """`consent`: the bytes of an Art. 13 written-consent PDF to file before submitting."""
    import io

    from tongchou.projects.attachments import attachment_add
    from tongchou.projects.services import project_submit

    project = make_project(actor, **data)
    if consent is not None:
        attachment_add(project=project, actor=actor, material="superior_consent", upload=io.BytesIO(consent),
                       filename="上级主管部门同意函.pdf")
    project_submit(project=project, actor=actor)
    project.refresh_from_db()
    return project
