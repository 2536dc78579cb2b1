"""Policy what-if: the register assessed under another rule set, next to the rules that govern it now.

Each project's facts are built once (the register's own `project_facts`, with materials and
attachments read in bulk per chunk) and parsed once; the pure engine then runs twice on the parsed
facts: under the rule set chosen by the application date (Art. 38) and under the candidate. Nothing
is stored on the projects: a what-if changes no decision. See docs/adr/0090-policy-what-if.md.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict, namedtuple
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Trim

from tongchou.accounts.models import BUREAU_ROLES, User
from tongchou.audit.services import audit_record
from tongchou.core_errors import DomainError, NotFound
from tongchou.policy import (
    Facts,
    FactsError,
    Registry,
    RuleSet,
    RulesetError,
    assess,
    default_registry,
    parse_facts,
)
from tongchou.policy import vocabulary as V
from tongchou.policy.facts import MONEY_LIMIT
from tongchou.policy.ruleset import parse_ruleset
from tongchou.projects.facts import CONSENT, materials_present, project_facts
from tongchou.projects.models import Project, ProjectAttachment, ProjectMaterial, ReviewPath, Status, Support
from tongchou.reports.models import RulesetDraft

ART38 = "第三十八条"
MAX_DRAFT_BYTES = 256 * 1024
CHUNK = 2000


@dataclass(frozen=True)
class Candidate:
    ruleset: RuleSet
    registry: Registry
    draft_id: int | None = None

    def describe(self) -> dict[str, Any]:
        return {**self.ruleset.describe(), "draft_id": self.draft_id}


def _require_bureau(user: User, action: str) -> None:
    if not (user.is_authenticated and user.role in BUREAU_ROLES):
        raise DomainError(f"只有数字化发展局可以{action}", code="forbidden", article=ART38, status=403,
                          hint="规则集的修订和试算由数字化发展局组织")


def drafts_visible_to(user: User) -> QuerySet[RulesetDraft]:
    if user.is_authenticated and user.role in BUREAU_ROLES:
        return RulesetDraft.objects.select_related("uploaded_by")
    return RulesetDraft.objects.none()


def ruleset_draft_upload(*, data: bytes, display_name: str, actor: User) -> RulesetDraft:
    """Validates a draft rule set with the policy loader and keeps it for comparison. It is stored in
    the database only, never in a rule-set folder, so uploading it adopts nothing."""
    _require_bureau(actor, "上传规则集草案")
    name = (display_name or "draft.yaml").replace("\\", "/").split("/")[-1][:120] or "draft.yaml"
    if not data:
        raise DomainError("规则集草案文件为空", code="invalid", field="file", hint="请选择 .yaml 文件")
    if len(data) > MAX_DRAFT_BYTES:
        raise DomainError(f"规则集草案超过 {MAX_DRAFT_BYTES // 1024} KB", code="too_large", field="file",
                          hint="规则集文件通常只有几 KB，请检查是否选错了文件")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise DomainError("规则集草案须为 UTF-8 编码的 YAML 文本", code="invalid", field="file") from None
    try:
        ruleset = parse_ruleset(data, name)
    except RulesetError as exc:
        raise DomainError(f"规则集草案未通过校验：{exc}", code="invalid_ruleset", field="file", article=ART38,
                          hint="按 changji-2025-trial.yaml 的格式修改后重新上传") from None
    if ruleset.id in {r.id for r in default_registry().rulesets}:
        raise DomainError(f"规则集标识 {ruleset.id} 已被正式规则集使用", code="invalid_ruleset", field="file",
                          article=ART38, hint="草案请使用新的 id，例如在原 id 后加 -draft")
    with transaction.atomic():
        draft = RulesetDraft.objects.create(
            ruleset_id=ruleset.id, title=ruleset.title[:200], valid_from=ruleset.valid_from, sha256=ruleset.sha256,
            content=text, display_name=name, uploaded_by=actor)
        audit_record(event="ruleset_draft.uploaded", actor=actor, target=draft,
                     data={"ruleset_id": ruleset.id, "sha256": ruleset.sha256, "name": name})
    return draft


def candidate_for(*, user: User, ruleset_id: str | None = None, draft_id: int | None = None) -> Candidate:
    """A registered rule set by id, or one of the bureau's drafts (re-validated from its text)."""
    _require_bureau(user, "进行规则集试算")
    if draft_id is not None:
        draft = drafts_visible_to(user).filter(pk=draft_id).first()
        if draft is None:
            raise NotFound("未找到该规则集草案")
        ruleset = parse_ruleset(draft.content.encode("utf-8"), draft.display_name)
        return Candidate(ruleset, Registry([ruleset]), draft.pk)
    if not ruleset_id:
        raise DomainError("请选择一个规则集或规则集草案", code="invalid", field="ruleset_id")
    registry = default_registry()
    try:
        return Candidate(registry.get(ruleset_id), registry)
    except FactsError:
        raise DomainError(f"未登记的规则集 {ruleset_id}", code="invalid", field="ruleset_id",
                          hint="可选：" + "、".join(r.id for r in registry.rulesets)) from None


