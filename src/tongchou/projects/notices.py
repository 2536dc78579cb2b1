"""Who is told about a project's own steps (in-app notifications, mail on commit via `notifications.notify`)."""

from __future__ import annotations

from typing import Any

from tongchou.accounts.models import BUREAU_ROLES, Level, OrgKind, User
from tongchou.notifications.models import Kind
from tongchou.notifications.services import notify


def authority_bureau_users(project: Any) -> list[User]:
    """The reviewers and lead of the bureau that runs the project's review: the county's bureau for a
    county project, the prefecture bureau for prefecture and park projects (Art. 19, 36). A classified
    project's name reaches only those entitled to see it (ADR 0167)."""
    if project.level == Level.COUNTY:
        bureau = {"organisation__level": Level.COUNTY, "organisation__jurisdiction": project.unit.jurisdiction}
    else:
        bureau = {"organisation__level": Level.PREFECTURE}
    users = User.objects.filter(organisation__kind=OrgKind.BUREAU, role__in=BUREAU_ROLES, is_active=True, **bureau)
    if project.classified:
        users = users.filter(classified_access=True)
    return list(users.order_by("id"))


def notify_project_submitted(project: Any) -> None:
    notify(users=authority_bureau_users(project), kind=Kind.INFO, link=f"/projects/{project.pk}/",
           subject=f"新的项目申报：{project.code}《{project.name}》",
           body=f"{project.unit}已提交申报（第九条、第十条）。请核对材料是否齐全，齐全的受理并启动审查"
                "（第十四条、第十六条、第十七条），不齐全的退回补正。")
