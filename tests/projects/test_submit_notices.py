"""A submitted application is announced to the bureau that runs its review (Art. 9, 10, 19, 36; ADR 0167)."""

from __future__ import annotations

import pytest

from tests.projects.builders import make_project, submitted_project
from tongchou.accounts.models import Organisation, Role, User
from tongchou.notifications.models import Notification


def _told() -> dict[str, set[str]]:
    rows = Notification.objects.filter(subject__startswith="新的项目申报").values_list("subject", "recipient__username")
    told: dict[str, set[str]] = {}
    for subject, username in rows:
        told.setdefault(subject, set()).add(username)
    return told


@pytest.fixture
def hutubi_bureau(db):
    user = User.objects.create(username="hutubibureau", role=Role.BUREAU_REVIEWER,
                               organisation=Organisation.objects.get(code="hutubi-digital"))
    return user


@pytest.mark.django_db
def test_a_prefecture_submission_reaches_the_prefecture_bureaus_reviewers_only(demo_users, hutubi_bureau):
    project = submitted_project(demo_users["applicant"], name="教育专网整合")
    told = _told()
    assert list(told.values()) == [{"reviewer", "bureau"}]
    (subject,) = told
    assert project.code in subject and "教育专网整合" in subject
    row = Notification.objects.filter(recipient=demo_users["reviewer"]).get()
    assert row.link == f"/projects/{project.pk}/" and "第十条" in row.body


@pytest.mark.django_db
def test_a_county_submission_reaches_its_county_bureau_not_the_prefecture_or_another_county(demo_users,
                                                                                          hutubi_bureau):
    submitted_project(demo_users["countyapp"], name="昌吉市教育云", construction_cost=800_000)
    assert list(_told().values()) == [{"county", "countylead"}]


@pytest.mark.django_db
def test_a_park_submission_reaches_the_prefecture_bureau(demo_users):
    parkapp = User.objects.create(username="parkapp", role=Role.APPLICANT,
                                  organisation=Organisation.objects.get(code="zhundong-digital"))
    submitted_project(parkapp, name="准东园区安全生产监测", construction_cost=2_500_000)
    assert list(_told().values()) == [{"reviewer", "bureau"}]


@pytest.mark.django_db
def test_a_draft_and_a_refused_submission_tell_no_one(demo_users):
    from tongchou.core_errors import DomainError
    from tongchou.projects.services import project_submit

    make_project(demo_users["applicant"], name="草稿")
    incomplete = make_project(demo_users["applicant"], name="材料不全", texts={})
    with pytest.raises(DomainError):
        project_submit(project=incomplete, actor=demo_users["applicant"])
    assert _told() == {}


@pytest.mark.django_db
def test_a_classified_submission_reaches_only_entitled_bureau_staff(demo_users):
    User.objects.filter(username="bureau").update(classified_access=True)
    submitted_project(demo_users["applicant"], name="涉密档案系统", construction_cost=300_000, classified=True)
    assert list(_told().values()) == [{"bureau"}]
