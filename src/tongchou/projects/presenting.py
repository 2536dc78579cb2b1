"""How an assessment reads to the applicant: Chinese labels and, for each finding, what to do."""

from __future__ import annotations

from typing import Any

from tongchou.accounts.models import MemberRole
from tongchou.projects.humanize import humanize_text
from tongchou.projects.models import MaterialKind, ReviewPath, Support

# What the applicant can do about each finding (the engine's message says what and why).
NEXT_STEPS: dict[str, str] = {
    "ART10-MATERIALS": "在对应栏目填写内容或上传附件，补齐缺少的申报材料。",
    "ART12-1": "改为依托全州统一的政务云、数据共享交换平台等共享设施，不单独新建机房或采购服务器。",
    "ART12-2": "改用电子政务内网或外网，不单独租赁互联网出口或未整合的专网。",
    "ART12-3": "部署到政务云；确需专网运行的，填写国家规定依据（第七条）。",
    "ART12-4": "更换为符合测评要求的关键部件，并在技术方案中说明选型。",
    "ART12-5": "完善密码应用和网络安全保密方案，消除重大安全隐患。",
    "ART12-6": "调整技术路线，避免淘汰产品和高耗能产品。",
    "ART12-7": "明确需求与绩效目标，完成内部系统整合，落实数据共享要求。",
    "ART12-8": "原项目须先通过竣工验收；请填写原项目验收情况。",
    "ART13-CONSENT": "以附件上传上一级业务主管部门书面同意的证明材料（所属材料选择该项）；不申请例外的，清空第十三条法律依据。",
    "ART13-INCOMPLETE": "第十三条例外须同时提供法律依据和上一级业务主管部门书面同意。",
    "ART7-DATA-INTERFACE": "非涉密项目原则上应提供数据接口。",
    "ART9-UNAPPROVED-START": "不得未批先建：取得立项批复后再启动采购或建设。",
    "ART23-CONSTRUCTION-PERIOD": "将合同约定的建设周期调整为不超过三年。",
    "ART23-FREE-OM": "合同中约定不少于一年的免费运维服务期。",
    "ART23-HARDWARE-TERM": "硬件采购合同约定的建设运维期不低于五年。",
    "ART26-LAPSED": "立项批复已满一年未启动采购，须重新申报。",
    "ART29-OM-CAP": "年度运维经费一般不超过建设成本的 10%，请核减或说明理由。",
    "ART38-OUTSIDE-TRIAL": "申报日期不在试行期内，评估仍按现行规则集进行，请留意规则变化。",
}

SEVERITY_LABELS = {"block": "不予通过", "warn": "提醒", "info": "说明"}
APPLICABILITY_LABELS = {"binding": "适用本办法", "reference": "参照本办法管理", "excluded": "不适用本办法（第三十四条）"}
AUTHORITY_LABELS = {"prefecture_bureau": "州数字化发展局", "county_bureau": "县市数字化发展局"}


def _label(choices: Any, value: str | None) -> str:
    if not value:
        return "—"
    return str(dict(choices.choices).get(value, value))


def next_step_for(code: str) -> str:
    if code in NEXT_STEPS:
        return NEXT_STEPS[code]
    for known, step in NEXT_STEPS.items():
        if code.startswith(known):
            return step
    return ""


def assessment_view(result: dict[str, Any]) -> dict[str, Any]:
    """The assessment with labels added, in the order a reader wants it: blocks first."""
    order = {"block": 0, "warn": 1, "info": 2}
    findings = sorted(result.get("findings") or [], key=lambda f: (order.get(f.get("severity"), 3), f.get("code", "")))
    return {
        "review_path": result.get("review_path"),
        "review_path_label": _label(ReviewPath, result.get("review_path")),
        "support": result.get("support"),
        "support_label": _label(Support, result.get("support")),
        "applicability_label": APPLICABILITY_LABELS.get(result.get("applicability") or "", "—"),
        "authority_label": AUTHORITY_LABELS.get(result.get("authority") or "", "—"),
        "expert_review": bool(result.get("expert_review")),
        "reviewers": [_label(MemberRole, r) for r in result.get("reviewers") or []],
        "complete": result.get("complete", True),
        "missing_materials": [_label(MaterialKind, m) for m in result.get("missing_materials") or []],
        # Only the live assessment carries it (projects.services.project_assess_draft, Art. 13).
        "missing_consent": [_label(MaterialKind, m) for m in result.get("missing_consent") or []],
        # The engine names facts by their contract field names and values; pages say them in Chinese.
        "findings": [
            {**f, "message": humanize_text(f.get("message", "")),
             "severity_label": SEVERITY_LABELS.get(f.get("severity", ""), f.get("severity", "")),
             "next_step": next_step_for(f.get("code", ""))}
            for f in findings
        ],
        "obligations": [{**o, "message": humanize_text(o.get("message", ""))} for o in result.get("obligations") or []],
        "ruleset": (result.get("ruleset") or {}).get("id", ""),
        "om_funding": result.get("om_funding"),
    }
