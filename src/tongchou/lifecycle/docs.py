"""docs/lifecycle.md, generated from the transition table so the diagram never drifts from the code."""

from __future__ import annotations

from tongchou.lifecycle.table import TRANSITIONS, mermaid
from tongchou.projects.models import Status


def lifecycle_markdown() -> str:
    rows = [
        f"| `{t.action}` | {t.label} | {'、'.join(str(Status(s).label) for s in t.sources)} | {Status(t.target).label} "
        f"| {'、'.join(t.actors)} | {t.article} |"
        for t in TRANSITIONS
    ]
    return "\n".join(
        [
            "# 项目生命周期 / Project lifecycle",
            "",
            "生成自 `src/tongchou/lifecycle/table.py`（`tongchou lifecycle --write`），请勿手工编辑。",
            "Generated from the transition table; do not edit by hand.",
            "",
            "```mermaid",
            mermaid(),
            "```",
            "",
            "| 操作 | 名称 | 起始状态 | 目标状态 | 操作人 | 依据 |",
            "|---|---|---|---|---|---|",
            *rows,
            "",
            "操作人：unit = 项目建设单位；unit_leader = 单位负责人；authority = 负责审查的数字化发展局（州局，或县市项目的县市局）；",
            "authority_lead = 该局负责人；member:<code> = 联审成员单位（州级和园区项目）；",
            "county_lead = 县市项目的县市数字化发展局负责人（代县市发改、财政登记，第十九条、第三十六条）；system = 后台巡检。",
            "",
        ]
    )
