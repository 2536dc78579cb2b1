"""Art. 6: a county or park joins a shared project after it was set up (and one that has no part yet may
leave); its bureau is told, so that its department declares its part."""

from __future__ import annotations

import pytest

from tests.portfolio.helpers import create_and_submit
from tongchou.audit.models import AuditEvent
from tongchou.notifications.models import Notification
from tongchou.portfolio.models import SharedParticipant


def _shared(api, jurisdictions=("昌吉市",)) -> tuple[int, int]:
    parent = create_and_submit(api, "applicant", "全州智慧教育共建平台", "3000000")
    status, body = api("applicant", "post", f"/portfolio/projects/{parent}/shared", {"jurisdictions": list(jurisdictions)})
    assert status == 201, body
    return parent, body["id"]


@pytest.mark.django_db
def test_the_parent_unit_adds_a_county_and_its_bureau_is_told(api, users, clock):
    _parent, sid = _shared(api)
    status, body = api("applicant", "post", f"/portfolio/shared/{sid}/participants", {"jurisdiction": "阜康市"})
    assert status == 201, body
    assert [p["jurisdiction"] for p in body["participants"]] == ["昌吉市", "阜康市"]
    assert body["participants"][1]["part"] is None and isinstance(body["participants"][1]["id"], int)
    event = AuditEvent.objects.get(event="portfolio.shared_participant_add")
    assert event.data == {"jurisdiction": "阜康市", "shared": sid} and event.actor_id == users["applicant"].pk
    # Fukang's bureau (reviewer and lead) is told; Changji's bureau and Fukang's departments are not.
    told = Notification.objects.filter(subject__startswith="共建共享项目邀请")
    assert sorted(n.recipient.username for n in told) == ["fklead", "fkreviewer"]
    assert told[0].link == f"/portfolio/shared/{sid}/" and "第十九条" in told[0].body
    # The prefecture bureau may add one too (a park, here).
    status, body = api("reviewer", "post", f"/portfolio/shared/{sid}/participants", {"jurisdiction": "准东经济技术开发区"})
    assert status == 201, body
    assert SharedParticipant.objects.filter(shared_id=sid).count() == 3


@pytest.mark.django_db
def test_bad_participants_are_refused_in_chinese_with_the_field(api, clock):
    _parent, sid = _shared(api)
    status, body = api("applicant", "post", f"/portfolio/shared/{sid}/participants", {"jurisdiction": "火星"})
    assert (status, body["field"], body["code"], body["article"]) == (422, "jurisdiction", "unknown_jurisdiction", "第六条")
    assert "不是本州的县市或园区" in body["detail"]
    status, body = api("applicant", "post", f"/portfolio/shared/{sid}/participants", {"jurisdiction": "昌吉市"})
    assert (status, body["code"]) == (422, "already_participant") and "已在该共建项目的参与名单中" in body["detail"]
    status, body = api("applicant", "post", f"/portfolio/shared/{sid}/participants", {"jurisdiction": "  "})
    assert (status, body["field"]) == (422, "jurisdiction")
    assert api("applicant", "post", f"/portfolio/shared/{sid}/participants", {})[0] == 422
    assert not AuditEvent.objects.filter(event="portfolio.shared_participant_add").exists()
    assert not Notification.objects.filter(subject__startswith="共建共享项目邀请").exists()


@pytest.mark.django_db
def test_only_the_parent_unit_or_the_bureau_changes_the_participants(api, clock):
    _parent, sid = _shared(api)
    # A participating county sees the shared project but may not change its list; others do not see it.
    status, body = api("countyapp", "post", f"/portfolio/shared/{sid}/participants", {"jurisdiction": "阜康市"})
    assert status == 403 and body["article"] == "第六条"
    assert api("county", "post", f"/portfolio/shared/{sid}/participants", {"jurisdiction": "阜康市"})[0] == 403
    for username in ("applicant2", "fkapp", "expert"):
        assert api(username, "post", f"/portfolio/shared/{sid}/participants", {"jurisdiction": "阜康市"})[0] == 404
    assert list(SharedParticipant.objects.filter(shared_id=sid).values_list("jurisdiction", flat=True)) == ["昌吉市"]


@pytest.mark.django_db
def test_a_participant_without_a_part_may_leave_one_with_a_part_stays(api, clock):
    _parent, sid = _shared(api, ("昌吉市", "阜康市"))
    part = create_and_submit(api, "countyapp", "昌吉市智慧教育共建子项目", "300000")
    assert api("countyapp", "post", f"/portfolio/shared/{sid}/parts", {"project_id": part})[0] == 200
    ids = dict(SharedParticipant.objects.filter(shared_id=sid).values_list("jurisdiction", "id"))

    status, body = api("applicant", "delete", f"/portfolio/shared/{sid}/participants/{ids['昌吉市']}")
    assert (status, body["code"], body["field"]) == (422, "has_part", "participant_id")
    assert "已关联子项目" in body["detail"]
    assert api("countyapp", "delete", f"/portfolio/shared/{sid}/participants/{ids['阜康市']}")[0] == 403
    status, body = api("applicant", "delete", f"/portfolio/shared/{sid}/participants/999999")
    assert (status, body["code"]) == (422, "not_participant")

    status, body = api("applicant", "delete", f"/portfolio/shared/{sid}/participants/{ids['阜康市']}")
    assert status == 200, body
    assert [p["jurisdiction"] for p in body["participants"]] == ["昌吉市"]
    assert AuditEvent.objects.get(event="portfolio.shared_participant_remove").data == {"jurisdiction": "阜康市",
                                                                                       "shared": sid}


@pytest.mark.django_db
def test_the_last_participant_stays(api, clock):
    _parent, sid = _shared(api)
    only = SharedParticipant.objects.get(shared_id=sid)
    status, body = api("reviewer", "delete", f"/portfolio/shared/{sid}/participants/{only.pk}")
    assert (status, body["code"]) == (422, "last_participant")
    assert SharedParticipant.objects.filter(pk=only.pk).exists()
