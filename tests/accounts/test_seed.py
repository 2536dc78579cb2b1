"""The seeded organisation structure is the real one of Changji Prefecture."""

from __future__ import annotations

import pytest

from tongchou.accounts.models import Level, MemberRole, Organisation, OrgKind, Role, User
from tongchou.accounts.seed import seed_demo_users, seed_organisations


@pytest.mark.django_db
def test_the_prefecture_counties_and_parks_are_all_there():
    seed_organisations()
    prefecture = Organisation.objects.filter(level=Level.PREFECTURE, kind=OrgKind.DEPARTMENT)
    assert prefecture.count() >= 25
    assert set(Organisation.objects.exclude(member_role="").values_list("member_role", flat=True)) == set(MemberRole.values)
    counties = ["昌吉市", "阜康市", "呼图壁县", "玛纳斯县", "奇台县", "吉木萨尔县", "木垒哈萨克自治县"]
    for county in counties:
        bureau = Organisation.objects.get(jurisdiction=county, kind=OrgKind.BUREAU)
        assert bureau.level == Level.COUNTY and bureau.name == f"{county}数字化发展局"
        assert Organisation.objects.filter(jurisdiction=county, kind=OrgKind.DEPARTMENT).count() >= 3
    prefixes = set(Organisation.objects.filter(level=Level.COUNTY).values_list("project_code_prefix", flat=True))
    assert len(prefixes) == 7
    for park in ["准东经济技术开发区", "昌吉国家高新技术产业开发区", "昌吉国家农业高新技术产业示范区"]:
        body = Organisation.objects.get(jurisdiction=park)
        assert body.kind == OrgKind.PARK_BODY and body.level == Level.PARK and body.project_code_prefix


@pytest.mark.django_db
def test_seeding_twice_adds_nothing_and_every_role_has_a_demo_user():
    seed_organisations()
    seed_demo_users()
    orgs, users = Organisation.objects.count(), User.objects.count()
    seed_organisations()
    seed_demo_users()
    assert (Organisation.objects.count(), User.objects.count()) == (orgs, users)
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    assert not User.objects.filter(is_superuser=True).exists()
