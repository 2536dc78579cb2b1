"""Demo projects carried through the lifecycle by the services, as the demo users would (ADR 0205): each
step writes its own audit event, opens its obligations and notifies, so the queues, deadlines, the
实施与运维 page and the audit chain show a working prefecture.

The services stamp today's date on some steps (an opinion's issue date, a decision's date). To give the
story its past, each step runs under `_on(day)` (`projects.demo.demo_clock`), which shifts
`django.utils.timezone.now` for the duration of that step only (not time_machine, a dev dependency).
Dates are fixed in 2025–2026, all before the demo was written, so every "not later than today" check
passes on any later day.

Idempotent: a project is identified by its unit and name; one that exists is left alone. Each story runs
in one transaction, so an interrupted run leaves no half-built project."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import transaction

from tongchou.accounts.models import Organisation, User
from tongchou.projects.demo import demo_clock as _on
from tongchou.projects.models import Project
from tongchou.reviews.demo import COMMENTS, WRITERS

D = dt.date

BOILER = ("项目依托州统一政务云平台部署，不新建机房；对接全州数据共享交换平台，实现数据共享和业务协同；"
          "按照网络安全等级保护二级要求进行安全防护，同步开展商用密码应用安全性评估。")
SPLIT_1 = ("州医保定点机构移动稽核系统（一期）",
           "主要任务：建设定点医药机构移动稽核系统，包括现场稽核任务派发、稽核取证拍照、稽核记录电子签名等功能。" + BOILER)
SPLIT_2 = ("州医保定点机构移动稽核系统（二期）",
           "主要任务：在一期基础上建设定点医药机构移动稽核系统的稽核结果统计分析、问题整改跟踪、稽核档案管理等功能。" + BOILER)


class Story:
    """One project's path, step by step, each step on its own day."""

    def __init__(self, users: dict[str, User], applicant: str, name: str, cost: int, *,
                 county: bool = False, texts: dict[str, str] | None = None, **facts: Any) -> None:
        self.u, self.unit_user, self.name, self.cost = users, users[applicant], name, Decimal(cost)
        self.county, self.texts, self.facts = county, texts, facts
        self.project: Project | None = None
        self.review_round: Any = None

    @property
    def p(self) -> Project:
        assert self.project is not None
        self.project.refresh_from_db()
        return self.project

    def at(self, day: dt.date, step: Callable[[], Any]) -> Any:
        with _on(day):
            return step()

    # ---- application and review --------------------------------------------------------------------
    def submit(self, day: dt.date) -> Story:
        from tongchou.projects.demo import _texts
        from tongchou.projects.services import project_create, project_submit

        data = {"name": self.name, "year": day.year, "construction_cost": self.cost, "project_type": "new",
                "category": "development", "deployment": "gov_cloud",
                "funding_source": "self_raised" if self.county else "prefecture_fiscal",
                "key_components_compliant": True, "crypto_compliant": True, "goals_clear": True,
                "internal_integration_done": True, "data_sharing_done": True, "provides_data_interface": True,
                **self.facts}
        texts = self.texts or _texts(self.name, {"project_type": "new"})
        with _on(day):
            self.project = project_create(actor=self.unit_user, data=data, texts=texts)
        with _on(day, 11):
            project_submit(project=self.p, actor=self.unit_user)
        return self

    def review(self, day: dt.date, issue_on: dt.date) -> Story:
        from tongchou.reviews.consolidation import consolidation_draft, consolidation_issue
        from tongchou.reviews.opinions import opinion_submit
        from tongchou.reviews.panel import expert_conclusion_record
        from tongchou.reviews.routing import review_route

        reviewer = self.u["county" if self.county else "reviewer"]
        lead = self.u["countylead" if self.county else "bureau"]
        with _on(day):
            self.review_round = review_route(project=self.p, actor=reviewer)
        assert self.review_round is not None, self.name
        with _on(day + dt.timedelta(days=3)):
            for task in self.review_round.tasks.all():
                # a county's review tasks are the county bureau's own (Art. 19, 36)
                writer = reviewer if self.county else self.u[WRITERS[task.member]]
                opinion_submit(task=task, actor=writer, conclusion="agree",
                               comments=COMMENTS[task.member])
            if self.review_round.expert_review:
                expert_conclusion_record(review_round=self.review_round, actor=reviewer, expert_name="演示专家",
                                         expert_org="新疆大学", category="software", conclusion="agree",
                                         comments="技术路线可行，建议加强数据共享。")
        with _on(issue_on):
            draft = consolidation_draft(review_round=self.review_round, actor=reviewer)
            consolidation_issue(consolidated=draft, actor=lead)
        return self

    def approve(self, day: dt.date) -> Story:
        from tongchou.reviews.approvals import approval_record

        decider = self.u["countylead" if self.county else "ndrc"]
        number = f"{'昌市发改' if self.county else '昌州发改'}〔{day.year}〕{day.month * 3 + day.day}号"
        with _on(day):
            approval_record(project=self.p, actor=decider, doc_number=number, approval_date=day,
                            approved_amount=self.cost)
        return self

    def fund_and_file(self, day: dt.date) -> Story:
        from tongchou.reviews.approvals import budget_record, project_file

        decider = self.u["countylead" if self.county else "finance"]
        with _on(day):
            budget_record(project=self.p, actor=decider, year=day.year, amount=self.cost,
                          source="self_raised" if self.county else "prefecture_fiscal")
            if not self.county:
                from tongchou.portfolio.funding import funding_route_record

                # Art. 15: the prefecture budget's route is on record before procurement (ADR 0103).
                funding_route_record(project=self.p, actor=decider, route="prefecture_budget", budget_year=day.year,
                                     reference=f"昌州财预〔{day.year}〕{day.day}号")
        with _on(day + dt.timedelta(days=2)):
            project_file(project=self.p, actor=self.unit_user)
        return self

    # ---- delivery -----------------------------------------------------------------------------------
    def procure(self, day: dt.date) -> Story:
        from tongchou.delivery.services.procurement import procurement_record, procurement_start

        with _on(day):
            procurement_record(project=self.p, actor=self.unit_user, method="open_tender", start_date=day,
                               tender_free_om_months=12, tender_annual_om_fee=self.cost / 10,
                               tender_ip_to_government=True, implementing_body=f"{self.p.unit.name}信息中心",
                               responsible_person="项目负责人", responsible_phone="13899990001")
            procurement_start(project=self.p, actor=self.unit_user)
        return self

    def contract(self, day: dt.date, vendor: str, free_om_months: int = 12) -> Story:
        from tongchou.delivery.services.procurement import contract_record, implementation_start
        from tongchou.delivery.services.security import security_profile_update

        with _on(day):
            contract_record(project=self.p, actor=self.unit_user, kind="development", vendor=vendor,
                            amount=self.cost * Decimal("0.96"), signed_on=day, construction_period_months=10,
                            free_om_months=free_om_months, ip_to_government=True)
            implementation_start(project=self.p, actor=self.unit_user, started_on=day)
            security_profile_update(project=self.p, actor=self.unit_user, crypto_plan="SM2/SM3/SM4 密码应用方案",
                                    grade=2)
        return self

    def milestones(self, rows: list[tuple[str, dt.date, dt.date | None]], today: dt.date) -> Story:
        from tongchou.delivery.services.procurement import milestone_add, milestone_complete

        for name, planned, done in rows:
            with _on(today):
                milestone = milestone_add(project=self.p, actor=self.unit_user, name=name, planned_on=planned)
            if done is not None:
                with _on(done):
                    milestone_complete(milestone=milestone, actor=self.unit_user, done_on=done)
        return self

    def trial(self, start: dt.date, end: dt.date | None = None) -> Story:
        from tongchou.delivery.services.acceptance import trial_finish, trial_start

        with _on(start):
            trial_start(project=self.p, actor=self.unit_user, started_on=start)
        if end is not None:
            with _on(end):
                trial_finish(project=self.p, actor=self.unit_user, ended_on=end, normal=True,
                             summary="试运行期间系统运行平稳，未发生重大故障。")
        return self

    def accept(self, apply_on: dt.date, convene_on: dt.date) -> Story:
        from tongchou.delivery.services.acceptance import (
            acceptance_apply,
            acceptance_conclude,
            committee_convene,
            operations_start,
        )
        from tongchou.delivery.services.inventory import system_register
        from tongchou.experts.models import DrawMember
        from tongchou.experts.services_draws import draw_execute, draw_prepare
        from tongchou.experts.services_members import member_respond

        bureau, ndrc = self.u["bureau"], self.u["ndrc"]
        with _on(apply_on):
            acceptance_apply(project=self.p, actor=self.unit_user, report="竣工验收报告：建设内容已全部完成，试运行正常。")
            record = draw_prepare(purpose="contract_acceptance", subject=f"{self.name}竣工验收", review_date=convene_on,
                                  needs=[{"category": "software", "count": 1}], actor=bureau, project=self.p)
            draw_execute(draw_record=record, actor=bureau)
            for member in DrawMember.objects.filter(draw=record, status="invited"):
                member_respond(member=member, accept=True, actor=bureau)
        drawn = DrawMember.objects.filter(draw=record, status="accepted").first()
        assert drawn is not None
        org = {o.member_role or o.code: o for o in Organisation.objects.filter(
            code__in=["cj-ndrc", "cj-finance", "cj-digital"])}
        members = [
            {"seat": "development_reform", "name": "吴发改", "organisation_id": org["development_reform"].pk},
            {"seat": "finance", "name": "郑财政", "organisation_id": org["finance"].pk},
            {"seat": "digital_bureau", "name": "钱局长", "organisation_id": Organisation.objects.get(code="cj-digital").pk},
            {"seat": "archives", "name": "州档案馆 王馆员", "organisation_id": Organisation.objects.get(code="cj-archives").pk},
            {"seat": "unit", "name": self.unit_user.display_name or self.unit_user.username,
             "organisation_id": self.p.unit_id},
            {"seat": "expert", "draw_member_id": drawn.pk},
        ]
        with _on(convene_on):
            committee_convene(project=self.p, actor=ndrc, members=members, convened_on=convene_on)
            acceptance_conclude(project=self.p, actor=ndrc, passed=True, conclusion="同意通过竣工验收。",
                                concluded_on=convene_on)
        with _on(convene_on + dt.timedelta(days=5)):
            system_register(actor=self.unit_user, owner=self.p.unit, name=self.name.removeprefix("州"),
                            purpose=f"{self.name}建成的应用系统", deployment="gov_cloud", built_by=self.p)
            operations_start(project=self.p, actor=self.unit_user)
        return self


