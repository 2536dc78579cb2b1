"""Data interface, no building before approval, contract periods (Art. 7, 9, 23)."""

from __future__ import annotations

from tongchou.policy.assessment import BLOCK, WARN, Assessment, Finding, iso
from tongchou.policy.facts import Facts
from tongchou.policy.ruleset import RuleSet

ART7 = "第七条"
ART9 = "第九条"


def data_interface(facts: Facts, result: Assessment) -> None:
    if not facts.classified and not facts.provides_data_interface:
        result.findings.append(Finding(
            "ART7-DATA-INTERFACE", WARN, ART7,
            f"非涉密项目未提供数据接口（provides_data_interface: false）：依{ART7}，非涉密项目原则上均要提供数据接口。",
            {"classified": False, "provides_data_interface": False}))


def unapproved_start(facts: Facts, result: Assessment) -> None:
    if facts.work_start_date is None and facts.procurement_start_date is None:
        return
    started = [(n, d) for n, d in (("work_start_date", facts.work_start_date),
                                  ("procurement_start_date", facts.procurement_start_date)) if d is not None]
    if not started:
        return
    approval = facts.approval_date
    early = [(n, d) for n, d in started if approval is None or approval > d]
    if not early:
        return
    what = "、".join(f"{n} {d.isoformat()}" for n, d in early)
    if approval is None:
        why = "但尚无立项批复（approval_date 为空）"
    else:
        why = f"早于立项批复日期 approval_date {approval.isoformat()}"
    basis: dict[str, str | None] = {n: d.isoformat() for n, d in early}
    basis["approval_date"] = iso(approval)
    result.findings.append(Finding(
        "ART9-UNAPPROVED-START", BLOCK, ART9,
        f"项目已开始建设或启动采购（{what}），{why}：违反{ART9}“不得未批先建（实施）”。", basis))


def contract_periods(facts: Facts, ruleset: RuleSet, result: Assessment) -> None:
    p = ruleset.parameters
    if facts.category == "development":
        months = facts.construction_period_months
        if months is not None and months > p.max_construction_period:
            article = ruleset.article("max_construction_period")
            result.findings.append(Finding(
                "ART23-CONSTRUCTION-PERIOD", BLOCK, article,
                f"建设开发类项目合同约定的建设周期为 {months} 个月（construction_period_months），超过{article}规定的"
                f" {p.max_construction_period} 个月（三年）上限。",
                {"category": "development", "construction_period_months": months,
                 "max_construction_period": p.max_construction_period}))
        free = facts.free_om_months
        if free is not None and free < p.min_free_om_period:
            article = ruleset.article("min_free_om_period")
            result.findings.append(Finding(
                "ART23-FREE-OM", WARN, article,
                f"建设开发类项目约定的免费运维服务期为 {free} 个月（free_om_months），少于{article}“原则上应约定不少于一年”的"
                f" {p.min_free_om_period} 个月。",
                {"category": "development", "free_om_months": free, "min_free_om_period": p.min_free_om_period}))
    elif facts.category == "equipment":
        term = facts.contract_term_months
        if term is not None and term < p.min_hardware_term:
            article = ruleset.article("min_hardware_term")
            result.findings.append(Finding(
                "ART23-HARDWARE-TERM", BLOCK, article,
                f"硬件采购类项目合同约定的建设运维期为 {term} 个月（contract_term_months），低于{article}规定的"
                f" {p.min_hardware_term} 个月（五年）。",
                {"category": "equipment", "contract_term_months": term, "min_hardware_term": p.min_hardware_term}))
