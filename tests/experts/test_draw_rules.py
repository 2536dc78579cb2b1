"""The draw's pure rules (shared/spec/expert-draw.md): eligibility, reasons, order, the seeded choice."""

from __future__ import annotations

import copy
from datetime import date

import pytest

from tongchou.crypto.sm import sm3_hex
from tongchou.experts.draw import (
    DrawInputError,
    TooFewExperts,
    commitment,
    conflict_cutoff,
    draw,
)
from tongchou.experts.draw_random import CategoryStream, new_seed, sample_order

SEED = "0" * 63 + "1"


def expert(eid: str, **kw):
    base = {
        "id": eid,
        "name": f"专家{eid}",
        "categories": ["software"],
        "employer": f"单位{eid}",
        "status": "active",
        "former_employers": [],
        "conflicts": [],
    }
    base.update(kw)
    return base


def request(**kw):
    base = {
        "date": "2025-06-20",
        "project_unit": "州教育局",
        "vendors": ["某科技公司"],
        "plan_authors": ["某咨询公司"],
        "needs": [{"category": "software", "count": 1}],
        "reserves": 0,
        "exclude": [],
    }
    base.update(kw)
    return base


def reasons(pool, req):
    return {e["id"]: e["reason"] for e in draw({"experts": pool}, req, SEED)["excluded"]}


def test_output_has_the_contract_keys_in_order():
    """The output's keys come in the contract's order; commitment is SM3 of the seed's ASCII bytes."""
    out = draw({"experts": [expert("E1"), expert("E2")]}, request(), SEED)
    assert list(out) == ["seed", "commitment", "selected", "reserves", "excluded", "eligible"]
    assert out["seed"] == SEED
    assert out["commitment"] == sm3_hex(SEED.encode("ascii")) == commitment(SEED)
    assert len(out["commitment"]) == 64 and out["commitment"] == out["commitment"].lower()


def test_fresh_seed_is_64_lowercase_hex_and_differs():
    a, b = new_seed(), new_seed()
    assert len(a) == 64 and set(a) <= set("0123456789abcdef")
    assert a != b


@pytest.mark.parametrize(
    ("kw", "reason"),
    [
        ({"status": "suspended"}, "inactive"),
        ({"status": "retired"}, "inactive"),
        ({"employer": "州教育局"}, "same_unit"),
        ({"employer": "某科技公司"}, "vendor"),
        ({"employer": "某咨询公司"}, "plan_author"),
        ({"conflicts": ["某科技公司"]}, "declared_conflict"),
        ({"conflicts": ["州教育局"]}, "declared_conflict"),
        ({"conflicts": ["某咨询公司"]}, "declared_conflict"),
        ({"former_employers": [{"org": "某咨询公司", "until": "2024-01-01"}]}, "former_employer"),
        ({"former_employers": [{"org": "州教育局", "until": "2030-01-01"}]}, "former_employer"),
    ],
)
def test_each_rule_excludes_with_its_reason(kw, reason):
    pool = [expert("E1", **kw), expert("E2")]
    assert reasons(pool, request()) == {"E1": reason}


def test_requested_exclusion():
    pool = [expert("E1"), expert("E2")]
    assert reasons(pool, request(exclude=["E1", "E404"])) == {"E1": "requested_exclusion"}


def test_first_reason_wins_in_contract_order():
    """An expert failing every rule is reported with the earliest reason, and so on down the list."""
    everything = {
        "status": "suspended",
        "employer": "州教育局",
        "former_employers": [{"org": "某科技公司", "until": "2025-01-01"}],
        "conflicts": ["某咨询公司"],
    }
    req = request(
        vendors=["州教育局", "某科技公司"], plan_authors=["州教育局", "某咨询公司"], exclude=["E1"]
    )
    e = expert("E1", **everything)
    r = copy.deepcopy(req)
    assert reasons([e, expert("E2")], r)["E1"] == "inactive"
    e["status"] = "active"
    assert reasons([e, expert("E2")], r)["E1"] == "requested_exclusion"
    r["exclude"] = []
    assert reasons([e, expert("E2")], r)["E1"] == "same_unit"
    r["project_unit"] = "别的单位"
    assert reasons([e, expert("E2")], r)["E1"] == "vendor"
    r["vendors"] = ["某科技公司"]
    assert reasons([e, expert("E2")], r)["E1"] == "plan_author"
    e["employer"] = "无关单位"
    assert reasons([e, expert("E2")], r)["E1"] == "former_employer"
    e["former_employers"] = []
    assert reasons([e, expert("E2")], r)["E1"] == "declared_conflict"
    e["conflicts"] = []
    assert reasons([e, expert("E2")], r) == {}


