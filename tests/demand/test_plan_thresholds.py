"""The split engine's review thresholds come from the policy rule set in force, not from copied numbers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import time_machine

from tongchou.demand.splits import find_similar
from tongchou.demand.splits.review_path import review_path, thresholds_in_force
from tongchou.policy.registry import BUILTIN_DIR

BOILER = "依托州统一政务云平台部署，对接全州数据共享交换平台。"
A = {"id": "a", "unit": "州教育局", "year": 2026, "name": "智慧校园管理平台（一期）", "construction_cost": 450_000,
     "description": "提升中小学校园管理和教学服务水平，建设电子班牌信息发布、校园一卡通消费与门禁、教师电子备课等功能。" + BOILER}
B = {"id": "b", "unit": "州教育局", "year": 2026, "name": "智慧校园管理平台（二期）", "construction_cost": 430_000,
     "description": "在一期基础上，建设家校互动通知、课后服务选课、校园安全预警等功能，提升中小学校园管理和教学服务水平。" + BOILER}


def test_trial_rule_set_thresholds():
    t = thresholds_in_force(date(2025, 6, 1))
    assert (t.lower, t.upper) == (500_000, 2_000_000)
    assert review_path(499_999, False) == "self_procurement"
    assert review_path(500_000, False) == "joint_review"


def test_a_revised_rule_set_moves_the_review_path(tmp_path: Path, rulesets_dir):
    text = (BUILTIN_DIR / "changji-2025-trial.yaml").read_text(encoding="utf-8")
    text = (text.replace("id: changji-2025-trial", "id: changji-2026-revised")
            .replace("valid_from: 2025-01-17", "valid_from: 2026-01-17")
            .replace("valid_until: 2026-01-16", "valid_until: 2027-01-16")
            .replace("value: 500000", "value: 1000000"))
    (tmp_path / "changji-2026-revised.yaml").write_text(text, encoding="utf-8")
    assert thresholds_in_force(date(2026, 6, 1)).lower == 500_000  # cached before the revision arrives
    rulesets_dir(tmp_path)
    revised = thresholds_in_force(date(2026, 6, 1))
    assert revised.lower == 1_000_000
    assert thresholds_in_force(date(2025, 6, 1)).lower == 500_000
    # 880,000 combined: joint review under the trial, self procurement under the revision
    assert review_path(880_000, False, revised) == "self_procurement"
    with time_machine.travel("2026-06-01 10:00:00+08:00", tick=False):
        hit = find_similar(A, [A, B])
    assert hit[0]["review_path"] == "self_procurement" and hit[0]["evades_review"] is False
    with time_machine.travel("2025-06-01 10:00:00+08:00", tick=False):
        hit = find_similar(A, [A, B])
    assert hit[0]["review_path"] == "joint_review" and hit[0]["evades_review"] is True