def whatif_projects(user: User) -> QuerySet[Project]:
    """The register as the user sees it, less the drafts (no application yet)."""
    from tongchou.projects.selectors import projects_visible_to

    return projects_visible_to(user).exclude(status=Status.DRAFT)


# Only the columns `project_facts` reads, plus the ones the comparison reports (id, code, unit): the
# timestamps and the review columns are not parsed at all. A column `project_facts` starts reading
# without being added here fails loudly (the row has no such attribute; tests/reports/test_whatif.py
# compares this path with the model-instance one field by field).
FACT_COLUMNS = (
    "id", "code", "unit_id", "name", "level", "application_date", "funding_source", "classified", "emergency",
    "project_type", "category", "construction_cost", "annual_om_cost", "deployment", "special_network_basis",
    "builds_standalone_infrastructure", "buys_server_hardware", "leases_internet_line",
    "leases_unintegrated_private_network", "key_components_compliant", "crypto_compliant", "major_security_risk",
    "obsolete_technology", "goals_clear", "internal_integration_done", "data_sharing_done",
    "duplicate_data_collection", "original_project_accepted", "exception_legal_basis",
    "exception_superior_consent", "provides_data_interface", "involves_work_secrets", "priority_basis",
    "approval_date", "procurement_start_date", "work_start_date", "construction_period_months", "free_om_months",
    "contract_term_months", "accepted", "requests_om_funding",
)
# A project row as `project_facts` reads it: attribute access like a model instance, built from a
# plain tuple (far cheaper than a model instance or a dict per row at 100,000 projects).
FactRow = namedtuple("FactRow", (*FACT_COLUMNS, "pk", "unit"))  # type: ignore[misc]
_ID, _UNIT_ID, _APPLICATION_DATE = (FACT_COLUMNS.index(c) for c in ("id", "unit_id", "application_date"))


def project_facts_bulk(projects: QuerySet[Project], *, fast: bool = True) -> Iterator[tuple[Any, dict[str, Any] | Facts]]:
    """(project row, facts) for every project. The register's own `project_facts` builds the facts;
    it is handed plain rows (only the needed columns, with the unit and the materials read in bulk per
    chunk) rather than model instances, which would cost more than the assessment itself at 100,000.
    With `fast` (the default) a row's facts come as the engine's parsed `Facts` directly (`parsed_facts`);
    `fast=False` gives the contract's dict for every row (the reference the shortcut is tested against)."""
    from django.utils import timezone

    from tongchou.accounts.models import Organisation

    today = timezone.localdate()
    units = {pk: SimpleNamespace(name=name) for pk, name in Organisation.objects.values_list("pk", "name")}
    last = 0
    base = projects.order_by("id").values_list(*FACT_COLUMNS)
    make_row = FactRow._make
    while True:
        chunk = list(base.filter(id__gt=last)[:CHUNK])
        if not chunk:
            return
        first, last = chunk[0][_ID], chunk[-1][_ID]
        texts: dict[int, dict[str, str]] = defaultdict(dict)
        # An id range, not a 2,000-element IN list (slow to build); rows of invisible projects in the
        # range are simply never looked up.
        in_range = {"project_id__gte": first, "project_id__lte": last}
        for pk, kind in (ProjectMaterial.objects.filter(**in_range).annotate(t=Trim("text"))
                         .exclude(t="").values_list("project_id", "kind")):
            texts[pk][kind] = "x"
        attached: dict[int, set[str]] = defaultdict(set)
        for pk, kind in ProjectAttachment.objects.filter(**in_range).values_list("project_id", "material"):
            attached[pk].add(kind)
        no_texts: dict[str, str] = {}
        nothing: set[str] = set()
        for values in chunk:
            pk = values[_ID]
            project = make_row((*values, pk, units[values[_UNIT_ID]]))
            application_date = values[_APPLICATION_DATE]
            as_of = max(today, application_date) if application_date else None
            text, files = texts.get(pk, no_texts), attached.get(pk, nothing)
            facts = parsed_facts(project, today, text, files) if fast else None
            if facts is None:  # the reference path: the contract's dict, parsed by the engine
                yield project, project_facts(project, as_of=as_of, texts=text, attached=files)  # type: ignore[arg-type]
            else:
                yield project, facts


