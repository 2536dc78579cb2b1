"""Benchmark of the policy what-if (prints figures, never asserts): the whole register assessed under
the rule set in force and under a draft revision (thresholds 100万/300万), target < 30 s for 100,000
projects.

Run: `PYTHONPATH=src python bench/whatif.py postgres://postgres@127.0.0.1:5432/tc_reports_bench [N]`
(seeds through bench/dashboards.py when the database has fewer than N projects).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

from dashboards import seed, setup  # noqa: E402

DRAFT = HERE.parent / "tests/policy/rulesets/changji-2026-revised-test.yaml"


def main() -> None:
    url = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        print("跳过：本基准需要 PostgreSQL。用法：python bench/whatif.py postgres://USER@HOST:PORT/DBNAME [项目数]")
        return
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    setup(url)
    seed(n)
    from tongchou.accounts.models import User
    from tongchou.policy import Registry
    from tongchou.policy.ruleset import parse_ruleset
    from tongchou.reports.whatif import Candidate, project_facts_bulk, whatif_compare, whatif_projects

    bureau = User.objects.get(username="bureau")
    ruleset = parse_ruleset(DRAFT.read_bytes(), DRAFT.name)
    candidate = Candidate(ruleset, Registry([ruleset]), None)

    started = time.perf_counter()
    pairs = list(project_facts_bulk(whatif_projects(bureau)))
    facts_s = time.perf_counter() - started
    started = time.perf_counter()
    result = whatif_compare(pairs, candidate)
    engine_s = time.perf_counter() - started
    started, cpu = time.perf_counter(), time.process_time()
    whatif_compare(project_facts_bulk(whatif_projects(bureau)), candidate)
    total_s, total_cpu = time.perf_counter() - started, time.process_time() - cpu
    started, cpu = time.perf_counter(), time.process_time()
    reference = whatif_compare(project_facts_bulk(whatif_projects(bureau), fast=False), candidate)
    ref_s, ref_cpu = time.perf_counter() - started, time.process_time() - cpu
    assert reference.as_dict() == result.as_dict(), "the fast path and the reference path differ"
    print(f"what-if over {len(pairs)} projects (load average {os.getloadavg()[0]:.1f}):")
    print(f"  facts built from the database : {facts_s:6.1f} s")
    print(f"  (parse +) 2 assessments each  : {engine_s:6.1f} s")
    print(f"  end to end (streamed)         : {total_s:6.1f} s wall, {total_cpu:.1f} s CPU of this process"
          "   target < 30 s")
    print(f"  reference path (dict → parse) : {ref_s:6.1f} s wall, {ref_cpu:.1f} s CPU (same result)")
    print(f"  changed {len(result.changed)}; path moves:")
    for (before, after), move in sorted(result.path_moves.items()):
        print(f"    {before:>16} → {after:<16} {move.count:6d} projects  {move.amount:>18} 元")


if __name__ == "__main__":
    main()
