from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tongchou.accounts.seed import DEMO_PASSWORD, seed_demo_users, seed_organisations
from tongchou.calendar.services import calendar_seed
from tongchou.delivery.demo import seed_demo_delivery
from tongchou.demand.demo import seed_demo_demand
from tongchou.experts.demo import seed_demo_experts
from tongchou.projects.demo import seed_demo_register
from tongchou.reviews.demo import seed_demo_reviews
from tongchou.web.demo_lifecycle import demo_guide, seed_demo_lifecycle


class Command(BaseCommand):
    help = "载入演示数据（可重复执行，不会重复添加）/ load the demo data (idempotent)"

    def handle(self, *args: Any, **options: Any) -> None:
        orgs = seed_organisations()
        users = seed_demo_users()
        self.stdout.write(f"组织 {orgs} 个；演示账号 {len(users)} 个（密码均为 {DEMO_PASSWORD}）：")
        for username, display, role in users:
            self.stdout.write(f"  {username:<12} {display}  {role}")
        cal = calendar_seed()
        self.stdout.write(f"工作日历：新增 {cal.created} 天（程序包覆盖至 {cal.years[-1] if cal.years else '无'} 年）")
        made, present = seed_demo_register()
        self.stdout.write(f"项目库：新增演示项目 {made} 个，已有 {present} 个（已按《办法》评估）")
        experts = seed_demo_experts()
        self.stdout.write(f"专家库：新增演示专家 {experts} 名")
        routed = seed_demo_reviews()
        self.stdout.write(f"审查：新分办演示项目 {routed} 个（审查工作台）")
        systems = seed_demo_delivery()
        self.stdout.write(f"应用系统台账：新增演示系统 {systems} 个")
        self.stdout.write(f"需求征集：2026 年度征集新增演示需求 {seed_demo_demand()} 个（含一组拆分申报示例）")
        built, present = seed_demo_lifecycle()
        self.stdout.write(f"全流程演示项目：新建 {built} 个，已有 {present} 个（经各环节服务办理，审计链完整）")
        self.stdout.write("各演示账号登录后可以看到：")
        for line in demo_guide():
            self.stdout.write(line)