def _users() -> dict[str, User]:
    return {u.username: u for u in User.objects.filter(username__in=[
        *WRITERS.values(), "bureau", "county", "countylead", "applicant", "applicant2", "countyapp"])}


def _exists(unit_user: User, name: str) -> bool:
    return Project.objects.filter(unit_id=unit_user.organisation_id, name=name).exists()


# ---- the stories --------------------------------------------------------------------------------------
def _waiting_for_approval(u: dict[str, User]) -> None:
    Story(u, "applicant2", "州医保电子凭证全场景应用平台", 1_200_000).submit(D(2026, 9, 7)).review(
        D(2026, 9, 9), D(2026, 10, 20))


def _waiting_for_budget(u: dict[str, User]) -> None:
    Story(u, "applicant", "州教育督导评估信息系统", 980_000).submit(D(2026, 8, 3)).review(
        D(2026, 8, 5), D(2026, 9, 15)).approve(D(2026, 10, 26))


def _in_implementation(u: dict[str, User]) -> None:
    s = Story(u, "applicant", "州智慧校园综合管理平台", 1_600_000).submit(D(2025, 9, 1)).review(
        D(2025, 9, 3), D(2025, 10, 15)).approve(D(2025, 11, 3)).fund_and_file(D(2025, 11, 20))
    s.procure(D(2026, 1, 12)).contract(D(2026, 4, 20), "新疆天山智联信息技术有限公司", free_om_months=6)
    s.milestones([("需求调研与设计", D(2026, 6, 30), D(2026, 6, 26)),
                  ("系统开发与集成", D(2026, 10, 31), None),
                  ("部署上线与试运行", D(2027, 1, 31), None)], today=D(2026, 4, 25))


