"""Split (Art. 8) and overlap (Art. 3, 5) detection on a call: the pure engine of `demand.splits` fed
with the call's needs, the register's projects and the system inventory.

`need_warnings` is the applicant's live check while typing; `call_findings_compute` is the bureau's
full run over the call, stored on the call (recomputed on demand) so the page does not rerun it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from tongchou.accounts.models import User
from tongchou.audit.services import audit_record
from tongchou.demand.models import Call, Need
from tongchou.demand.splits import RecordError, detect, find_similar, parse_record
from tongchou.demand.splits.review_path import PATH_LABELS
from tongchou.projects.models import MaterialKind, Project, Status
from tongchou.projects.selectors import projects_visible_to

DEAD = (Status.WITHDRAWN, Status.NOT_SUPPORTED, Status.LAPSED, Status.RETIRED)
TEXT_KINDS = (MaterialKind.BASIC_INFO, MaterialKind.TECHNICAL_PLAN)


def need_record(need: Need, year: int) -> dict[str, Any]:
    return {"id": f"need-{need.pk}", "unit": need.unit.name, "year": year, "name": need.name,
            "description": need.description or need.name, "construction_cost": float(need.estimated_cost),
            "category": need.category}


def project_records(projects: Iterable[Project]) -> list[dict[str, Any]]:
    out = []
    for p in projects:
        texts = [m.text for m in p.materials.all() if m.kind in TEXT_KINDS and m.text]
        out.append({"id": f"project-{p.pk}", "unit": p.unit.name, "year": p.year, "name": p.name,
                    "description": "\n".join(texts) or p.name, "construction_cost": float(p.construction_cost),
                    "category": p.category, "classified": p.classified})
    return out


def _register(user: User) -> Any:
    return (projects_visible_to(user).exclude(status__in=DEAD).exclude(demand_needs__isnull=False)
            .select_related("unit").prefetch_related("materials"))


def need_warnings(*, user: User, call: Call, data: dict[str, Any], exclude_need: int | None = None) -> list[dict]:
    """The live warning beside the need form: the unit's own needs in this call and its register projects
    of years Y−1..Y that the typed need looks like a piece of (ART8-SPLIT), plus running systems alike."""
    org = user.organisation
    if org is None:
        return []
    try:
        cost = float(str(data.get("estimated_cost") or 0).replace(",", ""))
    except ValueError:
        cost = 0.0
    description = "\n".join(str(data.get(k) or "") for k in ("goals", "content", "technical_route")).strip()
    name = str(data.get("name") or "").strip()
    if not name or not description:
        return []
    candidate = {"id": "candidate", "unit": org.name, "year": call.year, "name": name, "description": description,
                 "construction_cost": max(cost, 0.0), "category": str(data.get("category") or "development")}
    try:
        parse_record(candidate)
    except RecordError:
        return []
    own = call.needs.filter(unit=org).select_related("unit")  # not the call: its stored findings are large
    if exclude_need:
        own = own.exclude(pk=exclude_need)
    corpus = [need_record(n, call.year) for n in own]
    corpus += project_records(_register(user).filter(unit=org, year__gte=call.year - 1, year__lte=call.year))
    labels = {r["id"]: r for r in corpus}
    out = []
    for hit in find_similar(candidate, [*corpus, candidate]):
        if hit["id"] == "candidate" or hit["code"] != "ART8-SPLIT":
            continue
        kind = "本次征集的需求" if hit["id"].startswith("need-") else "项目库中的项目"
        hit["kind"] = kind
        hit["description"] = labels[hit["id"]]["description"]
        hit["message"] = (
            f"与本单位{kind}「{hit['name']}」（{hit['year']}年）相似度 {hit['score']}，疑似同一项目拆分申报。"
            f"合计 {hit['combined_cost']:,.2f} 元，应作为一个项目整体申报，走{hit['review_path_label']}"
            + ("；分开申报会规避更严格的审查" if hit["evades_review"] else "")
            + "（第八条、第十六条）。")
        out.append(hit)
    try:
        from tongchou.delivery.selectors import inventory_overlaps
    except ImportError:  # the inventory is optional for the demand pages
        return out
    for sys_hit in inventory_overlaps(user=user, name=name, description=description, unit=org.name, year=call.year):
        out.append({"code": "ART3-INVENTORY", "message": sys_hit["message"], "name": sys_hit["name"],
                    "score": sys_hit["score"]})
    return out


def _evidence(obj_id: str, needs: dict[str, Need], records: dict[str, dict]) -> dict[str, Any]:
    rec = records[obj_id]
    need = needs.get(obj_id)
    return {"id": obj_id, "kind": "need" if need else "project", "pk": int(obj_id.split("-")[1]),
            "name": rec["name"], "unit": rec["unit"], "year": rec["year"], "cost": rec["construction_cost"],
            "description": rec["description"]}


def call_findings_compute(*, actor: User, call: Call) -> dict[str, Any]:
    """Runs the engine over the call's needs and the register (earlier years too) and over the inventory;
    keeps the groups that involve a need of this call. Stored on the call."""
    needs = {f"need-{n.pk}": n for n in call.needs.select_related("unit")}
    records = [need_record(n, call.year) for n in needs.values()]
    records += project_records(_register(actor).filter(year__lte=call.year))
    by_id = {r["id"]: r for r in records}
    groups = []
    for line in detect(parse_record(r) for r in records):
        if not any(i in needs for i in line["ids"]):
            continue
        line["members"] = [_evidence(i, needs, by_id) for i in line["ids"]]
        line["review_path_label"] = PATH_LABELS.get(line["review_path"], line["review_path"])
        groups.append(line)
    inventory = []
    try:
        from tongchou.delivery.selectors import inventory_overlaps
    except ImportError:
        inventory_overlaps = None  # type: ignore[assignment]
    if inventory_overlaps is not None:
        for key, need in needs.items():
            hits = inventory_overlaps(user=actor, name=need.name, description=need.description, unit=need.unit.name,
                                      year=call.year)
            if hits:
                inventory.append({"need": _evidence(key, needs, by_id), "systems": hits})
    findings = {"groups": groups, "inventory": inventory, "needs": len(needs), "register": len(records) - len(needs)}
    with transaction.atomic():
        locked = Call.objects.select_for_update().get(pk=call.pk)
        locked.findings = findings
        locked.findings_at = timezone.now()
        locked.save(update_fields=["findings", "findings_at"])
        audit_record(event="demand.findings_computed", actor=actor, target=locked,
                     data={"groups": len(groups), "inventory": len(inventory)})
    call.findings, call.findings_at = locked.findings, locked.findings_at
    return findings


FLAG_LABELS = {"ART8-SPLIT": "疑似拆分", "ART3-OVERLAP": "疑似重复建设", "ART3-INVENTORY": "与已运行系统重复"}


def need_flags(call: Call) -> dict[int, list[str]]:
    """need pk → the finding codes it takes part in (from the stored run), for the plan's ranking."""
    flags: dict[int, list[str]] = {}
    for group in (call.findings or {}).get("groups", []):
        for member in group.get("members", []):
            if member["kind"] == "need":
                flags.setdefault(member["pk"], []).append(group["code"])
    for item in (call.findings or {}).get("inventory", []):
        flags.setdefault(item["need"]["pk"], []).append("ART3-INVENTORY")
    return flags
