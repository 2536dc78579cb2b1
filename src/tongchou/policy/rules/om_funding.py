"""O&M money: the 10 % guide and whether O&M funding may be granted (Art. 24, 29, 30)."""

from __future__ import annotations

from decimal import Decimal, localcontext

from tongchou.policy.assessment import BLOCK, WARN, Assessment, Finding, json_money
from tongchou.policy.facts import Facts
from tongchou.policy.rules.support import lacks_network_basis
from tongchou.policy.rules.wording import yuan
from tongchou.policy.ruleset import RuleSet
from tongchou.policy.vocabulary import DEPLOYMENT_NAMES

ART24 = "第二十四条"
ART30 = "第三十条"


def _ratio(value: int | Decimal) -> tuple[int, int]:
    return (value, 1) if type(value) is int else value.as_integer_ratio()


def exceeds_share(part: int | Decimal, whole: int | Decimal, share: Decimal) -> bool:
    """part > share × whole, exactly (integer arithmetic; no rounding at any magnitude)."""
    part_n, part_d = _ratio(part)
    whole_n, whole_d = _ratio(whole)
    share_n, share_d = share.as_integer_ratio()
    return part_n * share_d * whole_d > share_n * whole_n * part_d


def _percent(part: int | Decimal, whole: int | Decimal) -> str:
    try:
        return f"{float(part) / float(whole) * 100:.1f}"
    except (OverflowError, ZeroDivisionError):  # pragma: no cover — astronomically large money
        return "极高"


def om_cap(facts: Facts, ruleset: RuleSet, result: Assessment) -> None:
    om = facts.annual_om_cost
    cost = facts.construction_cost
    if om is None or not cost > 0:
        return
    ratio = ruleset.parameters.om_cost_cap_ratio
    if not exceeds_share(om, cost, ratio):
        return
    article = ruleset.article("om_cost_cap_ratio")
    with localcontext() as exact:
        exact.prec = 200
        cap = ratio * cost
    result.findings.append(Finding(
        "ART29-OM-CAP", WARN, article,
        f"年度运维经费 {yuan(om)}（annual_om_cost）为建设成本 {yuan(cost)}（construction_cost）的 {_percent(om, cost)}%，"
        f"超过{article}“一般不超过建设成本的{(ratio * 100).normalize():f}%”（上限 {yuan(cap)}）。",
        {"annual_om_cost": json_money(om), "construction_cost": json_money(cost),
         "om_cost_cap_ratio": json_money(ratio), "cap": json_money(cap)}))


def om_funding(facts: Facts, ruleset: RuleSet, result: Assessment) -> None:
    if not facts.requests_om_funding:
        result.om_funding = None
        return
    reasons: list[Finding] = []
    if not facts.accepted:
        reasons.append(Finding(
            "ART24-NOT-ACCEPTED", BLOCK, ART24,
            f"项目尚未通过竣工验收（accepted: false）：依{ART24}，未经过竣工验收的项目不得安排运维经费。",
            {"accepted": False}))
    if not facts.data_sharing_done or facts.duplicate_data_collection:
        what = []
        if not facts.data_sharing_done:
            what.append("未按要求共享数据资源（data_sharing_done: false）")
        if facts.duplicate_data_collection:
            what.append("重复采集数据（duplicate_data_collection: true）")
        reasons.append(Finding(
            "ART30-1", BLOCK, f"{ART30}第（一）项",
            f"项目{'，并'.join(what)}：依{ART30}第（一）项，原则上不安排运维经费。",
            {"data_sharing_done": facts.data_sharing_done, "duplicate_data_collection": facts.duplicate_data_collection}))
    if not facts.crypto_compliant or facts.major_security_risk:
        what = []
        if not facts.crypto_compliant:
            what.append("不符合密码应用和网络安全要求（crypto_compliant: false）")
        if facts.major_security_risk:
            what.append("存在重大安全隐患（major_security_risk: true）")
        reasons.append(Finding(
            "ART30-2", BLOCK, f"{ART30}第（二）项",
            f"项目{'，并'.join(what)}：依{ART30}第（二）项，原则上不安排运维经费。",
            {"crypto_compliant": facts.crypto_compliant, "major_security_risk": facts.major_security_risk}))
    if not facts.classified and lacks_network_basis(facts):
        extra = "（专网运行未给出国家规定依据）" if facts.deployment == "special_network" else ""
        reasons.append(Finding(
            "ART30-3", BLOCK, f"{ART30}第（三）项",
            f"非涉密系统部署于{DEPLOYMENT_NAMES[facts.deployment]}（deployment: {facts.deployment}）{extra}，"
            f"未依托政务网络和政务云承载：依{ART30}第（三）项，原则上不安排运维经费。",
            {"classified": False, "deployment": facts.deployment, "special_network_basis": facts.special_network_basis}))
    result.findings.extend(reasons)
    codes = [f.code for f in reasons]
    result.om_funding = {"eligible": not codes, "reasons": codes}
    result.articles["om_funding"] = f"{ART24}、第二十九条、{ART30}"