_LEVELS = frozenset(V.LEVELS)
_FUNDING_SOURCES = frozenset(V.FUNDING_SOURCES)
_PROJECT_TYPES = frozenset(V.PROJECT_TYPES)
_CATEGORIES = frozenset(V.CATEGORIES)
_DEPLOYMENTS = frozenset(V.DEPLOYMENTS)
_PRIORITY_BASES = frozenset(V.PRIORITY_BASES)
_MATERIALS = frozenset(V.MATERIALS)
_BOOLEAN_COLUMNS = (
    "classified", "emergency", "builds_standalone_infrastructure", "buys_server_hardware", "leases_internet_line",
    "leases_unintegrated_private_network", "key_components_compliant", "crypto_compliant", "major_security_risk",
    "obsolete_technology", "goals_clear", "internal_integration_done", "data_sharing_done",
    "duplicate_data_collection", "provides_data_interface", "involves_work_secrets", "accepted", "requests_om_funding",
)
_MONTH_COLUMNS = ("construction_period_months", "free_om_months", "contract_term_months")
_new_facts = object.__new__


class _Unsure(Exception):
    """A value the shortcut does not vouch for: the project takes the reference path instead."""


def _cost(value: Any, nullable: bool) -> Any:
    """`project_facts`' money (int when whole, else float) as `parse_facts` normalises it."""
    if value is None and nullable:
        return None
    if type(value) is not Decimal or not value.is_finite():
        raise _Unsure
    if value == value.to_integral_value():
        number: Any = int(value)
    else:
        number = Decimal(repr(float(value)))
    if not 0 <= number <= MONEY_LIMIT:
        raise _Unsure
    return number


def parsed_facts(project: Any, today: Any, texts: dict[str, str], attached: set[str]) -> Facts | None:
    """The engine's `Facts` for a row, exactly as `parse_facts(project_facts(row, ...))` gives them,
    without the dict in between; None for anything out of the ordinary (a value the engine would
    refuse or normalise otherwise), which then takes that reference path and fails or passes there.
    tests/reports/test_whatif.py holds the two paths equal field by field over a varied register."""
    try:
        name, unit = project.name, project.unit.name
        if type(name) is not str or not name.strip() or type(unit) is not str or not unit.strip():
            return None
        if (project.level not in _LEVELS or project.funding_source not in _FUNDING_SOURCES
                or project.project_type not in _PROJECT_TYPES or project.category not in _CATEGORIES
                or project.deployment not in _DEPLOYMENTS):
            return None
        application_date = project.application_date or today
        values: dict[str, Any] = {
            "name": name, "unit": unit, "level": project.level, "application_date": application_date,
            "as_of": max(today, application_date), "funding_source": project.funding_source,
            "project_type": project.project_type, "category": project.category,
            "construction_cost": _cost(project.construction_cost, False),
            "annual_om_cost": _cost(project.annual_om_cost, True), "deployment": project.deployment,
        }
        for column in _BOOLEAN_COLUMNS:
            flag = getattr(project, column)
            if type(flag) is not bool:
                return None
            values[column] = flag
        accepted_before = project.original_project_accepted
        if accepted_before is not None and type(accepted_before) is not bool:
            return None
        values["original_project_accepted"] = accepted_before
        basis = project.special_network_basis
        # Art. 13's consent is the filed document, not the column (ADR 0195), as in `project_facts`.
        legal, consent = project.exception_legal_basis, CONSENT in attached
        if type(basis) is not str or type(legal) is not str:
            return None
        values["special_network_basis"] = basis.strip() or None
        values["exception"] = ({"legal_basis": legal.strip(), "superior_consent": consent}
                               if legal.strip() or consent else None)
        priority = project.priority_basis or []
        if type(priority) is not list or not all(type(p) is str and p in _PRIORITY_BASES for p in priority):
            return None
        values["priority_basis"] = tuple(dict.fromkeys(priority))
        materials = frozenset(materials_present(project, texts=texts, attached=attached))
        if not materials <= _MATERIALS:
            return None
        values["materials"] = materials
        for column in ("approval_date", "procurement_start_date", "work_start_date"):
            day = getattr(project, column)
            if day is not None and type(day) is not dt.date:
                return None
            values[column] = day or None
        for column in _MONTH_COLUMNS:
            months = getattr(project, column)
            if months is not None and (type(months) is not int or months < 0):
                return None
            values[column] = months
    except _Unsure:
        return None
    facts = _new_facts(Facts)
    facts.__dict__ = values  # as parse_facts does: every field is set above
    return facts


