"""The official need template: one declaration builds the .xlsx and reads it back (docs/documents.md)."""

from __future__ import annotations

from tongchou.documents.xlsx import ENUM, MONEY, Column
from tongchou.portfolio.choices import ManagementMode
from tongchou.projects.models import Category, PriorityBasis

NEED_COLUMNS = [
    Column("需求名称", "name", required=True, max_length=200, help="拟建项目的名称"),
    Column("建设目标", "goals", required=True, max_length=4000, width=40),
    Column("主要建设内容", "content", required=True, max_length=8000, width=50),
    Column("技术路线", "technical_route", max_length=4000, width=40),
    Column("预计金额", "estimated_cost", MONEY, required=True, max_value=10_000_000_000, help="单位：元，不含运维费用"),
    Column("项目类别", "category", ENUM, required=True, choices=tuple((str(v), str(label)) for v, label in Category.choices)),
    Column("重点支持情形", "priority_basis", ENUM,
           choices=tuple((str(v), str(label)) for v, label in PriorityBasis.choices),
           help="第十一条：符合哪一种重点支持情形；都不符合可不填"),
    Column("联系人及电话", "contact", required=True, max_length=100),
    # Last, so that a file filled from the template of before it still reads (absent_ok).
    Column("管理模式", "proposed_mode", ENUM, absent_ok=True,
           choices=tuple((str(v), str(label)) for v, label in ManagementMode.choices),
           help="第三条：基础性、全局性、复用性公共政务服务类系统选“统一建设·统筹管理”；业务领域性和监管性强的"
                "系统选“专业建设·分类管理”。可不填，由数字化发展局编制年度计划时确认"),
]

NEED_FIELDS = tuple(c.key for c in NEED_COLUMNS)
