"""The lifecycle as data: which action moves a project from which states to which, who may take it,
and the article that allows it. `docs/lifecycle.md` is generated from this table (tongchou lifecycle)."""

from __future__ import annotations

from dataclasses import dataclass

from tongchou.projects.models import Status

# Who may act. "unit": the project's own construction unit (applicant or unit leader); "authority":
# the bureau that runs the project's review (the prefecture bureau, or the county bureau for a county
# project, Art. 19/36); "member:<code>": reviewers of that 联合会审 member unit (prefecture and park
# projects); "county_lead": a county project's county bureau lead in the deciding member's place
# (`permissions.records_member_decision`); "system": the worker.
UNIT = "unit"
UNIT_LEADER = "unit_leader"
AUTHORITY = "authority"
AUTHORITY_LEAD = "authority_lead"
SYSTEM = "system"
# A county project's county bureau lead, recording the county's own 发改/财政 decisions (Art. 19, 36).
COUNTY_LEAD = "county_lead"


def member(code: str) -> str:
    return f"member:{code}"


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: tuple[str, ...]
    target: str
    actors: tuple[str, ...]
    article: str


S = Status
TRANSITIONS: tuple[Transition, ...] = (
    Transition("submit", "提交申报", (S.DRAFT, S.RETURNED), S.SUBMITTED, (UNIT,), "第九条、第十条"),
    Transition("return", "退回补正", (S.SUBMITTED,), S.RETURNED, (AUTHORITY,), "第十条"),
    Transition("start_review", "受理并启动审查", (S.SUBMITTED,), S.UNDER_REVIEW, (AUTHORITY,), "第十四条、第十六条、第十七条"),
    Transition("register_self_procurement", "登记自行组织实施", (S.SUBMITTED,), S.APPROVED, (AUTHORITY,), "第十六条"),
    Transition("issue_opinion", "出具审查意见", (S.UNDER_REVIEW,), S.OPINION_ISSUED, (AUTHORITY_LEAD,), "第十四条"),
    Transition("reject", "不予支持", (S.SUBMITTED, S.UNDER_REVIEW, S.OPINION_ISSUED), S.NOT_SUPPORTED, (AUTHORITY_LEAD,), "第十二条"),
    Transition("approve", "立项批复", (S.OPINION_ISSUED,), S.APPROVED, (member("development_reform"), COUNTY_LEAD), "第十四条第（四）项"),
    Transition("file", "报备", (S.APPROVED,), S.FILED, (UNIT,), "第十八条"),
    Transition("start_procurement", "启动政府采购", (S.FILED,), S.PROCUREMENT, (UNIT,), "第二十一条、第二十六条"),
    Transition("start_implementation", "签订合同并开始实施", (S.PROCUREMENT,), S.IMPLEMENTATION, (UNIT,), "第二十条、第二十三条"),
    Transition("start_trial", "进入试运行", (S.IMPLEMENTATION,), S.TRIAL_OPERATION, (UNIT,), "第二十四条"),
    Transition("apply_acceptance", "申请竣工验收", (S.TRIAL_OPERATION,), S.ACCEPTANCE_APPLIED, (UNIT,), "第二十四条"),
    Transition("accept", "通过竣工验收", (S.ACCEPTANCE_APPLIED,), S.ACCEPTED, (member("development_reform"), COUNTY_LEAD), "第二十四条"),
    Transition("start_operations", "转入运维", (S.ACCEPTED,), S.OPERATING, (UNIT,), "第二十四条、第三十条"),
    Transition("retire", "退役", (S.OPERATING,), S.RETIRED, (UNIT, AUTHORITY), "第三十五条"),
    Transition("withdraw", "撤回", (S.DRAFT, S.SUBMITTED, S.RETURNED, S.UNDER_REVIEW), S.WITHDRAWN, (UNIT,), "第九条"),
    Transition("lapse", "批复失效", (S.APPROVED, S.FILED), S.LAPSED, (SYSTEM, AUTHORITY), "第二十六条"),
    Transition("mark_emergency", "登记为紧急项目", (S.DRAFT, S.SUBMITTED), S.EMERGENCY, (AUTHORITY,), "第三十四条"),
)

BY_ACTION: dict[str, Transition] = {t.action: t for t in TRANSITIONS}


def available_actions(status: str) -> list[Transition]:
    return [t for t in TRANSITIONS if status in t.sources]


def mermaid() -> str:
    """The state diagram, generated from the table (docs/lifecycle.md embeds this text)."""
    lines = ["stateDiagram-v2"]
    for t in TRANSITIONS:
        for source in t.sources:
            lines.append(f"    {source} --> {t.target}: {t.label}（{t.article}）")
    return "\n".join(lines)
