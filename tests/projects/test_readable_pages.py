"""What the project page and the live assessment say to people: the 时间线 in Chinese (labels, names,
articles, refusals) and assessment findings without contract field names or enum values."""

from __future__ import annotations

import pytest
import time_machine

from tests.projects.builders import build_texts, make_project, submitted_project
from tests.projects.test_application import _form
from tongchou.audit.services import audit_record
from tongchou.lifecycle.services import project_transition
from tongchou.projects.services import project_submit

pytestmark = pytest.mark.django_db

RAW = ("construction_cost", "joint_review", "funding_source", "xinjiang_aid", "buys_server_hardware",
       "project_type: new", "deployment: self_hosted", "self_hosted")


def _timeline(page: str) -> str:
    start = page.index("<h2>时间线</h2>")
    return page[start:page.index("</ol>", start)]


def test_the_timeline_reads_in_chinese_with_names_articles_notes_and_refusals(client, login, demo_users):
    applicant, reviewer = demo_users["applicant"], demo_users["reviewer"]
    with time_machine.travel("2025-06-02 09:00 +0800", tick=False):
        project = make_project(applicant, texts=build_texts(feasibility_study=""))
    with time_machine.travel("2025-06-02 10:00 +0800", tick=False), pytest.raises(Exception):  # noqa: B017, PT011
        project_submit(project=project, actor=applicant)  # refused: the feasibility study is missing
    with time_machine.travel("2025-06-03 09:00 +0800", tick=False):
        project.materials.update_or_create(kind="feasibility_study", defaults={"text": "可行性研究报告全文见附件。"})
        project_submit(project=project, actor=applicant)
    with time_machine.travel("2025-06-04 09:00 +0800", tick=False):
        project_transition(project=project, action="return", actor=reviewer, note="请补充数据共享分析。")
        audit_record(event="future.unknown_event", actor=reviewer, target=project)  # e.g. from a newer version

    login("applicant")
    response = client.get(f"/projects/{project.pk}/")
    assert response.status_code == 200
    timeline = _timeline(response.content.decode())
    steps = ["创建申报草稿", "提交申报（申报材料不全）", "保存评估结果", "提交申报", "退回补正", "future.unknown_event"]
    positions = [timeline.index(s, timeline.index(steps[i - 1]) + 1 if i else 0) for i, s in enumerate(steps)]
    assert positions == sorted(positions)  # one list, oldest first
    assert "张申报（昌吉州教育局）" in timeline and "赵审核（昌吉州数字化发展局）" in timeline
    assert "被拒绝" in timeline  # the refused submission
    assert "依据第九条、第十条" in timeline and "依据第十条" in timeline  # lifecycle steps carry their article
    assert "说明：请补充数据共享分析。" in timeline
    for raw in ("project.created", "project.submit", "project.return", "project.assessed", "applicant（", "refused"):
        assert raw not in timeline


def test_the_timeline_names_review_and_approval_events(client, login, demo_users):
    project = submitted_project(demo_users["applicant"])
    project_transition(project=project, action="start_review", actor=demo_users["reviewer"])
    audit_record(event="reviews.approval_record", actor=demo_users["reviewer"], target=project)
    login("reviewer")
    timeline = _timeline(client.get(f"/projects/{project.pk}/").content.decode())
    assert "受理并启动审查" in timeline and "依据第十四条、第十六条、第十七条" in timeline
    assert "登记立项批复" in timeline
    assert "project.start_review" not in timeline and "reviews.approval_record" not in timeline


def test_the_project_page_states_findings_without_field_names_or_enum_values(client, login, demo_users):
    project = submitted_project(demo_users["applicant"], construction_cost=500000, funding_source="xinjiang_aid",
                                buys_server_hardware=True, deployment="self_hosted")
    login("applicant")
    page = client.get(f"/projects/{project.pk}/").content.decode()
    for code in ("ART17-BOUNDARY", "ART2-REFERENCE", "ART12-1", "ART12-3"):
        assert f'data-code="{code}"' in page
    assert "项目资金（不含运维费用）恰为 500,000元" in page
    assert "本项目审查路径：联合会审" in page
    assert "资金来源为援疆资金，非州本级财政资金" in page
    assert "（新增采购服务器等硬件：是）" in page
    assert "非涉密新建项目部署于自建机房，不在政务云部署" in page
    for raw in RAW:
        assert raw not in page


def test_the_live_assessment_states_findings_without_field_names_or_enum_values(client, login):
    login("applicant")
    body = client.post("/projects/assess/", _form(construction_cost="500000", funding_source="xinjiang_aid",
                                                  buys_server_hardware="on", deployment="self_hosted")).content.decode()
    assert 'data-code="ART12-1"' in body and 'data-code="ART17-BOUNDARY"' in body
    assert "项目资金（不含运维费用）" in body and "本项目审查路径：联合会审" in body
    assert "资金来源为援疆资金，非州本级财政资金" in body and "（新增采购服务器等硬件：是）" in body
    for raw in RAW:
        assert raw not in body


@time_machine.travel("2025-06-02 09:00 +0800", tick=False)
def test_the_stored_assessment_names_its_rule_set_once(client, login, demo_users):
    project = submitted_project(demo_users["applicant"])
    login("applicant")
    page = client.get(f"/projects/{project.pk}/").content.decode()
    aside = page[page.index('<aside class="card">'):]
    aside = aside[:aside.index("</aside>")]
    ruleset = project.assessments.latest("assessed_at").ruleset_id
    assert ruleset and aside.count(ruleset) == 1 and f"规则集 {ruleset}（" in aside