@pytest.mark.parametrize(
    ("draw_date", "until", "conflict"),
    [
        ("2025-06-20", "2022-06-20", True),  # exactly three years: still a conflict
        ("2025-06-20", "2022-06-19", False),  # one day more: clear
        ("2025-06-20", "2025-06-19", True),
        ("2025-06-20", "2026-01-01", True),  # still employed after the date
        ("2028-02-29", "2025-02-28", True),  # 29 Feb minus three years is 28 Feb
        ("2028-02-29", "2025-02-27", False),
        ("2025-03-01", "2022-03-01", True),
        ("2025-03-01", "2022-02-28", False),
        ("2024-02-29", "2021-02-28", True),
    ],
)
def test_three_year_line_both_sides(draw_date, until, conflict):
    pool = [expert("E1", former_employers=[{"org": "某科技公司", "until": until}]), expert("E2")]
    got = reasons(pool, request(date=draw_date))
    assert got == ({"E1": "former_employer"} if conflict else {})


def test_former_employer_that_is_no_party_is_no_conflict():
    pool = [expert("E1", former_employers=[{"org": "别的公司", "until": "2025-06-01"}]), expert("E2")]
    assert reasons(pool, request()) == {}


def test_conflict_cutoff_leap_day():
    assert conflict_cutoff(date(2028, 2, 29)) == date(2025, 2, 28)
    assert conflict_cutoff(date(2025, 6, 20)) == date(2022, 6, 20)


def test_excluded_lists_only_experts_holding_a_requested_category():
    pool = [expert("E1", status="retired", categories=["law"]), expert("E2"), expert("E3", status="retired")]
    assert reasons(pool, request()) == {"E3": "inactive"}


def test_eligible_counts_before_drawing_and_categories_in_request_order():
    pool = [expert(f"S{i}", categories=["software", "audit"]) for i in range(4)] + [
        expert(f"A{i}", categories=["audit"]) for i in range(3)
    ]
    req = request(
        needs=[{"category": "software", "count": 2}, {"category": "audit", "count": 2}], reserves=1
    )
    out = draw({"experts": pool}, req, SEED)
    assert out["eligible"] == {"software": 4, "audit": 7}
    assert [s["category"] for s in out["selected"]] == ["software", "software", "audit", "audit"]
    assert [(r["category"], r["rank"]) for r in out["reserves"]] == [("software", 1), ("audit", 1)]
    ids = [s["id"] for s in out["selected"]] + [r["id"] for r in out["reserves"]]
    assert len(ids) == len(set(ids))
    sw = [s["id"] for s in out["selected"] if s["category"] == "software"] + [out["reserves"][0]["id"]]
    assert all(i.startswith("S") for i in sw)


def test_reserves_fill_as_far_as_possible_and_are_ranked():
    pool = [expert(f"E{i}") for i in range(4)]
    out = draw({"experts": pool}, request(needs=[{"category": "software", "count": 2}], reserves=5), SEED)
    assert len(out["selected"]) == 2
    assert [r["rank"] for r in out["reserves"]] == [1, 2]


def test_default_reserves_is_two():
    pool = [expert(f"E{i}") for i in range(6)]
    req = request()
    del req["reserves"]
    assert len(draw({"experts": pool}, req, SEED)["reserves"]) == 2


def test_too_few_fails_naming_category_needed_and_eligible():
    pool = [expert("E1"), expert("E2"), expert("E3", status="suspended")]
    with pytest.raises(TooFewExperts) as err:
        draw({"experts": pool}, request(needs=[{"category": "software", "count": 3}]), SEED)
    assert "software" in err.value.message and "3" in err.value.message and "2" in err.value.message
    assert (err.value.needed, err.value.available) == (3, 2)


def test_too_few_counts_experts_taken_by_an_earlier_category():
    pool = [expert("E1", categories=["software", "audit"]), expert("E2", categories=["software", "audit"])]
    req = request(needs=[{"category": "software", "count": 1}, {"category": "audit", "count": 2}], reserves=0)
    with pytest.raises(TooFewExperts) as err:
        draw({"experts": pool}, req, SEED)
    assert err.value.category == "audit" and err.value.available == 1 and err.value.eligible == 2
    # Exactly enough: succeeds.
    req["needs"][1]["count"] = 1
    assert len(draw({"experts": pool}, req, SEED)["selected"]) == 2


def test_exactly_enough_succeeds():
    pool = [expert("E1"), expert("E2")]
    out = draw({"experts": pool}, request(needs=[{"category": "software", "count": 2}], reserves=2), SEED)
    assert sorted(s["id"] for s in out["selected"]) == ["E1", "E2"] and out["reserves"] == []


def test_pure_and_independent_of_pool_order():
    pool = [expert(f"E{i:02d}") for i in range(20)]
    req = request(needs=[{"category": "software", "count": 5}], reserves=3)
    a = draw({"experts": pool}, req, SEED)
    b = draw({"experts": list(reversed(pool))}, copy.deepcopy(req), SEED)
    assert a == b
    assert draw({"experts": pool}, req, "f" * 64) != a


