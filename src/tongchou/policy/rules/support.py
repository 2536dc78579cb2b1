"""Whether the project is supported (Art. 11, 12, 13)."""

from __future__ import annotations

from tongchou.policy.assessment import BLOCK, INFO, WARN, Assessment, Finding
from tongchou.policy.facts import Facts
from tongchou.policy.ruleset import RuleSet
from tongchou.policy.vocabulary import DEPLOYMENT_NAMES, PROJECT_TYPE_NAMES

ART11 = "第十一条"
ART12 = "第十二条"
ART13 = "第十三条"


def _item(n: str) -> str:
    return f"{ART12}第（{n}）项"


def _flags(facts: Facts, names: tuple[str, ...], bad: tuple[bool, ...]) -> str:
    return "、".join(f"{n}: {'true' if getattr(facts, n) else 'false'}" for n, b in zip(names, bad, strict=True) if b)


def lacks_network_basis(facts: Facts) -> bool:
    """Self-hosted, or on a special network without the national rule Art. 7 requires for that."""
    if facts.deployment == "self_hosted":
        return True
    return facts.deployment == "special_network" and not (facts.special_network_basis or "").strip()


def art12(facts: Facts, ruleset: RuleSet) -> list[Finding]:
    """The eight situations of Art. 12 (不予支持), each a finding of its own."""
    found: list[Finding] = []
    add = found.append
    classified = facts.classified
    if not classified and (facts.builds_standalone_infrastructure or facts.buys_server_hardware):
        what = []
        if facts.builds_standalone_infrastructure:
            what.append("单独新建或扩建非涉密机房、数据中心、云平台及公共支撑、数据资源（builds_standalone_infrastructure: true）")
        if facts.buys_server_hardware:
            what.append("新增采购非涉密服务器、存储设备、服务端网络设备（buys_server_hardware: true）")
        add(Finding("ART12-1", BLOCK, _item("一"), f"非涉密项目{'，并'.join(what)}：属{_item('一')}所列情形，原则上不予支持。",
                    {"classified": False, "builds_standalone_infrastructure": facts.builds_standalone_infrastructure,
                     "buys_server_hardware": facts.buys_server_hardware}))
    if facts.leases_internet_line or facts.leases_unintegrated_private_network:
        what = []
        if facts.leases_internet_line:
            what.append("单独租赁互联网出口线路（leases_internet_line: true）")
        if facts.leases_unintegrated_private_network:
            what.append("租赁未整合到电子政务内网或外网的专网（leases_unintegrated_private_network: true）")
        add(Finding("ART12-2", BLOCK, _item("二"), f"项目{'，并'.join(what)}：属{_item('二')}所列情形，原则上不予支持。",
                    {"leases_internet_line": facts.leases_internet_line,
                     "leases_unintegrated_private_network": facts.leases_unintegrated_private_network}))
    if (not classified and facts.project_type in ruleset.parameters.construction_project_types
            and lacks_network_basis(facts)):
        where = DEPLOYMENT_NAMES[facts.deployment]
        extra = "，且未给出必须在专网运行的国家规定（special_network_basis 为空，第七条的例外不成立）" if facts.deployment == "special_network" else ""
        add(Finding("ART12-3", BLOCK, _item("三"),
                    f"非涉密{PROJECT_TYPE_NAMES[facts.project_type]}项目（project_type: {facts.project_type}）部署于{where}"
                    f"（deployment: {facts.deployment}）{extra}，不在政务云部署：属{_item('三')}所列情形，原则上不予支持（另见第五条、第七条）。",
                    {"classified": False, "project_type": facts.project_type, "deployment": facts.deployment,
                     "special_network_basis": facts.special_network_basis}))
    if not facts.key_components_compliant:
        add(Finding("ART12-4", BLOCK, _item("四"),
                    f"软硬件产品关键部件不符合相关测评要求（key_components_compliant: false）：属{_item('四')}所列情形，原则上不予支持。",
                    {"key_components_compliant": False}))
    if not facts.crypto_compliant or facts.major_security_risk:
        names = ("crypto_compliant", "major_security_risk")
        add(Finding("ART12-5", BLOCK, _item("五"),
                    f"项目不符合密码应用或网络安全保密要求，或存在重大安全保密隐患（"
                    f"{_flags(facts, names, (not facts.crypto_compliant, facts.major_security_risk))}）：属{_item('五')}所列情形，原则上不予支持。",
                    {"crypto_compliant": facts.crypto_compliant, "major_security_risk": facts.major_security_risk}))
    if facts.obsolete_technology:
        add(Finding("ART12-6", BLOCK, _item("六"),
                    f"技术路线落后，属淘汰产品或高耗能产品（obsolete_technology: true）：属{_item('六')}所列情形，原则上不予支持。",
                    {"obsolete_technology": True}))
    if not (facts.goals_clear and facts.internal_integration_done and facts.data_sharing_done):
        names3 = ("goals_clear", "internal_integration_done", "data_sharing_done")
        bad = (not facts.goals_clear, not facts.internal_integration_done, not facts.data_sharing_done)
        add(Finding("ART12-7", BLOCK, _item("七"),
                    f"需求或绩效目标不明确、内部系统整合不到位或数据共享要求落实不到位（{_flags(facts, names3, bad)}）："
                    f"属{_item('七')}所列情形，原则上不予支持。",
                    {"goals_clear": facts.goals_clear, "internal_integration_done": facts.internal_integration_done,
                     "data_sharing_done": facts.data_sharing_done}))
    if facts.project_type in ("rebuild", "expand"):
        accepted = facts.original_project_accepted
        kind = PROJECT_TYPE_NAMES[facts.project_type]
        if accepted is False:
            add(Finding("ART12-8", BLOCK, _item("八"),
                        f"{kind}项目的原项目尚未竣工验收（original_project_accepted: false）：属{_item('八')}所列情形，原则上不予支持。",
                        {"project_type": facts.project_type, "original_project_accepted": False}))
        elif accepted is None:
            add(Finding("ART12-8", WARN, _item("八"),
                        f"{kind}项目未说明原项目是否已竣工验收（original_project_accepted: null）：依{_item('八')}，"
                        "原项目尚未竣工验收的升级改造类项目原则上不予支持，请补充原项目竣工验收情况。",
                        {"project_type": facts.project_type, "original_project_accepted": None}))
    return found


