"""The one place that calls the policy engine; everything else asks here.

Keeping a single caller means the rule-set choice, the receipt handling and the translation of the
engine's errors into the register's language happen once.
"""

from __future__ import annotations

from typing import Any

from tongchou.core_errors import DomainError


class AssessmentInputError(DomainError):
    """The facts were refused by the engine; `.errors` lists each field with a Chinese message."""

    status = 422

    def __init__(self, errors: list[dict[str, str]]) -> None:
        first = errors[0] if errors else {"field": "", "message": "项目事实不完整"}
        super().__init__(
            f"项目信息有误，无法评估：{first.get('field', '')} {first.get('message', '')}".strip(),
            code="facts_invalid",
            field=first.get("field") or None,
            hint="请按提示修改相应字段后再评估。",
        )
        self.errors = errors


def assess(facts: dict[str, Any], *, project: Any = None) -> dict[str, Any]:
    """Runs the Measures on the facts and returns the contract's assessment (with `receipt`); the
    project, when given, decides the rule set (a county's own, Art. 36)."""
    try:
        from tongchou.policy import FactsError, assess_facts
    except ImportError:
        raise DomainError(
            "评估引擎暂不可用，无法完成评估。", code="engine_unavailable", status=503,
            hint="请稍后再试，或联系系统管理员。",
        ) from None
    try:
        from tongchou.portfolio.rulesets import ruleset_for

        return assess_facts(facts, ruleset_id=ruleset_for(project) if project is not None else None)
    except FactsError as exc:
        raise AssessmentInputError(list(getattr(exc, "errors", []) or [])) from None


def receipt_ruleset(result: dict[str, Any]) -> tuple[str, str]:
    """The rule set's id and content hash as the receipt states them."""
    receipt = result.get("receipt") or {}
    ruleset = result.get("ruleset") or {}
    ruleset_id = str(receipt.get("ruleset_id") or ruleset.get("id") or "")
    digest = ""
    for key in ("ruleset_hash", "ruleset_sha256", "ruleset_sm3", "hash", "content_hash"):
        if receipt.get(key):
            digest = str(receipt[key])
            break
    if not digest and isinstance(receipt.get("ruleset"), dict):
        digest = str(receipt["ruleset"].get("hash") or receipt["ruleset"].get("sha256") or "")
    return ruleset_id, digest
