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
NEAR_CORE = 0.9  # name cores this alike, with a piece marker, count as one system's pieces


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


def fast_score(a: ProjectFeatures, b: ProjectFeatures, core_w2: dict[str, float],
               content_w2: dict[str, float]) -> tuple[float, bool]:
    """(score, pieces) exactly as pair_score computes them, without building objects: the hot loop.
    Relies on the features' precomputed `assessment` (= `_assessment(f)`) and `core_chars`."""
    shared = a.core_grams & b.core_grams
    if shared:
        name = sum(map(core_w2.__getitem__, shared)) / (a.core_norm * b.core_norm)
        if name > 1.0:
            name = 1.0
    else:
        name = 0.0
    shared = a.content_grams & b.content_grams
    if shared:
        content = sum(map(content_w2.__getitem__, shared)) / (a.content_norm * b.content_norm)
        if content > 1.0:
            content = 1.0
    else:
        content = 0.0
    # A generic-only name (服务器采购) says nothing; an assessment names the system it assesses.
    if a.weak_core or b.weak_core or a.assessment != b.assessment:
        return round(content, 4), False
    score = NAME_WEIGHT * name + CONTENT_WEIGHT * content  # at most 1: both are
    same_core = a.core == b.core and a.core_chars >= MIN_CORE_CHARS and a.core_norm > 0
    if not same_core and not (name >= NEAR_CORE and (a.markers or b.markers)):
        return round(score, 4), False
    pieces = bool(a.markers or b.markers) or a.record.category != b.record.category
    if pieces:
        score = max(score, PIECES_FLOOR + PIECES_CONTENT * content)
    else:
        score = max(score, SAME_CORE_FLOOR + SAME_CORE_CONTENT * content)
    return round(min(1.0, score), 4), pieces


def _assessment(f: ProjectFeatures) -> bool:
    """等保测评、密评: bought from an independent assessor, apart from what is assessed — not a piece."""
    return f.record.category == "security_assessment" or "security" in f.markers


def _combine(a: ProjectFeatures, b: ProjectFeatures, name: float, content: float) -> PairScore:
    if a.weak_core or b.weak_core or _assessment(a) != _assessment(b):
        # A name of generic words only (服务器采购) says nothing, and an assessment names the system it
        # assesses: the description alone decides.
        score = content
    else:
        score = NAME_WEIGHT * name + CONTENT_WEIGHT * content
    same_core = (
        a.core == b.core
        and not (a.weak_core or b.weak_core)
        and len(a.core.replace("|", "")) >= MIN_CORE_CHARS
        and a.core_norm > 0
    )
    pieces = False
    near_core = name >= NEAR_CORE and bool(a.markers or b.markers) and not (a.weak_core or b.weak_core)
    if (same_core or near_core) and _assessment(a) == _assessment(b):
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