def _ready_for_acceptance(u: dict[str, User]) -> None:
    s = Story(u, "applicant2", "州医保经办服务综合管理平台", 1_500_000).submit(D(2025, 4, 7)).review(
        D(2025, 4, 9), D(2025, 5, 20)).approve(D(2025, 6, 3)).fund_and_file(D(2025, 6, 16))
    s.procure(D(2025, 7, 1)).contract(D(2025, 8, 25), "昌吉州华信软件有限公司")
    s.milestones([("系统设计", D(2025, 10, 31), D(2025, 10, 28)), ("开发与联调", D(2026, 3, 31), D(2026, 3, 30))],
                 today=D(2025, 8, 28))
    s.trial(D(2026, 5, 6), D(2026, 10, 30))


def _operating(u: dict[str, User]) -> None:
    from tongchou.delivery.services.om import om_request_submit
    from tongchou.delivery.services.performance import indicator_add, report_schedule, self_evaluation_submit
    from tongchou.delivery.services.supervision import inspection_record, rectification_issue

    s = Story(u, "applicant", "州中小学学生综合素质评价系统", 1_100_000).submit(D(2025, 3, 10)).review(
        D(2025, 3, 12), D(2025, 4, 21)).approve(D(2025, 5, 6)).fund_and_file(D(2025, 5, 19))
    s.procure(D(2025, 6, 2)).contract(D(2025, 7, 14), "新疆云启教育科技有限公司")
    s.milestones([("系统设计", D(2025, 8, 31), D(2025, 8, 29)), ("开发与部署", D(2025, 11, 30), D(2025, 11, 27))],
                 today=D(2025, 7, 16))
    s.trial(D(2025, 12, 1), D(2026, 3, 2))
    s.accept(D(2026, 3, 9), D(2026, 3, 27))
    unit = u["applicant"]
    with _on(D(2026, 4, 10)):
        rows = [("output", "接入学校数量", "ge", Decimal(120), "所"), ("benefit", "学生档案电子化率", "ge", Decimal(95), "%"),
                ("satisfaction", "教师满意度", "ge", Decimal(90), "%")]
        indicators = [indicator_add(project=s.p, actor=unit, dimension=d, name=n, operator=o, target=t, unit=m)
                      for d, n, o, t, m in rows]
        report_schedule(project=s.p, actor=u["finance"], kind="self_evaluation", year=2026, due_on=D(2026, 11, 30))
    with _on(D(2026, 6, 18)):
        inspection = inspection_record(project=s.p, actor=u["police"], scope="网络安全风险排查（等保二级）", adverse=True,
                                       findings="管理后台弱口令；操作日志留存不足六个月。", inspected_on=D(2026, 6, 18))
        rectification_issue(project=s.p, actor=u["police"], due_on=D(2026, 12, 31), inspection=inspection,
                            requirements="修改弱口令并启用双因素认证；日志留存不少于六个月。")
    with _on(D(2026, 11, 16)):
        actuals = {str(i.pk): v for i, v in zip(indicators, ["126", "97", "92"], strict=True)}
        self_evaluation_submit(project=s.p, actor=unit, year=2026, budget=Decimal(110000), spent=Decimal(102000),
                               actuals=actuals, summary="系统运行平稳，全州126所学校接入使用。")
    with _on(D(2026, 11, 20)):
        om_request_submit(project=s.p, actor=unit, year=2027, amount=Decimal(110000),
                          justification="免费运维期满后的年度运维服务（第二十九条）。")


