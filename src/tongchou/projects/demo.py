"""A realistic demo register: every level, every review path and every support outcome, assessed by
the real policy engine. Idempotent: a project is identified by its unit and name."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from tongchou.accounts.models import UNIT_ROLES, Organisation, User
from tongchou.audit.services import audit_record
from tongchou.documents.services import stored_file_create
from tongchou.documents.uploads import PDF
from tongchou.lifecycle.effects import run_effects
from tongchou.lifecycle.models import ProjectTransition
from tongchou.lifecycle.table import BY_ACTION
from tongchou.projects.codes import project_code_allocate
from tongchou.projects.models import (
    TECHNICAL_SECTIONS,
    MaterialKind,
    Project,
    ProjectAttachment,
    ProjectMaterial,
    Status,
)
from tongchou.projects.services import assessment_store

D = dt.date
SHANGHAI = ZoneInfo("Asia/Shanghai")


@contextlib.contextmanager
def demo_clock(day: dt.date, hour: int = 10) -> Iterator[None]:
    """`timezone.now()` (and so `localdate()`) reads `day` at `hour` Changji time while inside, so a demo
    step the services date "today" lands on its day in the story (ADR 0205). Demo loading only: it swaps
    the module attribute for the duration of one step and puts it back; time_machine stays a dev dependency."""
    moment = dt.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI).astimezone(dt.UTC)
    real = timezone.now
    timezone.now = lambda: moment
    try:
        yield
    finally:
        timezone.now = real

# (unit code, name, construction cost, status, facts)
DEMO_PROJECTS: list[tuple[str, str, int, str, dict[str, Any]]] = [
    ("cj-govservice", "全州一体化政务服务平台升级改造", 3_800_000, Status.SUBMITTED,
     {"project_type": "rebuild", "original_project_accepted": True, "priority_basis": ["shared_infrastructure"],
      "approval_date": D(2025, 5, 12), "procurement_start_date": D(2025, 7, 1), "free_om_months": 12,
      "construction_period_months": 18, "annual_om_cost": Decimal("300000")}),
    ("cj-edu", "昌吉州智慧教育云平台", 1_200_000, Status.SUBMITTED, {"project_type": "new"}),
    ("cj-medins", "州医保基金智能监管系统", 1_850_000, Status.SUBMITTED,
     {"project_type": "new", "priority_basis": ["mandated"]}),
    ("cj-emergency", "州应急指挥调度中心设备更新", 1_500_000, Status.SUBMITTED,
     {"project_type": "rebuild", "category": "equipment", "original_project_accepted": True,
      "contract_term_months": 60}),
    ("cj-archives", "州档案馆数字档案系统等保测评", 180_000, Status.SUBMITTED,
     {"project_type": "new", "category": "security_assessment"}),
    ("cj-stats", "州统计数据采集小程序", 280_000, Status.SUBMITTED, {"project_type": "new"}),
    ("cj-water", "州水资源监测平台（自建机房）", 2_600_000, Status.SUBMITTED,
     {"project_type": "new", "deployment": "self_hosted", "buys_server_hardware": True}),
    ("cj-land", "州国土空间基础信息平台", 2_200_000, Status.SUBMITTED,
     {"project_type": "new", "buys_server_hardware": True,
      "exception_legal_basis": "《自然资源部关于全面推进实景三维中国建设的通知》要求本地部署",
      "_consent": "自治区自然资源厅关于同意本地部署的函.pdf"}),
    ("cj-hr", "州社保卡一卡通服务系统运维", 420_000, Status.SUBMITTED,
     {"project_type": "operations", "accepted": True, "requests_om_funding": True}),
    ("cj-market", "州智慧市场监管平台", 1_300_000, Status.DRAFT, {"project_type": "new", "_skip": ["feasibility_study"]}),
    ("cj-ecology", "州生态环境在线监测系统扩建", 900_000, Status.SUBMITTED,
     {"project_type": "expand", "original_project_accepted": None}),
    ("cj-emergency", "地震灾后应急通信保障系统", 650_000, Status.SUBMITTED, {"project_type": "new", "emergency": True}),
    ("cj-health", "州全民健康信息平台", 5_600_000, Status.SUBMITTED,
     {"project_type": "new", "priority_basis": ["key_work"], "involves_work_secrets": True}),
    ("cj-court", "涉密公文传输系统改造", 800_000, Status.SUBMITTED,
     {"project_type": "rebuild", "classified": True, "original_project_accepted": True, "deployment": "special_network",
      "special_network_basis": "涉密网络须物理隔离"}),
    ("cj-transport", "州公路养护管理系统", 500_000, Status.DRAFT, {"project_type": "new"}),
    ("cj-culture", "州智慧旅游服务平台（援疆）", 2_000_000, Status.SUBMITTED,
     {"project_type": "new", "funding_source": "xinjiang_aid"}),
    ("cj-agri", "州高标准农田监测平台", 760_000, Status.SUBMITTED,
     {"project_type": "new", "funding_source": "superior_special", "priority_basis": ["mandated"]}),
    ("cj-civil", "州养老服务信息平台", 350_000, Status.DRAFT,
     {"project_type": "new", "priority_basis": ["other_necessary"], "year": 2026}),
    ("cj-justice", "州公共法律服务平台数据接口改造", 460_000, Status.SUBMITTED,
     {"project_type": "rebuild", "original_project_accepted": False, "provides_data_interface": False}),
    ("changji-edu", "昌吉市智慧教育管理平台", 680_000, Status.SUBMITTED, {"project_type": "new"}),
    ("fukang-health", "阜康市基层医疗卫生信息系统", 1_100_000, Status.SUBMITTED, {"project_type": "new"}),
    ("hutubi-civil", "呼图壁县社会救助管理系统", 260_000, Status.SUBMITTED, {"project_type": "new"}),
    ("manas-edu", "玛纳斯县中小学视频会议设备采购", 900_000, Status.SUBMITTED,
     {"project_type": "new", "category": "equipment", "contract_term_months": 60}),
    ("qitai-health", "奇台县互联网医院平台", 1_500_000, Status.SUBMITTED, {"project_type": "new", "deployment": "self_hosted"}),
    ("jimsar-civil", "吉木萨尔县民政数据共享接口", 150_000, Status.DRAFT, {"project_type": "new"}),
    ("mori-edu", "木垒县教育资源平台运维", 120_000, Status.SUBMITTED, {"project_type": "operations", "accepted": True}),
    ("zhundong-digital", "准东开发区安全生产风险监测预警平台", 2_800_000, Status.SUBMITTED,
     {"project_type": "new", "priority_basis": ["key_work"]}),
    ("hightech-digital", "高新区企业综合服务平台", 900_000, Status.SUBMITTED, {"project_type": "new"}),
    ("agripark-digital", "农业高新区智慧农业大数据平台", 1_600_000, Status.SUBMITTED,
     {"project_type": "new", "leases_internet_line": True}),
]


def _texts(name: str, facts: dict[str, Any]) -> dict[str, str]:
    kinds = [MaterialKind.BASIC_INFO, MaterialKind.FEASIBILITY_STUDY]
    if facts.get("project_type") == "operations":
        kinds.append(MaterialKind.OM_PLAN)
    else:
        kinds += [MaterialKind.TECHNICAL_PLAN, *TECHNICAL_SECTIONS]
        if facts.get("involves_work_secrets"):
            kinds.append(MaterialKind.INFORMATION_PROTECTION)
    skip = set(facts.get("_skip", []))
    return {k.value: f"{name}：{k.label}（演示数据）。" for k in kinds if k.value not in skip}


def seed_demo_register() -> tuple[int, int]:
    """Creates the demo projects that are not there yet; returns (created, already present)."""
    created = present = 0
    for index, (unit_code, name, cost, status, facts) in enumerate(DEMO_PROJECTS):
        unit = Organisation.objects.get(code=unit_code)
        if Project.objects.filter(unit=unit, name=name).exists():
            present += 1
            continue
        _create(unit, name, cost, status, dict(facts), index)
        created += 1
    return created, present


@transaction.atomic
def _create(unit: Organisation, name: str, cost: int, status: str, facts: dict[str, Any], index: int) -> Project:
    texts = _texts(name, facts)
    facts.pop("_skip", None)
    consent = facts.pop("_consent", None)
    year = facts.pop("year", 2025)
    submitted_on = D(2025, 3, 1) + dt.timedelta(days=7 * index) if status == Status.SUBMITTED else None
    # A submitted project's draft is written earlier on its submission day, so its timeline runs in order.
    with demo_clock(submitted_on, hour=9) if submitted_on else contextlib.nullcontext():
        project = Project(unit=unit, level=unit.level, name=name, year=year, construction_cost=Decimal(cost),
                          status=Status.DRAFT, **facts)
        project.code = project_code_allocate(unit=unit, year=year)
        project.save()
        ProjectMaterial.objects.bulk_create([ProjectMaterial(project=project, kind=k, text=t)
                                             for k, t in texts.items()])
        audit_record(event="project.created", target=project, data={"code": project.code, "source": "demo"},
                     actor_name="demo")
        if consent:
            _attach_consent(project, consent)
    if submitted_on is not None:
        project.application_date = submitted_on
        with demo_clock(submitted_on):
            _submit(project)
    return project


def _submit(project: Project) -> None:
    """These units have no demo login to submit as, so the submission is written here, on its day: the
    stored assessment, the timeline row, the audit event and the lifecycle's effects (the bureau's Art. 10
    completeness check opens, ADR 0205) — what `project_submit` does for a real applicant."""
    submit = BY_ACTION["submit"]
    stored = assessment_store(project=project, actor=None, purpose="demo")
    project.status = Status.SUBMITTED
    project.submitted_at = timezone.now()
    project.save(update_fields=["status", "submitted_at", "application_date"])
    note = f"评估 #{stored.pk}（演示数据）"
    ProjectTransition.objects.create(project=project, action=submit.action, from_status=Status.DRAFT,
                                     to_status=Status.SUBMITTED, actor=None, at=project.submitted_at,
                                     note=note, article=submit.article)
    # The lifecycle's own event code and data, so the timeline names the step and its article.
    audit_record(event=f"project.{submit.action}", target=project, actor_name="demo",
                 data={"from": Status.DRAFT, "to": Status.SUBMITTED, "note": note, "article": submit.article,
                       "assessment": stored.pk, "source": "demo"})
    run_effects(project, submit, None)


def _attach_consent(project: Project, display_name: str) -> None:
    """Art. 13's written consent as a (tiny) PDF filed by one of the unit's people, so the exception's
    `superior_consent` follows from a document as it does for a real application (ADR 0195). A unit without
    a demo account (自然资源局) has it filed by the first demo applicant account, a stand-in."""
    uploader = (User.objects.filter(organisation=project.unit).order_by("pk").first()
                or User.objects.filter(role__in=UNIT_ROLES, is_active=True).order_by("pk").first())
    if uploader is None:
        return
    data = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")
    stored = stored_file_create(data=data, display_name=display_name, kind=PDF, actor=uploader,
                                purpose="projects.attachment")
    ProjectAttachment.objects.create(project=project, material=MaterialKind.SUPERIOR_CONSENT, file=stored,
                                     uploaded_by=uploader)
    Project.objects.filter(pk=project.pk).update(exception_superior_consent=True)
