"""Properties of the draw over generated pools, checked against a plain reading of the contract."""

from __future__ import annotations

import random
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tongchou.experts.draw import TooFewExperts, draw

ORGS = ["州教育局", "甲公司", "乙咨询", "丙大学", "丁研究院"]
CATS = ["software", "security", "investment"]
DATE = date(2025, 6, 20)

former = st.fixed_dictionaries({
    "org": st.sampled_from(ORGS),
    "until": st.integers(-1500, 400).map(lambda d: (DATE + timedelta(days=d)).isoformat()),
})
expert = st.fixed_dictionaries({
    "categories": st.lists(st.sampled_from(CATS + ["law"]), max_size=3, unique=True),
    "employer": st.sampled_from(ORGS),
    "status": st.sampled_from(["active", "active", "active", "suspended", "retired"]),
    "former_employers": st.lists(former, max_size=2),
    "conflicts": st.lists(st.sampled_from(ORGS), max_size=2, unique=True),
})
needs = st.lists(st.tuples(st.sampled_from(CATS), st.integers(1, 3)), min_size=1, max_size=3,
                 unique_by=lambda t: t[0])


def reference_reason(e, req):
    parties = {req["project_unit"], *req["vendors"], *req["plan_authors"]}
    cutoff = date(DATE.year - 3, DATE.month, DATE.day)
    if e["status"] != "active":
        return "inactive"
    if e["id"] in req["exclude"]:
        return "requested_exclusion"
    if e["employer"] == req["project_unit"]:
        return "same_unit"
    if e["employer"] in req["vendors"]:
        return "vendor"
    if e["employer"] in req["plan_authors"]:
        return "plan_author"
    if any(f["org"] in parties and date.fromisoformat(f["until"]) >= cutoff for f in e["former_employers"]):
        return "former_employer"
    if parties & set(e["conflicts"]):
        return "declared_conflict"
    return None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    experts=st.lists(expert, min_size=0, max_size=25),
    need_list=needs,
    reserves=st.integers(0, 3),
    excluded_idx=st.lists(st.integers(0, 30), max_size=4),
    seed=st.integers(0, 2**256 - 1).map(lambda n: f"{n:064x}"),
    shuffle_seed=st.integers(0, 1000),
)
def test_draw_follows_the_contract(experts, need_list, reserves, excluded_idx, seed, shuffle_seed):
    pool = [{"id": f"E{i:03d}", "name": f"n{i}", **e} for i, e in enumerate(experts)]
    req = {"date": DATE.isoformat(), "project_unit": "州教育局", "vendors": ["甲公司"], "plan_authors": ["乙咨询"],
           "needs": [{"category": c, "count": n} for c, n in need_list], "reserves": reserves,
           "exclude": [f"E{i:03d}" for i in excluded_idx]}
    requested = {c for c, _ in need_list}
    reasons = {e["id"]: reference_reason(e, req) for e in pool}
    eligible = {c: sorted(e["id"] for e in pool if c in e["categories"] and reasons[e["id"]] is None)
                for c, _ in need_list}
    failure: TooFewExperts | None = None
    try:
        out = draw({"experts": pool}, req, seed)
    except TooFewExperts as exc:
        failure = exc
    if failure is not None:
        # The failure is real: the category lacks enough experts once earlier categories have chosen.
        assert failure.category in requested and failure.available < failure.needed
        assert failure.eligible == len(eligible[failure.category])
        return
    assert out["eligible"] == {c: len(ids) for c, ids in eligible.items()}
    assert list(out["eligible"]) == [c for c, _ in need_list]
    want_excluded = [{"id": e["id"], "reason": reasons[e["id"]]} for e in sorted(pool, key=lambda e: e["id"])
                     if reasons[e["id"]] is not None and requested & set(e["categories"])]
    assert out["excluded"] == want_excluded
    chosen = [s["id"] for s in out["selected"]] + [r["id"] for r in out["reserves"]]
    assert len(chosen) == len(set(chosen))
    taken: set[str] = set()
    for category, count in need_list:
        sel = [s["id"] for s in out["selected"] if s["category"] == category]
        res = [r for r in out["reserves"] if r["category"] == category]
        left = [i for i in eligible[category] if i not in taken]
        assert len(sel) == count and set(sel) <= set(left)
        assert [r["rank"] for r in res] == list(range(1, len(res) + 1))
        assert len(res) == min(reserves, len(left) - count)
        assert {r["id"] for r in res} <= set(left) - set(sel)
        taken |= set(sel) | {r["id"] for r in res}
    # Category blocks come in request order.
    order = [s["category"] for s in out["selected"]]
    assert order == sorted(order, key=[c for c, _ in need_list].index)
    # Pool order does not matter.
    shuffled = list(pool)
    random.Random(shuffle_seed).shuffle(shuffled)
    assert draw({"experts": shuffled}, req, seed) == out
