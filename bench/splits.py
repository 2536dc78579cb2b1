"""Benchmark: split/overlap detection over 100,000 generated projects — wall time and peak memory.

    PYTHONPATH=src python bench/splits.py [--projects 100000]

The corpus is the labelled generator's, widened to many units (a province's register): every county
of a province for each of the catalogue's domains, over ten budget years. Detection runs in-process
on the parsed records, the way `tongchou splits` does after reading its input.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from splits_catalogue import CATALOGUE  # noqa: E402
from splits_corpus import Generator  # noqa: E402

from tongchou.demand.splits.cli import parse_lines  # noqa: E402
from tongchou.demand.splits.engine import detect  # noqa: E402

PLACES = "东西南北中上下新老大小长安宁和平兴隆丰泰康乐福寿昌盛吉庆永定华阳山河湖川"


def province_counties(n: int) -> list[str]:
    out = []
    for a in PLACES:
        for b in PLACES:
            if a != b:
                out.append(f"{a}{b}{'县' if (len(out) % 3) else '市'}")
            if len(out) == n:
                return out
    return out


def corpus(n: int, seed: int = 7) -> list[dict]:
    g = Generator(seed, province_counties(250))
    g.free = lambda *a, **k: True  # a province repeats systems freely; no truth needed here
    domains = list(CATALOGUE)
    kinds = ["phase", "module", "front_back", "hw_sw", "paraphrase"]
    k = 0
    while len(g.projects) < n:
        domain = domains[k % len(domains)]
        r = g.rng.random()
        if r < 0.8:
            g.single(domain)
        elif r < 0.95:
            g.split(domain, kinds[k % len(kinds)])
        else:
            g.overlap(domain)
        k += 1
    return g.projects[:n]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--projects", type=int, default=100_000)
    args = ap.parse_args()
    t0 = time.perf_counter()
    projects = corpus(args.projects)
    data = "\n".join(json.dumps(p, ensure_ascii=False) for p in projects).encode()
    del projects
    t1 = time.perf_counter()
    records, errors, _ = parse_lines(data)
    t2 = time.perf_counter()
    lines = detect(records)
    t3 = time.perf_counter()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    codes: dict[str, int] = {}
    for line in lines:
        codes[line["code"]] = codes.get(line["code"], 0) + 1
    print(f"projects: {len(records)} (invalid {len(errors)}), units: {len({r.unit for r in records})}")
    print(f"generate: {t1 - t0:.1f} s (not counted)")
    print(f"parse+validate: {t2 - t1:.1f} s, detect: {t3 - t2:.1f} s, total: {t3 - t1:.1f} s")
    print(f"groups: {len(lines)} {codes}")
    print(f"peak memory (ru_maxrss, whole process incl. generator): {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
