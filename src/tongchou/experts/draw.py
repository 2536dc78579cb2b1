"""The expert draw (Art. 32): random by category, free of conflicts of interest, reproducible.

`draw(pool, request, seed)` is a pure function of its three arguments — no Django, no clock, no I/O —
behind both `tongchou experts draw` and the web. Contract: shared/spec/expert-draw.md; algorithm:
docs/adr/0020-expert-draw-algorithm.md.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from tongchou.experts.draw_input import (
    DrawInputError,
    DrawRequest,
    Expert,
    check_seed,
    parse_pool,
    parse_request,
)
from tongchou.experts.draw_random import CategoryStream, commitment, new_seed, sample_order

__all__ = [
    "REASONS",
    "DrawInputError",
    "TooFewExperts",
    "commitment",
    "conflict_cutoff",
    "draw",
    "exclusion_reason",
    "new_seed",
]

# The order in which exclusion reasons are tested; the first that applies is reported.
REASONS = (
    "inactive",
    "requested_exclusion",
    "same_unit",
    "vendor",
    "plan_author",
    "former_employer",
    "declared_conflict",
)

CONFLICT_YEARS = 3  # 财库〔2016〕198号: worked for a party within the last three years


class TooFewExperts(DrawInputError):
    """A category has fewer eligible experts left than it needs: the whole draw fails (exit 2)."""

    def __init__(self, *, category: str, needed: int, available: int, eligible: int) -> None:
        taken = eligible - available
        extra = f"（该类别共有 {eligible} 名符合条件，其中 {taken} 名已被前面的类别抽中）" if taken else ""
        super().__init__(
            f"类别 {category} 需要 {needed} 名专家，但符合条件可供抽取的只有 {available} 名{extra}；"
            "请减少人数、调整回避名单或先扩充该类别的专家",
            field="needs",
        )
        self.category = category
        self.needed = needed
        self.available = available
        self.eligible = eligible


def conflict_cutoff(on: date) -> date:
    """`on` minus three years; 29 February falls back to 28 February."""
    try:
        return on.replace(year=on.year - CONFLICT_YEARS)
    except ValueError:
        return on.replace(year=on.year - CONFLICT_YEARS, day=28)


def exclusion_reason(expert: Expert, request: DrawRequest) -> str | None:
    """The first rule the expert fails (in `REASONS` order), or None when eligible."""
    if expert.status != "active":
        return "inactive"
    if expert.id in request.exclude:
        return "requested_exclusion"
    if expert.employer is not None:
        if expert.employer == request.project_unit:
            return "same_unit"
        if expert.employer in request.vendors:
            return "vendor"
        if expert.employer in request.plan_authors:
            return "plan_author"
    parties = {request.project_unit, *request.vendors, *request.plan_authors}
    cutoff = conflict_cutoff(request.date)
    if any(f.org in parties and f.until >= cutoff for f in expert.former_employers):
        return "former_employer"
    if parties & expert.conflicts:
        return "declared_conflict"
    return None


def draw(pool: Any, request: Any, seed: str) -> dict[str, Any]:
    """Draws experts per the contract. Raises DrawInputError (or TooFewExperts) on unusable input."""
    seed = check_seed(seed)
    experts = sorted(parse_pool(pool), key=lambda e: e.id)
    req = parse_request(request)
    requested = {need.category for need in req.needs}

    eligible_ids: set[str] = set()
    excluded: list[dict[str, str]] = []
    for expert in experts:
        if not (expert.categories & requested):
            continue
        reason = exclusion_reason(expert, req)
        if reason is None:
            eligible_ids.add(expert.id)
        else:
            excluded.append({"id": expert.id, "reason": reason})

    by_category = {
        need.category: [e.id for e in experts if e.id in eligible_ids and need.category in e.categories]
        for need in req.needs
    }
    eligible = {category: len(ids) for category, ids in by_category.items()}

    chosen: set[str] = set()
    selected: list[dict[str, Any]] = []
    reserves: list[dict[str, Any]] = []
    for need in req.needs:
        pool_left = [i for i in by_category[need.category] if i not in chosen]
        if len(pool_left) < need.count:
            raise TooFewExperts(
                category=need.category,
                needed=need.count,
                available=len(pool_left),
                eligible=eligible[need.category],
            )
        order = sample_order(pool_left, need.count + req.reserves, CategoryStream(seed, need.category))
        chosen.update(order)
        selected += [{"id": i, "category": need.category} for i in order[: need.count]]
        reserves += [
            {"id": i, "category": need.category, "rank": rank}
            for rank, i in enumerate(order[need.count :], start=1)
        ]

    return {
        "seed": seed,
        "commitment": commitment(seed),
        "selected": selected,
        "reserves": reserves,
        "excluded": excluded,
        "eligible": eligible,
    }
