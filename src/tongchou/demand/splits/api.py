"""For the web: warn an applicant, while a need is typed, that it looks like a piece of another project."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .engine import DEFAULT, Thresholds
from .index import SplitIndex
from .records import ProjectRecord, parse_record
from .review_path import PATH_LABELS, evades_review, group_path
from .text import unit_key


def _as_record(obj: dict[str, Any] | ProjectRecord) -> ProjectRecord:
    return obj if isinstance(obj, ProjectRecord) else parse_record(obj)


def find_similar(
    candidate: dict[str, Any] | ProjectRecord,
    corpus: Iterable[dict[str, Any] | ProjectRecord] | SplitIndex,
    *,
    thresholds: Thresholds = DEFAULT,
) -> list[dict[str, Any]]:
    """Projects of `corpus` alike to `candidate`, most alike first.

    Same unit → `ART8-SPLIT` (with the combined cost's path and whether splitting evades it); another
    unit → `ART3-OVERLAP`. Raises RecordError (Chinese, naming the field) for a malformed candidate.
    Pass a prebuilt `SplitIndex` to query a large corpus repeatedly.
    """
    record = _as_record(candidate)
    if isinstance(corpus, SplitIndex):
        index = corpus
    else:
        others = [_as_record(o) for o in corpus]
        # The word weights are learnt from the corpus: the candidate belongs in it, or a small corpus
        # never shares a weighted chunk with it (it is skipped in the answer below).
        if all(o.id != record.id for o in others):
            others.append(record)
        index = SplitIndex(others)
    out = []
    for match in index.query(record, threshold=min(thresholds.split, thresholds.overlap)):
        other = match.record
        if other is record or other.id == record.id:
            continue
        same_unit = unit_key(other.unit) == unit_key(record.unit)
        if match.similarity.score < (thresholds.split if same_unit else thresholds.overlap):
            continue
        pair = [record, other]
        path = group_path(pair)
        out.append(
            {
                "code": "ART8-SPLIT" if same_unit else "ART3-OVERLAP",
                "id": other.id,
                "name": other.name,
                "unit": other.unit,
                "year": other.year,
                "score": round(match.similarity.score, 3),
                "same_core": match.similarity.same_core,
                "combined_cost": record.construction_cost + other.construction_cost,
                "review_path": path,
                "review_path_label": PATH_LABELS[path],
                "evades_review": same_unit and evades_review(pair),
            }
        )
    return out
