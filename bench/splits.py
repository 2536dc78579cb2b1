"""Benchmark: split/overlap detection over 100,000 generated projects — wall time and peak memory.

    PYTHONPATH=src python bench/splits.py [--projects 100000]

The corpus is the labelled generator's, widened to many units (a province's register): every county
of a province for each of the catalogue's domains, over ten budget years. Detection runs in-process
on the parsed records, the way `tongchou splits` does after reading its input.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
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


def long_tail(g: Generator, per_domain: int = 250) -> None:
    """A province builds thousands of kinds of system, not sixty: derive more from the catalogue's
    function phrases (each function can be a system of its own, or two can be combined)."""
    from splits_corpus import System

    r = g.rng
    for domain, systems in list(g.systems.items()):
        phrases = [f for s in systems for f in s.features]
        extra = []
        for k in range(per_domain):
            a, b = r.sample(phrases, 2)
            stem = a if k % 3 == 0 else a[:4] + b[-4:]
            feats = [f"{stem}{v}" for v in r.sample(["信息采集", "统计分析", "业务办理", "监督检查", "预警处置",
                                                    "档案管理", "移动应用", "数据报送", "考核评价"], 3)]
            feats += r.sample(phrases, 3)
            extra.append(System(domain, stem, f"提升{stem}工作的规范化和精细化水平", feats, []))
        systems.extend(extra)


def corpus(n: int, seed: int = 7) -> list[dict]:
    g = Generator(seed, province_counties(250))
    g.free = lambda *a, **k: True  # a province repeats systems freely; no truth needed here
    long_tail(g)
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
    ap.add_argument("--corpus", help="JSON Lines file to use (generated there first when missing)")
    ap.add_argument("--generate-only", action="store_true")
    args = ap.parse_args()
    path = Path(args.corpus or f"/tmp/tongchou-splits-{args.projects}.jsonl")
    if args.generate_only:
        with path.open("w", encoding="utf-8") as fh:
            for p in corpus(args.projects):
                fh.write(json.dumps(p, ensure_ascii=False) + "\n")
        return
    if not path.exists():
        # Generated in another process, so that the generator's memory is not counted.
        subprocess.run([sys.executable, __file__, "--projects", str(args.projects), "--corpus", str(path),
                        "--generate-only"], check=True)
    t1 = time.perf_counter()
    cpu0 = time.process_time()
    data = path.read_bytes()
    records, errors, _ = parse_lines(data)
    del data
    t2 = time.perf_counter()
    lines = detect(records)
    t3 = time.perf_counter()
    cpu = time.process_time() - cpu0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    codes: dict[str, int] = {}
    for line in lines:
        codes[line["code"]] = codes.get(line["code"], 0) + 1
    print(f"projects: {len(records)} (invalid {len(errors)}), units: {len({r.unit for r in records})}")
    print(f"read+parse+validate: {t2 - t1:.1f} s, detect: {t3 - t2:.1f} s, total wall: {t3 - t1:.1f} s, "
          f"total CPU: {cpu:.1f} s")
    print(f"groups: {len(lines)} {codes}")
    print(f"peak memory (ru_maxrss): {peak_mb:.0f} MB")
    print(f"load average at the end: {' '.join(open('/proc/loadavg').read().split()[:3])} on "
          f"{os.cpu_count()} cores (the machine is shared)")


if __name__ == "__main__":
    main()
