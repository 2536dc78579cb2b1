"""The assessment: what the engine concludes about one project, and its JSON form."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

ENGINE_VERSION = "1.0.0"

BLOCK = "block"
WARN = "warn"
INFO = "info"


def json_value(value: Any) -> Any:
    """Facts and parameters as JSON values (money as a number, dates as YYYY-MM-DD)."""
    kind = type(value)
    if kind is Decimal:
        return int(value) if value == value.to_integral_value() else float(value)
    if kind is date:
        return value.isoformat()
    if kind is frozenset:
        return sorted(value)
    if kind is tuple:
        return list(value)
    return value


@dataclass(slots=True)
class Finding:
    code: str
    severity: str
    article: str
    message: str
    basis: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "article": self.article,
            "message": self.message,
            "basis": {k: json_value(v) for k, v in self.basis.items()},
        }


@dataclass(slots=True)
class Obligation:
    code: str
    due: date | None
    article: str
    message: str
    basis: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "due": self.due.isoformat() if self.due else None,
            "article": self.article,
            "message": self.message,
            "basis": {k: json_value(v) for k, v in self.basis.items()},
        }


@dataclass(slots=True)
class Ground:
    """Why a headline determination (applicability, review path, …) came out as it did."""

    article: str
    message: str


@dataclass(slots=True)
class Assessment:
    ruleset_id: str
    ruleset_valid_from: date
    ruleset_valid_until: date | None
    ruleset_sha256: str
    in_force: bool
    applicability: str = "binding"
    authority: str = "prefecture_bureau"
    review_path: str = "not_applicable"
    reviewers: tuple[str, ...] = ()
    expert_review: bool = False
    support: str = "normal"
    missing_materials: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    obligations: list[Obligation] = field(default_factory=list)
    om_funding: dict[str, Any] | None = None
    grounds: dict[str, Ground] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return not self.missing_materials

    def codes(self) -> set[str]:
        return {f.code for f in self.findings}

    def as_dict(self) -> dict[str, Any]:
        return {
            "ruleset": {
                "id": self.ruleset_id,
                "valid_from": self.ruleset_valid_from.isoformat(),
                "valid_until": self.ruleset_valid_until.isoformat() if self.ruleset_valid_until else None,
                "in_force": self.in_force,
            },
            "applicability": self.applicability,
            "authority": self.authority,
            "review_path": self.review_path,
            "reviewers": list(self.reviewers),
            "expert_review": self.expert_review,
            "support": self.support,
            "complete": not self.missing_materials,
            "missing_materials": list(self.missing_materials),
            "findings": [f.as_dict() for f in self.findings],
            "obligations": [o.as_dict() for o in self.obligations],
            "om_funding": self.om_funding,
            "grounds": {k: {"article": g.article, "message": g.message} for k, g in self.grounds.items()},
            "receipt": {
                "ruleset_id": self.ruleset_id,
                "ruleset_sha256": self.ruleset_sha256,
                "engine_version": ENGINE_VERSION,
            },
        }