_ART12_CACHE: dict[tuple[object, ...], tuple[list[Finding], list[str]]] = {}


def art12_findings(facts: Facts, ruleset: RuleSet) -> tuple[list[Finding], list[str]]:
    """Art. 12 findings and their blocking codes, memoised on exactly the facts Art. 12 reads.

    Projects repeat the same combinations of these flags, and composing the Chinese messages is the
    costliest part of an assessment, so equal inputs share one (read-only) list of findings.
    """
    key = (
        ruleset.sha256, facts.classified, facts.builds_standalone_infrastructure, facts.buys_server_hardware,
        facts.leases_internet_line, facts.leases_unintegrated_private_network, facts.project_type, facts.deployment,
        facts.special_network_basis, facts.key_components_compliant, facts.crypto_compliant,
        facts.major_security_risk, facts.obsolete_technology, facts.goals_clear, facts.internal_integration_done,
        facts.data_sharing_done, facts.original_project_accepted,
    )
    hit = _ART12_CACHE.get(key)
    if hit is None:
        found = art12(facts, ruleset)
        hit = (found, [f.code for f in found if f.severity == BLOCK])
        if len(_ART12_CACHE) >= 4096:
            _ART12_CACHE.clear()
        _ART12_CACHE[key] = hit
    return hit


def support(facts: Facts, ruleset: RuleSet, result: Assessment) -> None:
    found, blocks = art12_findings(facts, ruleset)
    result.findings.extend(found)
    if blocks:
        exception = facts.exception
        listed = "、".join(blocks)
        if exception is not None:
            basis = (exception["legal_basis"] or "").strip()
            consent = exception["superior_consent"] is True
            if basis and consent:
                result.support = "conditional"
                message = (
                    f"项目存在{ART12}所列情形（{listed}），但提供了法律依据（{basis}）和上一级业务主管部门书面同意："
                    f"依{ART13}，可有条件支持，请随申报材料提交证明材料。"
                )
                result.findings.append(Finding("ART13-EXCEPTION", INFO, ART13, message,
                                               {"blocks": blocks, "legal_basis": basis, "superior_consent": True}))
                result.articles["support"] = ART13
                return
            lacking = []
            if not basis:
                lacking.append("明确的法律依据（exception.legal_basis 为空）")
            if not consent:
                lacking.append("上一级业务主管部门书面同意（exception.superior_consent 不为 true）")
            result.findings.append(Finding(
                "ART13-INCOMPLETE", WARN, ART13,
                f"项目存在{ART12}所列情形（{listed}）并主张例外，但缺少{'和'.join(lacking)}：{ART13}要求两者兼备，"
                "例外不成立，请补齐后重新提交。",
                {"blocks": blocks, "legal_basis": exception["legal_basis"],
                 "superior_consent": exception["superior_consent"]}))
        result.support = "not_supported"
        result.articles["support"] = f"{ART12}、{ART13}" if exception is not None else ART12
        return
    if facts.priority_basis:
        result.support = "priority"
        result.articles["support"] = ART11
    else:
        result.support = "normal"
        result.articles["support"] = f"{ART11}、{ART12}"
