"""The expert review wired to the pool: the accepted experts of the project's draw give their
conclusions (themselves or through the bureau), and consolidation waits for every one of them."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.reviews.helpers import assessment, submit
from tongchou.core_errors import Conflict, DomainError
from tongchou.experts.models import DrawMember, Expert
from tongchou.experts.services_draws import draw_execute, draw_prepare
from tongchou.experts.services_registry import ExpertData, expert_save
from tongchou.reviews.consolidation import consolidation_draft
from tongchou.reviews.panel import expert_conclusion_from_draw
from tongchou.reviews.routing import review_route

POOL = [("E01", "software", "新疆大学"), ("E02", "software", "新疆农业大学"), ("E03", "software", "昌吉学院"),
        ("E04", "software", "石河子大学"), ("E05", "security", "新疆网安测评中心"),
        ("E06", "security", "新疆信息安全公司"), ("E07", "crypto", "新疆密码测评中心"),
        ("E08", "crypto", "乌鲁木齐密码公司"), ("E09", "investment", "新疆造价咨询公司"),
        ("E10", "investment", "昌吉造价事务所")]


@pytest.fixture
def drawn_round(make_project, demo_users, clock):
    for code, category, employer in POOL:
        expert_save(data=ExpertData(code=code, name=f"专家{code}", title="高级工程师", title_level="vice_senior",
                                    years=10, employer=employer, categories=[category]), actor=demo_users["bureau"])
    project = make_project()
    review_round = review_route(project=project, assessment=assessment(), actor=demo_users["reviewer"])
    record = draw_prepare(purpose="joint_review", subject=project.name, review_date=dt.date(2025, 3, 10),
                          needs=[{"category": "software", "count": 2}, {"category": "security", "count": 1},
                                 {"category": "crypto", "count": 1}, {"category": "investment", "count": 1}],
                          actor=demo_users["bureau"], project=project)
    draw_execute(draw_record=record, actor=demo_users["bureau"])
    DrawMember.objects.filter(draw=record, status="invited").update(status="accepted")
    for task in review_round.tasks.all():
        submit(task, demo_users)
    return review_round


@pytest.mark.django_db
def test_consolidation_waits_for_every_drawn_expert(drawn_round, demo_users):
    members = list(DrawMember.objects.filter(status="accepted").select_related("expert"))
    assert len(members) == 5
    for i, member in enumerate(members):
        with pytest.raises(Conflict, match=f"{5 - i}名专家未提交"):
            consolidation_draft(review_round=drawn_round, actor=demo_users["reviewer"])
        expert_conclusion_from_draw(review_round=drawn_round, member_id=member.pk, actor=demo_users["reviewer"],
                                    conclusion="agree", comments="可行")
    draft = consolidation_draft(review_round=drawn_round, actor=demo_users["reviewer"])
    assert "5名信息化专家" in draft.body
    assert set(drawn_round.expert_conclusions.values_list("source", flat=True)) == {"draw"}


@pytest.mark.django_db
def test_a_drawn_expert_gives_their_own_conclusion_through_the_api(client, drawn_round, demo_users):
    member = DrawMember.objects.filter(status="accepted").select_related("expert").first()
    Expert.objects.filter(pk=member.expert_id).update(user=demo_users["expert"])
    client.force_login(demo_users["expert"])
    seats = client.get("/api/v1/reviews/panel").json()
    assert seats == [{"round": drawn_round.pk, "member": member.pk, "project": drawn_round.project.code,
                      "name": drawn_round.project.name, "category": member.category}]
    url = f"/api/v1/reviews/rounds/{drawn_round.pk}/panel/{member.pk}/conclusion"
    done = client.post(url, data=json.dumps({"conclusion": "agree_with_changes", "comments": "建议优化数据接口"}),
                       content_type="application/json")
    assert done.status_code == 200, done.content.decode()
    assert done.json()["source"] == "draw"
    other = DrawMember.objects.filter(status="accepted").exclude(pk=member.pk).first()
    refused = client.post(f"/api/v1/reviews/rounds/{drawn_round.pk}/panel/{other.pk}/conclusion",
                          data=json.dumps({"conclusion": "agree", "comments": "x"}), content_type="application/json")
    assert refused.status_code == 403
    assert client.get(f"/api/v1/reviews/rounds/{drawn_round.pk}").status_code == 404  # no view of member opinions


@pytest.mark.django_db
def test_an_expert_not_on_the_panel_is_refused(drawn_round, demo_users):
    outsider = DrawMember.objects.exclude(status="accepted").first()
    with pytest.raises(DomainError, match="不是本项目联合会审"):
        expert_conclusion_from_draw(review_round=drawn_round, member_id=outsider.pk, actor=demo_users["reviewer"],
                                    conclusion="agree", comments="可行")
