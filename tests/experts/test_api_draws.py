"""Web draws through /api/v1/experts: commitment first, the same pure draw, the seal, declines, races."""

from __future__ import annotations

import json

import pytest

from tests.experts.conftest import REVIEW_DATE, joint_payload
from tongchou.audit.models import AuditEvent
from tongchou.crypto.sm import sm3_hex
from tongchou.experts.draw import draw
from tongchou.experts.models import Draw, DrawMember, Expert
from tongchou.experts.snapshot import snapshot_hash

API = "/api/v1/experts"


def post(client, url, body=None):
    return client.post(url, data=json.dumps(body or {}), content_type="application/json")


def prepared(client, login, project, **kw):
    login("bureau")
    res = post(client, f"{API}/draws", joint_payload(project, **kw))
    assert res.status_code == 201, res.content.decode()
    return res.json()


def test_commitment_is_shown_before_the_draw_and_the_seed_only_after(client, login, pool, project):
    """The organiser sees SM3(seed) first; the draw then reveals a seed that hashes to it, and anyone
    holding the record reproduces the result with the pure function."""
    body = prepared(client, login, project)
    assert body["seed"] is None and len(body["commitment"]) == 64 and body["members"] == []
    committed = AuditEvent.objects.get(event="expert_draw.committed")
    record = Draw.objects.get(pk=body["id"])
    assert record.seed not in json.dumps(committed.data)
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT seed FROM experts_draw WHERE id = %s", [record.pk])
        assert record.seed not in cur.fetchone()[0]  # SM4-GCM at rest: nobody reads the result early

    res = post(client, f"{API}/draws/{body['id']}/execute")
    assert res.status_code == 200, res.content.decode()
    out = res.json()
    assert sm3_hex(out["seed"].encode("ascii")) == body["commitment"]
    record.refresh_from_db()
    assert record.pool_hash == snapshot_hash(record.pool_snapshot) == out["pool_hash"]
    assert draw(record.pool_snapshot, record.request, record.seed) == record.result
    assert record.drawn_by.username == "bureau" and record.drawn_at is not None
    selected = [m for m in out["members"] if m["role"] == "selected"]
    assert len(selected) == 5 and all(m["status"] == "invited" for m in selected)
    # Conflicts: E004 works for the applicant unit (typed by its short name); E011 left the vendor in 2025.
    excluded = {e["id"]: e["reason"] for e in record.result["excluded"]}
    assert excluded["E004"] == "same_unit" and excluded["E011"] == "former_employer"
    assert excluded["E012"] == "inactive"
    drawn_ids = {m["expert"] for m in out["members"]}
    assert not drawn_ids & {"E004", "E011", "E012"}
    assert AuditEvent.objects.filter(event="expert_draw.drawn").count() == 1


def test_a_draw_cannot_run_twice(client, login, pool, project):
    body = prepared(client, login, project)
    assert post(client, f"{API}/draws/{body['id']}/execute").status_code == 200
    assert post(client, f"{API}/draws/{body['id']}/execute").status_code == 409


@pytest.mark.parametrize(
    ("needs", "message"),
    [
        ([{"category": "software", "count": 2}, {"category": "security", "count": 2}], "单数"),
        ([{"category": "software", "count": 2}, {"category": "security", "count": 1}], "不少于 5"),
        ([{"category": "nosuch", "count": 5}], "未知"),
    ],
)
def test_panel_rules(client, login, pool, project, needs, message):
    login("bureau")
    res = post(client, f"{API}/draws", joint_payload(project, needs=needs))
    assert res.status_code == 400 and message in res.json()["detail"]


def test_too_few_names_category_and_numbers(client, login, pool, project):
    login("bureau")
    needs = [{"category": "software", "count": 2}, {"category": "security", "count": 1},
             {"category": "crypto", "count": 1}, {"category": "investment", "count": 5}]
    res = post(client, f"{API}/draws", joint_payload(project, needs=needs, reserves=0))
    assert res.status_code == 400
    detail = res.json()["detail"]
    assert "investment" in detail and "5" in detail and res.json()["article"] == "第三十二条"
    assert not Draw.objects.exists()


