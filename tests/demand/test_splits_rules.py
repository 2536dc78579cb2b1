"""The pure rules: review paths (第十六条、第十七条), evasion, name cores, determinism, find_similar."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tongchou.demand.splits import SplitIndex, detect, find_similar, parse_record
from tongchou.demand.splits.review_path import evades_review, review_path
from tongchou.demand.splits.text import name_parts, strip_boilerplate

from .splits_cases import BACKGROUND, BOILER, project


def rec(cost: float, category: str = "development", classified: bool = False, pid: str = "x"):
    return parse_record(project(pid, "某系统", "某内容", cost=cost, category=category, classified=classified))


def test_review_path_table_and_boundaries():
    assert review_path(499_999.99, False) == "self_procurement"
    assert review_path(499_999, True) == "security_review"
    assert review_path(500_000, False) == "joint_review"
    assert review_path(500_000, True) == "security_review"
    assert review_path(2_000_000, True) == "security_review"
    assert review_path(2_000_000.01, True) == "joint_review"
    assert review_path(2_000_001, False) == "joint_review"


def test_two_small_development_parts_evade_joint_review():
    assert evades_review([rec(300_000, pid="a"), rec(300_000, pid="b")]) is True


def test_small_parts_staying_small_evade_nothing():
    assert evades_review([rec(200_000, pid="a"), rec(200_000, pid="b")]) is False


def test_special_group_compares_with_each_members_own_path():
    # Equipment 30万 (security review) + software 30万 (self procurement): combined special 60万 →
    # security review, not stricter than the equipment's own path.
    assert evades_review([rec(300_000, "equipment", pid="a"), rec(300_000, pid="b")]) is False
    # Classified parts of 120万 each: 240万 → joint review, stricter than security review for both.
    assert evades_review([rec(1_200_000, classified=True, pid="a"), rec(1_200_000, classified=True, pid="b")]) is True


def test_name_core_drops_piece_markers_and_generic_words():
    cores = {name_parts(n, "州教育局").core for n in [
        "州教育局智慧校园管理平台（一期）", "智慧校园管理平台二期建设项目", "智慧校园平台服务器设备采购",
        "智慧校园平台软件开发", "智慧校园平台移动端APP开发", "智慧校园平台第二阶段",
    ]}
    assert cores == {"校园"}
    assert name_parts("学籍管理系统——学籍异动审核模块").core == name_parts("学籍管理系统之毕业升级子系统").core


def test_boilerplate_is_removed_from_descriptions():
    text = strip_boilerplate(BOILER)
    for phrase in ("政务云", "共享交换", "等级保护", "密码应用", "统一身份认证"):
        assert phrase not in text


SPLIT = [
    project("p1", "智慧校园管理平台（一期）", "建设电子班牌信息发布、校园一卡通消费与门禁、教师电子备课。" + BOILER, cost=450_000),
    project("p2", "智慧校园管理平台（二期）", "在一期基础上建设家校互动通知、课后服务选课、校园一卡通消费与门禁扩容。" + BOILER,
            cost=430_000),
    project("o1", "智慧校园管理平台", "建设电子班牌信息发布、校园一卡通消费与门禁、家校互动通知、课后服务选课。" + BOILER,
            unit="昌吉市教育局", cost=900_000, year=2027),
]
POOL = BACKGROUND + SPLIT


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.permutations(POOL), st.sets(st.sampled_from([p["id"] for p in POOL]), max_size=4))
def test_output_is_deterministic_and_most_suspicious_first(order, dropped):
    """Whatever the order of the lines and whichever projects are present, the same input gives the same
    groups, each group lists its members once, and scores never increase down the list."""
    lines = [p for p in order if p["id"] not in dropped]
    out = detect([parse_record(p) for p in lines])
    again = detect([parse_record(p) for p in sorted(lines, key=lambda p: p["id"])])
    assert out == again
    scores = [g["score"] for g in out]
    assert scores == sorted(scores, reverse=True)
    present = {p["id"] for p in lines}
    for g in out:
        assert len(g["ids"]) == len(set(g["ids"])) >= 2
        assert set(g["ids"]) <= present
        assert 0 <= g["score"] <= 1
        assert max(g["years"]) - min(g["years"]) <= 1
        if g["code"] == "ART3-OVERLAP":
            assert g["evades_review"] is False and len(g["units"]) >= 2
        else:
            assert len(g["units"]) == 1


def test_find_similar_warns_about_a_piece_of_ones_own_project():
    typed = project("new", "智慧校园管理平台（三期）", "建设校园安全预警和教师电子备课功能扩展。", cost=300_000, year=2027)
    matches = find_similar(typed, POOL)
    own = [m for m in matches if m["code"] == "ART8-SPLIT"]
    assert {m["id"] for m in own} >= {"p1", "p2"}
    assert all(m["unit"] == "州教育局" for m in own)
    assert [m for m in matches if m["code"] == "ART3-OVERLAP"][0]["id"] == "o1"
    scores = [m["score"] for m in matches]
    assert scores == sorted(scores, reverse=True)


def test_find_similar_on_a_prebuilt_index_and_nothing_for_an_unrelated_need():
    index = SplitIndex(parse_record(p) for p in POOL)
    unrelated = project("new", "档案数字化加工", "馆藏纸质档案扫描和目录著录。", unit="州档案馆", year=2026)
    assert find_similar(unrelated, index) == []
    assert find_similar(dict(SPLIT[0], id="copy"), index)[0]["id"] == "p1"


def test_the_fast_scoring_loop_agrees_with_pair_score():
    from tongchou.demand.splits.scoring import fast_score

    index = SplitIndex(parse_record(p) for p in POOL)
    stats = index.stats
    compared = 0
    for i, j in index.candidate_pairs():
        slow = index.score(i, j)
        assert fast_score(index.features[i], index.features[j], stats.core_w2_map, stats.content_w2_map) == (
            slow.score, slow.pieces)
        compared += 1
    assert compared > 0


def test_a_security_assessment_of_a_system_is_not_a_piece_of_it():
    """等保测评 is bought from an independent assessor: not a split of the system it assesses."""
    system = project("s1", "智慧校园管理平台建设", "建设电子班牌信息发布、校园一卡通消费与门禁、家校互动通知。" + BOILER)
    assessment = project("s2", "智慧校园管理平台等保测评", "对智慧校园管理平台开展网络安全等级保护三级测评。",
                         category="security_assessment", cost=150_000)
    assert detect([parse_record(p) for p in BACKGROUND + [system, assessment]]) == []
