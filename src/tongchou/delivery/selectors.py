"""Reads, filtered by who is asking: another organisation's project or system is simply not found."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from tongchou.accounts.models import BUREAU_ROLES, UNIT_ROLES, Level, MemberRole, Role
from tongchou.core_errors import NotFound
from tongchou.delivery.models import (
    CryptoAssessment,
    GradeAssessment,
    InventorySystem,
    MigrationStatus,
    PerformanceReport,
    RectificationOrder,
    RectificationStatus,
    SecurityProfile,
    SystemStatus,
)
from tongchou.delivery.rules.deadlines import filing_due, next_yearly_due
from tongchou.lifecycle.permissions import member_decision_recipient
from tongchou.projects.models import Project, Status

DELIVERY_STATUSES = (Status.APPROVED, Status.FILED, Status.PROCUREMENT, Status.IMPLEMENTATION,
                     Status.TRIAL_OPERATION, Status.ACCEPTANCE_APPLIED, Status.ACCEPTED, Status.OPERATING,
                     Status.RETIRED)
# Member units with a part in every approved project's second half, routed to them or not: the development
# and reform commission convenes acceptance (Art. 24), finance funds O&M and reviews performance (Art. 25, 28),
# the crypto bureau and public security supervise cryptography and network security while the system is built
# and runs (Art. 14(二)(三), 22, 30(二)): they read, and write only their own supervisory records (ADR 0180).
DELIVERY_MEMBERS = (MemberRole.DEVELOPMENT_REFORM, MemberRole.FINANCE, MemberRole.CRYPTO_BUREAU,
                    MemberRole.PUBLIC_SECURITY)


def projects_visible_to(user: Any) -> QuerySet[Project]:
    """The register's rule (`tongchou.projects.selectors.projects_visible_to`), widened for delivery: the
    development and reform commission, finance, the crypto bureau and public security also see every approved
    prefecture or park project."""
    from tongchou.projects.selectors import projects_visible_to as register_visible

    qs = register_visible(user)
    org = getattr(user, "organisation", None)
    if (user is not None and user.is_authenticated and user.is_active and user.role == Role.MEMBER_REVIEWER
            and org is not None and org.member_role in DELIVERY_MEMBERS):
        extra = Project.objects.filter(status__in=DELIVERY_STATUSES).exclude(level=Level.COUNTY)
        if not user.classified_access:
            extra = extra.filter(classified=False)
        qs = Project.objects.filter(Q(pk__in=qs.values("pk")) | Q(pk__in=extra.values("pk")))
    return qs.select_related("unit")


def project_get(*, user: Any, project_id: int) -> Project:
    project = projects_visible_to(user).filter(pk=project_id).first()
    if project is None:
        raise NotFound()
    return project


R = TypeVar("R", bound=Model)


def project_record(model: type[R], project: Project, pk: int | str) -> R | None:
    """One of this project's own delivery records (a milestone, 整改 order, 密评, performance report, O&M
    request…) by id; None when the id is another project's, so a record is only ever reached through a
    project the caller may see (`project_get` first). Both the API and the project page's forms use it."""
    return model._default_manager.filter(project=project, pk=pk).first()


def project_record_get(model: type[R], project: Project, pk: int | str) -> R:
    record = project_record(model, project, pk)
    if record is None:
        raise NotFound()
    return record


def inventory_visible_to(user: Any) -> QuerySet[InventorySystem]:
    qs = InventorySystem.objects.select_related("owner", "built_by", "migration_project")
    if user is None or not user.is_authenticated or user.organisation_id is None:
        return qs.none()
    org = user.organisation
    if user.role in UNIT_ROLES:
        qs = qs.filter(owner_id=org.pk)
    elif user.role in BUREAU_ROLES:
        if org.level != Level.PREFECTURE:
            qs = qs.filter(owner__jurisdiction=org.jurisdiction)
    elif user.role != Role.MEMBER_REVIEWER:
        return qs.none()
    if not user.classified_access:
        qs = qs.filter(classified=False)
    return qs


def system_get(*, user: Any, system_id: int) -> InventorySystem:
    system = inventory_visible_to(user).filter(pk=system_id).first()
    if system is None:
        raise NotFound()
    return system


def inventory_overlap_texts(*, user: Any) -> list[tuple[int, str]]:
    """(id, name + purpose) of running systems, for the split/overlap engine to compare needs with."""
    return list(inventory_visible_to(user).filter(status=SystemStatus.RUNNING).values_list("id", "overlap_text"))


