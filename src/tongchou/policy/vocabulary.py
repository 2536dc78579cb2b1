"""The closed vocabularies of the assessment contract (enum values and their Chinese names)."""

from __future__ import annotations

LEVELS = ("prefecture", "county", "park")
FUNDING_SOURCES = ("prefecture_fiscal", "superior_special", "xinjiang_aid", "self_raised")
PROJECT_TYPES = ("new", "rebuild", "expand", "migrate", "operations")
CATEGORIES = ("development", "equipment", "security_assessment")
DEPLOYMENTS = ("gov_cloud", "self_hosted", "special_network", "none")
PRIORITY_BASES = ("shared_infrastructure", "mandated", "key_work", "other_necessary")
MATERIALS = (
    "basic_info",
    "technical_plan",
    "om_plan",
    "feasibility_study",
    "intensive_construction_analysis",
    "data_sharing_analysis",
    "security_protection",
    "crypto_application",
    "key_component_selection",
    "information_protection",
)
REVIEWERS = ("digital_bureau", "crypto_bureau", "public_security", "development_reform", "finance")

MATERIAL_NAMES = {
    "basic_info": "基本情况",
    "technical_plan": "技术方案",
    "om_plan": "运维实施方案",
    "feasibility_study": "可行性研究报告",
    "intensive_construction_analysis": "集约化建设分析",
    "data_sharing_analysis": "数据资源共享分析",
    "security_protection": "系统及数据安全防护",
    "crypto_application": "密码应用",
    "key_component_selection": "软硬件产品关键部位选型",
    "information_protection": "信息防护",
}
REVIEWER_NAMES = {
    "digital_bureau": "州数字化发展局",
    "crypto_bureau": "州党委机要保密局",
    "public_security": "州公安局",
    "development_reform": "州发改委",
    "finance": "州财政局",
}
PROJECT_TYPE_NAMES = {"new": "新建", "rebuild": "改建", "expand": "扩建", "migrate": "迁移", "operations": "运维"}
CATEGORY_NAMES = {"development": "建设开发类", "equipment": "设备（硬件）采购类", "security_assessment": "等保测评·密评类"}
FUNDING_NAMES = {
    "prefecture_fiscal": "州本级财政资金",
    "superior_special": "上级专项资金",
    "xinjiang_aid": "援疆资金",
    "self_raised": "自筹资金",
}
DEPLOYMENT_NAMES = {"gov_cloud": "政务云", "self_hosted": "自建机房", "special_network": "专网", "none": "无部署"}
LEVEL_NAMES = {"prefecture": "州直", "county": "县市", "park": "园区"}
REVIEW_PATH_NAMES = {
    "self_procurement": "自行组织实施",
    "security_review": "保密·公安审核",
    "joint_review": "联合会审",
    "not_applicable": "不适用",
}