def test_second_open_draw_for_the_same_project_is_refused(client, login, pool, project):
    prepared(client, login, project)
    res = post(client, f"{API}/draws", joint_payload(project))
    assert res.status_code == 409
    assert Draw.objects.count() == 1


def test_names_are_sealed_from_the_applicant_until_the_review_is_over(client, login, pool, project):
    body = prepared(client, login, project)
    post(client, f"{API}/draws/{body['id']}/execute")
    login("applicant")
    seen = client.get(f"{API}/draws/{body['id']}").json()
    assert seen["sealed"] and seen["names_hidden"] and seen["members"] == [] and seen["member_count"] == 5
    assert "exclude" not in seen["request"]
    member = DrawMember.objects.filter(draw_id=body["id"]).first()
    assert post(client, f"{API}/members/{member.pk}/rating", {"score": 80}).status_code == 404
    assert post(client, f"{API}/draws/{body['id']}/unseal").status_code == 403
    login("applicant2")  # another unit: the draw does not exist for it
    assert client.get(f"{API}/draws/{body['id']}").status_code == 404
    login("bureau")
    assert post(client, f"{API}/draws/{body['id']}/close").status_code == 200
    login("applicant")
    seen = client.get(f"{API}/draws/{body['id']}").json()
    assert not seen["sealed"] and len([m for m in seen["members"] if m["role"] == "selected"]) == 5


def test_organiser_can_lift_the_seal(client, login, pool, project):
    body = prepared(client, login, project)
    post(client, f"{API}/draws/{body['id']}/execute")
    assert post(client, f"{API}/draws/{body['id']}/unseal").json()["sealed"] is False
    assert AuditEvent.objects.filter(event="expert_draw.unsealed").exists()


def _invited(draw_id, category):
    return DrawMember.objects.filter(draw_id=draw_id, category=category, status="invited").order_by("rank")


def test_decline_is_filled_from_reserves_then_by_a_new_draw(client, login, pool, project, demo_users):
    """A decline calls the rank-1 reserve; when reserves are exhausted a supplementary committed draw
    picks a new expert of the same category."""
    body = prepared(client, login, project, reserves=1)
    post(client, f"{API}/draws/{body['id']}/execute")
    # Make sure the demo expert (E001) answers for a software seat: link the account to a drawn expert.
    first = _invited(body["id"], "software").first()
    Expert.objects.filter(user=demo_users["expert"]).update(user=None)
    Expert.objects.filter(pk=first.expert_id).update(user=demo_users["expert"])
    reserve = DrawMember.objects.get(draw_id=body["id"], category="software", role="reserve", rank=1)

    login("expert")
    invitations = client.get(f"{API}/invitations").json()
    assert [i["id"] for i in invitations] == [first.pk]
    res = post(client, f"{API}/members/{first.pk}/respond", {"accept": False, "reason": "出差"})
    assert res.json() == {"status": "declined", "replacement_found": True}
    reserve.refresh_from_db()
    assert reserve.status == "invited" and reserve.replaces_id == first.pk
    assert post(client, f"{API}/members/{first.pk}/respond", {"accept": True}).status_code == 409

    # Reserve declines too (the bureau records it): no reserve left → a new draw.
    login("bureau")
    res = post(client, f"{API}/members/{reserve.pk}/respond", {"accept": False, "reason": "回避"})
    assert res.json()["replacement_found"] is True
    child = Draw.objects.get(parent_id=body["id"])
    assert child.status == "drawn" and sm3_hex(child.seed.encode()) == child.commitment
    newcomer = DrawMember.objects.get(source_draw=child)
    assert newcomer.status == "invited" and newcomer.category == "software" and newcomer.replaces_id == reserve.pk
    taken = set(DrawMember.objects.filter(draw_id=body["id"]).exclude(pk=newcomer.pk).values_list("expert_id", flat=True))
    assert newcomer.expert_id not in taken
    assert AuditEvent.objects.filter(event="expert_draw.supplementary_drawn").exists()


