"""Demo data: the prefecture bureau's 2026 call with a handful of needs, including a planted split (one
platform in two phases, each under the joint-review threshold). Idempotent: a call is identified by its
bureau and year, a need by its call, unit and name."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from tongchou.accounts.models import Organisation, User
from tongchou.audit.services import audit_record
from tongchou.demand.models import Call, Need

BOILER = ("项目依托州统一政务云平台部署，不新建机房；对接全州数据共享交换平台；"
          "按照网络安全等级保护三级要求进行安全防护，同步开展商用密码应用安全性评估。")

# (username of the submitter, name, goals, content, technical route, cost, category, priority basis)
DEMO_NEEDS = [
    ("applicant", "智慧校园管理平台（一期）", "提升中小学校园管理和教学服务水平。",
     "建设电子班牌信息发布、校园一卡通消费与门禁、教师电子备课等功能。" + BOILER, "B/S 架构，微服务", 450_000,
     "development", "key_work"),
    ("applicant", "智慧校园管理平台（二期）", "提升中小学校园管理和教学服务水平。",
     "在一期基础上，建设家校互动通知、课后服务选课、校园安全预警等功能。" + BOILER, "B/S 架构，微服务", 430_000,
     "development", "key_work"),
    ("applicant", "学生资助管理系统", "精准识别家庭经济困难学生。",
     "建设困难学生认定、资助项目申请审批、资助资金发放台账、资助对象比对核查等功能。" + BOILER, "", 300_000,
     "development", ""),
    ("applicant2", "医保移动服务平台", "让参保群众掌上办理医保业务。",
     "建设参保登记、异地就医备案、门诊慢特病申请、医疗费用零星报销、医保关系转移接续等功能。" + BOILER, "", 600_000,
     "development", "other_necessary"),
    ("applicant2", "医保经办窗口设备更新", "改善医保经办大厅服务条件。",
     "采购排队叫号机、自助服务终端和高拍仪，覆盖州本级医保经办大厅。", "", 260_000, "equipment", ""),
]


# Art. 3 proposals; the equipment renewal is left 未分类 for the bureau to classify.
DEMO_MODES = {"智慧校园管理平台（一期）": "specialised", "智慧校园管理平台（二期）": "specialised",
              "学生资助管理系统": "specialised", "医保移动服务平台": "unified"}


def seed_demo_demand() -> int:
    """Returns how many needs were added."""
    bureau = Organisation.objects.filter(code="cj-digital").first()
    lead = User.objects.filter(username="bureau").first()
    if bureau is None or lead is None:
        return 0
    made = 0
    with transaction.atomic():
        call, created = Call.objects.get_or_create(bureau=bureau, year=2026, defaults={
            "title": "州数字化发展局 2026 年度数字政府项目需求征集",
            "instructions": "请各部门于截止时间前填报 2026 年度数字政府项目需求；相似的需求请合并填报，不得拆分。",
            "deadline": timezone.now() + dt.timedelta(days=30), "budget_cap": Decimal("2000000"),
            "created_by": lead})
        if created:
            audit_record(event="demand.call_opened", actor=lead, target=call, data={"year": 2026, "demo": True})
        for username, name, goals, content, route, cost, category, basis in DEMO_NEEDS:
            user = User.objects.filter(username=username).select_related("organisation").first()
            if user is None or user.organisation is None:
                continue
            _, new = Need.objects.get_or_create(call=call, unit=user.organisation, name=name, defaults={
                "goals": goals, "content": content, "technical_route": route, "estimated_cost": Decimal(cost),
                "category": category, "priority_basis": basis, "contact": f"{user.display_name or user.username} 0994-0000000",
                "created_by": user, "proposed_mode": DEMO_MODES.get(name, ""), "mode": DEMO_MODES.get(name, "")})
            made += new
    return made
