"""Demo data for delivery (idempotent): a system inventory across units — on the cloud, self-hosted with a
migration plan, a special network with its basis — so the inventory page, the overlap check and the
migration reminders have something real to show."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from tongchou.accounts.models import Organisation
from tongchou.delivery.models import InventorySystem
from tongchou.delivery.services.inventory import overlap_text

# (owner code, name, purpose, deployment, migration status, plan date, interfaces, shared resources, basis)
DEMO_SYSTEMS = [
    ("cj-edu", "昌吉州中小学学籍管理系统", "全州中小学学生学籍登记、转学、休学、复学、毕业的网上办理，学籍档案电子化管理与统计分析",
     "gov_cloud", "not_required", None, ["学籍查询接口"], ["学生学籍基础信息"], ""),
    ("cj-edu", "教育局机关办公OA", "公文流转、会议管理、督办事项与内部通知", "self_hosted", "planned",
     dt.date(2026, 9, 30), [], [], ""),
    ("cj-medins", "医保基金结算监控系统", "定点医药机构医保基金结算数据的实时监控、疑点筛查与核查处理", "gov_cloud",
     "not_required", None, ["结算数据接口"], ["医保结算汇总数据"], ""),
    ("cj-govservice", "昌吉州政务服务网", "政务服务事项的网上申报、受理、办理进度查询与好差评", "gov_cloud",
     "not_required", None, ["事项目录接口", "办件数据接口"], ["政务服务事项目录", "办件信息"], ""),
    ("cj-water", "水资源监测数据平台", "地表水与地下水监测站点数据的采集、存储与预警", "self_hosted", "not_planned",
     None, ["监测数据接口"], [], ""),
    ("cj-emergency", "应急指挥视频会商系统", "应急指挥中心与县市的视频会商与调度", "special_network", "not_required",
     None, [], [], "《应急管理部应急指挥信息网建设规范》要求在应急指挥专网运行"),
]


@transaction.atomic
def seed_demo_delivery() -> int:
    made = 0
    for code, name, purpose, deployment, status, due, interfaces, shared, basis in DEMO_SYSTEMS:
        owner = Organisation.objects.filter(code=code).first()
        if owner is None:
            continue
        _, created = InventorySystem.objects.get_or_create(owner=owner, name=name, defaults={
            "purpose": purpose, "deployment": deployment, "migration_status": status, "migration_due": due,
            "data_interfaces": interfaces, "shared_resources": shared, "special_network_basis": basis,
            "overlap_text": overlap_text(name, purpose),
        })
        made += int(created)
    return made
