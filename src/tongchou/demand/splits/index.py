"""An index over projects that finds candidate pairs without comparing every pair.

Each project is filed under a short signature: the bigrams of its name core and its few most
distinctive description bigrams (highest weight, seen in at least one other project). Two projects are
compared only when they share a signature bigram and their budget years are at most one apart; bigrams
carried by very many projects are not distinctive and are left out of the signature (they still count
in the score). Cost grows with the sizes of the posting lists, not with the square of the corpus.
"""

from __future__ import annotations

import bisect
import heapq
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from itertools import chain

from .features import CorpusStats, ProjectFeatures, corpus_features, project_features
from .records import ProjectRecord
from .scoring import PairScore, pair_score

SIGNATURE_CONTENT = 8  # distinctive description bigrams per project
MAX_POSTING = 200  # a bigram in more projects than this is not distinctive enough to pair on
MAX_CANDIDATES = 60  # per project and direction: the most strongly sharing ones
UNIT_BLOCK = 40  # a unit with at most this many projects in a two-year window: all its pairs compared
MIN_SHARED = 3  # signature weight two projects must share to be compared
YEAR_WINDOW = 1  # every two members of a group at most one budget year apart (spec)


@dataclass(frozen=True, slots=True)
class Match:
    """A project of the corpus that looks like the one asked about."""

    record: ProjectRecord
    similarity: PairScore


class SplitIndex:
    """Built once over a corpus; yields candidate pairs and answers "what looks like this one?"."""

    def __init__(self, records: Iterable[ProjectRecord]) -> None:
        # Ordered by year, so that "later in the list" means "same or later year" and a year window
        # is a slice of a posting list.
        ordered = sorted(records, key=lambda r: (r.year, r.id))
        self.features: list[ProjectFeatures]
        self.stats: CorpusStats
        self.features, self.stats = corpus_features(ordered)
        self._eligible_core = {g for g, df in self.stats.core_df.items() if 2 <= df <= MAX_POSTING}
        self._eligible_content = {g for g, df in self.stats.content_df.items() if 2 <= df <= MAX_POSTING}
        self._postings: dict[str, list[int]] = defaultdict(list)
        self._signatures: list[list[str]] = []
        for i, f in enumerate(self.features):
            keys = sorted(self._signature(f, in_corpus=True))
            self._signatures.append(keys)
            for key in keys:
                self._postings[key].append(i)
        self._unit_members: dict[str, list[int]] = defaultdict(list)
        for i, f in enumerate(self.features):
            self._unit_members[f.unit_key].append(i)
        years = [f.record.year for f in self.features]
        # window_end[i]: first index whose year is more than YEAR_WINDOW after project i's.
        self._window_end = [bisect.bisect_right(years, y + YEAR_WINDOW) for y in years]

    def _signature(self, f: ProjectFeatures, *, in_corpus: bool) -> set[str]:
        core_df, content_df = self.stats.core_df, self.stats.content_df
        if in_corpus:
            core: AbstractSet[str] = f.core_grams & self._eligible_core
            usable = sorted(f.content_grams & self._eligible_content)
        else:  # a new project: a bigram it shares with one corpus project can already pair them
            core = {g for g in f.core_grams if 1 <= core_df.get(g, 0) <= MAX_POSTING}
            usable = sorted(g for g in f.content_grams if 1 <= content_df.get(g, 0) <= MAX_POSTING)
        keys = {"n" + g for g in core}
        # Highest weight first (rare, and words rather than bigrams across two words); sorted input
        # keeps ties deterministic.
        w2 = self.stats.content_w2_map
        keys.update("d" + g for g in heapq.nlargest(SIGNATURE_CONTENT, usable, key=w2.__getitem__))
        return keys

    def candidate_pairs(self) -> Iterator[tuple[int, int]]:
        """Each pair (i < j), years at most one apart, sharing enough of their signatures, once.

        A shared name-core bigram counts three times, a shared description bigram once; a pair needs
        MIN_SHARED. Posting lists longer than MAX_POSTING were never filed.
        """
        postings = self._postings
        features = self.features
        for i, keys in enumerate(self._signatures):
            end = self._window_end[i]
            # A unit's own projects in the window are few: compare them all (a split needs no
            # shared rare bigram to be worth a look).
            own = self._unit_members[features[i].unit_key]
            lo = bisect.bisect_right(own, i)
            hi = bisect.bisect_left(own, end, lo)
            same_unit = own[lo:hi] if hi - lo <= UNIT_BLOCK else []
            slices = []
            for key in keys:
                posting = postings[key]
                lo = bisect.bisect_right(posting, i)
                hi = bisect.bisect_left(posting, end, lo)
                if hi > lo:
                    part = posting[lo:hi]
                    slices.append(part)
                    if key[0] == "n":
                        slices.extend((part, part))
            if not slices and not same_unit:
                continue
            counts = Counter(chain.from_iterable(slices))
            alike = [(-c, j) for j, c in counts.items() if c >= MIN_SHARED]
            if len(alike) > MAX_CANDIDATES:
                alike = heapq.nsmallest(MAX_CANDIDATES, alike)
            for j in sorted({j for _, j in alike}.union(same_unit)):
                yield i, j

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
            if same_unit is not None and (other.unit_key == f.unit_key) != same_unit:
                continue
            s = pair_score(f, other, self.stats)
            if s.score >= threshold:
                matches.append(Match(record=r, similarity=s))
        matches.sort(key=lambda m: (-m.similarity.score, m.record.id))
        return matches
