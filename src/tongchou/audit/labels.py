"""Chinese names for audit event codes, for the pages that list events to people (the project timeline,
the audit log viewer). The stored code stays the record; this is only how it reads.

Lifecycle transitions are written as `project.<action>`; their names come from the transition table
(`lifecycle.table`), not from here. `tests/audit/test_event_labels.py` fails when code writes an event
this module cannot name."""

from __future__ import annotations

EVENT_LABELS: dict[str, str] = {
    # accounts and sign-in
    "account.created": "创建账号",
    "account.updated": "修改账号",
    "account.disabled": "停用账号",
    "account.enabled": "启用账号",
    "account.password_changed": "修改密码",
    "account.password_reset": "重置密码",
    "account.role_changed": "变更角色",
    "account.classified_access_changed": "变更涉密授权",
    "account.sessions_ended": "结束全部登录会话",
    "account.totp_reset": "重置动态口令",
    "account.unlocked": "解除登录锁定",
    "auth.login": "登录",
    "auth.login_failed": "登录失败",
    "auth.logout": "退出登录",
    "auth.locked_out": "登录被锁定",
    "auth.second_factor_ok": "动态口令验证通过",
    "auth.second_factor_failed": "动态口令验证失败",
    "auth.totp_enrolled": "绑定动态口令",
    "organisation.created": "创建组织",
    "organisation.updated": "修改组织",
    # the audit log, files, exports, operations
    "audit.exported": "导出审计日志",
    "export": "导出数据",
    "file.store": "保存文件",
    "file.download": "下载文件",
    "idempotency.purged": "清理过期幂等键记录",
    "system.backup": "系统备份",
    "system.restore": "系统恢复",
    "calendar.day_set": "设置工作日历",
    "calendar.day_deleted": "删除工作日历设置",
    "calendar.year_confirmed": "确认年度工作日历",
    "calendar.seeded": "载入工作日历",
    "service_level.updated": "修改办理时限",
    # projects (lifecycle transitions `project.<action>` are named by lifecycle.table)
    "project.created": "创建申报草稿",
    "project.updated": "修改申报信息",
    "project.assessed": "保存评估结果",
    "project.submit_refused": "提交申报（申报材料不全）",
    "project.submitted": "提交申报",  # the demo's submissions before they went through `project.submit`
    "project.attachment_uploaded": "上传申报附件",
    "project.attachment_downloaded": "下载申报附件",
    "project.split_suspected": "检测到疑似拆分",
    "project.split_judged": "研判疑似拆分",
    "project.reapplied": "已重新申报",
    "project.reapply_created": "由原项目重新申报",
    "project.facts_corrected": "更正申报事实",
    # reviews and approval
    "reviews.route": "分办审查",
    "reviews.round_open": "开启审查轮次",
    "reviews.round_cancel": "取消审查轮次",
    "reviews.opinion_submit": "出具成员单位意见",
    "reviews.opinion_attachment_upload": "上传意见附件",
    "reviews.opinion_attachment_remove": "删除意见附件",
    "reviews.supplement_request": "要求补正材料",
    "reviews.supplement_answer": "答复补正",
    "reviews.supplement_attachment_upload": "上传补正材料",
    "reviews.supplement_attachment_remove": "删除补正材料",
    "reviews.expert_conclusion": "登记专家评审结论",
    "reviews.consolidation_draft": "起草综合审查意见",
    "reviews.consolidation_edit": "修改综合审查意见",
    "reviews.consolidation_issue": "印发综合审查意见",
    "reviews.consolidated_download": "下载综合审查意见",
    "reviews.approval_record": "登记立项批复",
    "reviews.budget_record": "登记预算安排",
    "reviews.task_reminded": "审查任务到期提醒",
    "reviews.task_escalated": "审查任务逾期督办",
    # portfolio
    "portfolio.mode_propose": "申报管理模式",
    "portfolio.mode_confirm": "确认管理模式",
    "portfolio.budget_holder": "调整预算单位",
    "portfolio.funding_route_record": "登记资金渠道",
    "portfolio.jurisdiction_ruleset_set": "设定县市规则集",
    "portfolio.ruleset_upload": "上传县市规则集",
    "portfolio.shared_create": "建立共建共享项目",
    "portfolio.shared_participant_add": "增加共建参与方",
    "portfolio.shared_participant_remove": "移出共建参与方",
    "portfolio.shared_part_link": "关联共建子项目",
    "portfolio.shared_document_add": "上传共建规范文件",
    # delivery: procurement to retirement
    "delivery.procurement.record": "登记政府采购",
    "delivery.contract.record": "登记合同",
    "delivery.milestone.add": "添加里程碑",
    "delivery.milestone.complete": "完成里程碑",
    "delivery.report.progress": "登记进度报告",
    "delivery.report.supervision": "登记监理报告",
    "delivery.security.update": "登记安全与密码信息",
    "delivery.crypto_assessment.record": "登记密码应用安全性评估",
    "delivery.grade_assessment.record": "登记等级保护测评",
    "delivery.supervision.inspect": "登记安全检查",
    "delivery.supervision.rectification_issue": "下达整改通知",
    "delivery.supervision.rectification_report": "报送整改报告",
    "delivery.supervision.rectification_verify": "验收整改",
    "delivery.supervision.crypto_review": "审核密评结论",
    "delivery.trial.finish": "结束试运行",
    "delivery.acceptance.convene": "组建竣工验收委员会",
    "delivery.acceptance.conclude": "登记竣工验收结论",
    "delivery.performance.indicator": "设定绩效指标",
    "delivery.performance.schedule": "安排绩效报送",
    "delivery.performance.monitoring": "报送运行监控报告",
    "delivery.performance.self_evaluation": "报送绩效自评",
    "delivery.performance.review": "审核绩效报告",
    "delivery.om.request": "申请运维经费",
    "delivery.om.decide": "决定运维经费",
    "delivery.data_sharing.attest": "登记数据共享认定",
    "delivery.inventory.register": "登记建成系统",
    "delivery.inventory.update": "修改系统台账",
    "delivery.inventory.link_migration": "关联迁移上云系统",
    "delivery.inventory.migrated": "系统完成迁移上云",
    "delivery.inventory.retired": "系统退役",
    "delivery.handover.record": "登记退役移交",
    # obligations (deadlines)
    "obligation.opened": "产生期限事项",
    "obligation.fulfilled": "期限事项已履行",
    "obligation.waived": "免除期限事项",
    "obligation.reminded": "期限事项到期提醒",
    "obligation.escalated": "期限事项逾期督办",
    # yearly demand
    "demand.call_opened": "发起需求征集",
    "demand.call_reopened": "重新开放需求征集",
    "demand.need_submitted": "报送建设需求",
    "demand.needs_imported": "导入建设需求",
    "demand.need_mode_confirmed": "确认需求管理模式",
    "demand.findings_computed": "检测拆分与重复建设",
    "demand.plan_ranked": "排序年度计划",
    "demand.need_decided": "决定需求是否列入计划",
    "demand.needs_merged": "合并建设需求",
    "demand.drafts_created": "由年度计划生成申报草稿",
    # experts
    "expert.created": "新增专家",
    "expert.updated": "修改专家信息",
    "expert.status_changed": "变更专家状态",
    "expert.personal_data_viewed": "查看专家个人信息",
    "expert.imported": "导入专家",
    "expert.exported": "导出专家名单",
    "expert.rated": "评价专家",
    "expert.suspension_proposed": "建议暂停专家资格",
    "expert_category.created": "新增专家类别",
    "expert_category.updated": "修改专家类别",
    "expert_fee_rate.saved": "设定专家劳务费标准",
    "expert_fee.recorded": "登记专家劳务费",
    "expert_fee.exported": "导出专家劳务费",
    "expert_draw.committed": "发起专家抽取",
    "expert_draw.drawn": "抽取专家",
    "expert_draw.cancelled": "取消专家抽取",
    "expert_draw.unsealed": "解封专家名单",
    "expert_draw.closed": "结束专家抽取",
    "expert_draw.accepted": "专家确认参加",
    "expert_draw.declined": "专家不能参加",
    "expert_draw.reserve_called": "递补备选专家",
    "expert_draw.replacement_failed": "递补专家失败",
    "expert_draw.supplementary_drawn": "补充抽取专家",
    # reports
    "report.requested": "申请生成报表",
    "report.generated": "生成报表",
    "report.downloaded": "下载报表",
    "report.figure_exported": "导出统计图数据",
    "ruleset_draft.uploaded": "上传规则集草案",
}

