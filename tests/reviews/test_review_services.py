"""The review round through its services: routing, parallel opinions, 补正, consolidation."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from docx import Document

from tests.reviews.helpers import COMMENTS, FIVE, SHANGHAI, assessment, consent_document, expert, submit
from tongchou.accounts.models import Organisation
from tongchou.audit.models import AuditEvent
from tongchou.core_errors import Conflict, DomainError
from tongchou.crypto.sm import sm3_hex
from tongchou.lifecycle.services import project_transition
from tongchou.projects.models import Project, Status
from tongchou.reviews.approvals import approval_record
from tongchou.reviews.consolidation import consolidation_draft, consolidation_edit, consolidation_issue
from tongchou.reviews.deadlines import art26_deadline
from tongchou.reviews.models import OpinionTask, ProjectApproval, ReviewRound, RoundStatus, TaskStatus
from tongchou.reviews.official_docx import docx_plain_text
from tongchou.reviews.opinions import opinion_submit, supplement_answer, supplement_request
from tongchou.reviews.panel import expert_conclusion_record
from tongchou.reviews.routing import review_round_cancel, review_round_open, review_route


@pytest.mark.django_db
def test_joint_review_opens_one_task_per_member_due_under_the_member_opinion_service_level(make_project, demo_users, clock):
    project = make_project()
    review_round = review_route(project=project, assessment=assessment(), actor=demo_users["reviewer"])
    assert review_round.status == RoundStatus.OPEN and review_round.expert_review
    tasks = list(review_round.tasks.order_by("id"))
    assert [t.member for t in tasks] == FIVE
    assert {t.due_date for t in tasks} == {dt.date(2025, 3, 12)}  # Mon 3 March + 7 working days (SLA-MEMBER-OPINION)
    assert {t.reviewer_org.code for t in tasks} == {"cj-digital", "cj-crypto", "cj-psb", "cj-ndrc", "cj-finance"}
    assert Project.objects.get(pk=project.pk).status == Status.UNDER_REVIEW
    assert AuditEvent.objects.filter(event="reviews.route", target_id=str(review_round.pk)).exists()
    assert AuditEvent.objects.filter(event="project.start_review", target_id=str(project.pk)).exists()


@pytest.mark.django_db
def test_security_review_opens_only_the_named_members(make_project, demo_users, clock):
    project = make_project()
    review_round = review_route(project=project, actor=demo_users["reviewer"], assessment=assessment(
        "security_review", ["crypto_bureau", "digital_bureau", "public_security"], expert_review=False))
    assert sorted(review_round.tasks.values_list("member", flat=True)) == [
        "crypto_bureau", "digital_bureau", "public_security"]
    assert not review_round.expert_review


@pytest.mark.django_db
def test_self_procurement_opens_no_round_and_goes_to_approved(make_project, demo_users, clock):
    project = make_project()
    assert review_route(project=project, assessment=assessment("self_procurement"),
                        actor=demo_users["reviewer"]) is None
    assert not ReviewRound.objects.filter(project=project).exists()
    assert Project.objects.get(pk=project.pk).status == Status.APPROVED
    assert project.routing.review_path == "self_procurement"


@pytest.mark.django_db
def test_routing_refuses_an_incomplete_or_unsupported_assessment(make_project, demo_users, clock):
    project = make_project()
    with pytest.raises(DomainError, match="申报材料不全") as refused:
        review_route(project=project, actor=demo_users["reviewer"],
                     assessment=assessment(complete=False, missing_materials=["feasibility_study"]))
    assert refused.value.article == "第十条"
    with pytest.raises(DomainError, match="不予支持"):
        review_route(project=project, actor=demo_users["reviewer"], assessment=assessment(support="not_supported"))
    with pytest.raises(DomainError) as refused:
        review_route(project=project, actor=demo_users["applicant"], assessment=assessment())
    assert refused.value.status == 403
    assert Project.objects.get(pk=project.pk).status == Status.SUBMITTED


@pytest.mark.django_db
def test_a_second_open_round_is_refused_by_the_service_and_the_database(make_project, demo_users, clock):
    project = make_project()
    first = review_route(project=project, assessment=assessment(), actor=demo_users["reviewer"])
    with pytest.raises(Conflict, match="已有进行中的审查轮次"):
        review_round_open(project=project, path="joint_review", reviewers=FIVE, expert_review=True,
                          actor=demo_users["reviewer"])
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewRound.objects.create(project=project, number=2, review_path="joint_review",
                                   authority=first.authority, opened_at=first.opened_at,
                                   opened_by=demo_users["reviewer"])
    with pytest.raises(IntegrityError), transaction.atomic():
        OpinionTask.objects.create(round=first, member="finance", reviewer_org=first.authority,
                                   opened_on=dt.date(2025, 3, 3), due_date=dt.date(2025, 3, 17))


@pytest.mark.django_db
@pytest.mark.parametrize("order", [FIVE, FIVE[::-1], ["finance", "digital_bureau", "public_security",
                                                      "crypto_bureau", "development_reform"]])
def test_opinions_arrive_in_any_order_and_consolidation_waits_for_all(make_project, demo_users, clock, order):
    project = make_project()
    review_round = review_route(project=project, assessment=assessment(), actor=demo_users["reviewer"])
    expert(review_round, demo_users)
    tasks = {t.member: t for t in review_round.tasks.all()}
    for member in order:
        with pytest.raises(Conflict, match="暂不能综合") as refused:
            consolidation_draft(review_round=review_round, actor=demo_users["reviewer"])
        assert refused.value.article == "第十四条"
        submit(tasks[member], demo_users)
    draft = consolidation_draft(review_round=review_round, actor=demo_users["reviewer"])
    assert draft.conclusion == "agree"
    assert "州党委机要保密局意见：同意" in draft.body and "专家刘专家" in draft.body


@pytest.mark.django_db
def test_the_experts_conclusion_is_also_required_for_a_joint_review(make_project, demo_users, clock):
    review_round = review_route(project=make_project(), assessment=assessment(), actor=demo_users["reviewer"])
    for task in review_round.tasks.all():
        submit(task, demo_users)
    with pytest.raises(Conflict, match="专家评审意见"):
        consolidation_draft(review_round=review_round, actor=demo_users["reviewer"])


@pytest.mark.django_db
@pytest.mark.parametrize(("writer", "member"), [("police", "crypto_bureau"), ("crypto", "finance"),
                                                ("reviewer", "finance"), ("applicant", "digital_bureau"),
                                                ("ndrc", "digital_bureau"), ("county", "digital_bureau")])
def test_a_member_cannot_write_another_members_task(make_project, demo_users, clock, writer, member):
    review_round = review_route(project=make_project(), assessment=assessment(), actor=demo_users["reviewer"])
    task = review_round.tasks.get(member=member)
    with pytest.raises(DomainError) as refused:
        opinion_submit(task=task, actor=demo_users[writer], conclusion="agree", comments=COMMENTS[member])
    assert refused.value.status == 403
    assert OpinionTask.objects.get(pk=task.pk).status == TaskStatus.OPEN


@pytest.mark.django_db
def test_an_opinion_needs_every_aspect_and_a_reason_for_a_reduction(make_project, demo_users, clock):
    review_round = review_route(project=make_project(), assessment=assessment(), actor=demo_users["reviewer"])
    task = review_round.tasks.get(member="crypto_bureau")
    with pytest.raises(DomainError) as refused:
        opinion_submit(task=task, actor=demo_users["crypto"], conclusion="agree",
                       comments={"crypto_application": "好"})
    assert refused.value.field == "comments.secrecy"
    ndrc = review_round.tasks.get(member="development_reform")
    with pytest.raises(DomainError) as refused:
        submit(ndrc, demo_users, cost_reduction="120000")
    assert refused.value.field == "reduction_reasons"
    with pytest.raises(DomainError) as refused:
        submit(ndrc, demo_users, conclusion="maybe")
    assert refused.value.field == "conclusion"
    opinion = submit(ndrc, demo_users, conclusion="agree_with_changes", cost_reduction="120000.50",
                     reduction_reasons="硬件单价偏高")
    assert opinion.cost_reduction == Decimal("120000.50")
    with pytest.raises(Conflict, match="不能重复提交"):
        submit(ndrc, demo_users)


@pytest.mark.django_db
def test_a_supplement_request_stops_the_tasks_clock(make_project, demo_users, clock):
    review_round = review_route(project=make_project(), assessment=assessment(), actor=demo_users["reviewer"])
    task = review_round.tasks.get(member="public_security")
    other = review_round.tasks.get(member="finance")
    clock.move_to(dt.datetime(2025, 3, 5, 10, 0, tzinfo=SHANGHAI))  # Wednesday
    request = supplement_request(task=task, actor=demo_users["police"], question="请补充等保定级备案证明")
    assert OpinionTask.objects.get(pk=task.pk).status == TaskStatus.PAUSED
    with pytest.raises(Conflict, match="补正"):
        submit(OpinionTask.objects.get(pk=task.pk), demo_users)
    with pytest.raises(DomainError) as refused:
        supplement_answer(request=request, actor=demo_users["applicant2"], answer="见附件")
    assert refused.value.status == 403
    clock.move_to(dt.datetime(2025, 3, 12, 16, 0, tzinfo=SHANGHAI))  # next Wednesday: 5 working days paused
    answered = supplement_answer(request=request, actor=demo_users["applicant"], answer="已上传备案证明")
    assert answered.paused_working_days == 5
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN and task.paused_working_days == 5
    assert task.due_date == dt.date(2025, 3, 19)  # 12 March shifted by five working days
    assert OpinionTask.objects.get(pk=other.pk).due_date == dt.date(2025, 3, 12)
    events = list(AuditEvent.objects.filter(event__startswith="reviews.supplement").values_list("event", flat=True))
    assert events == ["reviews.supplement_request", "reviews.supplement_answer"]


def _complete_round(make_project, users, conclusions=None):
    review_round = review_route(project=make_project(), assessment=assessment(), actor=users["reviewer"])
    expert(review_round, users)
    for task in review_round.tasks.all():
        submit(task, users, conclusion=(conclusions or {}).get(task.member, "agree"))
    return review_round


@pytest.mark.django_db
def test_a_dissent_must_be_answered_before_issue(make_project, demo_users, clock):
    review_round = _complete_round(make_project, demo_users, {"public_security": "disagree"})
    draft = consolidation_draft(review_round=review_round, actor=demo_users["reviewer"])
    assert draft.conclusion == "agree_with_changes"
    with pytest.raises(DomainError) as refused:
        consolidation_issue(consolidated=draft, actor=demo_users["bureau"])
    assert refused.value.field == "dissent_responses.public_security"
    with pytest.raises(DomainError, match="不同意意见"):
        consolidation_edit(consolidated=draft, actor=demo_users["reviewer"], title=draft.title, body=draft.body,
                           conclusion="agree_with_changes", dissent_responses={"finance": "无"})
    edited = consolidation_edit(consolidated=draft, actor=demo_users["reviewer"], title=draft.title,
                                body=draft.body, conclusion="agree_with_changes", expected_version=draft.version,
                                dissent_responses={"public_security": "已要求按三级等保整改后再实施"})
    with pytest.raises(DomainError, match="负责人签发"):
        consolidation_issue(consolidated=edited, actor=demo_users["reviewer"])
    issued = consolidation_issue(consolidated=edited, actor=demo_users["bureau"])
    text = docx_plain_text(bytes(issued.docx))
    assert "州公安局提出不同意意见。处理意见：已要求按三级等保整改后再实施" in text
    assert "四、对成员单位不同意意见的处理" in text  # after 一 成员单位, 二 专家, 三 审查结论
    assert text.index("四、对成员单位不同意意见的处理") < text.index("特此函告。")


@pytest.mark.django_db
def test_issue_numbers_the_opinion_builds_the_docx_and_moves_the_project(make_project, demo_users, clock):
    numbers = []
    for _ in range(2):
        review_round = _complete_round(make_project, demo_users)
        draft = consolidation_draft(review_round=review_round, actor=demo_users["reviewer"])
        issued = consolidation_issue(consolidated=draft, actor=demo_users["bureau"])
        numbers.append(issued.doc_number)
    assert numbers == ["昌州数发〔2025〕1号", "昌州数发〔2025〕2号"]
    data = bytes(issued.docx)
    assert issued.docx_sm3 == sm3_hex(data)
    text = docx_plain_text(data)
    assert "昌州数发〔2025〕2号" in text
    assert "关于智慧校园平台的行业主管部门审查意见" in text
    assert "昌吉州教育局：" in text and "二〇二五年三月三日" in text
    assert "州财政局意见：同意。资金安排：纳入2025年预算" in text
    fonts = {r.font.name for p in Document(io.BytesIO(data)).paragraphs for r in p.runs}
    assert {"仿宋_GB2312", "方正小标宋简体"} <= fonts
    project = Project.objects.get(pk=review_round.project_id)
    assert project.status == Status.OPINION_ISSUED
    assert ReviewRound.objects.get(pk=review_round.pk).status == RoundStatus.CLOSED
    issue_event = AuditEvent.objects.filter(event="reviews.consolidation_issue").latest("id")
    assert issue_event.data["docx_sm3"] == issued.docx_sm3
    with pytest.raises(Conflict, match="已印发"):
        consolidation_issue(consolidated=issued, actor=demo_users["bureau"])


@pytest.mark.django_db
def test_issue_opinion_is_guarded_by_the_consolidated_opinion(make_project, demo_users, clock):
    project = make_project()
    review_route(project=project, assessment=assessment(), actor=demo_users["reviewer"])
    with pytest.raises(DomainError, match="尚未印发"):
        project_transition(project=project, action="issue_opinion", actor=demo_users["bureau"])


@pytest.mark.django_db
def test_art13_exception_is_shown_and_each_reviewer_decides(make_project, demo_users, clock):
    exception = {"legal_basis": "《自治区政务专网管理办法》第八条", "superior_consent": True,
                 "consent_document": "自治区教育厅同意函"}
    with pytest.raises(DomainError, match="法律依据"):
        review_route(project=make_project(), actor=demo_users["reviewer"],
                     assessment=assessment(support="conditional"),
                     exception={"legal_basis": "", "superior_consent": True})
    project = make_project()
    document = consent_document(project, demo_users["applicant"])
    review_round = review_route(project=project, actor=demo_users["reviewer"],
                                assessment=assessment(support="conditional"), exception=exception)
    assert review_round.exception["consent_document"] == "自治区教育厅同意函"
    task = review_round.tasks.get(member="crypto_bureau")
    with pytest.raises(DomainError) as refused:
        submit(task, demo_users)
    assert refused.value.field == "exception_decision"
    with pytest.raises(DomainError) as refused:
        submit(task, demo_users, exception_decision="refused")
    assert refused.value.field == "exception_reason"
    opinion = submit(task, demo_users, exception_decision="refused", exception_reason="可整合到电子政务外网")
    assert opinion.exception_decision == "refused"
    for t in review_round.tasks.exclude(member="crypto_bureau"):
        accepted = submit(t, demo_users, exception_decision="accepted")
        assert accepted.exception_document == document and accepted.exception_document_sm3 == document.sm3
    expert(review_round, demo_users)
    draft = consolidation_draft(review_round=review_round, actor=demo_users["reviewer"])
    assert "州党委机要保密局不接受例外（可整合到电子政务外网）" in draft.body


@pytest.mark.django_db
def test_a_county_project_is_reviewed_by_its_county_bureau(make_project, demo_users, clock):
    project = make_project(unit_code="changji-edu", level="county", submitter="countyapp")
    with pytest.raises(DomainError):
        review_route(project=project, assessment=assessment(), actor=demo_users["reviewer"])
    review_round = review_route(project=project, assessment=assessment(), actor=demo_users["county"])
    assert review_round.authority.code == "changji-digital"
    assert set(review_round.tasks.values_list("reviewer_org__code", flat=True)) == {"changji-digital"}
    task = review_round.tasks.get(member="finance")
    with pytest.raises(DomainError):
        submit(task, demo_users)  # the prefecture finance bureau is not this round's reviewer
    opinion_submit(task=task, actor=demo_users["county"], conclusion="agree", comments=COMMENTS["finance"])
    for t in review_round.tasks.exclude(member="finance"):
        opinion_submit(task=t, actor=demo_users["county"], conclusion="agree", comments=COMMENTS[t.member])
    expert_conclusion_record(review_round=review_round, actor=demo_users["county"], expert_name="王专家",
                             conclusion="agree", comments="可行")
    draft = consolidation_draft(review_round=review_round, actor=demo_users["county"])
    assert draft.issuer.code == "changji-digital"


@pytest.mark.django_db
def test_doc_numbers_restart_each_year_and_per_issuer(demo_users):
    from tongchou.reviews.docnumber import doc_number_allocate

    bureau = Organisation.objects.get(code="cj-digital")
    county = Organisation.objects.get(code="changji-digital")
    got = [doc_number_allocate(issuer=o, year=y)[1]
           for o, y in itertools.product([bureau, county], [2025, 2026])]
    got.append(doc_number_allocate(issuer=bureau, year=2025)[1])
    assert got == ["昌州数发〔2025〕1号", "昌州数发〔2026〕1号", "昌吉市数发〔2025〕1号", "昌吉市数发〔2026〕1号",
                   "昌州数发〔2025〕2号"]


@pytest.mark.django_db
def test_a_cancelled_round_makes_way_for_a_new_one_and_keeps_its_opinions(make_project, demo_users, clock):
    project = make_project()
    first = review_route(project=project, assessment=assessment(), actor=demo_users["reviewer"])
    submit(first.tasks.get(member="finance"), demo_users)
    with pytest.raises(DomainError, match="原因"):
        review_round_cancel(review_round=first, actor=demo_users["reviewer"], reason=" ")
    with pytest.raises(DomainError):
        review_round_cancel(review_round=first, actor=demo_users["crypto"], reason="方案已替换")
    review_round_cancel(review_round=first, actor=demo_users["reviewer"], reason="项目单位已替换技术方案")
    second = review_round_open(project=project, path="joint_review", reviewers=FIVE, expert_review=True,
                               actor=demo_users["reviewer"])
    assert second.number == 2 and second.tasks.count() == 5
    assert first.opinions.count() == 1
    with pytest.raises(Conflict, match="已结束"):
        submit(first.tasks.get(member="crypto_bureau"), demo_users)


@pytest.mark.django_db
def test_a_county_projects_approval_is_recorded_by_the_county_bureau_lead(make_project, demo_users, clock):
    county_lead = demo_users["countylead"]
    project = make_project(unit_code="changji-edu", level="county", submitter="countyapp")
    review_round = review_route(project=project, assessment=assessment(
        "security_review", ["crypto_bureau", "public_security"], expert_review=False), actor=demo_users["county"])
    for task in review_round.tasks.all():
        opinion_submit(task=task, actor=demo_users["county"], conclusion="agree", comments=COMMENTS[task.member])
    issued = consolidation_issue(consolidated=consolidation_draft(review_round=review_round, actor=demo_users["county"]),
                                 actor=county_lead)
    assert issued.doc_number == "昌吉市数发〔2025〕1号"
    with pytest.raises(DomainError, match="县市数字化发展局负责人"):
        approval_record(project=project, actor=demo_users["ndrc"], doc_number="昌市发改〔2025〕3号",
                        approval_date=dt.date(2025, 3, 3), approved_amount="300000")
    approval_record(project=project, actor=county_lead, doc_number="昌市发改〔2025〕3号",
                    approval_date=dt.date(2025, 3, 3), approved_amount="300000")
    assert ProjectApproval.objects.get(project=project).procurement_deadline == dt.date(2026, 3, 3)
    assert Project.objects.get(pk=project.pk).status == Status.APPROVED


def test_the_art26_deadline_of_a_29_february_approval_is_28_february():
    assert art26_deadline(dt.date(2024, 2, 29)) == dt.date(2025, 2, 28)
    assert art26_deadline(dt.date(2025, 1, 17)) == dt.date(2026, 1, 17)
