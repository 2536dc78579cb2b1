"""Who is told: the responsible organisation's people, and the bureau that watches the project."""

from __future__ import annotations

from tongchou.accounts.models import ADMIN_ROLES, BUREAU_ROLES, Level, Organisation, OrgKind, Role, User


def bureau_for(org: Organisation) -> Organisation | None:
    """A county's projects are watched by that county's bureau (Art. 19, 36); everything else by the
    prefecture's (parks included, Art. 36)."""
    if org.level == Level.COUNTY and org.jurisdiction:
        county = Organisation.objects.filter(kind=OrgKind.BUREAU, jurisdiction=org.jurisdiction).first()
        if county is not None:
            return county
    return Organisation.objects.filter(kind=OrgKind.BUREAU, level=Level.PREFECTURE).order_by("id").first()


def responsible_users(org: Organisation) -> list[User]:
    return list(
        User.objects.filter(organisation=org, is_active=True)
        .exclude(role__in=[*ADMIN_ROLES, Role.EXPERT])
        .order_by("id")
    )


def bureau_users(org: Organisation) -> list[User]:
    bureau = bureau_for(org)
    if bureau is None:
        return []
    return list(User.objects.filter(organisation=bureau, role__in=BUREAU_ROLES, is_active=True).order_by("id"))
