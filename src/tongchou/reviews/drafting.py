"""Tongchou's draft of the 行业主管部门审查意见, written from the opinions and the expert conclusions
(Art. 14). The bureau edits the text before it is issued; the answers to dissents are appended at
issue time from their own required fields."""

from __future__ import annotations

from decimal import Decimal

from tongchou.accounts.models import MemberRole
from tongchou.reviews.aspects import MEMBER_ORDER, aspects_for, member_label
from tongchou.reviews.models import Conclusion, ExceptionDecision, ReviewPath, ReviewRound

NUMERALS = "一二三四五六七八九十"


def money_text(amount: Decimal) -> str:
    wan = amount / Decimal(10000)
    return f"{wan.quantize(Decimal('0.01')).normalize():f}万元"


def suggested_conclusion(review_round: ReviewRound) -> str:
    conclusions = {o.conclusion for o in review_round.opinions.all()}
    conclusions |= {e.conclusion for e in review_round.expert_conclusions.all()}
    if conclusions <= {Conclusion.AGREE}:
        return Conclusion.AGREE
    return Conclusion.AGREE_WITH_CHANGES


def draft_title(review_round: ReviewRound) -> str:
    return f"关于{review_round.project.name}的行业主管部门审查意见"


def draft_body(review_round: ReviewRound, conclusion: str) -> str:
    project = review_round.project
    opinions = {o.member: o for o in review_round.opinions.all()}
    experts = list(review_round.expert_conclusions.all())
    members = [m for m in MEMBER_ORDER if m in opinions]
    others = "、".join(member_label(m) for m in members if m != MemberRole.DIGITAL_BUREAU)
    how = ("联合会审" if review_round.review_path == ReviewPath.JOINT_REVIEW else "审核")
    intro = (f"你单位报送的《{project.name}》（项目编号：{project.code}）申报材料收悉。根据《昌吉州数字政府项目"
             f"建设管理办法（试行）》第十四条{'' if how == '联合会审' else '、第十六条、第十七条'}规定，"
             f"我局牵头组织{others or '相关成员单位'}{f'及{len(experts)}名信息化专家' if experts else ''}"
             f"对该项目进行了{how}。现将审查意见函告如下：")
    lines = [intro]
    section = 0

    def heading(text: str) -> None:
        nonlocal section
        lines.append(f"{NUMERALS[section]}、{text}")
        section += 1

    heading("成员单位意见")
    for i, member in enumerate(members):
        opinion = opinions[member]
        parts = "；".join(f"{label}：{opinion.comments.get(code, '')}" for code, label in aspects_for(member))
        files = "、".join(a.file.display_name for a in opinion.task.attachments.select_related("file"))
        lines.append(f"（{NUMERALS[i]}）{member_label(member)}意见：{opinion.get_conclusion_display()}。{parts}。"
                     + (f"附件：{files}。" if files else ""))
    if experts:
        heading("专家评审意见")
        for i, expert in enumerate(experts):
            lines.append(f"（{NUMERALS[i % 10]}）专家{expert.expert_name}：{expert.get_conclusion_display()}。"
                         f"{expert.comments}")
    reductions = [(opinions[m], cut) for m in members if (cut := opinions[m].cost_reduction)]
    if reductions:
        heading("投资核减建议")
        for opinion, cut in reductions:
            lines.append(f"{member_label(opinion.member)}建议核减投资{money_text(cut)}，"
                         f"理由：{opinion.reduction_reasons}")
    if review_round.exception:
        heading("关于第十三条例外情形")
        decisions = "；".join(
            f"{member_label(m)}{opinions[m].get_exception_decision_display()}"
            + (f"（{opinions[m].exception_reason}）" if opinions[m].exception_reason else "")
            for m in members if opinions[m].exception_decision
        )
        accepted = all(opinions[m].exception_decision == ExceptionDecision.ACCEPTED for m in members)
        lines.append(f"项目建设单位依据{review_round.exception.get('legal_basis')}申请例外，并提供了上一级业务主管部门"
                     f"书面同意的证明材料。各成员单位意见：{decisions}。"
                     f"{'经综合审查，同意按例外情形予以支持。' if accepted else '部分成员单位不接受例外情形，请项目建设单位据此修改完善。'}")
    heading("审查结论")
    endings = {
        Conclusion.AGREE: "经综合审查，同意该项目按程序报请立项批复。",
        Conclusion.AGREE_WITH_CHANGES: "经综合审查，原则同意该项目，请你单位按照上述意见修改完善后按程序报请立项批复。",
        Conclusion.DISAGREE: "经综合审查，该项目暂不具备立项条件，不予支持。",
    }
    lines.append(endings[Conclusion(conclusion)])
    lines.append("特此函告。")
    return "\n".join(lines)


def dissent_section(review_round: ReviewRound, responses: dict[str, str]) -> tuple[str, list[str]] | None:
    """The section answering each 不同意, appended to the issued document."""
    dissents = [o for o in review_round.opinions.all() if o.conclusion == Conclusion.DISAGREE]
    if not dissents:
        return None
    return ("对成员单位不同意意见的处理", [
        f"{member_label(o.member)}提出不同意意见。处理意见：{responses.get(o.member, '')}"
        for o in sorted(dissents, key=lambda o: MEMBER_ORDER.index(o.member))
    ])