@dataclass(frozen=True)
class Owed:
    """One delivery obligation as the records define it today (code unique per project while open)."""

    code: str
    kind: str
    title: str
    due_on: date
    article: str
    remind_before: int  # working days, for the obligations model
    system_id: int | None = None


@dataclass(frozen=True)
class DueItem:
    project_id: int | None
    project_code: str
    system_id: int | None
    kind: str
    title: str
    due_on: date
    article: str
    overdue: bool
    days_left: int

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_left)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["due_on"] = self.due_on.isoformat()
        return data


LIVE = (Status.TRIAL_OPERATION, Status.ACCEPTANCE_APPLIED, Status.ACCEPTED, Status.OPERATING)
ART22 = "第二十二条"


@dataclass
class _Records:
    """What `_owed` reads about one project (loaded one project at a time, or in bulk for the sweep)."""

    profile: SecurityProfile | None = None
    last_crypto: CryptoAssessment | None = None
    last_grade: GradeAssessment | None = None
    reports: list[PerformanceReport] = field(default_factory=list)
    systems: list[InventorySystem] = field(default_factory=list)
    orders: list[RectificationOrder] = field(default_factory=list)


def _owed(project: Project, rec: _Records) -> list[Owed]:
    owed: list[Owed] = []
    if project.status == Status.RETIRED:
        return owed
    if project.status in LIVE:
        profile = rec.profile
        go_live = profile.go_live_on if profile else None
        if go_live and profile is not None and profile.filed_on is None and (profile.grade or 2) >= 2:
            owed.append(Owed("DELIVERY-DJCP-FILING", "djcp_filing", "等保备案（投入运行后30日内向公安机关备案）",
                             filing_due(go_live), f"{ART22}；第十四条第（三）项", 10))
        if rec.last_crypto is not None:
            owed.append(Owed("DELIVERY-MIPING", "crypto_assessment", "密评（商用密码应用安全性评估）",
                             rec.last_crypto.next_due, ART22, 20))
        elif go_live:
            owed.append(Owed("DELIVERY-MIPING", "crypto_assessment", "密评（投入运行前应完成首次评估）", go_live,
                             ART22, 10))
        if profile is not None and (profile.grade or 0) >= 3:
            grade = rec.last_grade
            due = grade.next_due if grade else (next_yearly_due(go_live) if go_live else None)
            if due:
                owed.append(Owed("DELIVERY-GRADE-ASSESSMENT", "grade_assessment", "等级测评（第三级以上每年至少一次）",
                                 due, ART22, 20))
    recipient = member_decision_recipient(project, MemberRole.FINANCE)
    for report in rec.reports:
        owed.append(Owed(f"DELIVERY-PERF-{report.pk}", f"performance_{report.kind}",
                         f"{report.year}年{report.period}{report.get_kind_display()}（报送{recipient}）", report.due_on,
                         "第二十五条", 10))
    for order in rec.orders:
        owed.append(Owed(f"DELIVERY-RECTIFY-{order.pk}", "rectification",
                         f"报送整改报告（{order.issuer.name} {order.issued_on:%Y-%m-%d} 整改通知）", order.due_on,
                         RECTIFY_ARTICLE.get(order.issuer.member_role or "", "第三十条"), 5))
    for system in rec.systems:
        if system.migration_due is not None:
            owed.append(Owed(f"DELIVERY-MIGRATION-{system.pk}", "cloud_migration", f"「{system.name}」迁移至政务云",
                             system.migration_due, "第五条", 20, system.pk))
    return owed


# Keyed by the issuer's `member_role`, a plain string on the organisation.
RECTIFY_ARTICLE: dict[str, str] = {MemberRole.PUBLIC_SECURITY: "第十四条第（三）项、第三十条第（二）项",
                   MemberRole.CRYPTO_BUREAU: "第十四条第（二）项、第二十二条"}


