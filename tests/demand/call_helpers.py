"""Shared helpers for the call and plan tests (not a test module)."""

from __future__ import annotations

import io

BOILER = (
    "项目依托州统一政务云平台部署，不新建机房；对接全州数据共享交换平台，实现数据共享和业务协同；"
    "按照网络安全等级保护三级要求进行安全防护，同步开展商用密码应用安全性评估；接入统一身份认证平台。"
)

PHASE1 = {"name": "智慧校园管理平台（一期）", "goals": "提升中小学校园管理和教学服务水平。",
          "content": "建设电子班牌信息发布、校园一卡通消费与门禁、教师电子备课等功能。" + BOILER,
          "technical_route": "B/S 架构，微服务", "estimated_cost": "450000", "category": "development",
          "priority_basis": "key_work", "contact": "张申报 0994-1234567"}
PHASE2 = {"name": "智慧校园管理平台（二期）", "goals": "提升中小学校园管理和教学服务水平。",
          "content": "在一期基础上，建设家校互动通知、课后服务选课、校园安全预警等功能。" + BOILER,
          "technical_route": "B/S 架构，微服务", "estimated_cost": "430000", "category": "development",
          "priority_basis": "key_work", "contact": "张申报 0994-1234567"}
UNRELATED = {"name": "学生资助管理系统", "goals": "精准识别家庭经济困难学生。",
             "content": "建设困难学生认定、资助项目申请审批、资助资金发放台账、资助对象比对核查等功能。" + BOILER,
             "technical_route": "", "estimated_cost": "300000", "category": "development",
             "priority_basis": "", "contact": "张申报 0994-1234567"}


def open_call(client, login, *, year=2026, deadline="2025-10-31T18:00:00+08:00", **extra):
    login("bureau")
    response = client.post("/api/v1/demand/calls", {"year": year, "deadline": deadline,
                                                    "instructions": "请各单位如实填报。", **extra},
                           content_type="application/json")
    assert response.status_code == 201, response.content.decode()
    return response.json()


def submit(client, call_id, need):
    return client.post(f"/api/v1/demand/calls/{call_id}/needs", need, content_type="application/json")


def upload(client, call_id, data: bytes, only_good_rows=False):
    f = io.BytesIO(data)
    f.name = "needs.xlsx"
    return client.post(f"/api/v1/demand/calls/{call_id}/needs/import",
                       {"file": f, "only_good_rows": "true" if only_good_rows else "false"})
