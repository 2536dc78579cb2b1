"""Pairs above the threshold become groups: greedy merging under the spec's constraints.

Strongest pairs merge first. Two groups merge only when the result keeps every two members at most one
budget year apart, keeps an overlap group to one project per unit, and the two groups are alike on
average (average linkage), so that a chain of loosely alike projects does not become one group.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .index import YEAR_WINDOW


@dataclass
class Cluster:
    members: list[int]
    years: tuple[int, int]
    units: set[str]
    pair_scores: dict[tuple[int, int], float] = field(default_factory=dict)


def group_pairs(
    edges: Iterable[tuple[float, int, int]],
    *,
    year_of: Callable[[int], int],
    unit_of: Callable[[int], str],
    known: dict[tuple[int, int], float],
    link_threshold: float,
    distinct_units: bool,
    order_key: Callable[[int], str],
) -> list[Cluster]:
    """`edges` are (score, i, j); `known` holds every compared pair's score (i < j); returns clusters of
    two or more members."""
    cluster_of: dict[int, Cluster] = {}
    ordered = sorted(edges, key=lambda e: (-e[0], order_key(e[1]), order_key(e[2])))

    def pair_value(i: int, j: int) -> float:
        # A pair never compared shared no distinctive bigram: as good as unlike.
        return known.get((i, j) if i < j else (j, i), 0.0)

    for s, i, j in ordered:
        a = cluster_of.get(i) or Cluster(members=[i], years=(year_of(i), year_of(i)), units={unit_of(i)})
        b = cluster_of.get(j) or Cluster(members=[j], years=(year_of(j), year_of(j)), units={unit_of(j)})
        if a is b:
            continue
        lo, hi = min(a.years[0], b.years[0]), max(a.years[1], b.years[1])
        if hi - lo > YEAR_WINDOW:
            continue
        if distinct_units and a.units & b.units:
            continue
        cross = [(x, y) for x in a.members for y in b.members]
        if len(cross) > 1:
            values = [pair_value(x, y) for x, y in cross]
            if sum(values) / len(values) < link_threshold:
                continue
        else:
            values = [s]
        merged = Cluster(members=a.members + b.members, years=(lo, hi), units=a.units | b.units)
        merged.pair_scores = {**a.pair_scores, **b.pair_scores}
        for (x, y), v in zip(cross, values, strict=True):
            merged.pair_scores[(min(x, y), max(x, y))] = v
        for m in merged.members:
            cluster_of[m] = merged
    unique = {id(c): c for c in cluster_of.values()}
    return list(unique.values())
