"""Art. 36 (and 19): a county bureau runs its county's projects with its own settings. It adopts the
prefecture's rule set (no row) or registers its own: a rule-set file validated by the policy loader,
kept in the local rule-set folder the policy registry reads (the first folder named in
TONGCHOU_RULESETS_DIR), and a `JurisdictionRuleset` row naming it. `ruleset_for(project)` is the one
answer to "which rule set assesses this project", asked by `projects/assessing.py` (ADR 0102)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from tongchou.accounts.models import BUREAU_ROLES, Level, OrgKind
from tongchou.audit.services import audit_record
from tongchou.core_errors import Conflict, DomainError
from tongchou.portfolio.models import JurisdictionRuleset, LocalRuleset

ARTICLE = "第十九条、第三十六条"
MAX_RULESET_BYTES = 256 * 1024


def _registry() -> Any:
    from tongchou.policy import default_registry

    return default_registry()


def _reload_registry() -> Any:
    from tongchou.policy.registry import reload_default_registry

    return reload_default_registry()


def local_rulesets_dir() -> Path | None:
    """Where uploaded rule sets are written: the first folder of TONGCHOU_RULESETS_DIR, as the policy
    registry read it (so the registry and the uploads always agree)."""
    from tongchou.policy.registry import configured_dirs

    return next(iter(configured_dirs()), None)


def _county_bureau_jurisdiction(actor: Any) -> str:
    org = getattr(actor, "organisation", None)
    if org is None or actor.role not in BUREAU_ROLES or org.kind != OrgKind.BUREAU or org.level != Level.COUNTY:
        raise DomainError("只有县市数字化发展局可以设置本县市适用的规则集（第三十六条）。", code="forbidden",
                          article="第三十六条", status=403)
    return str(org.jurisdiction)


def _prefecture_ruleset_id(application_date: date) -> str | None:
    """The prefecture's rule set for the date, ignoring the counties' own (which may be newer and would
    otherwise be picked by date for everyone). None: the registry's own choice is the prefecture's."""
    local = set(LocalRuleset.objects.values_list("ruleset_id", flat=True))
    if not local:
        return None
    from tongchou.policy import Registry

    registry = _registry()
    prefecture = [r for r in registry.rulesets if r.id not in local]
    if not prefecture:
        return None
    ruleset, _in_force = Registry(prefecture).select(application_date)
    return str(ruleset.id)


def ruleset_for(project: Any) -> str | None:
    """The rule-set id to assess this project under, or None for the registry's choice by date."""
    unit = getattr(project, "unit", None)
    if project.level == Level.COUNTY and unit is not None:
        chosen = JurisdictionRuleset.objects.filter(jurisdiction=unit.jurisdiction).values_list(
            "ruleset_id", flat=True).first()
        if chosen:
            if chosen not in {r.id for r in _registry().rulesets}:
                _reload_registry()  # uploaded in another process since this one loaded the registry
            return str(chosen)
    return _prefecture_ruleset_id(project.application_date or timezone.localdate())


def jurisdiction_ruleset_set(*, ruleset_id: str | None, actor: Any) -> JurisdictionRuleset | None:
    """The county adopts a registered rule set (its own or another), or the prefecture's (None)."""
    jurisdiction = _county_bureau_jurisdiction(actor)
    with transaction.atomic():
        current = JurisdictionRuleset.objects.select_for_update().filter(jurisdiction=jurisdiction).first()
        previous = current.ruleset_id if current else None
        if not ruleset_id:
            if current is not None:
                current.delete()
            audit_record(event="portfolio.jurisdiction_ruleset_set", actor=actor, target=None,
                         data={"jurisdiction": jurisdiction, "ruleset": None, "previous": previous})
            return None
        known = {r.id for r in _registry().rulesets}
        if ruleset_id not in known:
            raise DomainError(f"规则集「{str(ruleset_id)[:60]}」未登记。", code="unknown_ruleset", field="ruleset_id",
                              article="第三十六条", hint=f"已登记的规则集：{'、'.join(sorted(known))}。")
        owner = LocalRuleset.objects.filter(ruleset_id=ruleset_id).values_list("jurisdiction", flat=True).first()
        if owner is not None and owner != jurisdiction:
            raise DomainError(f"规则集「{ruleset_id}」是{owner}的规则集，不能选用。", code="forbidden",
                              field="ruleset_id", article="第三十六条", status=403)
        if current is None:
            current = JurisdictionRuleset(jurisdiction=jurisdiction)
        current.ruleset_id = ruleset_id
        current.set_by = actor
        current.set_at = timezone.now()
        current.save()
        audit_record(event="portfolio.jurisdiction_ruleset_set", actor=actor, target=current,
                     data={"jurisdiction": jurisdiction, "ruleset": ruleset_id, "previous": previous})
    return current


