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



CONSENT_PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\n% written consent\ntrailer<<>>\n%%EOF\n"


def consent_document(project, user, name="自治区教育厅同意函.pdf"):
    """Art. 13's written consent filed on a project already out of the unit's hands (as if uploaded before
    submission): the document the reviewers' exception decision rests on (ADR 0195, 0196)."""
    from tongchou.documents.services import stored_file_create
    from tongchou.documents.uploads import PDF
    from tongchou.projects.models import ProjectAttachment

    stored = stored_file_create(data=CONSENT_PDF, display_name=name, kind=PDF, actor=user,
                                purpose="projects.attachment")
    return ProjectAttachment.objects.create(project=project, material="superior_consent", file=stored,
                                            uploaded_by=user)