def _county_decided(u: dict[str, User]) -> None:
    s = Story(u, "countyapp", "昌吉市中小学校园安全视频监控平台", 600_000, county=True).submit(D(2025, 10, 13)).review(
        D(2025, 10, 15), D(2025, 11, 17)).approve(D(2025, 12, 1)).fund_and_file(D(2025, 12, 10))
    s.procure(D(2026, 3, 2)).contract(D(2026, 5, 18), "昌吉市安泰智能科技有限公司")
    s.milestones([("前端点位建设", D(2026, 8, 31), D(2026, 8, 28)), ("平台部署与联调", D(2026, 12, 15), None)],
                 today=D(2026, 5, 20))
    from tongchou.delivery.services.performance import report_schedule

    # Art. 25: the county lead fixes when the unit's monitoring report is owed (an obligation on its desk).
    with _on(D(2026, 11, 2)):
        report_schedule(project=s.p, actor=u["countylead"], kind="monitoring", year=2026, period="第四季度",
                        due_on=D(2026, 12, 18))


def _county_in_review(u: dict[str, User]) -> None:
    from tongchou.reviews.routing import review_route

    s = Story(u, "countyapp", "昌吉市社区养老服务信息平台", 720_000, county=True).submit(D(2026, 11, 23))
    with _on(D(2026, 11, 24)):
        review_route(project=s.p, actor=u["county"])


