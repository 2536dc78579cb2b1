"""The detection pipeline: index → candidate pairs → scores → groups → output lines, most suspicious first."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .grouping import group_pairs
from .index import SplitIndex
from .records import ProjectRecord
from .report import group_line


@dataclass(frozen=True)
class Thresholds:
    split: float = 0.45  # ART8-SPLIT: same unit
    overlap: float = 0.5  # ART3-OVERLAP: different units
    link_ratio: float = 0.8  # average linkage to merge groups, as a share of the pair threshold


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
    for i, j in index.candidate_pairs():
        s = index.score(i, j)
        if s.score >= link_floor:
            known[(i, j)] = s.score
        if s.score < lowest:
            continue
        same_unit = feats[i].record.unit == feats[j].record.unit
        if same_unit and s.score >= thresholds.split:
            split_edges.append((s.score, i, j))
            pieces[(i, j)] = s.pieces
        elif not same_unit and s.score >= thresholds.overlap:
            overlap_edges.append((s.score, i, j))
            pieces[(i, j)] = s.pieces

    lines = []
    for code, edges, threshold, distinct in (
        ("ART8-SPLIT", split_edges, thresholds.split, False),
        ("ART3-OVERLAP", overlap_edges, thresholds.overlap, True),
    ):
        clusters = group_pairs(
            edges,
            year_of=lambda i: feats[i].record.year,
            unit_of=lambda i: feats[i].record.unit,
            known=known,
            link_threshold=threshold * thresholds.link_ratio,
            distinct_units=distinct,
            order_key=lambda i: feats[i].record.id,
        )
        for c in clusters:
            members = sorted(c.members, key=lambda i: (feats[i].record.year, feats[i].record.id))
            values = list(c.pair_scores.values())
            score = sum(values) / len(values)
            is_pieces = any(pieces.get(k, False) for k in c.pair_scores)
            lines.append(group_line(code, [feats[i] for i in members], score, is_pieces))
    lines.sort(key=lambda d: (-d["score"], not d["evades_review"], d["code"] != "ART8-SPLIT", d["ids"]))
    return lines
