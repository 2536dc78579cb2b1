"""An index over projects that finds candidate pairs without comparing every pair.

Each project is filed under a short signature: the bigrams of its name core and its few most
distinctive description bigrams (highest weight, seen in at least one other project). Two projects are
compared only when they share a signature bigram and their budget years are at most one apart; bigrams
carried by very many projects are not distinctive and are left out of the signature (they still count
in the score). Cost grows with the sizes of the posting lists, not with the square of the corpus.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .features import CorpusStats, ProjectFeatures, build_stats, project_features
from .records import ProjectRecord
from .scoring import PairScore, pair_score

SIGNATURE_CONTENT = 10  # distinctive description bigrams per project
MAX_POSTING = 400  # a bigram in more projects than this is not distinctive enough to pair on
YEAR_WINDOW = 1  # every two members of a group at most one budget year apart (spec)


@dataclass(frozen=True, slots=True)
class Match:
    """A project of the corpus that looks like the one asked about."""

    record: ProjectRecord
    similarity: PairScore


class SplitIndex:
    """Built once over a corpus; yields candidate pairs and answers "what looks like this one?"."""

    def __init__(self, records: Iterable[ProjectRecord]) -> None:
        self.features: list[ProjectFeatures] = [project_features(r) for r in records]
        self.stats: CorpusStats = build_stats(self.features)
        self._postings: dict[str, list[int]] = defaultdict(list)
        for i, f in enumerate(self.features):
            for key in self._signature(f, in_corpus=True):
                self._postings[key].append(i)

    def _signature(self, f: ProjectFeatures, *, in_corpus: bool) -> set[str]:
        least = 2 if in_corpus else 1  # a bigram only this project has cannot pair it with another
        stats = self.stats
        keys = {"n" + g for g in f.core_grams if least <= stats.core_df.get(g, 0) <= MAX_POSTING}
        ranked = sorted(
            (g for g in f.content_grams if least <= stats.content_df.get(g, 0) <= MAX_POSTING),
            key=lambda g: (-stats.content_w2(g), g),
        )
        keys.update("d" + g for g in ranked[:SIGNATURE_CONTENT])
        return keys

    def candidate_pairs(self) -> Iterator[tuple[int, int]]:
        """Each pair (i < j) sharing a signature bigram with years at most one apart, once."""
        seen: set[tuple[int, int]] = set()
        years = [f.record.year for f in self.features]
        for posting in self._postings.values():
            if len(posting) < 2:
                continue
            by_year = sorted(posting, key=years.__getitem__)
            for x, i in enumerate(by_year):
                yi = years[i]
                for j in by_year[x + 1 :]:
                    if years[j] - yi > YEAR_WINDOW:
                        break
                    pair = (i, j) if i < j else (j, i)
                    if pair not in seen:
                        seen.add(pair)
                        yield pair

    def score(self, i: int, j: int) -> PairScore:
        return pair_score(self.features[i], self.features[j], self.stats)

    def query(
        self, candidate: ProjectRecord, *, threshold: float, same_unit: bool | None = None
    ) -> list[Match]:
        """Projects of the corpus alike to `candidate` (not itself), most alike first."""
        f = project_features(candidate)
        self.stats.weigh(f)
        hits: set[int] = set()
        for key in self._signature(f, in_corpus=False):
            hits.update(self._postings.get(key, ()))
        matches = []
        for i in hits:
            other = self.features[i]
            r = other.record
            if r.id == candidate.id or abs(r.year - candidate.year) > YEAR_WINDOW:
                continue
            if same_unit is not None and (r.unit == candidate.unit) != same_unit:
                continue
            s = pair_score(f, other, self.stats)
            if s.score >= threshold:
                matches.append(Match(record=r, similarity=s))
        matches.sort(key=lambda m: (-m.similarity.score, m.record.id))
        return matches