def test_only_the_invited_expert_answers(client, login, pool, project, demo_users):
    body = prepared(client, login, project)
    post(client, f"{API}/draws/{body['id']}/execute")
    member = DrawMember.objects.filter(draw_id=body["id"], status="invited").exclude(
        expert__user=demo_users["expert"]).first()
    login("expert")
    assert post(client, f"{API}/members/{member.pk}/respond", {"accept": True}).status_code == 404


def test_an_expert_sits_on_one_panel_a_day(client, login, pool, project, demo_users):
    """Experts seated on one panel are excluded (requested_exclusion) from another panel the same day."""
    body = prepared(client, login, project, reserves=0)
    post(client, f"{API}/draws/{body['id']}/execute")
    seated = set(DrawMember.objects.filter(draw_id=body["id"]).values_list("expert__code", flat=True))
    res = post(client, f"{API}/draws", {
        "purpose": "consultation", "subject": "医保平台咨询", "review_date": REVIEW_DATE.isoformat(),
        "requesting_unit": "cj-medins", "needs": [{"category": "software", "count": 1}], "reserves": 0,
    })
    assert res.status_code == 201, res.content
    out = post(client, f"{API}/draws/{res.json()['id']}/execute").json()
    second = Draw.objects.get(pk=out["id"])
    reasons = {e["id"]: e["reason"] for e in second.result["excluded"]}
    for code in seated & {"E001", "E002", "E003", "E013"}:
        assert reasons[code] == "requested_exclusion"
    assert not {m["expert"] for m in out["members"]} & seated


def test_art33_unit_request_is_free_and_booked_to_the_bureau(client, login, pool):
    login("applicant2")
    res = post(client, f"{API}/draws", {
        "purpose": "contract_acceptance", "subject": "医保系统合同验收", "review_date": REVIEW_DATE.isoformat(),
        "needs": [{"category": "software", "count": 1}, {"category": "investment", "count": 2}],
    })
    assert res.status_code == 201, res.content
    body = res.json()
    assert body["requesting_unit"] == "昌吉州医疗保障局" and body["fees_payer"] == "州数字化发展局"
    assert body["sealed"] is False
    out = post(client, f"{API}/draws/{body['id']}/execute").json()
    assert len(out["members"]) >= 3
    # A unit cannot organise a project review draw itself.
    res = post(client, f"{API}/draws", {
        "purpose": "project_review", "subject": "x", "review_date": REVIEW_DATE.isoformat(),
        "needs": [{"category": "software", "count": 1}]})
    assert res.status_code == 403


def _accept_all(draw_id):
    DrawMember.objects.filter(draw_id=draw_id, status="invited").update(status="accepted")


def test_fees_and_ledger_and_finance_export(client, login, pool, project):
    from io import BytesIO

    from openpyxl import load_workbook

    body = prepared(client, login, project)
    post(client, f"{API}/draws/{body['id']}/execute")
    _accept_all(body["id"])
    member = DrawMember.objects.filter(draw_id=body["id"], status="accepted").first()
    res = post(client, f"{API}/members/{member.pk}/duration", {"minutes": 300})
    assert res.status_code == 400 and res.json()["code"] == "no_fee_rate"
    post(client, f"{API}/fee-rates", {"effective_from": "2026-01-01", "half_day": "800", "hourly_extra": "150",
                                      "daily_cap": "2000"})
    res = post(client, f"{API}/members/{member.pk}/duration", {"minutes": 300})
    assert res.json() == {"minutes": 300, "amount": "1600.00", "payer": "州数字化发展局", "year": 2026}
    res = post(client, f"{API}/members/{member.pk}/duration", {"minutes": 540})  # a correction
    assert res.json()["amount"] == "1750.00"
    ledger = client.get(f"{API}/fees/ledger?year=2026").json()
    assert ledger == [{"expert": member.expert.code, "name": member.expert.name, "year": 2026, "services": 1,
                       "minutes": 540, "amount": "1750.00"}]
    xlsx = client.get(f"{API}/fees/ledger.xlsx?year=2026")
    assert xlsx.status_code == 200 and xlsx["Content-Disposition"].startswith("attachment")
    wb = load_workbook(BytesIO(xlsx.content))
    assert wb.worksheets[0].cell(2, 1).value == member.expert.code
    assert float(wb.worksheets[0].cell(2, 6).value) == 1750.0
    login("applicant")
    assert client.get(f"{API}/fees/ledger.xlsx?year=2026").status_code == 403


