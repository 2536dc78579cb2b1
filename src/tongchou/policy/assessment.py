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


def json_money(value: Any) -> Any:
    """Money as a JSON number: Decimal → int when whole, else float (for `basis`)."""
    if type(value) is Decimal:
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


@dataclass(slots=True)
class Finding:
    """One determination; `basis` holds the facts and parameters it used, as JSON values.

    Treat as read-only: the engine may share one Finding between assessments of equal facts.
    """

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
            "basis": dict(self.basis),
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
            "basis": self.basis,
        }


@dataclass(slots=True)
class Assessment:
    ruleset_id: str
    ruleset_valid_from: str
    ruleset_valid_until: str | None
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
    # determination (applicability, authority, review_path, support, complete, om_funding) → its article
    articles: dict[str, str] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return not self.missing_materials

    def codes(self) -> set[str]:
        return {f.code for f in self.findings}

    def as_dict(self) -> dict[str, Any]:
        return {
            "ruleset": {
                "id": self.ruleset_id,
                "valid_from": self.ruleset_valid_from,
                "valid_until": self.ruleset_valid_until,
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
            # Finding.as_dict / Obligation.as_dict inlined (the hot path of every assessment)
            "findings": [
                {"code": f.code, "severity": f.severity, "article": f.article, "message": f.message,
                 "basis": dict(f.basis)}
                for f in self.findings
            ],
            "obligations": [
                {"code": o.code, "due": o.due.isoformat() if o.due else None, "article": o.article,
                 "message": o.message, "basis": o.basis}
                for o in self.obligations
            ],
            "om_funding": self.om_funding,
            "articles": self.articles,
            "receipt": {
                "ruleset_id": self.ruleset_id,
                "ruleset_sha256": self.ruleset_sha256,
                "engine_version": ENGINE_VERSION,
            },
        }
