"""Split (第八条、第十六条) and overlap (第三条) detection on realistic projects, through `detect`."""

from __future__ import annotations

import pytest

from tongchou.demand.splits import detect, parse_record

from .splits_cases import BACKGROUND, BOILER, project


def run(lines: list[dict]) -> list[dict]:
    return detect([parse_record(p) for p in lines])


def groups_with(out: list[dict], *ids: str) -> list[dict]:
    return [g for g in out if set(ids) <= set(g["ids"])]


def only_group(out: list[dict], code: str) -> dict:
    found = [g for g in out if g["code"] == code]
    assert len(found) == 1, out
    return found[0]


PHASES = [
    project("p1", "智慧校园管理平台（一期）", "提升中小学校园管理和教学服务水平，建设电子班牌信息发布、校园一卡通消费与门禁、"
            "教师电子备课等功能。" + BOILER, cost=450_000),
    project("p2", "智慧校园管理平台（二期）", "在一期基础上，建设家校互动通知、课后服务选课、校园安全预警等功能，"
            "提升中小学校园管理和教学服务水平。" + BOILER, cost=430_000),
]
MODULES = [
    project("m1", "学籍管理系统——学籍异动审核模块", "作为学籍管理系统的组成部分，建设转学休学复学办理、学籍异动审核功能，"
            "实现全州中小学生学籍全生命周期管理。" + BOILER, cost=300_000),
    project("m2", "学籍管理系统之毕业升级处理子系统", "作为学籍管理系统的组成部分，建设毕业升级处理、学籍信息统计报表、"
            "重复学籍查重比对功能。" + BOILER, cost=320_000),
]
FRONT_BACK = [
    project("f1", "教育资源公共服务平台移动端APP开发", "面向师生，建设名师课堂点播、同步课程资源浏览、资源收藏与评价，"
            "推动优质数字教育资源在城乡学校共享。" + BOILER, cost=260_000),
    project("f2", "教育资源公共服务平台管理后台建设", "面向资源管理人员，建设资源上传审核、教师网络研修管理、区域教研活动、"
            "资源使用分析，推动优质数字教育资源共享。" + BOILER, cost=280_000),
]
HALVES = [
    project("h1", "校园安全监管平台软件开发", "建设校园视频监控汇聚、食堂明厨亮灶、校车定位监管、学生上下学考勤和安全隐患排查上报，"
            "及时发现和处置校园安全隐患。" + BOILER, cost=420_000),
    project("h2", "校园安全监管平台前端感知设备采购", "为校园安全监管平台采购高清网络摄像机、校车车载终端和硬盘录像机，"
            "支撑校园视频监控汇聚和校车定位监管。", cost=380_000, category="equipment"),
]
PARAPHRASE = [
    project("q1", "教师队伍管理信息系统", "加强教师队伍建设，支撑教师职称评聘和培训：建设教师信息库、职称评审申报、"
            "继续教育学分登记、教师交流轮岗管理。" + BOILER, cost=350_000, year=2026),
    project("q2", "教师发展综合服务平台", "为加强全州教师队伍建设，搭建教师信息库、师德考核、职称评审申报和继续教育学分登记，"
            "服务教师职称评聘与培训。" + BOILER, cost=300_000, year=2027),
]


@pytest.mark.parametrize(
    ("planted", "evades"),
    [(PHASES, True), (MODULES, True), (FRONT_BACK, True), (HALVES, False), (PARAPHRASE, True)],
    ids=["phases", "modules", "front-back", "hardware-software", "paraphrase"],
)
def test_planted_split_is_found_with_its_review_path(planted, evades):
    """Pieces of one project of one unit are one ART8-SPLIT group, and nothing else is flagged."""
    out = run(BACKGROUND + planted)
    group = only_group(out, "ART8-SPLIT")
    assert sorted(group["ids"]) == sorted(p["id"] for p in planted)
    assert group["units"] == ["州教育局"]
    assert group["combined_cost"] == sum(p["construction_cost"] for p in planted)
    assert group["evades_review"] is evades
    assert 0 < group["score"] <= 1
    assert "第八条" in group["message"] and "第十六条" in group["message"]
    for p in planted:
        assert p["name"] in group["message"]
    assert not [g for g in out if g["code"] == "ART3-OVERLAP"]


def test_hardware_half_already_under_security_review_does_not_evade():
    """Software 42万 + equipment 38万: the equipment alone already goes to security review, the special
    group's combined 80万 also goes to security review — not stricter, so no evasion."""
    group = only_group(run(BACKGROUND + HALVES), "ART8-SPLIT")
    assert group["evades_review"] is False
    assert group["review_path"] == "security_review"


