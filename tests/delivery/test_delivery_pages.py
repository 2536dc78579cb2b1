"""The 实施与运维 page's forms: every delivery action a person takes, through the page. The right role
succeeds (the record is stored and shown), the wrong one is refused (403; another unit 404), bad input
comes back on the same tab with a Chinese error naming the field and nothing stored."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from tongchou.accounts.models import Organisation, User
from tongchou.audit.models import AuditEvent
from tongchou.delivery.models import (
    Acceptance,
    CommitteeMember,
    Contract,
    CryptoAssessment,
    GradeAssessment,
    Handover,
    ImplementationReport,
    InventorySystem,
    Milestone,
    OMFundingRequest,
    PerformanceIndicator,
    PerformanceReport,
    Procurement,
    SecurityProfile,
    TrialRun,
)
from tongchou.obligations.models import Obligation
from tongchou.projects.models import Project, Status
from tongchou.reviews.approvals import approval_record, budget_record, project_file

TZ = dt.timezone(dt.timedelta(hours=8))


def at(day: str):
    return time_machine.travel(dt.datetime.fromisoformat(day).replace(hour=10, tzinfo=TZ), tick=False)


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def page(client, demo_users):
    """page(username, project, action, data) → the response (a redirect is followed to the tab)."""

    def post(username: str, project: Project, action: str, data: dict | None = None, *, follow: bool = True):
        # Under a frozen clock years ahead, the 90-day password change would send the user away first.
        User.objects.filter(username=username).update(password_changed_at=timezone.now())
        client.force_login(demo_users[username])
        return client.post(f"/projects/{project.pk}/delivery/{action}/", data or {}, follow=follow)

    return post


def writes() -> int:
    """Audit events other than logging in: every write leaves one."""
    return AuditEvent.objects.exclude(event__startswith="auth.").count()


def org(code: str) -> int:
    return Organisation.objects.get(code=code).pk


def committee_data(expert_id: int | None, project: Project, *, archives: bool = True) -> dict:
    data = {
        "development_reform_name": "吴发改", "development_reform_org": org("cj-ndrc"),
        "finance_name": "郑财政", "finance_org": org("cj-finance"),
        "digital_bureau_name": "钱局长", "digital_bureau_org": org("cj-digital"),
        "unit_name": "李单位", "unit_org": project.unit_id,
    }
    if archives:
        data.update({"archives_name": "档案员", "archives_org": org("cj-archives")})
    if expert_id:
        data["expert_member"] = expert_id
    return data


# --- One project from procurement to acceptance, only through the page ---

@pytest.mark.django_db
def test_from_procurement_to_acceptance_only_through_the_page(opinion_issued_project, demo_users, page, expert_for):
    p = opinion_issued_project
    expert = expert_for(p)
    with at("2025-03-03"):
        # 立项批复, budget and filing are the reviews pages' (tested there); delivery starts at 已报备.
        approval_record(project=p, actor=demo_users["ndrc"], doc_number="昌州发改〔2025〕31号",
                        approval_date=dt.date(2025, 3, 1), approved_amount="1200000")
        budget_record(project=p, actor=demo_users["finance"], year=2025, amount="1200000", source="prefecture_fiscal")
        project_file(project=Project.objects.get(pk=p.pk), actor=demo_users["applicant"])
        p.refresh_from_db()
        # A partial checklist is saved and the page lists what is still missing.
        r = page("applicant", p, "procurement", {"method": "open_tender", "start_date": "2025-03-03"})
        assert r.status_code == 200
        assert "启动政府采购前尚缺" in text_of(r) and "项目责任人（第二十条）" in text_of(r)
        # Starting now is refused with the missing items, on the same tab; the state does not move.
        r = page("applicant", p, "procurement-start", {"version": Project.objects.get(pk=p.pk).version})
        assert r.status_code == 400
        assert "不能启动政府采购" in text_of(r) and "免费运维期限" in text_of(r) and "第二十九条" in text_of(r)
        assert Project.objects.get(pk=p.pk).status == Status.FILED
        r = page("applicant", p, "procurement", {
            "method": "open_tender", "start_date": "2025-03-03", "tender_free_om_months": "12",
            "tender_annual_om_fee": "80000", "tender_ip_to_government": "on", "implementing_body": "州教育局信息中心",
            "responsible_person": "李主任", "responsible_phone": "13899990000"})
        assert "清单已齐全" in text_of(r) and "138****0000" in text_of(r) and "13899990000" not in text_of(r)
        r = page("applicant", p, "procurement-start", {"version": Project.objects.get(pk=p.pk).version})
        assert "已启动政府采购" in text_of(r)
        assert Project.objects.get(pk=p.pk).status == Status.PROCUREMENT
        assert Obligation.objects.get(project=p, code="ART26-PROCUREMENT-DEADLINE").status == "done"
    with at("2025-05-20"):
        contract = {"kind": "development", "vendor": "新疆某科技有限公司", "amount": "1200000.00",
                    "signed_on": "2025-05-20", "construction_period_months": "40", "free_om_months": "6",
                    "ip_to_government": "on"}
        r = page("applicant", p, "contracts", contract)
        assert r.status_code == 400 and "超过第二十三条规定的36个月" in text_of(r)
        assert 'data-field="construction_period_months"' in text_of(r)
        assert not Contract.objects.exists()
        r = page("applicant", p, "contracts", {**contract, "construction_period_months": "8"})
        text = text_of(r)
        # Kept with its warning: the finding, its article and what to do about it.
        assert "合同已登记" in text and "【第二十三条】免费运维服务期为6个月" in text and "怎么办：签订补充协议" in text
        assert Contract.objects.get(project=p).findings[0]["code"] == "ART23-FREE-OM"
        r = page("applicant", p, "implementation-start", {"version": Project.objects.get(pk=p.pk).version})
        assert Project.objects.get(pk=p.pk).status == Status.IMPLEMENTATION
        assert 'aria-current="page">实施进度' in text_of(r)  # lands on the next stage's tab
        page("applicant", p, "milestones", {"name": "需求确认", "planned_on": "2025-06-30"})
        milestone = Milestone.objects.get(project=p)
        r = page("applicant", p, f"milestones/{milestone.pk}/done", {"done_on": "2025-05-20"})
        assert "已于 2025-05-20 完成" in text_of(r)
        r = page("applicant", p, "reports", {"kind": "supervision", "reported_on": "2025-05-20",
                                             "author": "某监理公司", "summary": "开工准备就绪", "percent_complete": "5"})
        assert "监理报告已登记" in text_of(r) and "某监理公司" in text_of(r)
        # Going live needs the cryptography plan first (Art. 22).
        r = page("applicant", p, "trial-start", {"started_on": "2025-05-20",
                                                 "version": Project.objects.get(pk=p.pk).version})
        assert r.status_code == 400 and "尚未登记密码应用方案" in text_of(r)
        r = page("applicant", p, "security", {"crypto_plan": "SM2/SM3/SM4 密码应用方案", "grade": "3"})
        assert "安全与密码信息已保存" in text_of(r)
    with at("2026-01-12"):
        page("applicant", p, "trial-start", {"started_on": "2026-01-12", "version": Project.objects.get(pk=p.pk).version})
        assert Project.objects.get(pk=p.pk).status == Status.TRIAL_OPERATION
        r = page("applicant", p, "security", {"crypto_plan": "SM2/SM3/SM4 密码应用方案", "grade": "3",
                                              "go_live_on": "2026-01-12", "filed_on": "2026-01-12",
                                              "filing_number": "65230013"})
        r = page("applicant", p, "crypto-assessments", {"assessed_on": "2026-01-12", "assessor": "某密评机构",
                                                        "result": "passed"})
        assert "下次评估到期日 2027-01-12" in text_of(r)
    with at("2026-04-15"):
        r = page("applicant", p, "trial-finish", {"ended_on": "2026-04-10", "normal": "1", "summary": "运行正常"})
        assert "试运行结果已登记：运行正常" in text_of(r)
        r = page("applicant", p, "acceptance-apply", {"report": "竣工验收报告全文……",
                                                      "version": Project.objects.get(pk=p.pk).version})
        assert Project.objects.get(pk=p.pk).status == Status.ACCEPTANCE_APPLIED
        # The commission sees which seats are still empty, and an incomplete committee is refused naming them.
        r = page("ndrc", p, "committee", committee_data(None, p, archives=False))
        assert r.status_code == 400
        assert "缺少档案部门、信息化专家库抽取的专家" in text_of(r)
        assert not CommitteeMember.objects.exists()
        r = page("ndrc", p, "committee", committee_data(expert.pk, p))
        text = text_of(r)
        assert "竣工验收委员会已组建（6人）" in text and "褚专家" in text
        assert 'class="seat-missing"' not in text
        r = page("ndrc", p, "acceptance-conclude", {"passed": "1", "conclusion": "同意通过竣工验收"})
        assert "通过竣工验收" in text_of(r)
    assert Project.objects.get(pk=p.pk).status == Status.ACCEPTED
    assert Acceptance.objects.get(project=p).passed is True
    events = set(AuditEvent.objects.filter(target_id=str(p.pk)).values_list("event", flat=True))
    assert {"delivery.procurement.record", "delivery.contract.record", "delivery.acceptance.convene",
            "project.accept"} <= events


# --- Each form: right role, wrong role, bad input ---

# (action, the status the project is put in, the role that may, valid data, the model a success writes)
CASES = [
    ("procurement", Status.FILED, "applicant", {"method": "open_tender", "implementing_body": "信息中心"}, Procurement),
    ("contracts", Status.PROCUREMENT, "applicant",
     {"kind": "equipment", "vendor": "某设备公司", "amount": "300000", "signed_on": "2026-04-01", "term_months": "60",
      "ip_to_government": "on"}, Contract),
    ("milestones", Status.IMPLEMENTATION, "applicant", {"name": "上线", "planned_on": "2026-09-30"}, Milestone),
    ("reports", Status.IMPLEMENTATION, "applicant",
     {"kind": "progress", "reported_on": "2026-04-01", "author": "项目组", "summary": "完成需求"}, ImplementationReport),
    ("security", Status.IMPLEMENTATION, "applicant", {"crypto_plan": "方案", "grade": "2"}, SecurityProfile),
    ("crypto-assessments", Status.OPERATING, "applicant",
     {"assessed_on": "2026-04-01", "assessor": "某机构", "result": "passed"}, CryptoAssessment),
    ("grade-assessments", Status.OPERATING, "applicant",
     {"assessed_on": "2026-04-01", "assessor": "某测评机构", "result": "basically_passed"}, GradeAssessment),
    ("indicators", Status.OPERATING, "applicant",
     {"dimension": "output", "name": "覆盖学校数", "operator": "ge", "target": "120", "unit": "所"}, PerformanceIndicator),
    ("performance-reports", Status.OPERATING, "finance",
     {"kind": "self_evaluation", "year": "2026", "due_on": "2027-03-31"}, PerformanceReport),
    ("systems", Status.ACCEPTED, "applicant",
     {"name": "智慧校园平台", "purpose": "教学管理", "deployment": "gov_cloud", "data_interfaces": "学籍查询接口"},
     InventorySystem),
    ("handover", Status.OPERATING, "applicant", {"data_handed_over": "on"}, Handover),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "status", "who", "data", "model"), CASES, ids=[c[0] for c in CASES])
def test_the_right_role_records_through_the_page(project_in, page, action, status, who, data, model):
    project = project_in(status)
    with at("2026-04-15"):
        r = page(who, project, action, data)
    assert r.status_code == 200, text_of(r)[:3000]
    assert r.redirect_chain and "?tab=" in r.redirect_chain[-1][0]
    assert model.objects.filter(**({"owner": project.unit} if model is InventorySystem else {"project": project})).count() == 1
    assert 'class="messages"' in text_of(r) and "msg-success" in text_of(r)


WRONG = [
    ("procurement", Status.FILED, "finance", "只有项目建设单位可以登记采购信息"),
    ("contracts", Status.PROCUREMENT, "bureau", "只有项目建设单位可以登记合同"),
    ("milestones", Status.IMPLEMENTATION, "ndrc", "只有项目建设单位可以登记里程碑"),
    ("security", Status.IMPLEMENTATION, "crypto", "只有项目建设单位可以登记安全与密码信息"),
    ("crypto-assessments", Status.OPERATING, "police", "只有项目建设单位可以登记密评记录"),
    ("committee", Status.ACCEPTANCE_APPLIED, "applicant", "只有州发改委可以组建竣工验收委员会"),
    ("acceptance-conclude", Status.ACCEPTANCE_APPLIED, "finance", "只有州发改委可以登记竣工验收结论"),
    ("performance-reports", Status.OPERATING, "ndrc", "只有州财政局或项目建设单位可以安排绩效报告"),
    ("self-evaluation", Status.OPERATING, "finance", "只有项目建设单位可以报送绩效自评"),
    ("om-requests", Status.OPERATING, "finance", "只有项目建设单位可以申请运维经费"),
    ("handover", Status.OPERATING, "bureau", "只有项目建设单位可以登记退役移交"),
    ("procurement-start", Status.FILED, "finance", "您无权对该项目执行「启动政府采购」"),
    ("acceptance-apply", Status.TRIAL_OPERATION, "ndrc", "只有项目建设单位可以申请竣工验收"),
    ("retire", Status.OPERATING, "finance", "您无权对该项目执行「退役」"),
]
VALID = {
    "procurement": {"method": "open_tender"}, "contracts": CASES[1][3], "milestones": CASES[2][3],
    "security": CASES[4][3], "crypto-assessments": CASES[5][3], "committee": {"unit_name": "李单位"},
    "acceptance-conclude": {"passed": "1", "conclusion": "通过"}, "performance-reports": CASES[8][3],
    "self-evaluation": {"year": "2026", "budget": "1", "spent": "1"}, "om-requests": {"year": "2027", "amount": "1"},
    "handover": {"data_handed_over": "on"}, "procurement-start": {}, "acceptance-apply": {"report": "报告"},
    "retire": {},
}


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "status", "who", "refusal"), WRONG, ids=[f"{w[0]}-{w[2]}" for w in WRONG])
def test_the_wrong_role_is_refused_with_403_and_nothing_is_stored(project_in, page, action, status, who, refusal):
    project = project_in(status)
    before = writes()
    with at("2026-04-15"):
        r = page(who, project, action, VALID[action])
    assert r.status_code == 403
    assert refusal in text_of(r)
    assert writes() == before


@pytest.mark.django_db
def test_the_page_offers_each_form_only_to_the_role_that_may_use_it(project_in, client, demo_users):
    project = project_in(Status.ACCEPTANCE_APPLIED)
    Acceptance.objects.create(project=project, report="报告", applied_on="2026-04-15")
    url = f"/projects/{project.pk}/delivery/?tab=acceptance"
    client.force_login(demo_users["applicant"])
    unit_page = text_of(client.get(url))
    client.force_login(demo_users["ndrc"])
    ndrc_page = text_of(client.get(url))
    assert "/delivery/committee/" not in unit_page and "/delivery/committee/" in ndrc_page
    assert "/delivery/trial-finish/" not in ndrc_page
    # Every required seat is listed, empty ones marked 缺.
    assert ndrc_page.count('class="seat-missing"') == 6
    # Re-convening starts from the committee as it stands: its members are in the form.
    acceptance = Acceptance.objects.get(project=project)
    CommitteeMember.objects.create(acceptance=acceptance, seat="finance", name="郑财政", organisation_id=org("cj-finance"))
    ndrc_page = text_of(client.get(url))
    assert ndrc_page.count('class="seat-missing"') == 5 and 'value="郑财政"' in ndrc_page
    client.force_login(demo_users["finance"])
    assert "/delivery/committee/" not in text_of(client.get(url))


@pytest.mark.django_db
def test_another_unit_gets_404_for_every_form(project_in, page):
    project = project_in(Status.OPERATING)
    for action in ("procurement", "contracts", "security", "committee", "om-requests", "retire"):
        assert page("applicant2", project, action, {"method": "x"}).status_code == 404, action
    assert page("applicant", project, "no-such-action", {}).status_code == 404


BAD = [
    ("contracts", Status.PROCUREMENT, {"vendor": "某公司", "amount": "一百万", "signed_on": "2026-04-01",
                                       "ip_to_government": "on"}, "合同金额应为数字", Contract),
    ("contracts", Status.PROCUREMENT, {"vendor": "某公司", "amount": "100", "signed_on": "2026/13/01"},
     "签订日期应为 YYYY-MM-DD 格式的日期", Contract),
    ("contracts", Status.PROCUREMENT, {"vendor": "某公司", "amount": "100", "signed_on": "2026-04-01",
                                       "construction_period_months": "8", "free_om_months": "12"},
     "成果及相关知识产权归政府所有", Contract),
    ("milestones", Status.IMPLEMENTATION, {"planned_on": "2026-09-30"}, "请填写里程碑名称", Milestone),
    ("reports", Status.IMPLEMENTATION, {"kind": "progress", "reported_on": "2026-04-01", "author": "项目组",
                                        "summary": "x", "percent_complete": "120"}, "完成比例不能大于 100",
     ImplementationReport),
    ("security", Status.IMPLEMENTATION, {"filed_on": "2026-04-01"}, "请先登记投入运行日期", SecurityProfile),
    ("crypto-assessments", Status.OPERATING, {"assessed_on": "2026-04-01", "assessor": "某机构", "result": "passed",
                                              "next_due": "2026-03-01"}, "下次评估到期日应晚于本次评估日期",
     CryptoAssessment),
    ("grade-assessments", Status.OPERATING, {"assessed_on": "2027-01-01", "assessor": "某机构", "result": "passed"},
     "评估日期不能晚于今天", GradeAssessment),
    ("indicators", Status.OPERATING, {"dimension": "output", "name": "覆盖学校数", "operator": "≥", "target": "1"},
     "比较方式的选项无效", PerformanceIndicator),
    ("om-requests", Status.OPERATING, {"year": "2027", "amount": "八万"}, "申请金额应为数字", OMFundingRequest),
    ("handover", Status.OPERATING, {"handed_over_on": "2030-01-01"}, "移交日期不能晚于今天", Handover),
    ("systems", Status.ACCEPTED, {"name": "平台", "purpose": "用途"}, "请选择部署方式", InventorySystem),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "status", "data", "error", "model"), BAD,
                         ids=[f"{b[0]}-{i}" for i, b in enumerate(BAD)])
def test_bad_input_re_renders_the_tab_with_the_field_named_and_stores_nothing(project_in, page, action, status, data,
                                                                              error, model):
    project = project_in(status)
    before = writes()
    with at("2026-04-15"):
        r = page("applicant", project, action, data)
    assert r.status_code == 400
    text = text_of(r)
    assert error in text
    assert "未保存，请修改" in text and 'role="alert"' in text
    assert not model.objects.exists()
    assert writes() == before
    # What was typed is still in the form.
    typed = next((v for v in data.values() if v not in ("on",) and len(v) > 1), None)
    if typed:
        assert typed in text


# --- Performance: goals, schedule, monitoring, the scored self-evaluation ---

@pytest.mark.django_db
def test_self_evaluation_through_the_page_shows_the_10_50_30_10_scoring(project_in, page):
    project = project_in(Status.OPERATING)
    with at("2026-04-15"):
        for dim, name, op, target in (("output", "覆盖学校数", "ge", "120"), ("cost", "单校成本", "le", "10000"),
                                      ("benefit", "线上办理率", "ge", "90"), ("satisfaction", "满意度", "ge", "90")):
            page("applicant", project, "indicators", {"dimension": dim, "name": name, "operator": op, "target": target})
        r = page("finance", project, "performance-reports", {"kind": "self_evaluation", "year": "2026",
                                                             "due_on": "2027-03-31"})
        assert "已安排2026年绩效自评报告" in text_of(r) or "报送期限 2027-03-31" in text_of(r)
        page("finance", project, "performance-reports", {"kind": "monitoring", "year": "2026", "period": "上半年",
                                                         "due_on": "2026-07-31"})
        r = page("applicant", project, "monitoring", {"year": "2026", "period": "上半年", "progress_percent": "60",
                                                      "budget": "1200000", "spent": "700000"})
        assert "运行监控报告已报送" in text_of(r)
    ids = {i.name: i.pk for i in PerformanceIndicator.objects.filter(project=project)}
    with at("2027-03-10"):
        data = {"year": "2026", "budget": "1200000", "spent": "1200000", f"actual_{ids['覆盖学校数']}": "120",
                f"actual_{ids['单校成本']}": "9000", f"actual_{ids['线上办理率']}": "81"}
        r = page("applicant", project, "self-evaluation", data)
        assert r.status_code == 400 and "请填写「满意度」实际值" in text_of(r)
        r = page("applicant", project, "self-evaluation", {**data, f"actual_{ids['满意度']}": "95"})
    text = text_of(r)
    assert "绩效自评已报送：总分 97.00（优）" in text
    assert "≥ 120" in text and "E+" not in text  # targets read as typed, not 1.2E+2
    assert "预算执行 10.00/10；产出 50.00/50；效益 27.00/30；满意度 10.00/10" in text
    assert "产出指标 50 分（含成本指标）" in text
    report = PerformanceReport.objects.get(project=project, kind="self_evaluation")
    assert (report.score_total, report.grade) == (Decimal("97.00"), "优")


# --- Security: the obligations and their due dates ---

@pytest.mark.django_db
def test_the_security_tab_shows_what_is_owed_and_when(project_in, client, demo_users):
    project = project_in(Status.TRIAL_OPERATION)
    SecurityProfile.objects.create(project=project, crypto_plan="方案", grade=3, go_live_on=dt.date(2026, 4, 1))
    TrialRun.objects.create(project=project, started_on=dt.date(2026, 4, 1))
    client.force_login(demo_users["applicant"])
    with at("2026-05-20"):
        text = text_of(client.get(f"/projects/{project.pk}/delivery/?tab=security"))
    assert "等保备案（投入运行后30日内向公安机关备案）：2026-05-01 前（已逾期）" in text
    assert "密评（投入运行前应完成首次评估）：2026-04-01 前" in text
    assert "等级测评（第三级以上每年至少一次）：2027-04-01 前" in text


# --- O&M: the system, the finance decision, the handover and retirement ---

@pytest.mark.django_db
def test_om_to_retirement_through_the_page(project_in, page):
    project = project_in(Status.ACCEPTED)
    Acceptance.objects.create(project=project, report="报告", applied_on="2026-04-15", convened_on="2026-04-15",
                              passed=True, conclusion="通过", concluded_on="2026-04-15")
    with at("2026-04-20"):
        r = page("applicant", project, "operations-start", {"version": project.version})
        assert r.status_code == 400 and "转入运维前须将项目建成的系统登记到应用系统台账" in text_of(r)
        page("applicant", project, "systems", {"name": "智慧校园平台", "purpose": "教学管理", "deployment": "gov_cloud"})
        r = page("applicant", project, "operations-start", {"version": Project.objects.get(pk=project.pk).version})
        assert "项目已转入运维" in text_of(r)
        r = page("applicant", project, "om-requests", {"year": "2027", "amount": "80000", "data_sharing_done": "on"})
        om = OMFundingRequest.objects.get(project=project)
        r = page("finance", project, f"om-requests/{om.pk}/decision", {"approve": "0"})
        assert r.status_code == 400 and "不安排运维经费时请写明理由" in text_of(r)
        r = page("finance", project, f"om-requests/{om.pk}/decision", {"approve": "1", "granted_amount": "70000"})
        assert "决定已记录" in text_of(r) and "安排 70,000.00 元" in text_of(r)
    with at("2029-06-01"):
        version = Project.objects.get(pk=project.pk).version
        r = page("applicant", project, "retire", {"version": version})
        assert r.status_code == 400 and "不能退役：尚缺系统数据移交、文档资料移交、接收单位、移交日期" in text_of(r)
        r = page("applicant", project, "handover", {"data_handed_over": "on", "documents_handed_over": "on",
                                                    "receiver": org("cj-digital"), "handed_over_on": "2029-06-01"})
        assert "移交已齐全，可以退役" in text_of(r)
        r = page("applicant", project, "retire", {"version": version, "note": "由新平台替代"})
        assert "项目已退役" in text_of(r)
    assert Project.objects.get(pk=project.pk).status == Status.RETIRED
    assert InventorySystem.objects.get(built_by=project).status == "retired"


@pytest.mark.django_db
def test_a_stale_version_is_refused_with_409_and_nothing_moves(project_in, page):
    project = project_in(Status.OPERATING)
    Handover.objects.create(project=project, data_handed_over=True, documents_handed_over=True,
                            receiver_id=org("cj-digital"), handed_over_on=dt.date(2026, 4, 1))
    r = page("applicant", project, "retire", {"version": project.version - 1})
    assert r.status_code == 409
    assert Project.objects.get(pk=project.pk).status == Status.OPERATING


# --- Every tab for every role: strict CSP, no inline script or style, CSRF on every POST form ---

@pytest.mark.django_db
@pytest.mark.parametrize("username", ["applicant", "ndrc", "finance", "bureau", "crypto"])
def test_every_tab_is_safe_for_the_role(project_in, client, demo_users, username):
    from tests.security.test_pages import PageParser, _problems
    from tongchou.delivery.page_actions import TABS

    project = project_in(Status.ACCEPTANCE_APPLIED)
    Acceptance.objects.create(project=project, report="报告", applied_on="2026-04-15", convened_on="2026-04-15")
    InventorySystem.objects.create(name="智慧校园平台", purpose="教学管理", owner=project.unit, built_by=project,
                                   deployment="self_hosted", migration_status="not_planned")
    Milestone.objects.create(project=project, name="上线", planned_on=dt.date(2026, 9, 30))
    client.force_login(demo_users[username])
    problems = []
    for tab, *_ in TABS:
        url = f"/projects/{project.pk}/delivery/?tab={tab}"
        response = client.get(url)
        assert response.status_code == 200, url
        problems += _problems(response, url, logged_in=True)
        html = response.content.decode()
        parser = PageParser()
        parser.feed(html)
        assert not parser.inline_scripts and not parser.inline_handlers, url
        assert " style=" not in html and "<style" not in html, url
        assert all(f["csrf"] for f in parser.forms if f["method"] == "post"), url
    assert not problems, problems


@pytest.mark.django_db
def test_a_row_form_with_bad_input_or_another_projects_row_stores_nothing(project_in, page):
    project = project_in(Status.IMPLEMENTATION)
    milestone = Milestone.objects.create(project=project, name="上线", planned_on=dt.date(2026, 9, 30))
    r = page("applicant", project, f"milestones/{milestone.pk}/done", {"done_on": "九月"})
    assert r.status_code == 400 and "实际完成日期应为 YYYY-MM-DD 格式的日期" in text_of(r)
    r = page("ndrc", project, f"milestones/{milestone.pk}/done", {"done_on": "2026-04-01"})
    assert r.status_code == 403
    assert page("applicant", project, f"milestones/{milestone.pk + 1}/done", {"done_on": "2026-04-01"}).status_code == 404
    milestone.refresh_from_db()
    assert milestone.done_on is None


@pytest.mark.django_db
def test_the_unit_keeps_its_systems_inventory_row_and_links_a_migration(project_in, page, client, demo_users):
    project = project_in(Status.OPERATING)
    system = InventorySystem.objects.create(name="智慧校园平台", purpose="教学管理", owner=project.unit, built_by=project,
                                            deployment="self_hosted", migration_status="not_planned")
    client.force_login(demo_users["applicant"])
    assert f"/delivery/systems/{system.pk}/" in text_of(client.get(f"/projects/{project.pk}/delivery/?tab=om"))
    edit = f"systems/{system.pk}"
    data = {"deployment": "self_hosted", "migration_status": "planned", "migration_plan": "2027年迁移至政务云",
            "migration_due": "2027-06-30", "data_interfaces": "学籍查询接口\n成绩查询接口", "version": system.version}
    r = page("applicant", project, edit, {**data, "migration_due": "明年"})
    assert r.status_code == 400 and "计划完成迁移日期应为 YYYY-MM-DD 格式的日期" in text_of(r)
    assert page("finance", project, edit, data).status_code == 403
    r = page("applicant", project, edit, data)
    assert "台账已更新" in text_of(r) and "（计划 2027-06-30）" in text_of(r)
    system.refresh_from_db()
    assert (system.migration_status, system.data_interfaces) == ("planned", ["学籍查询接口", "成绩查询接口"])
    # The stale version of the same form is refused, not written over.
    assert page("applicant", project, edit, {**data, "migration_plan": "改"}).status_code == 409
    # A migration project takes charge of another of the unit's systems (Art. 5).
    other = InventorySystem.objects.create(name="教育局机关办公OA", purpose="公文流转", owner=project.unit,
                                           deployment="self_hosted", migration_status="not_planned")
    Project.objects.filter(pk=project.pk).update(project_type="migrate", status=Status.IMPLEMENTATION)
    project.refresh_from_db()
    r = page("applicant", project, "migration-link", {"system": other.pk, "migration_due": "2026-12-31"})
    assert "已关联为「教育局机关办公OA」的上云迁移项目" in text_of(r)
    other.refresh_from_db()
    assert (other.migration_project_id, other.migration_status) == (project.pk, "in_progress")
    assert page("applicant", project, f"systems/{other.pk + 100}", data).status_code == 404
