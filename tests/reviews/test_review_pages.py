"""The review desk, the round page, the consolidation editor and the approval page in the browser's
terms: GET pages, POST forms, follow redirects, read the messages."""

from __future__ import annotations

import io

import pytest
from docx import Document

from tests.reviews.helpers import COMMENTS, WRITERS, assessment, expert
from tongchou.projects.models import Project, Status
from tongchou.reviews.models import Opinion
from tongchou.reviews.routing import review_route


def as_user(client, demo_users, username):
    client.logout()
    client.force_login(demo_users[username])


def opinion_post(task, conclusion="agree"):
    data = {f"t{task.pk}-conclusion": conclusion}
    for code, text in COMMENTS[task.member].items():
        data[f"t{task.pk}-aspect_{code}"] = text
    return data


@pytest.mark.django_db
def test_desk_round_page_and_consolidation_editor(client, demo_users, make_project, clock):
    project = make_project(name="州教育局智慧校园平台")
    review_round = review_route(project=project, assessment=assessment(), actor=demo_users["reviewer"])
    tasks = {t.member: t for t in review_round.tasks.all()}

    as_user(client, demo_users, "finance")
    page = client.get("/reviews/").content.decode()
    assert "审查工作台" in page and "州教育局智慧校园平台" in page and "2025-03-12" in page

    round_url = f"/reviews/rounds/{review_round.pk}/"
    page = client.get(round_url).content.decode()
    assert page.count("出具意见</button>") == 1  # only the finance column has a form for this user

    # Finance posts to the police's task: refused with the reason, nothing written.
    response = client.post(f"/reviews/tasks/{tasks['public_security'].pk}/opinion/",
                           opinion_post(tasks["public_security"]), follow=True)
    assert "无权出具意见" in response.content.decode()
    assert not Opinion.objects.exists()

    # An incomplete form names the missing field.
    response = client.post(f"/reviews/tasks/{tasks['finance'].pk}/opinion/",
                           {f"t{tasks['finance'].pk}-conclusion": "agree"}, follow=True)
    assert "资金安排方面意见" in response.content.decode()

    for member, task in tasks.items():
        as_user(client, demo_users, WRITERS[member])
        conclusion = "disagree" if member == "public_security" else "agree"
        response = client.post(f"/reviews/tasks/{task.pk}/opinion/", opinion_post(task, conclusion), follow=True)
        assert "已出具" in response.content.decode(), member

    as_user(client, demo_users, "reviewer")
    page = client.get(round_url).content.decode()
    assert page.count("<strong>同意</strong>") == 4 and "<strong>不同意</strong>" in page
    assert "专家评审意见" in page and "尚待：专家评审意见" in page
    response = client.post(f"/reviews/rounds/{review_round.pk}/experts/",
                           {"expert_name": "刘专家", "conclusion": "agree", "comments": "可行"}, follow=True)
    assert "已登记专家评审意见" in response.content.decode()

    editor = f"/reviews/rounds/{review_round.pk}/consolidation/"
    client.post(editor, {"action": "draft"})
    page = client.get(editor).content.decode()
    assert "对州公安局不同意意见的处理" in page and "签发并印发" not in page
    form = {"title": "关于州教育局智慧校园平台的行业主管部门审查意见", "addressee": "昌吉州教育局",
            "conclusion": "agree_with_changes", "body": "经审查，原则同意。", "version": 1}
    as_user(client, demo_users, "bureau")
    response = client.post(editor, {**form, "action": "issue"}, follow=True)
    assert "州公安局提出了不同意意见" in response.content.decode()
    response = client.post(editor, {**form, "version": 2, "action": "issue",
                                    "dissent_public_security": "已要求整改等保方案"}, follow=True)
    page = response.content.decode()
    assert "审查意见已印发：昌州数发〔2025〕1号" in page
    assert Project.objects.get(pk=project.pk).status == Status.OPINION_ISSUED

    download = client.get(f"/reviews/rounds/{review_round.pk}/consolidation.docx")
    assert download.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(download.content)).paragraphs)
    assert "昌州数发〔2025〕1号" in text and "经审查，原则同意。" in text and "已要求整改等保方案" in text