def _county_waiting(u: dict[str, User]) -> None:
    Story(u, "countyapp", "昌吉市教师研修管理平台", 560_000, county=True).submit(D(2026, 9, 14)).review(
        D(2026, 9, 16), D(2026, 10, 27))


def _split_pair(u: dict[str, User]) -> None:
    from tongchou.projects.demo import _texts

    for (name, text), day in ((SPLIT_1, D(2026, 10, 12)), (SPLIT_2, D(2026, 11, 9))):
        texts = {**_texts(name, {"project_type": "new"}), "basic_info": text}
        Story(u, "applicant2", name, 490_000, texts=texts).submit(day)


# (who applies, name, builder)
STORIES: list[tuple[str, str, Callable[[dict[str, User]], None]]] = [
    ("applicant", "州中小学学生综合素质评价系统", _operating),
    ("applicant2", "州医保经办服务综合管理平台", _ready_for_acceptance),
    ("applicant", "州智慧校园综合管理平台", _in_implementation),
    ("countyapp", "昌吉市中小学校园安全视频监控平台", _county_decided),
    ("applicant", "州教育督导评估信息系统", _waiting_for_budget),
    ("applicant2", "州医保电子凭证全场景应用平台", _waiting_for_approval),
    ("countyapp", "昌吉市教师研修管理平台", _county_waiting),
    ("countyapp", "昌吉市社区养老服务信息平台", _county_in_review),
    ("applicant2", SPLIT_1[0], _split_pair),
]


def seed_demo_lifecycle() -> tuple[int, int]:
    """Builds the stories whose project is not there yet; returns (built, already present)."""
    users = _users()
    built = present = 0
    for applicant, name, build in STORIES:
        if applicant not in users or _exists(users[applicant], name):
            present += 1
            continue
        with transaction.atomic():
            build(users)
        built += 1
    return built, present


# What each demo login finds (printed at the end of `tongchou demo`); the counts are read live.
GUIDE = [
    ("applicant", "州教育局：「州智慧校园综合管理平台」实施中（合同有第二十三条免费运维期提示、里程碑）；"
                  "「州中小学学生综合素质评价系统」运行中，有公安整改通知待报告"),
    ("leader", "州教育局负责人：本单位项目及其期限"),
    ("applicant2", "州医保局：「州医保经办服务综合管理平台」试运行结束，可申请竣工验收；一组疑似拆分的直接申报"),
    ("reviewer", "审查工作台：已分办项目的审查任务与期限"),
    ("bureau", "州数字化发展局：「州医保定点机构移动稽核系统」一、二期疑似拆分待研判；全州期限"),
    ("crypto", "审查工作台：待出具的密码审查意见"),
    ("police", "审查工作台与监管：已下达的整改通知待复查"),
    ("ndrc", "待立项批复「州医保电子凭证全场景应用平台」"),
    ("finance", "待安排预算、待审核绩效报告、待审核运维经费"),
    ("county", "昌吉市数字化发展局：「昌吉市社区养老服务信息平台」的审查任务"),
    ("countylead", "昌吉市数字化发展局负责人：待立项批复「昌吉市教师研修管理平台」；已批复项目在实施中"),
    ("countyapp", "昌吉市教育局：「昌吉市中小学校园安全视频监控平台」实施中，第四季度运行监控报告待报送"),
]


def demo_guide() -> list[str]:
    """One short line per business demo login: what is there, and how much waits on them today."""
    from tongchou.web.home import home_panels

    users = {u.username: u for u in User.objects.filter(username__in=[name for name, _ in GUIDE])}
    lines = []
    for username, text in GUIDE:
        user = users.get(username)
        if user is None:
            continue
        panels = home_panels(user)
        counts = [f"{label} {n}" for label, n in (("待办", panels["queue_count"]), ("审查任务", len(panels["tasks"])),
                                                  ("逾期", panels["overdue_count"]), ("30日内到期", panels["soon_count"]))
                  if n]
        lines.append(f"  {username:<12} {text}" + (f"（{'，'.join(counts)}）" if counts else ""))
    return lines
