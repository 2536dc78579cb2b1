"""Each member's aspects of review, Art. 14: 各成员单位根据工作职责重点从项目集成共享、安全监管、等级保护、
投资匡算、密码应用、关键部件选型、资金安排等方面提出意见."""

from __future__ import annotations

from tongchou.accounts.models import MemberRole

ASPECTS: dict[str, tuple[tuple[str, str], ...]] = {
    MemberRole.DIGITAL_BUREAU: (("integration_sharing", "项目集成共享"),),
    MemberRole.CRYPTO_BUREAU: (
        ("crypto_application", "密码应用"),
        ("secrecy", "保密"),
        ("key_components", "关键部件选型"),
    ),
    MemberRole.PUBLIC_SECURITY: (("security_supervision", "安全监管"), ("graded_protection", "等级保护")),
    MemberRole.DEVELOPMENT_REFORM: (("investment_estimate", "投资匡算"), ("project_approval", "立项")),
    MemberRole.FINANCE: (("funding", "资金安排"),),
}

# The order members appear in rounds, pages and the consolidated opinion (the bureau leads, Art. 14).
MEMBER_ORDER: tuple[str, ...] = (
    MemberRole.DIGITAL_BUREAU,
    MemberRole.CRYPTO_BUREAU,
    MemberRole.PUBLIC_SECURITY,
    MemberRole.DEVELOPMENT_REFORM,
    MemberRole.FINANCE,
)


def aspects_for(member: str) -> tuple[tuple[str, str], ...]:
    return ASPECTS.get(member, ())


def aspect_labels(member: str) -> str:
    return "、".join(label for _, label in aspects_for(member))


def member_label(member: str) -> str:
    return str(MemberRole(member).label)


def task_label(member: str) -> str:
    """A task named by its member and aspects, e.g. "公安局（安全监管·等级保护）": the same project's five tasks
    told apart on a desk (a county bureau writes them all). Without the prefecture prefix: on a county
    project the county bureau reviews these aspects in the member's place."""
    name = member_label(member).removeprefix("州党委").removeprefix("州")
    aspects = "·".join(label for _, label in aspects_for(member))
    return f"{name}（{aspects}）" if aspects else name
