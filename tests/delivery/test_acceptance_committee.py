"""Art. 24: Tongchou refuses to convene a completion-acceptance committee without its required members."""

from __future__ import annotations

import pytest

from tongchou.accounts.models import Organisation
from tongchou.delivery.models import Acceptance
from tongchou.delivery.rules.committee import missing_seats
from tongchou.projects.models import Status


@pytest.fixture
def applied(project_in, demo_users):
    project = project_in(Status.ACCEPTANCE_APPLIED)
    Acceptance.objects.create(project=project, report="竣工验收报告", applied_on="2026-04-15",
                              applied_by=demo_users["applicant"])
    return project


def seats(project, draw_member_id):
    org = {o.code: o.pk for o in Organisation.objects.all()}
    return {
        "development_reform": {"seat": "development_reform", "name": "吴发改", "organisation_id": org["cj-ndrc"]},
        "finance": {"seat": "finance", "name": "郑财政", "organisation_id": org["cj-finance"]},
        "digital_bureau": {"seat": "digital_bureau", "name": "钱局长", "organisation_id": org["cj-digital"]},
        "archives": {"seat": "archives", "name": "档案员", "organisation_id": org["cj-archives"]},
        "unit": {"seat": "unit", "name": "李单位", "organisation_id": project.unit_id},
        "expert": {"seat": "expert", "draw_member_id": draw_member_id},
    }


def test_missing_seats_are_named_in_the_articles_order():
    assert missing_seats(["unit", "finance"]) == ["发改部门", "数字化发展部门", "档案部门", "信息化专家库抽取的专家"]
    assert missing_seats(["development_reform", "finance", "digital_bureau", "archives", "unit", "expert"]) == []


@pytest.mark.django_db
def test_a_committee_without_archives_and_experts_is_refused_naming_them(applied, demo_users, api, drawn_expert):
    members = seats(applied, drawn_expert.pk)
    del members["archives"], members["expert"]
    status, body = api("ndrc", "post", f"/projects/{applied.pk}/acceptance/committee", {"members": list(members.values())})
    assert status == 400
    assert body["code"] == "committee_incomplete"
    assert "档案部门" in body["detail"] and "信息化专家库抽取的专家" in body["detail"]
    assert "财政部门" not in body["detail"].split("缺少")[1].split("。")[0]
    assert body["article"] == "第二十四条"
    assert Acceptance.objects.get(project=applied).convened_on is None


@pytest.mark.django_db
@pytest.mark.parametrize("seat", ["development_reform", "finance", "digital_bureau", "archives", "unit", "expert"])
def test_each_required_seat_is_required(applied, demo_users, api, drawn_expert, seat):
    members = seats(applied, drawn_expert.pk)
    del members[seat]
    status, body = api("ndrc", "post", f"/projects/{applied.pk}/acceptance/committee", {"members": list(members.values())})
    assert status == 400 and body["code"] == "committee_incomplete"


@pytest.mark.django_db
def test_a_seat_filled_by_the_wrong_organisation_or_a_non_expert_is_refused(applied, demo_users, api, drawn_expert):
    members = seats(applied, drawn_expert.pk)
    members["archives"]["organisation_id"] = Organisation.objects.get(code="cj-health").pk
    status, body = api("ndrc", "post", f"/projects/{applied.pk}/acceptance/committee", {"members": list(members.values())})
    assert status == 400 and "昌吉州卫生健康委员会" in body["detail"]
    drawn_expert.status = "declined"
    drawn_expert.save()
    members = seats(applied, drawn_expert.pk)
    status, body = api("ndrc", "post", f"/projects/{applied.pk}/acceptance/committee", {"members": list(members.values())})
    assert status == 400 and "专家库" in body["detail"]


@pytest.mark.django_db
def test_only_the_development_and_reform_commission_convenes_and_concludes(applied, demo_users, api, drawn_expert):
    members = list(seats(applied, drawn_expert.pk).values())
    for username in ("applicant", "finance", "bureau"):
        status, body = api(username, "post", f"/projects/{applied.pk}/acceptance/committee", {"members": members})
        assert status in (403, 404), username
    status, body = api("ndrc", "post", f"/projects/{applied.pk}/acceptance/conclude", {"passed": True, "conclusion": "通过"})
    assert (status, body["code"]) == (409, "not_convened")
    assert api("ndrc", "post", f"/projects/{applied.pk}/acceptance/committee", {"members": members})[0] == 200
    status, body = api("ndrc", "post", f"/projects/{applied.pk}/acceptance/conclude",
                       {"passed": False, "conclusion": "文档不全，整改后复验", "issues": "缺少用户手册"})
    assert body["status"] == "acceptance_applied"
    status, body = api("ndrc", "post", f"/projects/{applied.pk}/acceptance/conclude", {"passed": True, "conclusion": "通过"})
    assert body["status"] == "accepted"
