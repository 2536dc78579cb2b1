"""Reads of calls and needs through the user's role and organisation; another unit's need is a 404."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from tongchou.accounts.models import BUREAU_ROLES, UNIT_ROLES, Level, OrgKind, User
from tongchou.core_errors import NotFound
from tongchou.demand.models import Call, Need


def is_call_bureau(user: User, call: Call) -> bool:
    """The bureau that opened the call (or the prefecture bureau, which oversees every call)."""
    org = user.organisation
    if user.role not in BUREAU_ROLES or org is None or org.kind != OrgKind.BUREAU:
        return False
    return call.bureau_id == org.pk or org.level == Level.PREFECTURE


def _call_scope_for_unit(org) -> Q:
    if org.level == Level.COUNTY:
        return Q(bureau__level=Level.COUNTY, bureau__jurisdiction=org.jurisdiction)
    return Q(bureau__level=Level.PREFECTURE)


def calls_visible_to(user: User) -> QuerySet[Call]:
    if user is None or not user.is_authenticated or user.organisation is None:
        return Call.objects.none()
    org = user.organisation
    qs = Call.objects.select_related("bureau").defer("findings")  # loaded only by the findings page
    if user.role in BUREAU_ROLES and org.kind == OrgKind.BUREAU:
        return qs if org.level == Level.PREFECTURE else qs.filter(bureau=org)
    if user.role in UNIT_ROLES:
        return qs.filter(_call_scope_for_unit(org))
    return Call.objects.none()


def call_get(*, user: User, pk: int) -> Call:
    call = calls_visible_to(user).filter(pk=pk).first()
    if call is None:
        raise NotFound()
    return call


def needs_visible_to(user: User, call: Call) -> QuerySet[Need]:
    qs = call.needs.select_related("unit", "merged_into", "project")
    if is_call_bureau(user, call):
        return qs
    if user.role in UNIT_ROLES and user.organisation_id:
        return qs.filter(unit_id=user.organisation_id)
    return Need.objects.none()


def need_get(*, user: User, call: Call, pk: int) -> Need:
    need = needs_visible_to(user, call).filter(pk=pk).first()
    if need is None:
        raise NotFound()
    return need
