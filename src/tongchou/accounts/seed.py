"""The real organisation structure of Changji Prefecture and the demo accounts (idempotent)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from tongchou.accounts.models import Level, MemberRole, Organisation, OrgKind, Role, User

BUREAU = ("cj-digital", "昌吉州数字化发展局", "州数字化发展局", MemberRole.DIGITAL_BUREAU)
MEMBER_UNITS = [
    ("cj-crypto", "中共昌吉州委机要保密局", "州党委机要保密局", MemberRole.CRYPTO_BUREAU),
    ("cj-psb", "昌吉州公安局", "州公安局", MemberRole.PUBLIC_SECURITY),
    ("cj-ndrc", "昌吉州发展和改革委员会", "州发改委", MemberRole.DEVELOPMENT_REFORM),
    ("cj-finance", "昌吉州财政局", "州财政局", MemberRole.FINANCE),
]
DEPARTMENTS = [
    ("cj-edu", "昌吉州教育局"), ("cj-health", "昌吉州卫生健康委员会"), ("cj-civil", "昌吉州民政局"),
    ("cj-transport", "昌吉州交通运输局"), ("cj-agri", "昌吉州农业农村局"), ("cj-land", "昌吉州自然资源局"),
    ("cj-water", "昌吉州水利局"), ("cj-emergency", "昌吉州应急管理局"), ("cj-market", "昌吉州市场监督管理局"),
    ("cj-hr", "昌吉州人力资源和社会保障局"), ("cj-housing", "昌吉州住房和城乡建设局"),
    ("cj-culture", "昌吉州文化体育广播电视和旅游局"), ("cj-ecology", "昌吉州生态环境局"),
    ("cj-stats", "昌吉州统计局"), ("cj-archives", "昌吉州档案馆"), ("cj-medins", "昌吉州医疗保障局"),
    ("cj-govservice", "昌吉州政务服务和公共资源交易中心"), ("cj-justice", "昌吉州司法局"),
    ("cj-audit", "昌吉州审计局"), ("cj-tax", "昌吉州税务局"), ("cj-forestry", "昌吉州林业和草原局"),
    ("cj-commerce", "昌吉州商务局"), ("cj-veterans", "昌吉州退役军人事务局"), ("cj-industry", "昌吉州工业和信息化局"),
    ("cj-sci", "昌吉州科学技术局"), ("cj-ethnic", "昌吉州民族宗教事务委员会"), ("cj-court", "昌吉州中级人民法院"),
]
COUNTIES = [
    ("changji", "昌吉市", "CJS"), ("fukang", "阜康市", "FK"), ("hutubi", "呼图壁县", "HTB"),
    ("manas", "玛纳斯县", "MNS"), ("qitai", "奇台县", "QT"), ("jimsar", "吉木萨尔县", "JMSE"),
    ("mori", "木垒哈萨克自治县", "ML"),
]
COUNTY_DEPARTMENTS = [("edu", "教育局"), ("health", "卫生健康委员会"), ("civil", "民政局")]
PARKS = [
    ("zhundong", "准东经济技术开发区", "ZD", "准东经济技术开发区数字化发展工作办公室"),
    ("hightech", "昌吉国家高新技术产业开发区", "GX", "昌吉国家高新技术产业开发区数字化发展工作办公室"),
    ("agripark", "昌吉国家农业高新技术产业示范区", "NY", "昌吉国家农业高新技术产业示范区数字化发展工作办公室"),
]

DEMO_PASSWORD = "Tongchou#2025"  # noqa: S105 — the published demo login, never a production account

DEMO_USERS = [
    ("applicant", "张申报", "cj-edu", Role.APPLICANT),
    ("leader", "李单位", "cj-edu", Role.UNIT_LEADER),
    ("applicant2", "王申报", "cj-medins", Role.APPLICANT),
    ("reviewer", "赵审核", "cj-digital", Role.BUREAU_REVIEWER),
    ("bureau", "钱局长", "cj-digital", Role.BUREAU_LEAD),
    ("crypto", "孙机要", "cj-crypto", Role.MEMBER_REVIEWER),
    ("police", "周公安", "cj-psb", Role.MEMBER_REVIEWER),
    ("ndrc", "吴发改", "cj-ndrc", Role.MEMBER_REVIEWER),
    ("finance", "郑财政", "cj-finance", Role.MEMBER_REVIEWER),
    ("county", "冯县局", "changji-digital", Role.BUREAU_REVIEWER),
    ("countylead", "韩县局长", "changji-digital", Role.BUREAU_LEAD),
    ("countyapp", "陈县申报", "changji-edu", Role.APPLICANT),
    ("expert", "褚专家", None, Role.EXPERT),
    ("sysadmin", "卫系统", "cj-digital", Role.SYSTEM_ADMIN),
    ("secadmin", "蒋安全", "cj-digital", Role.SECURITY_ADMIN),
    ("auditor", "沈审计", "cj-digital", Role.AUDIT_ADMIN),
]


def _org(code: str, name: str, **fields: object) -> Organisation:
    org, _ = Organisation.objects.update_or_create(code=code, defaults={"name": name, **fields})
    return org


@transaction.atomic
def seed_organisations() -> int:
    bureau = _org(BUREAU[0], BUREAU[1], short_name=BUREAU[2], kind=OrgKind.BUREAU, member_role=BUREAU[3],
                  level=Level.PREFECTURE, project_code_prefix="CJ")
    for code, name, short, role in MEMBER_UNITS:
        _org(code, name, short_name=short, kind=OrgKind.MEMBER_UNIT, member_role=role, level=Level.PREFECTURE,
             parent=None, project_code_prefix="CJ")
    for code, name in DEPARTMENTS:
        _org(code, name, short_name=name.replace("昌吉州", "州"), kind=OrgKind.DEPARTMENT, level=Level.PREFECTURE,
             project_code_prefix="CJ")
    for slug, county, prefix in COUNTIES:
        county_bureau = _org(f"{slug}-digital", f"{county}数字化发展局", short_name=f"{county}数发局",
                             kind=OrgKind.BUREAU, level=Level.COUNTY, jurisdiction=county,
                             parent=bureau, project_code_prefix=prefix)
        for dslug, dname in COUNTY_DEPARTMENTS:
            _org(f"{slug}-{dslug}", f"{county}{dname}", short_name=f"{county}{dname}", kind=OrgKind.DEPARTMENT,
                 level=Level.COUNTY, jurisdiction=county, parent=county_bureau, project_code_prefix=prefix)
    for slug, park, prefix, body in PARKS:
        _org(f"{slug}-digital", body, short_name=f"{park}数字化办", kind=OrgKind.PARK_BODY, level=Level.PARK,
             jurisdiction=park, parent=bureau, project_code_prefix=prefix)
    return Organisation.objects.count()


@transaction.atomic
def seed_demo_users() -> list[tuple[str, str, str]]:
    created = []
    for username, display, org_code, role in DEMO_USERS:
        org = Organisation.objects.get(code=org_code) if org_code else None
        user, was_created = User.objects.get_or_create(
            username=username,
            defaults={"display_name": display, "organisation": org, "role": role,
                      "password_changed_at": timezone.now()},
        )
        if was_created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        created.append((username, display, str(Role(role).label)))
    return created
