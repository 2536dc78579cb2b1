"""Art. 23 applied to one contract. Pure: the thresholds come in as an argument."""

from __future__ import annotations

from dataclasses import dataclass

from tongchou.delivery.seams import ContractThresholds


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str  # block | warn
    article: str
    message: str
    field: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "severity": self.severity, "article": self.article,
                "message": self.message, "field": self.field}


def check_contract(
    *, kind: str, construction_period_months: int | None, free_om_months: int | None, term_months: int | None,
    limits: ContractThresholds,
) -> list[Finding]:
    found: list[Finding] = []
    if kind == "development":
        if construction_period_months is None:
            found.append(Finding("ART23-PERIOD-MISSING", "block", "第二十三条",
                                 "建设开发类合同须写明建设周期（第二十三条：不应超过三年）。", "construction_period_months"))
        elif construction_period_months > limits.max_construction_period:
            found.append(Finding(
                "ART23-CONSTRUCTION-PERIOD", "block", "第二十三条",
                f"合同约定的建设周期为{construction_period_months}个月，超过第二十三条规定的"
                f"{limits.max_construction_period}个月（三年）。请调整合同建设周期或分期实施。",
                "construction_period_months"))
        if free_om_months is None or free_om_months < limits.min_free_om_period:
            months = "未约定" if free_om_months is None else f"为{free_om_months}个月"
            found.append(Finding(
                "ART23-FREE-OM", "warn", "第二十三条",
                f"免费运维服务期{months}，少于第二十三条“原则上不少于一年”（{limits.min_free_om_period}个月）的要求，"
                "请在合同中补充或书面说明理由。", "free_om_months"))
    elif kind == "equipment":
        if term_months is None or term_months < limits.min_hardware_term:
            months = "未约定" if term_months is None else f"为{term_months}个月"
            found.append(Finding(
                "ART23-HARDWARE-TERM", "block", "第二十三条",
                f"硬件采购合同约定的建设运维期{months}，低于第二十三条规定的{limits.min_hardware_term}个月（五年）。"
                "请在合同中约定不少于五年的建设运维期。", "term_months"))
    return found


# 怎么办: what the unit does about each finding, shown beside it on the delivery page.
WHAT_TO_DO = {
    "ART23-PERIOD-MISSING": "在合同中写明建设周期（不超过三年）后重新登记。",
    "ART23-CONSTRUCTION-PERIOD": "与供应商协商把建设周期调整到三年以内，或把项目分期、分别签订合同。",
    "ART23-FREE-OM": "签订补充协议，约定不少于一年的免费运维服务期；确有原因的，书面说明理由并随合同归档。",
    "ART23-HARDWARE-TERM": "在合同中约定不少于五年的建设运维期后重新登记。",
}


def what_to_do(code: str) -> str:
    return WHAT_TO_DO.get(code, "按提示修改合同条款，或书面说明理由并归档。")
