"""The detection pipeline: index → candidate pairs → scores → groups → output lines, most suspicious first."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .grouping import group_pairs
from .index import SplitIndex
from .records import ProjectRecord
from .report import group_line
from .review_path import thresholds_in_force
from .scoring import fast_score


@dataclass(frozen=True)
class Thresholds:
    split: float = 0.42  # ART8-SPLIT: same unit
    overlap: float = 0.55  # ART3-OVERLAP: different units
    link_ratio: float = 1.0  # average linkage to merge groups, as a share of the pair threshold


DEFAULT = Thresholds()


def detect(records: Iterable[ProjectRecord], thresholds: Thresholds = DEFAULT) -> list[dict[str, Any]]:
    index = SplitIndex(records)
    return detect_in_index(index, thresholds)


def detect_in_index(index: SplitIndex, thresholds: Thresholds = DEFAULT) -> list[dict[str, Any]]:
    feats = index.features
    split_edges: list[tuple[float, int, int]] = []
    overlap_edges: list[tuple[float, int, int]] = []
    pieces: dict[tuple[int, int], bool] = {}
    lowest = min(thresholds.split, thresholds.overlap)
    known: dict[tuple[int, int], float] = {}
    link_floor = lowest * thresholds.link_ratio / 2
    core_w2, content_w2 = index.stats.core_w2_map, index.stats.content_w2_map
    for i, j in index.candidate_pairs():
        a, b = feats[i], feats[j]
        if not (a.core_norm and b.core_norm and a.content_norm and b.content_norm):
            s = index.score(i, j)
            score, is_pieces = s.score, s.pieces
        else:
            score, is_pieces = fast_score(a, b, core_w2, content_w2)
        if score < link_floor:
            continue
        known[(i, j)] = score
        if score < lowest:
            continue
        same_unit = a.unit_key == b.unit_key
        if same_unit and score >= thresholds.split:
            split_edges.append((score, i, j))
            pieces[(i, j)] = is_pieces
        elif not same_unit and score >= thresholds.overlap:
            overlap_edges.append((score, i, j))
            pieces[(i, j)] = is_pieces

    lines = []
    # Plain lists looked up in C, not a Python lambda per call (hundreds of thousands of calls).
    ids = [f.record.id for f in feats]
    years = [f.record.year for f in feats]
    unit_keys = [f.unit_key for f in feats]
    year_and_id = list(zip(years, ids, strict=True))
    in_force = thresholds_in_force()  # once per run, not once per line and member
    for code, edges, threshold, distinct in (
        ("ART8-SPLIT", split_edges, thresholds.split, False),
        ("ART3-OVERLAP", overlap_edges, thresholds.overlap, True),
    ):
        clusters = group_pairs(
            edges,
            year_of=years.__getitem__,
            unit_of=unit_keys.__getitem__,
            known=known,
            link_threshold=threshold * thresholds.link_ratio,
            distinct_units=distinct,
            order_key=ids.__getitem__,
        )
        for c in clusters:
            members = sorted(c.members, key=year_and_id.__getitem__)
            values = list(c.pair_scores.values())
            score = sum(values) / len(values)
            is_pieces = any(pieces.get(k, False) for k in c.pair_scores)
            lines.append(group_line(code, [feats[i] for i in members], score, is_pieces, thresholds=in_force))
    lines.sort(key=lambda d: (-d["score"], not d["evades_review"], d["code"] != "ART8-SPLIT", d["ids"]))
    return lines