def _records_for(project_ids: Any) -> dict[int, _Records]:
    """Six queries whatever the number of projects."""
    recs: dict[int, _Records] = defaultdict(_Records)
    for profile in SecurityProfile.objects.filter(project_id__in=project_ids):
        recs[profile.project_id].profile = profile
    for crypto in CryptoAssessment.objects.filter(project_id__in=project_ids).order_by("assessed_on", "id"):
        recs[crypto.project_id].last_crypto = crypto
    for grade in GradeAssessment.objects.filter(project_id__in=project_ids).order_by("assessed_on", "id"):
        recs[grade.project_id].last_grade = grade
    for report in PerformanceReport.objects.filter(project_id__in=project_ids, submitted_on__isnull=True):
        recs[report.project_id].reports.append(report)
    for system in InventorySystem.objects.filter(
            migration_project_id__in=project_ids, status=SystemStatus.RUNNING, migration_due__isnull=False).exclude(
            migration_status__in=[MigrationStatus.MIGRATED, MigrationStatus.NOT_REQUIRED]):
        if system.migration_project_id is not None:
            recs[system.migration_project_id].systems.append(system)
    for order in RectificationOrder.objects.filter(project_id__in=project_ids, status=RectificationStatus.ISSUED
                                                   ).select_related("issuer"):
        recs[order.project_id].orders.append(order)
    return recs


def project_owed(project: Project) -> list[Owed]:
    """What the project owes now: 密评 and 等级测评 come round yearly (GB/T 39786, 等保2.0 for grade 3+);
    the 等保 filing is due 30 days after going live; the first 密评 before going live; performance reports
    on the date finance set (Art. 25); a planned cloud migration on its plan date (Art. 5); the report on a
    supervisor's 整改通知 by its due date (Art. 14, 22, 30)."""
    return _owed(project, _records_for([project.pk])[project.pk])


def delivery_due_items(as_of: date | None = None, *, projects: QuerySet[Project] | None = None,
                       lead_days: int = 30) -> list[DueItem]:
    """Every delivery obligation due within `lead_days` of `as_of`, or already overdue."""
    as_of = as_of or timezone.localdate()
    horizon = as_of + timedelta(days=lead_days)
    scope = (projects if projects is not None else Project.objects.all()).exclude(status=Status.RETIRED)
    rows = list(scope.select_related(None).only("id", "code", "status").order_by("id"))
    recs = _records_for(scope.values("id"))
    items = [
        DueItem(project.pk, project.code, o.system_id, o.kind, o.title, o.due_on, o.article, o.due_on < as_of,
                (o.due_on - as_of).days)
        for project in rows for o in _owed(project, recs[project.pk]) if o.due_on <= horizon
    ]
    # Systems that plan a move without a migration project yet are the bureau's to chase (no project row).
    systems = InventorySystem.objects.filter(status=SystemStatus.RUNNING, migration_due__lte=horizon,
                                             migration_project__isnull=True).exclude(
        migration_status__in=[MigrationStatus.MIGRATED, MigrationStatus.NOT_REQUIRED])
    if projects is not None:
        systems = systems.filter(Q(built_by__in=projects))
    for system in systems:
        due = system.migration_due
        if due is not None:
            items.append(DueItem(None, "", system.pk, "cloud_migration", f"「{system.name}」迁移至政务云", due,
                                 "第五条", due < as_of, (due - as_of).days))
    return sorted(items, key=lambda i: (i.due_on, i.project_code, i.kind))


def inventory_overlaps(*, user: Any, name: str, description: str, unit: str, year: int) -> list[dict[str, Any]]:
    """Running systems that look like a need being declared (Art. 3, 5: build once, share): the split and
    overlap engine's `find_similar` against the inventory's name + purpose. A running system exists in
    every year, so each is compared as of the need's year; its cost does not matter here."""
    from tongchou.demand.splits import find_similar

    systems = list(inventory_visible_to(user).filter(status=SystemStatus.RUNNING))
    corpus = [{"id": f"system-{s.pk}", "unit": s.owner.name, "year": year, "name": s.name,
               "description": s.purpose, "construction_cost": 0, "classified": s.classified} for s in systems]
    by_id = {f"system-{s.pk}": s for s in systems}
    candidate = {"id": "candidate", "unit": unit, "year": year, "name": name, "description": description,
                 "construction_cost": 0}
    out = []
    # The candidate goes into the corpus too: the index only posts n-grams two records share, so a system
    # alike to nothing else in the inventory would otherwise never be found (query skips the candidate).
    for hit in find_similar(candidate, [*corpus, candidate]):
        system = by_id[hit["id"]]
        out.append({"system_id": system.pk, "name": system.name, "owner": system.owner.name,
                    "deployment": system.deployment, "score": hit["score"],
                    "same_unit": system.owner.name == unit,
                    "message": (f"与已运行的「{system.name}」（{system.owner.name}）相似度 {hit['score']}："
                                + ("本单位已有该系统，请考虑在其基础上改建扩建（第五条、第八条）。" if system.owner.name == unit
                                   else "请考虑共建共享、复用已有系统（第三条、第五条）。"))})
    return out