def test_low_average_proposes_suspension(client, login, pool, project):
    body = prepared(client, login, project)
    post(client, f"{API}/draws/{body['id']}/execute")
    _accept_all(body["id"])
    member = DrawMember.objects.filter(draw_id=body["id"], status="accepted").first()
    res = post(client, f"{API}/members/{member.pk}/rating", {"score": 101})
    assert res.status_code == 422
    res = post(client, f"{API}/members/{member.pk}/rating", {"score": 59, "comment": "意见空泛"})
    assert res.json() == {"score": 59, "suspension_proposed": True}
    other = DrawMember.objects.filter(draw_id=body["id"], status="accepted").exclude(pk=member.pk).first()
    assert post(client, f"{API}/members/{other.pk}/rating", {"score": 60}).json()["suspension_proposed"] is False
    assert AuditEvent.objects.filter(event="expert.suspension_proposed").count() == 1


def test_the_record_reproduces_with_the_cli(client, login, pool, project, tmp_path):
    """The bureau downloads the record; the command line turns it into the same result, byte for byte."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    body = prepared(client, login, project)
    assert client.get(f"{API}/draws/{body['id']}/record").status_code == 404  # not drawn yet
    post(client, f"{API}/draws/{body['id']}/execute")
    record = client.get(f"{API}/draws/{body['id']}/record").json()
    (tmp_path / "pool.json").write_text(json.dumps(record["pool"], ensure_ascii=False), encoding="utf-8")
    (tmp_path / "request.json").write_text(json.dumps(record["request"], ensure_ascii=False), encoding="utf-8")
    assert sm3_hex(json.dumps(record["pool"], ensure_ascii=False, sort_keys=True, separators=(",", ":"))) == record["pool_hash"]
    src = Path(__file__).resolve().parents[2] / "src"
    res = subprocess.run(
        [sys.executable, "-m", "tongchou", "experts", "draw", "--pool", str(tmp_path / "pool.json"),
         "--request", str(tmp_path / "request.json"), "--seed", record["seed"]],
        capture_output=True, env={**os.environ, "PYTHONPATH": str(src)}, timeout=60, check=True)
    assert res.stdout.decode().strip() == json.dumps(record["result"], ensure_ascii=False)
    login("applicant")
    assert client.get(f"{API}/draws/{body['id']}/record").status_code == 404


def test_a_drawn_expert_with_an_account_finds_the_invitation_in_the_inbox(client, login, pool, project, demo_users):
    """Art. 32: the drawn expert is told in Tongchou. Two software experts are left eligible for two
    software seats, so E001 (the demo expert account) is certainly drawn."""
    from tongchou.experts.models import Expert
    from tongchou.notifications.models import Notification

    Expert.objects.filter(code__in=["E002", "E013"]).update(status="suspended")
    body = prepared(client, login, project, reserves=0)
    assert not Notification.objects.filter(recipient=demo_users["expert"]).exists()  # not before the draw
    post(client, f"{API}/draws/{body['id']}/execute")
    assert DrawMember.objects.filter(draw_id=body["id"], status="invited", expert__code="E001").exists()
    inbox = Notification.objects.get(recipient=demo_users["expert"])
    assert "评审邀请" in inbox.subject
    assert inbox.link == "/experts/me/"
