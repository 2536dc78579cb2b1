"""Shared builders for the review tests."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from tongchou.reviews.opinions import opinion_submit
from tongchou.reviews.panel import expert_conclusion_record

FIVE = ["digital_bureau", "crypto_bureau", "public_security", "development_reform", "finance"]
SHANGHAI = ZoneInfo("Asia/Shanghai")


def assessment(path: str = "joint_review", reviewers: list[str] | None = None, **extra):
    if reviewers is None:
        reviewers = FIVE if path == "joint_review" else []
    return {"review_path": path, "reviewers": reviewers, "expert_review": path == "joint_review",
            "authority": "prefecture_bureau", "support": "normal", "complete": True, "missing_materials": [],
            "findings": [], "obligations": [], **extra}


WRITERS = {"digital_bureau": "reviewer", "crypto_bureau": "crypto", "public_security": "police",
           "development_reform": "ndrc", "finance": "finance"}
COMMENTS = {
    "digital_bureau": {"integration_sharing": "已接入政务云和数据共享交换平台"},
    "crypto_bureau": {"crypto_application": "密码方案符合要求", "secrecy": "不涉密", "key_components": "国产化选型"},
    "public_security": {"security_supervision": "同意", "graded_protection": "按三级等保建设"},
    "development_reform": {"investment_estimate": "投资匡算基本合理", "project_approval": "符合立项条件"},
    "finance": {"funding": "纳入2025年预算"},
}


def submit(task, users, conclusion="agree", **extra):
    return opinion_submit(task=task, actor=users[WRITERS[task.member]], conclusion=conclusion,
                          comments=COMMENTS[task.member], **extra)


def expert(review_round, users, name="刘专家", conclusion="agree"):
    return expert_conclusion_record(review_round=review_round, actor=users["reviewer"], expert_name=name,
                                    expert_org="新疆大学", category="software", conclusion=conclusion,
                                    comments="技术方案可行")


def procurement_ready(project, user):
    """Delivery's procurement checklist (Art. 20, 27, 29), filled so that only reviews' guards decide."""
    from decimal import Decimal

    from django.utils import timezone

    from tongchou.delivery.services.procurement import procurement_record

    procurement_record(project=project, actor=user, method="open_tender", start_date=timezone.localdate(),
                       tender_free_om_months=12, tender_annual_om_fee=Decimal("100000"),
                       tender_ip_to_government=True, implementing_body="信息中心", responsible_person="张三",
                       responsible_phone="13900000000")


def approved_outcome(project, users, *, approval_date=None, amount=None):
    """The rows the review path leaves behind for an approved joint-review project — closed round,
    issued consolidated opinion, 立项批复 and budget — written directly, for other domains' tests that
    start from 已立项批复 (the path itself is tested in tests/reviews)."""
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    from tongchou.crypto.sm import sm3_hex
    from tongchou.reviews.access import authority_for
    from tongchou.reviews.deadlines import art26_deadline
    from tongchou.reviews.models import (
        ConsolidatedOpinion,
        ProjectApproval,
        ProjectBudget,
        ProjectRouting,
        ReviewRound,
    )

    approval_date = approval_date or project.approval_date or dt.date(2025, 3, 1)
    amount = amount or project.construction_cost or Decimal("1000000")
    authority = authority_for(project)
    now = timezone.now()
    ProjectRouting.objects.create(project=project, review_path="joint_review", authority=authority,
                                  reviewers=FIVE, expert_review=True, routed_at=now, routed_by=users["reviewer"])
    review_round = ReviewRound.objects.create(project=project, number=1, review_path="joint_review",
                                              authority=authority, expert_review=True, status="closed",
                                              opened_at=now, opened_by=users["reviewer"], closed_at=now)
    docx = b"issued-opinion"
    ConsolidatedOpinion.objects.create(
        round=review_round, title=f"关于{project.name}的行业主管部门审查意见", addressee=project.unit.name,
        body="经综合审查，同意。", conclusion="agree", status="issued", edited_by=users["reviewer"], edited_at=now,
        issuer=authority, doc_year=approval_date.year, doc_seq=900 + project.pk,
        doc_number=f"昌州数发〔{approval_date.year}〕{900 + project.pk}号", issued_on=approval_date, issued_at=now,
        issued_by=users["bureau"], docx=docx, docx_sm3=sm3_hex(docx))
    ProjectApproval.objects.create(project=project, doc_number=f"昌州发改投资〔{approval_date.year}〕1号",
                                   approval_date=approval_date, approved_amount=amount,
                                   procurement_deadline=art26_deadline(approval_date), recorded_by=users["ndrc"],
                                   recorded_at=now)
    ProjectBudget.objects.create(project=project, year=approval_date.year, amount=amount,
                                 source="prefecture_fiscal", recorded_by=users["finance"], recorded_at=now)
