"""Suspected splits of direct applications (Art. 8, 16) and duplicates (Art. 3): the live warning beside
the form, the finding kept at submission for the bureau, the bureau's audited judgement, visibility."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.projects.builders import build_texts, make_project
from tongchou.audit.models import AuditEvent
from tongchou.projects.models import Project, ProjectAssessment, SplitFinding, Status
from tongchou.projects.services import project_submit
from tongchou.reviews.models import ReviewRound

BOILER = ("项目依托州统一政务云平台部署，不新建机房；对接全州数据共享交换平台，实现数据共享和业务协同；"
          "按照网络安全等级保护三级要求进行安全防护，同步开展商用密码应用安全性评估。")
PHASE1 = ("全州中小学智慧校园管理平台（一期）",
          "主要任务：建设中小学智慧校园管理平台，包括电子班牌信息发布、校园一卡通消费与门禁、教师电子备课等功能。" + BOILER)
PHASE2 = ("全州中小学智慧校园管理平台（二期）",
          "主要任务：在一期基础上建设中小学智慧校园管理平台的家校互动通知、课后服务选课、校园安全预警等功能。" + BOILER)
UNRELATED = ("全州医保基金智能监管系统",
             "主要任务：建设医保基金智能审核、欺诈骗保线索筛查、定点医药机构稽核台账等功能。" + BOILER)
COST = Decimal("490000")


def _project(user, name_text, year=2026, cost=COST):
    name, text = name_text
    return make_project(user, name=name, year=year, construction_cost=cost, texts=build_texts(basic_info=text))


def _submitted(user, name_text, **kw):
    project = _project(user, name_text, **kw)
    project_submit(project=project, actor=user)
    project.refresh_from_db()
    return project


def _form(name_text, cost="490000", year="2026"):
    name, text = name_text
    data = {
        "name": name, "year": year, "funding_source": "prefecture_fiscal", "project_type": "new",
        "category": "development", "construction_cost": cost, "deployment": "gov_cloud",
        "original_project_accepted": "unknown", "key_components_compliant": "on", "crypto_compliant": "on",
        "goals_clear": "on", "internal_integration_done": "on", "data_sharing_done": "on",
        "provides_data_interface": "on",
    }
    data.update({f"m_{k}": v for k, v in build_texts(basic_info=text).items()})
    return data


@pytest.fixture
def first(demo_users):
    return _submitted(demo_users["applicant"], PHASE1)


@pytest.mark.django_db
def test_the_second_half_is_warned_live_with_the_combined_amount_and_path(client, login, first):
    login("applicant")
    body = client.post("/projects/assess/", _form(PHASE2)).content.decode()
    assert 'data-testid="split-warning"' in body and "疑似拆分" in body
    assert first.name in body and first.code in body
    assert '<strong data-testid="split-combined">980,000.00</strong>' in body
    assert '<strong data-testid="split-path">联合会审（第十七条）</strong>' in body
    assert "第十六条" in body and "规避更严格的审查" in body
    # The project's own assessment still says self-procurement: the warning does not change the path.
    assert "自行组织实施" in body


@pytest.mark.django_db
def test_an_unrelated_project_is_not_warned(client, login, first):
    login("applicant")
    body = client.post("/projects/assess/", _form(UNRELATED)).content.decode()
    assert 'data-testid="split-warning"' not in body and first.name not in body


@pytest.mark.django_db
def test_the_live_check_of_another_unit_shows_nothing_of_this_units_projects(client, login, first):
    login("applicant2")
    body = client.post("/projects/assess/", _form(PHASE2)).content.decode()
    assert first.name not in body and first.code not in body and "疑似拆分" not in body


@pytest.mark.django_db
def test_after_submission_the_bureau_sees_both_projects_and_the_joint_review_path(client, login, demo_users, first):
    second = _submitted(demo_users["applicant"], PHASE2)
    assert second.status == Status.SUBMITTED and second.review_path == "self_procurement"  # not blocked
    finding = SplitFinding.objects.get(project=second)
    assert finding.code == "ART8-SPLIT" and finding.article == "第八条、第十六条"
    assert finding.combined_cost == Decimal("980000.00") and finding.combined_path == "joint_review"
    assert finding.evades_review and [h["project_id"] for h in finding.evidence["split"]] == [first.pk]
    assert finding.ruleset_thresholds["joint_review_threshold"] == 500000
    assert AuditEvent.objects.filter(event="project.split_suspected", target_id=str(second.pk)).exists()
    login("bureau")
    for url in (f"/projects/{second.pk}/", f"/reviews/projects/{second.pk}/"):
        body = client.get(url).content.decode()
        assert 'data-testid="split-finding"' in body, url
        for text in (first.code, first.name, second.name, "490,000.00", "980,000.00", "第十六条", "联合会审（第十七条）",
                     first.unit.name):
            assert text in body, (url, text)
    body = client.get("/projects/splits/").content.decode()
    assert second.code in body and "980,000.00" in body
    # The earlier half shows the finding too, pointing to where it is judged.
    body = client.get(f"/projects/{first.pk}/").content.decode()
    assert 'data-testid="split-finding"' in body and "请在该项目页研判" in body and second.code in body
    assert "保存研判" not in body


@pytest.mark.django_db
def test_the_applicant_never_sees_the_stored_evidence(client, login, demo_users, first):
    second = _submitted(demo_users["applicant"], PHASE2)
    login("applicant")
    assert 'data-testid="split-finding"' not in client.get(f"/projects/{second.pk}/").content.decode()
    assert client.get("/projects/splits/").status_code == 404
    login("applicant2")
    assert client.get(f"/projects/{second.pk}/").status_code == 404
    assert client.post(f"/projects/{second.pk}/splits/{second.split_findings.get().pk}/judge/",
                       {"verdict": "dismissed", "reason": "x"}).status_code == 404
    assert SplitFinding.objects.get().verdict == "open"


@pytest.mark.django_db
def test_an_unrelated_submission_keeps_no_finding(demo_users, first):
    other = _submitted(demo_users["applicant"], UNRELATED)
    assert not SplitFinding.objects.filter(project=other).exists()


@pytest.mark.django_db
def test_another_units_similar_project_is_a_duplicate_not_a_split(client, login, demo_users, first):
    theirs = _submitted(demo_users["applicant2"], PHASE2)
    finding = SplitFinding.objects.get(project=theirs)
    assert finding.code == "ART3-DUPLICATE" and finding.article == "第三条、第五条"
    assert not finding.evidence["split"] and finding.combined_path == "" and not finding.evades_review
    assert [h["project_id"] for h in finding.evidence["overlap"]] == [first.pk]
    login("applicant2")  # the other unit's applicant never sees the evidence naming this unit's project
    body = client.get(f"/projects/{theirs.pk}/").content.decode()
    assert first.name not in body and first.code not in body and 'data-testid="split-finding"' not in body
    login("bureau")
    body = client.get(f"/projects/{theirs.pk}/").content.decode()
    assert "疑似重复建设" in body and first.code in body and 'data-kind="overlap"' in body


@pytest.mark.django_db
def test_the_round_page_and_the_calls_findings_page_show_the_finding(client, login, demo_users, first):
    from tests.demand.call_helpers import open_call

    second = _submitted(demo_users["applicant"], PHASE2)
    finding = second.split_findings.get()
    login("bureau")
    client.post(f"/projects/{second.pk}/splits/{finding.pk}/judge/",
                {"verdict": "confirmed", "outcome": "joint_review", "reason": "同一平台"})
    review_round = ReviewRound.objects.get(project=second)
    body = client.get(f"/reviews/rounds/{review_round.pk}/").content.decode()
    assert 'data-testid="split-finding"' in body and first.code in body and "确认拆分" in body
    login("crypto")  # a member reviewer reaches the round but not the finding
    body = client.get(f"/reviews/rounds/{review_round.pk}/").content.decode()
    assert 'data-testid="split-finding"' not in body
    other = _submitted(demo_users["applicant"], ("全州中小学智慧校园管理平台（三期）", PHASE2[1]))
    call = open_call(client, login, year=2026, deadline="2099-10-31T18:00:00+08:00")
    body = client.get(f"/demand/{call['id']}/findings/").content.decode()
    assert 'data-testid="project-split"' in body and other.code in body and second.code not in body  # open ones
    assert "/projects/splits/" in body


@pytest.mark.django_db
def test_a_previous_year_half_counts_and_one_two_years_back_does_not(demo_users):
    applicant = demo_users["applicant"]
    _submitted(applicant, PHASE1, year=2025)
    second = _submitted(applicant, PHASE2, year=2026)
    assert SplitFinding.objects.get(project=second).code == "ART8-SPLIT"
    third = _submitted(applicant, ("全州中小学智慧校园管理平台（三期）", PHASE2[1]), year=2028)
    assert not SplitFinding.objects.filter(project=third).exists()


@pytest.mark.django_db
def test_confirming_routes_the_project_to_joint_review_through_the_review_service(client, login, demo_users, first):
    second = _submitted(demo_users["applicant"], PHASE2)
    finding = second.split_findings.get()
    login("bureau")
    response = client.post(f"/projects/{second.pk}/splits/{finding.pk}/judge/",
                           {"verdict": "confirmed", "outcome": "joint_review", "reason": "两期内容为同一平台", "back": "review"})
    assert response.status_code == 302 and response["Location"] == f"/reviews/projects/{second.pk}/"
    second.refresh_from_db()
    finding.refresh_from_db()
    assert finding.verdict == "confirmed" and finding.outcome == "joint_review" and finding.judged_by.username == "bureau"
    assert second.status == Status.UNDER_REVIEW and second.review_path == "joint_review"
    review_round = ReviewRound.objects.get(project=second)
    assert review_round.review_path == "joint_review" and review_round.tasks.count() >= 2
    assert ProjectAssessment.objects.get(project=second, purpose="split_combined").facts["construction_cost"] in (
        "980000.00", 980000, 980000.0, "980000")
    event = AuditEvent.objects.get(event="project.split_judged", target_id=str(second.pk))
    assert event.data["verdict"] == "confirmed" and event.data["article"] == "第十六条"
    assert AuditEvent.objects.filter(event="project.start_review", target_id=str(second.pk)).exists()
    body = client.get(f"/projects/{second.pk}/").content.decode()
    assert 'data-testid="split-verdict"' in body and "确认拆分" in body
    # Judged once only.
    again = client.post(f"/projects/{second.pk}/splits/{finding.pk}/judge/",
                        {"verdict": "dismissed", "reason": "改判"}, follow=True).content.decode()
    assert "不能重复研判" in again


@pytest.mark.django_db
def test_confirming_with_return_sends_it_back_through_the_lifecycle(client, login, demo_users, first):
    second = _submitted(demo_users["applicant"], PHASE2)
    login("reviewer")
    client.post(f"/projects/{second.pk}/splits/{second.split_findings.get().pk}/judge/",
                {"verdict": "confirmed", "outcome": "returned"})
    second.refresh_from_db()
    assert second.status == Status.RETURNED
    event = AuditEvent.objects.get(event="project.return", target_id=str(second.pk))
    assert "拆分" in event.data["note"] and "980000.00" in event.data["note"]


@pytest.mark.django_db
def test_dismissing_needs_a_reason_and_is_audited(client, login, demo_users, first):
    second = _submitted(demo_users["applicant"], PHASE2)
    finding = second.split_findings.get()
    login("bureau")
    body = client.post(f"/projects/{second.pk}/splits/{finding.pk}/judge/", {"verdict": "dismissed", "reason": " "},
                       follow=True).content.decode()
    assert "排除疑似拆分须填写理由" in body
    finding.refresh_from_db()
    assert finding.verdict == "open" and not AuditEvent.objects.filter(event="project.split_judged").exists()
    client.post(f"/projects/{second.pk}/splits/{finding.pk}/judge/",
                {"verdict": "dismissed", "reason": "二期为独立的家校服务系统"})
    finding.refresh_from_db()
    second.refresh_from_db()
    assert finding.verdict == "dismissed" and finding.reason == "二期为独立的家校服务系统"
    assert second.status == Status.SUBMITTED  # nothing else changes
    event = AuditEvent.objects.get(event="project.split_judged", target_id=str(second.pk))
    assert event.data["reason"] == "二期为独立的家校服务系统" and event.actor_name


@pytest.mark.django_db
def test_a_routed_project_can_only_be_noted(client, login, demo_users, first):
    from tongchou.reviews.routing import review_route

    second = _submitted(demo_users["applicant"], PHASE2)
    review_route(project=second, actor=demo_users["bureau"])  # registered as self-procurement
    login("bureau")
    body = client.post(f"/projects/{second.pk}/splits/{second.split_findings.get().pk}/judge/",
                       {"verdict": "confirmed", "outcome": "joint_review"}, follow=True).content.decode()
    assert "已不能改走审查路径" in body and "记录在案" in body
    client.post(f"/projects/{second.pk}/splits/{second.split_findings.get().pk}/judge/",
                {"verdict": "confirmed", "outcome": "noted", "reason": "已自行采购，纳入监督"})
    assert SplitFinding.objects.get().outcome == "noted"
    assert Project.objects.get(pk=second.pk).status == Status.APPROVED


@pytest.mark.django_db
def test_the_member_reviewer_and_the_county_bureau_cannot_judge(client, login, demo_users, first):
    second = _submitted(demo_users["applicant"], PHASE2)
    finding = second.split_findings.get()
    login("county")  # a county bureau does not run a prefecture project (and does not reach it)
    assert client.post(f"/projects/{second.pk}/splits/{finding.pk}/judge/",
                       {"verdict": "dismissed", "reason": "x"}).status_code == 404
    finding.refresh_from_db()
    assert finding.verdict == "open"
