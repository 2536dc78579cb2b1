"""Per-project features and corpus statistics (document frequencies → weights).

Weights are inverse document frequencies learned from the input itself, smoothed by a few virtual
documents so that a tiny input (two or three projects) still weighs shared words sensibly; bigrams that
are generic in any government IT text are damped further. Together with boilerplate removal this is
what keeps 依托政务云、对接共享交换平台 from making projects look alike.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from .records import ProjectRecord
from .text import GENERIC_BIGRAMS, bigrams, name_parts, strip_boilerplate

VIRTUAL_DOCUMENTS = 30  # smoothing: how large a corpus we pretend a tiny input comes from
GENERIC_DAMPING = 0.2


@dataclass(slots=True)
class ProjectFeatures:
    record: ProjectRecord
    core: str
    markers: frozenset[str]
    core_grams: frozenset[str]
    content_grams: frozenset[str]
    core_norm: float = 0.0
    content_norm: float = 0.0


def project_features(record: ProjectRecord) -> ProjectFeatures:
    parts = name_parts(record.name, record.unit)
    core_grams = frozenset(bigrams(parts.core))
    content = bigrams(strip_boilerplate(record.description))
    content |= core_grams
    return ProjectFeatures(
        record=record,
        core=parts.core,
        markers=parts.markers,
        core_grams=core_grams,
        content_grams=frozenset(content),
    )


@dataclass
class CorpusStats:
    """Document frequencies of core and content bigrams; squared weights are cached per gram."""

    documents: int = 0
    core_df: Counter[str] = field(default_factory=Counter)
    content_df: Counter[str] = field(default_factory=Counter)
    _core_w2: dict[str, float] = field(default_factory=dict)
    _content_w2: dict[str, float] = field(default_factory=dict)

    def add(self, feats: ProjectFeatures) -> None:
        self.documents += 1
        self.core_df.update(feats.core_grams)
        self.content_df.update(feats.content_grams)

    def freeze(self) -> None:
        n = self.documents + VIRTUAL_DOCUMENTS
        self._core_w2 = {g: _weight(g, df, n) ** 2 for g, df in self.core_df.items()}
        self._content_w2 = {g: _weight(g, df, n) ** 2 for g, df in self.content_df.items()}

    def core_w2(self, gram: str) -> float:
        w2 = self._core_w2.get(gram)
        if w2 is None:
            w2 = _weight(gram, self.core_df.get(gram, 0), self.documents + VIRTUAL_DOCUMENTS) ** 2
        return w2

    def content_w2(self, gram: str) -> float:
        w2 = self._content_w2.get(gram)
        if w2 is None:
            w2 = _weight(gram, self.content_df.get(gram, 0), self.documents + VIRTUAL_DOCUMENTS) ** 2
        return w2

    @property
    def core_w2_map(self) -> dict[str, float]:
        """Squared weights of every core bigram of the corpus (what two corpus projects can share)."""
        return self._core_w2

    @property
    def content_w2_map(self) -> dict[str, float]:
        return self._content_w2

    def weigh(self, feats: ProjectFeatures) -> None:
        core, content = self._core_w2, self._content_w2
        if feats.core_grams <= core.keys():
            feats.core_norm = math.sqrt(sum(map(core.__getitem__, feats.core_grams)))
        else:
            feats.core_norm = math.sqrt(sum(map(self.core_w2, feats.core_grams)))
        if feats.content_grams <= content.keys():
            feats.content_norm = math.sqrt(sum(map(content.__getitem__, feats.content_grams)))
        else:
            feats.content_norm = math.sqrt(sum(map(self.content_w2, feats.content_grams)))


def _weight(gram: str, df: int, n: int) -> float:
    idf = math.log(n / (df + 1))
    if idf <= 0:
        return 0.0
    return idf * GENERIC_DAMPING if gram in GENERIC_BIGRAMS else idf


def build_stats(features: Iterable[ProjectFeatures]) -> CorpusStats:
    stats = CorpusStats()
    feats = list(features)
    for f in feats:
        stats.add(f)
    stats.freeze()
    for f in feats:
        stats.weigh(f)
    return stats
