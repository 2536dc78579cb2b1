"""The whole review path through /api/v1/reviews/, the interface the desk and other systems use."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from docx import Document

from tests.reviews.helpers import COMMENTS, SHANGHAI, WRITERS, assessment, procurement_ready
from tongchou.audit.models import AuditEvent
from tongchou.core_errors import DomainError
from tongchou.crypto.sm import sm3_hex
from tongchou.lifecycle.services import project_transition
from tongchou.obligations.models import Obligation
from tongchou.portfolio.funding import funding_route_record
from tongchou.projects.models import Project, Status

API = "/api/v1/reviews"


def post(client, url, body=None, method="post"):
    return getattr(client, method)(url, data=json.dumps(body or {}), content_type="application/json")


def as_user(client, demo_users, username):
    client.logout()
    client.force_login(demo_users[username])  # force_login: the session without axes' request check
    return client


def route(client, demo_users, project, **kwargs):
    as_user(client, demo_users, "reviewer")
    response = post(client, f"{API}/projects/{project.pk}/route", {"assessment": assessment(**kwargs)})
    assert response.status_code == 200, response.content.decode()
    return response.json()


def opinion_body(member, conclusion="agree", **extra):
    return {"conclusion": conclusion, "comments": COMMENTS[member], **extra}


@pytest.mark.django_db
def test_the_full_joint_review_through_the_api(client, demo_users, make_project, clock):
    project = make_project(name="州教育局智慧校园平台")
    routed = route(client, demo_users, project)
    assert routed["status"] == "under_review"
    round_id = routed["round"]["id"]
    tasks = {t["member"]: t for t in routed["round"]["tasks"]}

    # Each member sees its own task on its desk, and only that one.
    as_user(client, demo_users, "police")
    desk = client.get(f"{API}/desk").json()
    assert [t["member"] for t in desk["tasks"]] == ["public_security"]
    assert desk["tasks"][0]["due_date"] == "2025-03-12"

    # The police write the crypto bureau's task: refused, nothing written.
    refused = post(client, f"{API}/tasks/{tasks['crypto_bureau']['id']}/opinion", opinion_body("crypto_bureau"))
    assert refused.status_code == 403
    assert "州党委机要保密局" in refused.json()["detail"]

    # Consolidation is refused until every opinion (and the experts') is in.
    as_user(client, demo_users, "reviewer")
    early = post(client, f"{API}/rounds/{round_id}/consolidation/draft")
    assert early.status_code == 409
    assert early.json()["article"] == "第十四条"
    assert "州公安局意见" in early.json()["detail"]
    expert = post(client, f"{API}/rounds/{round_id}/experts",
                  {"expert_name": "刘专家", "expert_org": "新疆大学", "conclusion": "agree",
                   "comments": "技术路线可行"})
    assert expert.status_code == 200, expert.content

    for member in ["finance", "public_security", "digital_bureau", "development_reform", "crypto_bureau"]:
        as_user(client, demo_users, WRITERS[member])
        extra = {"cost_reduction": "300000", "reduction_reasons": "服务器利旧"} if member == "development_reform" else {}
        done = post(client, f"{API}/tasks/{tasks[member]['id']}/opinion",
                    opinion_body(member, "agree_with_changes" if extra else "agree", **extra))
        assert done.status_code == 200, done.content.decode()
        assert done.json()["opinion"]["conclusion"] in ("agree", "agree_with_changes")

    as_user(client, demo_users, "reviewer")
    side_by_side = client.get(f"{API}/rounds/{round_id}").json()
    assert [t["opinion"]["conclusion"] for t in side_by_side["tasks"]] == [
        "agree", "agree", "agree", "agree_with_changes", "agree"]
    assert side_by_side["missing"] == []
    draft = post(client, f"{API}/rounds/{round_id}/consolidation/draft").json()
    assert "州发改委建议核减投资30万元，理由：服务器利旧" in draft["body"]
    edited = post(client, f"{API}/rounds/{round_id}/consolidation",
                  {"title": draft["title"], "body": draft["body"] + "\n请于十日内报送修改后的方案。",
                   "conclusion": "agree_with_changes", "version": draft["version"]}, method="put")
    assert edited.status_code == 200, edited.content.decode()
    stale = post(client, f"{API}/rounds/{round_id}/consolidation",
                 {"title": "x", "body": "y", "conclusion": "agree", "version": draft["version"]}, method="put")
    assert stale.status_code == 409

    not_lead = post(client, f"{API}/rounds/{round_id}/consolidation/issue")
    assert not_lead.status_code == 403
    as_user(client, demo_users, "bureau")
    issued = post(client, f"{API}/rounds/{round_id}/consolidation/issue", {"version": edited.json()["version"]})
    assert issued.status_code == 200, issued.content.decode()
    assert issued.json()["doc_number"] == "昌州数发〔2025〕1号"

    download = client.get(f"{API}/rounds/{round_id}/consolidation.docx")
    assert download.status_code == 200
    assert "filename*=UTF-8''" in download["Content-Disposition"]
    data = download.content
    assert sm3_hex(data) == issued.json()["docx_sm3"]
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert "昌州数发〔2025〕1号" in text
    assert "关于州教育局智慧校园平台的行业主管部门审查意见" in text
    assert "请于十日内报送修改后的方案。" in text
    assert "昌吉州数字化发展局" in text and "二〇二五年三月三日" in text
    assert Project.objects.get(pk=project.pk).status == Status.OPINION_ISSUED

    # 立项批复: only the development and reform commission; the amount and dates flow into the deadlines.
    clock.move_to(dt.datetime(2025, 3, 10, 9, 0, tzinfo=SHANGHAI))
    approval = {"doc_number": "昌州发改投资〔2025〕45号", "approval_date": "2025-03-07", "approved_amount": "1700000"}
    as_user(client, demo_users, "finance")
    assert post(client, f"{API}/projects/{project.pk}/approval", approval).status_code == 403
    as_user(client, demo_users, "ndrc")
    early_date = post(client, f"{API}/projects/{project.pk}/approval", {**approval, "approval_date": "2025-03-01"})
    assert early_date.status_code == 400 and early_date.json()["field"] == "approval_date"
    approved = post(client, f"{API}/projects/{project.pk}/approval", approval)
    assert approved.status_code == 200, approved.content.decode()
    assert approved.json()["status"] == "approved"
    assert approved.json()["procurement_deadline"] == "2026-03-07"

    as_user(client, demo_users, "ndrc")
    assert post(client, f"{API}/projects/{project.pk}/budget",
                {"year": 2025, "amount": "1700000", "source": "prefecture_fiscal"}).status_code == 403
    as_user(client, demo_users, "finance")
    budget = post(client, f"{API}/projects/{project.pk}/budget",
                  {"year": 2025, "amount": "1700000", "source": "prefecture_fiscal"})
    assert budget.status_code == 200, budget.content.decode()

    as_user(client, demo_users, "applicant")
    seen = client.get(f"{API}/projects/{project.pk}/deadlines").json()
    assert seen["approval"] == {"doc_number": "昌州发改投资〔2025〕45号", "approval_date": "2025-03-07",
                                "approved_amount": "1700000.00"}
    due = {d["code"]: d for d in seen["deadlines"]}
    assert due["ART26-PROCUREMENT-DEADLINE"]["due"] == "2026-03-07"
    assert due["ART18-FILING"]["done"] is False
    # The approval date flows into the project's facts and opens the Art. 26 / Art. 18 obligations.
    assert Project.objects.get(pk=project.pk).approval_date == dt.date(2025, 3, 7)
    open_obligations = dict(Obligation.objects.filter(project=project).values_list("code", "status"))
    # (the bureau's Art. 10 completeness check, opened by the submission, was closed when the round opened)
    assert open_obligations == {"ART26-PROCUREMENT-DEADLINE": "open", "ART18-FILING": "open",
                                "SLA-COMPLETENESS-CHECK": "done"}
    assert Obligation.objects.get(project=project, code="ART26-PROCUREMENT-DEADLINE").due_date == dt.date(2026, 3, 7)
    filed = post(client, f"{API}/projects/{project.pk}/file")
    assert filed.json()["status"] == "filed"
    due = {d["code"]: d for d in client.get(f"{API}/projects/{project.pk}/deadlines").json()["deadlines"]}
    assert due["ART18-FILING"]["done"] is True
    assert Obligation.objects.get(project=project, code="ART18-FILING").status == "done"

    procurement_ready(project, demo_users["applicant"])
    funding_route_record(project=project, actor=demo_users["finance"], route="prefecture_budget", budget_year=2025)
    done = project_transition(project=project, action="start_procurement", actor=demo_users["applicant"])
    assert done.status == Status.PROCUREMENT
    assert Obligation.objects.get(project=project, code="ART26-PROCUREMENT-DEADLINE").status == "done"

    events = list(AuditEvent.objects.filter(event__startswith=("reviews.")).values_list("event", flat=True))
    for expected in ["reviews.route", "reviews.expert_conclusion", "reviews.opinion_submit",
                     "reviews.consolidation_draft", "reviews.consolidation_edit", "reviews.consolidation_issue",
                     "reviews.consolidated_download", "reviews.approval_record", "reviews.budget_record"]:
        assert expected in events, expected
    assert events.count("reviews.opinion_submit") == 5
    steps = list(AuditEvent.objects.filter(event__startswith="project.", target_id=str(project.pk))
                 .order_by("id").values_list("event", flat=True))
    assert steps == ["project.submit", "project.start_review", "project.issue_opinion", "project.approve",
                     "project.file", "project.start_procurement"]


@pytest.mark.django_db
def test_a_supplement_through_the_api_pauses_the_clock(client, demo_users, make_project, clock):
    project = make_project()
    routed = route(client, demo_users, project)
    task = next(t for t in routed["round"]["tasks"] if t["member"] == "crypto_bureau")
    as_user(client, demo_users, "crypto")
    asked = post(client, f"{API}/tasks/{task['id']}/supplements", {"question": "请补充密码应用方案"})
    assert asked.status_code == 200
    desk = client.get(f"{API}/desk").json()["tasks"]
    assert desk[0]["status"] == "paused"
    as_user(client, demo_users, "applicant")
    mine = client.get(f"{API}/desk").json()["supplements"]
    assert [s["question"] for s in mine] == ["请补充密码应用方案"]
    clock.move_to(dt.datetime(2025, 3, 6, 9, 0, tzinfo=SHANGHAI))  # Thursday: three working days later
    as_user(client, demo_users, "applicant")
    answered = post(client, f"{API}/supplements/{mine[0]['id']}/answer", {"answer": "已补充，见密码应用方案第3章"})
    assert answered.json()["paused_working_days"] == 3
    as_user(client, demo_users, "crypto")
    task_now = client.get(f"{API}/desk").json()["tasks"][0]
    assert task_now["status"] == "open" and task_now["due_date"] == "2025-03-17"


@pytest.mark.django_db
def test_the_desk_lists_overdue_tasks_first(client, demo_users, make_project, clock):
    first = make_project(name="较早的项目")
    route(client, demo_users, first)
    clock.move_to(dt.datetime(2025, 3, 12, 9, 0, tzinfo=SHANGHAI))
    second = make_project(name="较晚的项目")
    route(client, demo_users, second)
    clock.move_to(dt.datetime(2025, 3, 19, 9, 0, tzinfo=SHANGHAI))  # the first (due 12 March) is overdue, the second is due 21 March
    as_user(client, demo_users, "finance")
    tasks = client.get(f"{API}/desk").json()["tasks"]
    assert [(t["project"]["name"], t["overdue"]) for t in tasks] == [("较早的项目", True), ("较晚的项目", False)]


@pytest.mark.django_db
def test_other_organisations_get_404_and_bad_input_422(client, demo_users, make_project, clock):
    project = make_project()
    round_id = route(client, demo_users, project)["round"]["id"]
    for outsider in ["applicant2", "county", "expert"]:
        as_user(client, demo_users, outsider)
        assert client.get(f"{API}/rounds/{round_id}").status_code == 404, outsider
    as_user(client, demo_users, "applicant")
    assert client.get(f"{API}/rounds/{round_id}").status_code == 404  # the unit sees no experts or opinions
    as_user(client, demo_users, "finance")
    task = next(t for t in client.get(f"{API}/rounds/{round_id}").json()["tasks"] if t["member"] == "finance")
    bad = post(client, f"{API}/tasks/{task['id']}/opinion", {"conclusion": "ok", "comments": {}})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "conclusion"
    missing = post(client, f"{API}/tasks/{task['id']}/opinion", {"conclusion": "agree", "comments": {}})
    assert missing.status_code == 400 and missing.json()["field"] == "comments.funding"


@pytest.mark.django_db
def test_a_second_route_of_the_same_project_is_refused(client, demo_users, make_project, clock):
    project = make_project()
    route(client, demo_users, project)
    again = post(client, f"{API}/projects/{project.pk}/route", {"assessment": assessment()})
    assert again.status_code == 409


@pytest.mark.django_db
def test_self_procurement_needs_only_the_budget_before_procurement(client, demo_users, make_project, clock):
    project = make_project()
    assert route(client, demo_users, project, path="self_procurement")["status"] == "approved"
    as_user(client, demo_users, "applicant")
    assert post(client, f"{API}/projects/{project.pk}/file").json()["status"] == "filed"
    procurement_ready(project, demo_users["applicant"])
    with pytest.raises(DomainError, match="财政预算批复") as refused:
        project_transition(project=project, action="start_procurement", actor=demo_users["applicant"])
    assert refused.value.article == "第二十一条"
    as_user(client, demo_users, "finance")
    assert post(client, f"{API}/projects/{project.pk}/budget",
                {"year": 2025, "amount": "400000", "source": "prefecture_fiscal"}).status_code == 200
    funding_route_record(project=project, actor=demo_users["finance"], route="prefecture_budget", budget_year=2025)
    done = project_transition(project=project, action="start_procurement", actor=demo_users["applicant"])
    assert done.status == Status.PROCUREMENT


@pytest.mark.django_db
def test_openapi_lists_the_review_routes(client, demo_users):
    client.force_login(demo_users["reviewer"])
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ["/api/v1/reviews/desk", "/api/v1/reviews/rounds/{round_id}", "/api/v1/reviews/tasks/{task_id}/opinion",
                 "/api/v1/reviews/rounds/{round_id}/consolidation/issue", "/api/v1/reviews/projects/{project_id}/approval"]:
        assert path in paths, path
