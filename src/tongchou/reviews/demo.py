"""Demo review rounds on the demo register, so the 审查工作台 has work on it. Idempotent: only
projects still in 已提交 are routed; each step goes through the services."""

from __future__ import annotations

from tongchou.accounts.models import User
from tongchou.projects.models import Project, Status
from tongchou.reviews.opinions import opinion_submit
from tongchou.reviews.panel import expert_conclusion_record
from tongchou.reviews.routing import review_route

WRITERS = {"digital_bureau": "reviewer", "crypto_bureau": "crypto", "public_security": "police",
           "development_reform": "ndrc", "finance": "finance"}
COMMENTS = {
    "digital_bureau": {"integration_sharing": "依托州政务云部署，已对接数据共享交换平台。"},
    "crypto_bureau": {"crypto_application": "密码应用方案基本可行。", "secrecy": "不涉及国家秘密。",
                      "key_components": "关键部件选型符合测评要求。"},
    "public_security": {"security_supervision": "安全管理制度健全。", "graded_protection": "应按等保三级同步建设。"},
    "development_reform": {"investment_estimate": "投资匡算基本合理。", "project_approval": "符合立项条件。"},
    "finance": {"funding": "资金来源为州本级财政，按程序纳入预算。"},
}

# (project name, members whose opinions are already in, record an expert conclusion)
PLAN = [
    ("昌吉州智慧教育云平台", ["digital_bureau", "finance"], False),
    ("州医保基金智能监管系统", list(WRITERS), True),
    ("州档案馆数字档案系统等保测评", [], False),
    ("州统计数据采集小程序", [], False),
]


def seed_demo_reviews() -> int:
    users = {u.username: u for u in User.objects.filter(username__in=[*WRITERS.values(), "reviewer"])}
    if "reviewer" not in users:
        return 0
    routed = 0
    for name, answered, with_expert in PLAN:
        project = Project.objects.filter(name=name, status=Status.SUBMITTED).first()
        if project is None:
            continue
        review_round = review_route(project=project, actor=users["reviewer"])
        routed += 1
        if review_round is None:
            continue
        for task in review_round.tasks.all():
            if task.member in answered and WRITERS[task.member] in users:
                opinion_submit(task=task, actor=users[WRITERS[task.member]], conclusion="agree",
                               comments=COMMENTS[task.member])
        if with_expert and review_round.expert_review:
            expert_conclusion_record(review_round=review_round, actor=users["reviewer"], expert_name="演示专家",
                                     expert_org="新疆大学", category="software", conclusion="agree",
                                     comments="技术路线可行，建议加强数据共享。")
    return routed