def test_golden_output_pins_the_algorithm():
    """ADR 0020 fixes the algorithm: a change of output for a recorded draw is a breaking change."""
    pool = [expert(f"E{i:03d}") for i in range(1, 11)]
    out = draw({"experts": pool}, request(needs=[{"category": "software", "count": 3}], reserves=2), "a" * 64)
    assert [s["id"] for s in out["selected"]] + [r["id"] for r in out["reserves"]] == GOLDEN


GOLDEN = ["E008", "E005", "E010", "E006", "E003"]


def test_stream_matches_an_independent_hmac_sm3():
    """The ADR's formula, recomputed with the standard library's hmac (where OpenSSL offers sm3)."""
    import hashlib
    import hmac

    if "sm3" not in hashlib.algorithms_available:
        pytest.skip("hashlib has no sm3 here")
    stream = CategoryStream(SEED, "软件开发")
    got = [stream.below(7) for _ in range(50)]
    key = bytes.fromhex(SEED)
    want = []
    counter = 0
    space = 1 << 256
    for _ in range(50):
        while True:
            msg = b"tongchou-expert-draw-v1\x00" + "软件开发".encode() + b"\x00" + counter.to_bytes(8, "big")
            counter += 1
            r = int.from_bytes(hmac.new(key, msg, "sm3").digest(), "big")
            if r < space - space % 7:
                want.append(r % 7)
                break
    assert got == want


def test_rejection_sampling_rejects_the_biased_tail(monkeypatch):
    stream = CategoryStream(SEED, "x")
    values = iter([(1 << 256) - 1, 5])
    monkeypatch.setattr(stream, "_block", lambda: next(values))
    assert stream.below(3) == 2  # the first block lies in the biased tail and is thrown away


def test_sample_order_is_a_prefix_of_a_permutation():
    order = sample_order([str(i) for i in range(10)], 10, CategoryStream(SEED, "c"))
    assert sorted(order, key=int) == [str(i) for i in range(10)]


def _chi_square(counts: list[int], expected: float) -> float:
    return sum((c - expected) ** 2 / expected for c in counts)


# Upper 0.1 % points of the chi-square distribution (α = 0.001).
CHI2_001 = {9: 27.877, 11: 31.264}


def test_every_eligible_expert_is_equally_likely_chi_square():
    """Over 3,000 seeds, the single expert drawn from 10 eligible is uniform (χ², α = 0.001); so is
    the first reserve, and ineligible experts are never drawn."""
    pool = [expert(f"E{i:02d}") for i in range(10)] + [expert("X1", status="suspended"), expert("X2", employer="州教育局")]
    req = request(needs=[{"category": "software", "count": 1}], reserves=1)
    n = 3000
    first = dict.fromkeys((f"E{i:02d}" for i in range(10)), 0)
    reserve = dict.fromkeys(first, 0)
    for k in range(n):
        out = draw({"experts": pool}, req, sm3_hex(f"seed-{k}"))
        first[out["selected"][0]["id"]] += 1
        reserve[out["reserves"][0]["id"]] += 1
    assert _chi_square(list(first.values()), n / 10) < CHI2_001[9], first
    assert _chi_square(list(reserve.values()), n / 10) < CHI2_001[9], reserve


def test_chi_square_would_catch_a_biased_draw():
    """The test above has power: a draw favouring one expert by 30 % fails it."""
    n = 3000
    counts = [int(n / 10 * 1.3)] + [int((n - n / 10 * 1.3) / 9)] * 9
    assert _chi_square(counts, n / 10) > CHI2_001[9]


def test_panels_of_three_from_twelve_are_uniform_per_expert():
    """Selection frequency of each of 12 experts in 3-person panels over 2,000 seeds (χ², α = 0.001)."""
    pool = [expert(f"E{i:02d}") for i in range(12)]
    req = request(needs=[{"category": "software", "count": 3}], reserves=0)
    n = 2000
    counts = dict.fromkeys((f"E{i:02d}" for i in range(12)), 0)
    for k in range(n):
        for s in draw({"experts": pool}, req, sm3_hex(f"panel-{k}"))["selected"]:
            counts[s["id"]] += 1
    assert _chi_square(list(counts.values()), n * 3 / 12) < CHI2_001[11], counts


@pytest.mark.parametrize(
    "bad_seed",
    ["", "a" * 63, "a" * 65, "A" * 64, "g" * 64, " " + "a" * 63, "a" * 64 + "\n", "０" * 64, None, 12],
)
def test_bad_seeds_are_refused(bad_seed):
    with pytest.raises(DrawInputError) as err:
        draw({"experts": [expert("E1")]}, request(), bad_seed)
    assert "--seed" in err.value.message
