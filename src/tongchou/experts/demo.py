"""Demo experts (idempotent): two dozen experts across the categories, the demo `expert` account linked
to one of them (which takes the account's name), and a fee rate. Called by `tongchou demo` once the lead
wires it in."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction

from tongchou.accounts.models import Role, User
from tongchou.experts.models import Category, DeclaredConflict, Expert, FeeRate, FormerEmployer
from tongchou.experts.services_registry import categories_seed

SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张"
EMPLOYERS = ["新疆大学", "新疆农业大学", "昌吉学院", "石河子大学", "新疆师范大学", "新疆财经大学",
             "新疆信息产业研究院", "昌吉州信息中心（退休）"]


@transaction.atomic
def seed_demo_experts() -> int:
    categories_seed()
    codes = list(Category.objects.order_by("sort_order").values_list("code", flat=True))
    created = 0
    for i in range(24):
        code = f"ZJ{i + 1:04d}"
        expert, was_created = Expert.objects.get_or_create(code=code, defaults={
            "name": f"{SURNAMES[i]}{'明华军丽'[i % 4]}", "title": "教授" if i % 3 == 0 else "高级工程师",
            "title_level": "senior" if i % 3 == 0 else "vice_senior", "years": 10 + i % 15,
            "employer": EMPLOYERS[i % len(EMPLOYERS)], "phone": f"139{i:08d}",
        })
        if was_created:
            created += 1
            expert.categories.set(Category.objects.filter(code__in={codes[i % 12], codes[(i * 5 + 3) % 12]}))
            if i % 6 == 0:
                FormerEmployer.objects.create(expert=expert, org="新疆某信息技术有限公司", until=date(2023, 6, 30))
            if i % 7 == 0:
                DeclaredConflict.objects.create(expert=expert, org="昌吉州教育局", note="亲属任职")
    demo_expert = User.objects.filter(username="expert", role=Role.EXPERT).first()
    if demo_expert and not Expert.objects.filter(user=demo_expert).exists():
        Expert.objects.filter(code="ZJ0001", user__isnull=True).update(user=demo_expert)
    if demo_expert and demo_expert.display_name:
        # one person: the pool record the demo login is linked to carries the login's name (褚专家), so
        # /experts/me/ and the top bar agree
        Expert.objects.filter(user=demo_expert).exclude(name=demo_expert.display_name).update(
            name=demo_expert.display_name)
    FeeRate.objects.get_or_create(effective_from=date(2025, 1, 1), defaults={
        "half_day": Decimal("800"), "hourly_extra": Decimal("150"), "daily_cap": Decimal("2000")})
    return created
