"""A small register with hand-counted figures (see the numbers asserted in test_figures.py)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from types import SimpleNamespace

import pytest
import time_machine
from django.core.cache import cache

from tongchou.accounts.models import Organisation
from tongchou.projects.models import Project

TZ = dt.timezone(dt.timedelta(hours=8))
_codes = itertools.count(1)


@pytest.fixture(autouse=True)
def _clean_cache_and_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def frozen():
    with time_machine.travel(dt.datetime(2025, 4, 1, 10, 0, tzinfo=TZ), tick=False):
        yield


def make(unit: Organisation, cost: int | str, *, status: str = "submitted", year: int = 2025, path: str = "",
         support: str = "normal", **fields) -> Project:
    n = next(_codes)
    return Project.objects.create(
        code=f"T-{year}-{n:05d}", name=fields.pop("name", f"测试项目{n}"), unit=unit, level=unit.level, year=year,
        status=status, construction_cost=Decimal(str(cost)), review_path=path,
        support=support if status != "draft" else "", application_date=fields.pop("application_date", dt.date(2025, 3, 1)),
        **fields)


@pytest.fixture
def register(demo_users):
    """edu (州教育局): P1 draft 100k · P2 submitted 300k self · P3 under review 800k joint · P4 approved
    1.2M joint (approved 1.0M) · P5 CLASSIFIED approved 600k (approved 600k). medins (州医保局): P6 approved
    2.5M joint 2026 (approved 2.2M) · P7 submitted 400k security 2026. County edu (昌吉市教育局): P8
    submitted 700k joint. Opinions on P3 (public security 9 working days − 2 paused, reduction 50k) and
    P4 (crypto 2 working days, reduction 100k). Overdue obligations on P3 and P6; one due 2025-04-20 on
    P2; O&M requests on P4 (150k, over the cap, 120k granted) and P6 (200k)."""
    from tongchou.delivery.models import OMFundingRequest
    from tongchou.obligations.models import Obligation
    from tongchou.reviews.models import Opinion, OpinionTask, ProjectApproval, ReviewRound

    edu = Organisation.objects.get(code="cj-edu")
    medins = Organisation.objects.get(code="cj-medins")
    county = Organisation.objects.get(code="changji-edu")
    bureau_org = Organisation.objects.get(code="cj-digital")
    bureau = demo_users["bureau"]
    p = SimpleNamespace()
    p.p1 = make(edu, 100_000, status="draft")
    p.p2 = make(edu, 300_000, path="self_procurement")
    p.p3 = make(edu, 800_000, status="under_review", path="joint_review")
    p.p4 = make(edu, 1_200_000, status="approved", path="joint_review")
    p.p5 = make(edu, 600_000, status="approved", path="security_review", classified=True, name="涉密项目甲")
    p.p6 = make(medins, 2_500_000, status="approved", path="joint_review", year=2026)
    p.p7 = make(medins, 400_000, path="security_review", year=2026, category="equipment")
    p.p8 = make(county, 700_000, path="joint_review")
    now = dt.datetime(2025, 3, 20, 9, 0, tzinfo=TZ)
    for project, amount in ((p.p4, "1000000"), (p.p5, "600000"), (p.p6, "2200000")):
        ProjectApproval.objects.create(project=project, doc_number=f"昌发改〔2025〕{project.pk}号",
                                       approval_date=dt.date(2025, 3, 20), approved_amount=Decimal(amount),
                                       procurement_deadline=dt.date(2026, 3, 20), recorded_by=demo_users["ndrc"],
                                       recorded_at=now)

    def opinion(project, member, org_code, opened, submitted, paused, reduction):
        rnd = ReviewRound.objects.create(project=project, number=1, review_path="joint_review", authority=bureau_org,
                                         opened_at=now, opened_by=bureau)
        task = OpinionTask.objects.create(round=rnd, member=member, reviewer_org=Organisation.objects.get(code=org_code),
                                          status="submitted", opened_on=opened, due_date=opened + dt.timedelta(days=20),
                                          paused_working_days=paused)
        Opinion.objects.create(task=task, round=rnd, member=member, conclusion="agree", cost_reduction=reduction,
                               author=bureau, submitted_at=dt.datetime.combine(submitted, dt.time(15), tzinfo=TZ))

    opinion(p.p3, "public_security", "cj-psb", dt.date(2025, 3, 3), dt.date(2025, 3, 14), 2, Decimal("50000"))
    opinion(p.p4, "crypto_bureau", "cj-crypto", dt.date(2025, 3, 3), dt.date(2025, 3, 5), 0, Decimal("100000"))

    def obligation(project, due, org):
        return Obligation.objects.create(project=project, code="TEST", title="报送材料", article="第二十一条",
                                         source="manual", due_date=due, remind_on=due, responsible_org=org)

    p.o3 = obligation(p.p3, dt.date(2025, 3, 1), edu)
    p.o6 = obligation(p.p6, dt.date(2025, 2, 1), medins)
    p.o2 = obligation(p.p2, dt.date(2025, 4, 20), edu)
    OMFundingRequest.objects.create(project=p.p4, year=2026, amount=Decimal("150000"), eligible=True, cap_exceeded=True,
                                    status="approved", granted_amount=Decimal("120000"))
    OMFundingRequest.objects.create(project=p.p6, year=2026, amount=Decimal("200000"), eligible=True)
    return p