OUTCOME_LABELS: dict[str, str] = {"ok": "成功", "refused": "被拒绝", "failed": "失败"}

# Who acted when no account did (`actor_name` written by the system, the demo loader or the CLI).
ACTOR_NAME_LABELS: dict[str, str] = {"system": "系统", "demo": "演示数据", "": "系统"}

_LIFECYCLE_PREFIX = "project."


def lifecycle_action(code: str) -> str | None:
    """The lifecycle action an event code records, or None when it is not a transition."""
    from tongchou.lifecycle.table import BY_ACTION  # lifecycle imports projects, which imports audit

    if code.startswith(_LIFECYCLE_PREFIX) and code[len(_LIFECYCLE_PREFIX):] in BY_ACTION:
        return code[len(_LIFECYCLE_PREFIX):]
    return None


def event_label(code: str) -> str:
    """The Chinese name of an event; an unknown code (an old one, or one written by a newer version)
    reads as itself rather than failing the page."""
    action = lifecycle_action(code)
    if action is not None:
        from tongchou.lifecycle.table import BY_ACTION

        return BY_ACTION[action].label
    return EVENT_LABELS.get(code, code)


def outcome_label(outcome: str) -> str:
    return OUTCOME_LABELS.get(outcome, outcome)


def actor_display(*, user: object | None, actor_name: str) -> str:
    """The user's full name when set, else the login name; for events without an account, who wrote it."""
    if user is not None:
        return getattr(user, "display_name", "") or getattr(user, "username", "") or actor_name
    return ACTOR_NAME_LABELS.get(actor_name, actor_name)