def test_split_of_a_large_project_reports_joint_review():
    parts = [dict(p, construction_cost=1_500_000) for p in PHASES]
    group = only_group(run(BACKGROUND + parts), "ART8-SPLIT")
    # Each 150万 part already goes to joint review on its own: nothing evaded, still a split.
    assert group["evades_review"] is False
    assert group["combined_cost"] == 3_000_000
    assert "联合会审" in group["message"]


def test_three_phases_are_one_group():
    third = project("p3", "智慧校园管理平台（三期）", "在二期基础上，建设校园一卡通消费与门禁扩容、家校互动通知升级，"
                    "提升中小学校园管理和教学服务水平。" + BOILER, cost=200_000, year=2027)
    out = run(BACKGROUND + PHASES + [third])
    group = only_group(out, "ART8-SPLIT")
    assert sorted(group["ids"]) == ["p1", "p2", "p3"]
    assert group["years"] == [2026, 2027]


def test_boilerplate_alone_does_not_make_projects_alike():
    """Two unrelated systems whose descriptions are mostly the same boilerplate are not flagged."""
    a = project("x1", "学生体质健康监测系统", "建设学生体测数据采集和体质健康分析。" + BOILER * 2)
    b = project("x2", "教育经费统计系统", "建设教育经费填报和经费执行统计。" + BOILER * 2)
    assert run([a, b]) == []
    assert run(BACKGROUND + [a, b]) == []


def test_unrelated_systems_of_one_unit_are_not_flagged():
    assert run(BACKGROUND) == []


def test_far_apart_years_are_not_a_split():
    """The same system of the same unit two or more years apart is an upgrade, not a split."""
    early = dict(PHASES[0], year=2022)
    assert run(BACKGROUND + [early, PHASES[1]]) == []


def test_every_two_members_are_at_most_one_year_apart():
    chain = [dict(PHASES[0], year=2025), dict(PHASES[1], year=2026),
             project("p3", "智慧校园管理平台（三期）", PHASES[1]["description"], year=2027)]
    for group in run(BACKGROUND + chain):
        assert max(group["years"]) - min(group["years"]) <= 1


def test_different_units_building_the_same_system_overlap():
    a = project("o1", "医保基金智能监管系统", "防范医保基金欺诈骗保行为，建设事前提醒、事中审核、事后监管、智能审核规则库，"
                "对定点医药机构结算数据进行疑点数据筛查。" + BOILER, unit="州医疗保障局", cost=1_500_000)
    b = project("o2", "医保基金智能审核监管平台", "建设医保基金智能审核规则库和事前提醒、事中审核、事后监管功能，"
                "开展定点医药机构稽核，防范欺诈骗保。" + BOILER, unit="昌吉市医疗保障局", cost=900_000, year=2027)
    out = run(BACKGROUND + [a, b])
    group = only_group(out, "ART3-OVERLAP")
    assert sorted(group["ids"]) == ["o1", "o2"]
    assert sorted(group["units"]) == sorted(["昌吉市医疗保障局", "州医疗保障局"])
    assert group["evades_review"] is False
    assert "第三条" in group["message"]
    assert not [g for g in out if g["code"] == "ART8-SPLIT"]


def test_output_is_sorted_most_suspicious_first():
    out = run(BACKGROUND + PHASES + MODULES + HALVES)
    scores = [g["score"] for g in out]
    assert len(out) == 3
    assert scores == sorted(scores, reverse=True)


def test_two_counties_building_the_same_office_system_overlap():
    """The place in a county's project name is the unit's, not the system's (第三条: build it once)."""
    a = project("j1", "阜康市协同办公系统", "建设公文流转、会议管理、督查督办、通知公告和移动办公功能，依托政务云部署。",
                unit="阜康市人民政府办公室", cost=600_000)
    b = project("j2", "奇台县OA协同办公平台", "建设公文流转、督查督办、会议管理、信息发布和移动办公APP，部署于州政务云。",
                unit="奇台县人民政府办公室", cost=550_000)
    group = only_group(run(BACKGROUND + [a, b]), "ART3-OVERLAP")
    assert sorted(group["ids"]) == ["j1", "j2"] and group["evades_review"] is False


def test_one_unit_spelt_two_ways_is_still_one_unit():
    """"昌吉州教育局" and "州教育局" are the same 项目建设单位: its pieces are a split, not an overlap."""
    parts = [PHASES[0], dict(PHASES[1], unit="昌吉州 教育局")]
    group = only_group(run(BACKGROUND + parts), "ART8-SPLIT")
    assert sorted(group["ids"]) == ["p1", "p2"]
    assert len(group["units"]) == 1