_SAFE_NAME = re.compile(r"[^a-z0-9._-]")


def local_ruleset_upload(*, file_name: str, data: bytes, actor: Any, adopt: bool = True) -> LocalRuleset:
    """Validates the YAML with the policy loader and against the registry (unique id, no two rule sets
    starting the same day), writes it to the local rule-set folder and, by default, adopts it."""
    from tongchou.policy import Registry, RulesetError
    from tongchou.policy.ruleset import parse_ruleset

    jurisdiction = _county_bureau_jurisdiction(actor)
    folder = local_rulesets_dir()
    if folder is None or not folder.is_dir():
        raise DomainError("系统未配置县市规则集目录（环境变量 TONGCHOU_RULESETS_DIR），暂不能上传规则集。",
                          code="no_rulesets_dir", article="第三十六条", status=503,
                          hint="请联系系统管理员配置规则集目录后再上传。")
    if not isinstance(data, bytes | bytearray) or not data:
        raise DomainError("请上传规则集文件（YAML）。", code="required", field="file")
    if len(data) > MAX_RULESET_BYTES:
        raise DomainError("规则集文件过大（上限 256 KB）。", code="too_large", field="file")
    display = Path(str(file_name or "ruleset.yaml")).name[:160]
    try:
        ruleset = parse_ruleset(bytes(data), display)
    except RulesetError as exc:
        raise DomainError(f"规则集文件有误：{exc}", code="invalid_ruleset", field="file", article="第三十六条",
                          hint="请对照州规则集（changji-2025-trial.yaml）修改后重新上传。") from None
    registry = _registry()
    if ruleset.id in {r.id for r in registry.rulesets}:
        raise Conflict(f"规则集 id「{ruleset.id}」已登记，修订版请使用新的 id。", code="duplicate", field="file",
                       article="第三十六条")
    try:
        Registry([*registry.rulesets, ruleset])
    except RulesetError as exc:
        raise DomainError(f"规则集不能登记：{exc}", code="invalid_ruleset", field="file", article="第三十六条",
                          hint="各规则集的生效日期（valid_from）须互不相同。") from None
    target = folder / f"{_SAFE_NAME.sub('-', ruleset.id)}.yaml"
    if target.exists():
        raise Conflict(f"规则集文件「{target.name}」已存在。", code="duplicate", field="file")
    from tongchou.documents.storage import write_atomic

    try:
        with transaction.atomic():
            record = LocalRuleset.objects.create(
                ruleset_id=ruleset.id, jurisdiction=jurisdiction, file_name=display, sha256=ruleset.sha256,
                uploaded_by=actor, uploaded_at=timezone.now())
            audit_record(event="portfolio.ruleset_upload", actor=actor, target=record,
                         data={"jurisdiction": jurisdiction, "ruleset": ruleset.id, "sha256": ruleset.sha256,
                               "valid_from": ruleset.valid_from_iso})
            if adopt:
                current = JurisdictionRuleset.objects.select_for_update().filter(jurisdiction=jurisdiction).first()
                current = current or JurisdictionRuleset(jurisdiction=jurisdiction)
                previous = current.ruleset_id or None
                current.ruleset_id, current.set_by, current.set_at = ruleset.id, actor, timezone.now()
                current.save()
                audit_record(event="portfolio.jurisdiction_ruleset_set", actor=actor, target=current,
                             data={"jurisdiction": jurisdiction, "ruleset": ruleset.id, "previous": previous})
            write_atomic(target, bytes(data))  # last: a refused row leaves no file for the registry to read
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    _reload_registry()
    return record
