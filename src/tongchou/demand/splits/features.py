"""Per-project features and corpus statistics (document frequencies → weights).

Weights are inverse document frequencies learned from the input itself, smoothed by a few virtual
documents so that a tiny input (two or three projects) still weighs shared words sensibly; bigrams that
are generic in any government IT text are damped further. Together with boilerplate removal this is
what keeps 依托政务云、对接共享交换平台 from making projects look alike.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from .lexicon import two_character_words
from .records import ProjectRecord
from .text import GENERIC_BIGRAMS, bigrams, name_parts, strip_boilerplate, unit_key

VIRTUAL_DOCUMENTS = 30  # smoothing: how large a corpus we pretend a tiny input comes from
GENERIC_DAMPING = 0.2
NON_WORD_DAMPING = 0.4  # a bigram that is not a word (spans two words) says less
PRUNE_FLOOR = 1000  # never prune a bigram as ubiquitous below this many projects
PRUNE_SHARE = 10  # a bigram in more than 1/10 of a large corpus weighs next to nothing


@dataclass(slots=True)
class ProjectFeatures:
    record: ProjectRecord
    core: str
    markers: frozenset[str]
    weak_core: bool
    clean_description: str
    unit_key: str
    core_grams: frozenset[str]
    content_grams: frozenset[str]
    core_norm: float = 0.0
    content_norm: float = 0.0
    # Precomputed for the scoring hot loop (scoring.fast_score): an assessment names the system it
    # assesses; a core of fewer than MIN_CORE_CHARS characters cannot make two names the same system.
    assessment: bool = False
    core_chars: int = 0


def project_features(record: ProjectRecord) -> ProjectFeatures:
    parts = name_parts(record.name, record.unit)
    core_grams = frozenset(bigrams(parts.core))
    clean = strip_boilerplate(record.description, record.unit)
    content = bigrams(clean)
    content |= core_grams
    return ProjectFeatures(
        record=record,
        core=parts.core,
        markers=parts.markers,
        weak_core=parts.weak,
        clean_description=clean,
        unit_key=unit_key(record.unit),
        core_grams=core_grams,
        content_grams=frozenset(content),
        assessment=record.category == "security_assessment" or "security" in parts.markers,
        core_chars=len(parts.core.replace("|", "")),
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
    if gram in GENERIC_BIGRAMS:
        return idf * GENERIC_DAMPING
    words = two_character_words()
    if words and gram not in words and not gram.isascii():
        return idf * NON_WORD_DAMPING
    return idf


def corpus_features(records: Iterable[ProjectRecord]) -> tuple[list[ProjectFeatures], CorpusStats]:
    """Features of every project and the corpus statistics, in two passes so that memory never holds
    every project's full bigram set at once: count first, keeping each project's bigrams only as
    numbers into a vocabulary (4 bytes each); then take each project's norm from those numbers and keep
    only the bigrams another project has (the rest can never be shared) — in a large corpus, also
    without those in over a tenth of it (weight next to nothing)."""
    stats = CorpusStats()
    feats = []
    # gram → number, a new gram numbered as it is first seen; all in C (map over a defaultdict whose
    # factory is its own length), which is what makes this cheaper than computing the bigrams twice.
    vocabulary: defaultdict[str, int] = defaultdict()
    vocabulary.default_factory = vocabulary.__len__
    number = vocabulary.__getitem__
    numbered = []
    for record in records:
        f = project_features(record)
        stats.add(f)
        numbered.append(array("I", map(number, f.content_grams)))
        f.content_grams = _EMPTY
        feats.append(f)
    stats.freeze()
    ubiquitous = max(PRUNE_FLOOR, stats.documents // PRUNE_SHARE)
    grams = list(vocabulary)  # numbered in insertion order
    del vocabulary, number
    content_df = stats.content_df
    kept = bytes(2 <= content_df[g] <= ubiquitous for g in grams)
    content_w2 = stats.content_w2_map
    w2_of = [content_w2[g] for g in grams]  # every gram of the corpus has its weight
    core_w2 = stats.core_w2_map
    for f, ids in zip(feats, numbered, strict=True):
        # as CorpusStats.weigh, for a project of the corpus (its bigrams all have a weight)
        f.core_norm = math.sqrt(sum(map(core_w2.__getitem__, f.core_grams)))
        f.content_norm = math.sqrt(sum(map(w2_of.__getitem__, ids)))
        f.content_grams = frozenset(map(grams.__getitem__, filter(kept.__getitem__, ids)))
    return feats, stats


_EMPTY: frozenset[str] = frozenset()