@pytest.mark.django_db
def test_the_approval_page_takes_the_ndrc_approval_and_the_finance_budget(client, demo_users, make_project, clock):
    project = make_project()
    review_round = review_route(project=project, assessment=assessment(), actor=demo_users["reviewer"])
    from tests.reviews.helpers import submit
    from tongchou.reviews.consolidation import consolidation_draft, consolidation_issue

    expert(review_round, demo_users)
    for task in review_round.tasks.all():
        submit(task, demo_users)
    consolidation_issue(consolidated=consolidation_draft(review_round=review_round, actor=demo_users["reviewer"]),
                        actor=demo_users["bureau"])
    url = f"/reviews/projects/{project.pk}/"
    as_user(client, demo_users, "finance")
    assert "登记立项批复" not in client.get(url).content.decode()
    response = client.post(url, {"action": "approval", "doc_number": "X", "approval_date": "2025-03-03",
                                 "approved_amount": "1"}, follow=True)
    assert "您无权" in response.content.decode()
    as_user(client, demo_users, "ndrc")
    response = client.post(url, {"action": "approval", "doc_number": "昌州发改投资〔2025〕45号",
                                 "approval_date": "2025-03-03", "approved_amount": "1500000"}, follow=True)
    page = response.content.decode()
    assert "已登记立项批复" in page and "2026-03-03" in page
    as_user(client, demo_users, "finance")
    response = client.post(url, {"action": "budget", "year": "2025", "amount": "1500000",
                                 "source": "prefecture_fiscal"}, follow=True)
    assert "已登记预算安排" in response.content.decode()
    as_user(client, demo_users, "applicant")
    page = client.get(url).content.decode()
    assert "昌州数发〔2025〕1号" in page and "第1轮联合会审" not in page  # the opinion, not the round's inner workings
    download = client.get(f"/reviews/rounds/{review_round.pk}/consolidation.docx")
    assert download.status_code == 200 and download.content[:2] == b"PK"
    response = client.post(url, {"action": "file"}, follow=True)
    assert "已向数字化发展局报备" in response.content.decode()
    assert Project.objects.get(pk=project.pk).status == Status.FILED
    as_user(client, demo_users, "applicant2")
    assert client.get(url).status_code == 404
    assert client.get(f"/reviews/rounds/{review_round.pk}/consolidation.docx").status_code == 404


@pytest.mark.django_db
def test_the_approval_headings_name_who_records_them_for_the_project(client, demo_users, make_project, clock):
    """A county project's 立项批复 and 预算 are recorded by the county bureau's lead for the county's own offices
    (Art. 19, 36), not by the prefecture's commission and finance bureau; the funding sources read as on the
    application form."""
    county = make_project(unit_code="changji-edu", level="county", submitter="countyapp")
    as_user(client, demo_users, "countylead")
    page = client.get(f"/reviews/projects/{county.pk}/").content.decode()
    assert "<h2>立项批复（县市数字化发展局负责人代县市发改部门登记）</h2>" in page
    assert "<h2>预算安排（县市数字化发展局负责人代县市财政部门登记）</h2>" in page
    assert "（发改委）" not in page and "（财政局）" not in page
    assert '<option value="self_raised">自筹资金</option>' in page
    prefecture = make_project()
    as_user(client, demo_users, "reviewer")
    page = client.get(f"/reviews/projects/{prefecture.pk}/").content.decode()
    assert "<h2>立项批复（州发改委）</h2>" in page and "<h2>预算安排（州财政局）</h2>" in page


@pytest.mark.django_db
def test_navigation_lists_the_review_desk(client, demo_users):
    as_user(client, demo_users, "crypto")
    assert '<a href="/reviews/"' in client.get("/").content.decode()


@pytest.mark.django_db
def test_the_applicant_answers_a_supplement_from_the_desk_and_reviewers_see_the_art13_case(
        client, demo_users, make_project, clock):
    from tongchou.reviews.opinions import supplement_request

    exception = {"legal_basis": "《自治区政务专网管理办法》第八条", "superior_consent": True,
                 "consent_document": "自治区教育厅同意函"}
    review_round = review_route(project=make_project(), actor=demo_users["reviewer"],
                                assessment=assessment(support="conditional"), exception=exception)
    task = review_round.tasks.get(member="public_security")
    request = supplement_request(task=task, actor=demo_users["police"], question="请补充等保定级备案表")

    as_user(client, demo_users, "police")
    page = client.get(f"/reviews/rounds/{review_round.pk}/").content.decode()
    assert "第十三条例外情形" in page and "自治区教育厅同意函" in page and "待答复" in page

    as_user(client, demo_users, "applicant")
    desk = client.get("/reviews/").content.decode()
    assert "请补充等保定级备案表" in desk
    response = client.post(f"/reviews/supplements/{request.pk}/answer/", {f"a{request.pk}-answer": "已上传备案表"},
                           follow=True)
    assert "补正答复已提交" in response.content.decode()
    task.refresh_from_db()
    assert task.status == "open"

    as_user(client, demo_users, "applicant2")
    assert client.post(f"/reviews/supplements/{request.pk}/answer/", {f"a{request.pk}-answer": "x"}).status_code == 404


@pytest.mark.django_db
def test_a_member_not_in_a_security_review_cannot_see_it(client, demo_users, make_project, clock):
    review_round = review_route(project=make_project(), actor=demo_users["reviewer"], assessment=assessment(
        "security_review", ["crypto_bureau", "public_security"], expert_review=False))
    for outsider in ["finance", "ndrc"]:
        as_user(client, demo_users, outsider)
        assert client.get(f"/reviews/rounds/{review_round.pk}/").status_code == 404
        assert client.get(f"/api/v1/reviews/rounds/{review_round.pk}").status_code == 404
    as_user(client, demo_users, "crypto")
    assert client.get(f"/reviews/rounds/{review_round.pk}/").status_code == 200
