"""Benchmark of the policy engine (a script printing figures, not a test).

1. 100,000 generated projects assessed in one process through `assess_facts` (validation, rules,
   JSON-ready dict) — target ≥ 20,000 assessments/s on one core.
2. `tongchou assess` over a 100,000-line JSON Lines file, start-up included — target < 10 s wall.

Run: `PYTHONPATH=src python bench/assess.py [N]`.
"""

from __future__ import annotations

import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import timeit
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from tongchou.policy import assess_facts  # noqa: E402
from tongchou.policy import vocabulary as V  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
CONSTRUCTION = ["technical_plan", "intensive_construction_analysis", "data_sharing_analysis", "security_protection",
                "crypto_application", "key_component_selection"]


def calibration() -> tuple[float, float]:
    """µs (wall, CPU) for json.dumps of a fixed 2 KB object — a yardstick to scale the figures below."""
    sample = {f"k{i}": "x" * 40 for i in range(40)}
    wall = min(timeit.repeat(lambda: json.dumps(sample), number=2000, repeat=5)) / 2000 * 1e6
    cpu = min(timeit.repeat(lambda: json.dumps(sample), number=2000, repeat=5, timer=time.process_time)) / 2000 * 1e6
    return wall, cpu


def day(rng: random.Random, start: date = date(2024, 12, 1), span: int = 500) -> str:
    return (start + timedelta(days=rng.randrange(span))).isoformat()


def project(rng: random.Random, i: int) -> dict:
    kind = rng.choice(V.PROJECT_TYPES)
    facts = {
        "name": f"项目{i}",
        "unit": rng.choice(["州教育局", "州医保局", "州公安局", "昌吉市教育局"]),
        "application_date": day(rng),
        "project_type": kind,
        # whole yuan mostly, some with fen, one in twenty exactly on a threshold of Art. 16/17
        "construction_cost": (rng.choice([500000, 2000000]) if rng.random() < 0.05
                              else rng.choice([rng.randrange(0, 5_000_000), round(rng.uniform(0, 3e6), 2)])),
        "level": rng.choice(V.LEVELS),
        "category": rng.choice(V.CATEGORIES),
        "deployment": rng.choice(V.DEPLOYMENTS),
    }
    # most applications arrive complete; one in five misses something
    required = ["basic_info", "feasibility_study"] + (["om_plan"] if kind == "operations" else CONSTRUCTION)
    if rng.random() < 0.2:
        required = rng.sample(required, rng.randrange(0, len(required)))
    facts["materials"] = required
    if rng.random() < 0.5:
        facts["approval_date"] = day(rng, date(2024, 1, 1), 700)
    if rng.random() < 0.3:
        facts["procurement_start_date"] = day(rng)
    if rng.random() < 0.3:
        facts["annual_om_cost"] = rng.randrange(0, 400000)
        facts["requests_om_funding"] = rng.random() < 0.5
    if rng.random() < 0.2:
        facts["buys_server_hardware"] = True
    if rng.random() < 0.1:
        facts["exception"] = {"legal_basis": "国家规定", "superior_consent": rng.random() < 0.5}
    if rng.random() < 0.05:
        facts["emergency"] = True
    if rng.random() < 0.3:
        facts["construction_period_months"] = rng.randrange(6, 48)
        facts["free_om_months"] = rng.randrange(0, 24)
        facts["contract_term_months"] = rng.randrange(12, 72)
    if kind in ("rebuild", "expand"):
        facts["original_project_accepted"] = rng.choice([True, False, None])
    return facts


def main() -> None:
    wall, cpu = calibration()
    print(f"machine: load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
          f"yardstick json.dumps(2 KB) = {wall:.1f} µs wall, {cpu:.1f} µs CPU")
    rng = random.Random(20250117)  # noqa: S311 — reproducible test data
    projects = [project(rng, i) for i in range(N)]
    assess_facts(projects[0])  # load the rule sets once, as a long-running process would

    start, cpu_start = time.perf_counter(), time.process_time()
    for facts in projects:
        assess_facts(facts)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    print(f"in process: {N:,} assessments in {elapsed:.2f} s wall = {N / elapsed:,.0f}/s; "
          f"{cpu:.2f} s CPU = {N / cpu:,.0f}/s per busy core (target ≥ 20,000/s)")

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "projects.jsonl"
        with path.open("w", encoding="utf-8") as handle:
            for facts in projects:
                handle.write(json.dumps(facts, ensure_ascii=False) + "\n")
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        start = time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        with open(os.devnull, "wb") as sink:
            proc = subprocess.run([sys.executable, "-m", "tongchou", "assess", str(path)], stdout=sink, env=env,
                                  check=False)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        print(f"CLI: tongchou assess over {N:,} JSON lines: {wall:.2f} s wall, {cpu:.2f} s CPU, "
              f"exit {proc.returncode} (target < 10 s wall)")

        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "tongchou", "rulesets"], stdout=subprocess.DEVNULL, env=env, check=True)
        print(f"CLI start-up (tongchou rulesets): {time.perf_counter() - start:.2f} s wall")


if __name__ == "__main__":
    main()
