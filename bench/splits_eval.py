"""Precision and recall of split/overlap detection on generated labelled corpora.

    PYTHONPATH=src python bench/splits_eval.py [--seeds 10] [--grid]

Pair level: every pair inside a reported group against every pair inside a planted group (the code
must match). Group level: a planted group counts as found when a reported group of the same code has
exactly its members; a reported group is correct when it equals a planted one.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from splits_corpus import generate  # noqa: E402

from tongchou.demand.splits import ProjectRecord, Thresholds, parse_record  # noqa: E402
from tongchou.demand.splits.engine import detect_in_index  # noqa: E402
from tongchou.demand.splits.index import SplitIndex  # noqa: E402


def pairs(groups):
    out = set()
    for code, ids in groups:
        for a, b in combinations(sorted(ids), 2):
            out.add((code, a, b))
    return out


def evaluate(seeds: list[int], thresholds: Thresholds, verbose: bool = False) -> dict[str, float]:
    tp = fp = fn = 0
    g_found = g_truth = g_correct = g_reported = 0
    per_code = Counter()
    misses = []
    false = []
    for seed in seeds:
        projects, truth = generate(seed)
        records: list[ProjectRecord] = [parse_record(p) for p in projects]
        by_id = {r.id: r for r in records}
        index = SplitIndex(records)
        lines = detect_in_index(index, thresholds)
        reported = [(d["code"], frozenset(d["ids"])) for d in lines]
        tp_pairs, truth_pairs = pairs(reported), pairs(truth)
        tp += len(tp_pairs & truth_pairs)
        fp += len(tp_pairs - truth_pairs)
        fn += len(truth_pairs - tp_pairs)
        for code, a, b in tp_pairs - truth_pairs:
            per_code["fp " + code] += 1
            false.append((seed, code, by_id[a], by_id[b]))
        for code, a, b in truth_pairs - tp_pairs:
            per_code["fn " + code] += 1
            misses.append((seed, code, by_id[a], by_id[b]))
        truth_set, rep_set = set(truth), set(reported)
        g_truth += len(truth_set)
        g_found += len(truth_set & rep_set)
        g_reported += len(rep_set)
        g_correct += len(rep_set & truth_set)
    result = {
        "pair_precision": tp / (tp + fp) if tp + fp else 1.0,
        "pair_recall": tp / (tp + fn) if tp + fn else 1.0,
        "group_precision": g_correct / g_reported if g_reported else 1.0,
        "group_recall": g_found / g_truth if g_truth else 1.0,
    }
    if verbose:
        print(dict(per_code))
        for title, items in (("MISSED", misses), ("FALSE", false)):
            print(f"--- {title} ({len(items)})")
            for seed, code, a, b in items[:25]:
                s = index_score(a, b)
                print(f"[{seed}] {code} {s}\n   {a.unit} {a.year} {a.name} | {a.description[:60]}\n"
                      f"   {b.unit} {b.year} {b.name} | {b.description[:60]}")
    return result


def index_score(a, b):
    idx = SplitIndex([a, b])
    s = idx.score(0, 1)
    return f"solo={s.score:.2f} name={s.name_similarity:.2f} content={s.content_similarity:.2f}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--first", type=int, default=1)
    ap.add_argument("--grid", action="store_true")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    seeds = list(range(args.first, args.first + args.seeds))
    if args.grid:
        for split in (0.4, 0.45, 0.5, 0.55, 0.6):
            for overlap in (0.45, 0.5, 0.55, 0.6, 0.65):
                r = evaluate(seeds, Thresholds(split=split, overlap=overlap))
                print(f"split={split} overlap={overlap} " + " ".join(f"{k}={v:.3f}" for k, v in r.items()))
        return
    r = evaluate(seeds, Thresholds(), verbose=args.verbose)
    print(" ".join(f"{k}={v:.3f}" for k, v in r.items()))


if __name__ == "__main__":
    main()