@dataclass
class Move:
    count: int = 0
    amount: Decimal = Decimal("0")

    def add(self, amount: Decimal) -> None:
        self.count += 1
        self.amount += amount


@dataclass
class WhatIfResult:
    candidate: dict[str, Any]
    assessed: int = 0
    failed: list[dict[str, Any]] = field(default_factory=list)
    changed: list[dict[str, Any]] = field(default_factory=list)
    path_moves: dict[tuple[str, str], Move] = field(default_factory=lambda: defaultdict(Move))
    support_moves: dict[tuple[str, str], Move] = field(default_factory=lambda: defaultdict(Move))
    before: dict[str, Move] = field(default_factory=lambda: defaultdict(Move))
    after: dict[str, Move] = field(default_factory=lambda: defaultdict(Move))

    def as_dict(self) -> dict[str, Any]:
        paths = {k: str(v) for k, v in ReviewPath.choices}
        supports = {k: str(v) for k, v in Support.choices}

        def moves(table: dict[tuple[str, str], Move], labels: dict[str, str]) -> list[dict[str, Any]]:
            return [{"from": a, "to": b, "from_label": labels.get(a, a), "to_label": labels.get(b, b),
                     "count": m.count, "amount": str(m.amount)} for (a, b), m in sorted(table.items())]

        def totals(table: dict[str, Move]) -> list[dict[str, Any]]:
            return [{"path": k, "label": paths.get(k, k), "count": m.count, "amount": str(m.amount)}
                    for k, m in sorted(table.items())]

        changed = [{**c, "path_now_label": paths.get(c["path_now"], c["path_now"]),
                    "path_then_label": paths.get(c["path_then"], c["path_then"]),
                    "support_now_label": supports.get(c["support_now"], c["support_now"]),
                    "support_then_label": supports.get(c["support_then"], c["support_then"])} for c in self.changed]
        return {
            "candidate": self.candidate, "assessed": self.assessed, "failed": self.failed[:200],
            "failed_count": len(self.failed), "changed_count": len(self.changed), "changed": changed,
            "path_moves": moves(self.path_moves, paths), "support_moves": moves(self.support_moves, supports),
            "before": totals(self.before), "after": totals(self.after),
        }


def whatif_compare(pairs: Iterable[tuple[Any, dict[str, Any] | Facts]], candidate: Candidate,
                   progress: Callable[[int], None] | None = None) -> WhatIfResult:
    """The comparison itself: pure apart from reading the pairs it is given."""
    current = default_registry()
    target_id = candidate.ruleset.id
    result = WhatIfResult(candidate=candidate.describe())
    for index, (project, facts) in enumerate(pairs, start=1):
        if progress and index % CHUNK == 0:
            progress(index)
        try:
            parsed = facts if type(facts) is Facts else parse_facts(facts)
        except FactsError as exc:
            result.failed.append({"id": project.pk, "code": project.code, "errors": exc.errors[:3]})
            continue
        now = assess(parsed, current)
        then = assess(parsed, candidate.registry, ruleset_id=target_id)
        amount = project.construction_cost
        result.assessed += 1
        result.before[now.review_path].add(amount)
        result.after[then.review_path].add(amount)
        path_moved = now.review_path != then.review_path
        support_moved = now.support != then.support
        if path_moved:
            result.path_moves[(now.review_path, then.review_path)].add(amount)
        if support_moved:
            result.support_moves[(now.support, then.support)].add(amount)
        if path_moved or support_moved:
            result.changed.append({
                "id": project.pk, "code": project.code, "name": project.name, "unit": project.unit.name,
                "construction_cost": str(amount), "ruleset_now": now.ruleset_id,
                "path_now": now.review_path, "path_then": then.review_path,
                "support_now": now.support, "support_then": then.support,
            })
    if progress:
        progress(result.assessed + len(result.failed))
    return result


def whatif_run(*, user: User, candidate: Candidate, progress: Callable[[int], None] | None = None) -> WhatIfResult:
    return whatif_compare(project_facts_bulk(whatif_projects(user)), candidate, progress)
