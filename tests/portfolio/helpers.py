"""Builders shared by the portfolio tests: applications as the register's API takes them."""

from __future__ import annotations

from typing import Any

from tongchou.projects.models import TECHNICAL_SECTIONS, MaterialKind

MATERIALS = {
    MaterialKind.BASIC_INFO.value: "主要任务：建设教育资源公共服务平台。",
    MaterialKind.TECHNICAL_PLAN.value: "依托州政务云建设。",
    **{k.value: f"{k.label}：按要求编制。" for k in TECHNICAL_SECTIONS},
    MaterialKind.FEASIBILITY_STUDY.value: "可行性研究报告全文见附件。",
}


def application(name: str, cost: str, **facts: Any) -> dict[str, Any]:
    return {"name": name, "year": 2025, "construction_cost": cost, "project_type": "new",
            "application_date": "2025-03-03", "materials": dict(MATERIALS), **facts}


def create_and_submit(api, username: str, name: str, cost: str, **facts: Any) -> int:
    status, body = api(username, "post", "/projects", application(name, cost, **facts))
    assert status == 201, body
    status, body = api(username, "post", f"/projects/{body['id']}/submit", {})
    assert status == 200, body
    return int(body["id"])


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
