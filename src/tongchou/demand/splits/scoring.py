"""How alike two projects are: name cores and descriptions, weighed by the corpus, plus piece evidence."""

from __future__ import annotations

from dataclasses import dataclass

from .features import CorpusStats, ProjectFeatures

NAME_WEIGHT = 0.4
CONTENT_WEIGHT = 0.6
# Same core and a piece marker (一期/二期, 软件/硬件, 前端/后台, 模块): the pair is pieces of one system.
PIECES_FLOOR = 0.55
PIECES_CONTENT = 0.45
SAME_CORE_FLOOR = 0.45
SAME_CORE_CONTENT = 0.5
MIN_CORE_CHARS = 2
NEAR_CORE = 0.75  # name cores this alike, with a piece marker, count as one system's pieces


@dataclass(frozen=True, slots=True)
class PairScore:
    score: float
    name_similarity: float
    content_similarity: float
    same_core: bool
    pieces: bool  # same core, and at least one is marked as a piece (phase, half, module, end)


def _cosine(a: frozenset[str], b: frozenset[str], w2, norm_a: float, norm_b: float) -> float:
    if not norm_a or not norm_b:
        return 0.0
    shared = a & b
    if not shared:
        return 0.0
    # Shared bigrams are in a corpus project, so the corpus map has them all.
    return min(1.0, sum(map(w2.__getitem__, shared)) / (norm_a * norm_b))


def pair_score(a: ProjectFeatures, b: ProjectFeatures, stats: CorpusStats) -> PairScore:
    name = _cosine(a.core_grams, b.core_grams, stats.core_w2_map, a.core_norm, b.core_norm)
    content = _cosine(a.content_grams, b.content_grams, stats.content_w2_map, a.content_norm, b.content_norm)
    return _combine(a, b, name, content)


def _combine(a: ProjectFeatures, b: ProjectFeatures, name: float, content: float) -> PairScore:
    score = NAME_WEIGHT * name + CONTENT_WEIGHT * content
    same_core = a.core == b.core and len(a.core.replace("|", "")) >= MIN_CORE_CHARS and a.core_norm > 0
    pieces = False
    near_core = name >= NEAR_CORE and bool(a.markers or b.markers)
    if same_core or near_core:
        halves = a.record.category != b.record.category
        pieces = bool(a.markers or b.markers) or halves
        if pieces:
            score = max(score, PIECES_FLOOR + PIECES_CONTENT * content)
        else:
            score = max(score, SAME_CORE_FLOOR + SAME_CORE_CONTENT * content)
    return PairScore(
        score=round(min(1.0, score), 4),
        name_similarity=name,
        content_similarity=content,
        same_core=same_core,
        pieces=pieces,
    )
