"""POST /api/v1/assessments: the policy engine over HTTP (same input model and output as the CLI)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig
from ninja import Router, Status

from tongchou.accounts.requests import AuthenticatedHttpRequest
from tongchou.policy import FactsError, assess_facts
from tongchou.policy.jsonio import decode, kind, problem

router = Router(tags=["assessments 评估"])

_INVALID = "输入有误，请按提示修改"

_BODY_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "description": "项目事实（见 assessment 契约）：name、unit、application_date、project_type、construction_cost 必填；未知字段报错。",
                    "additionalProperties": True,
                }
            }
        },
    }
}


def _invalid(errors: list[dict[str, str]]) -> Status[dict[str, Any]]:
    return Status(422, {"detail": _INVALID, "errors": errors})


@router.post(
    "/assessments",
    response={200: dict[str, Any], 413: dict[str, Any], 422: dict[str, Any]},
    summary="按《办法》评估一个项目",
    openapi_extra=_BODY_DOC,
)
def assessment_create(request: AuthenticatedHttpRequest, ruleset: str | None = None):
    """Assesses one object of project facts; `?ruleset=ID` forces a rule set (what-if)."""
    try:
        text = request.body.decode("utf-8-sig")
    except RequestDataTooBig:
        return Status(413, {"detail": "请求体过大：一次只评估一个项目（批量请用 tongchou assess 处理 JSON Lines 文件）"})
    except UnicodeDecodeError:
        return _invalid([{"field": "请求体", "message": "请求体须为 UTF-8 编码的 JSON"}])
    try:
        facts = decode(text)
    except ValueError as exc:
        return _invalid([{"field": "请求体", "message": f"请求体不是合法的 JSON：{problem(exc)}"}])
    if not isinstance(facts, dict):
        return _invalid([{"field": "请求体", "message": f"请求体须为一个 JSON 对象（项目事实），收到 {kind(facts)}"}])
    try:
        return Status(200, assess_facts(facts, ruleset_id=ruleset))
    except FactsError as exc:
        return _invalid(exc.errors)
