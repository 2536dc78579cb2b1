"""Realistic project lines for the split/overlap tests."""

from __future__ import annotations

BOILER = (
    "项目依托州统一政务云平台部署，不新建机房；对接全州数据共享交换平台，实现数据共享和业务协同；"
    "按照网络安全等级保护三级要求进行安全防护，同步开展商用密码应用安全性评估；接入统一身份认证平台。"
)


def project(pid: str, name: str, description: str, *, unit: str = "州教育局", year: int = 2026,
            cost: float = 400_000, category: str | None = None, classified: bool | None = None) -> dict:
    line = {"id": pid, "unit": unit, "year": year, "name": name, "description": description,
            "construction_cost": cost}
    if category is not None:
        line["category"] = category
    if classified is not None:
        line["classified"] = classified
    return line


# Background: one unit's and other units' unrelated systems, all carrying the same boilerplate.
BACKGROUND = [
    project("b1", "学生资助管理系统", "精准识别家庭经济困难学生，建设困难学生认定、资助项目申请审批、资助资金发放台账、"
            "资助对象比对核查等功能。" + BOILER),
    project("b2", "教育视频会议系统设备采购", "采购高清视频会议终端和多点控制单元，覆盖各县市教育局会议室，"
            "支撑全州教育系统远程会议和培训。" + BOILER, category="equipment", cost=300_000),
    project("b3", "招生考试管理平台", "保障中考招生公平规范，建设中考报名与资格审核、考场编排、考生身份核验、阅卷成绩管理、"
            "志愿填报与录取等功能。" + BOILER, year=2025),
    project("b4", "医保经办服务平台", "建设参保登记、异地就医备案、门诊慢特病申请、医疗费用零星报销、医保关系转移接续等功能，"
            "让群众办理医保业务少跑腿。" + BOILER, unit="州医疗保障局"),
    project("b5", "河湖长制管理系统", "建设河湖长信息管理、巡河打卡、问题上报交办、河湖四乱整治、考核评价和河湖一张图。" + BOILER,
            unit="州水利局", year=2027),
    project("b6", "森林草原防火监测平台", "建设林火视频监测、热点核查、护林员巡护、防火物资管理和火情上报调度功能。" + BOILER,
            unit="州应急管理局", year=2026),
    project("b7", "食品安全监管平台", "建设食品生产经营许可、日常监督检查、食品抽检监测、餐饮明厨亮灶和食品安全信用档案功能。"
            + BOILER, unit="州市场监督管理局", year=2025),
    project("b8", "不动产登记系统", "建设不动产登记申请、权籍调查、登记簿管理、电子证照发放和交易与登记一窗受理。" + BOILER,
            unit="州自然资源局", year=2026),
]
