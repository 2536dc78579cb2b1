"""Figures for the expert draw: CLI start-up and pure draw time on a large pool (prints, never asserts)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
sys.path.insert(0, str(SRC))

from tongchou.experts.draw import draw  # noqa: E402

CATEGORIES = ["software", "integration", "security", "crypto", "data", "cloud", "hardware", "investment"]


def make_pool(n: int) -> dict:
    return {"experts": [
        {"id": f"E{i:05d}", "name": f"专家{i}", "categories": [CATEGORIES[i % 8], CATEGORIES[(i * 3) % 8]],
         "employer": f"单位{i % 300}", "status": "active" if i % 17 else "suspended",
         "former_employers": [{"org": f"单位{(i + 7) % 300}", "until": "2023-01-01"}], "conflicts": [f"单位{(i + 11) % 300}"]}
        for i in range(n)
    ]}


REQUEST = {"date": "2025-06-20", "project_unit": "单位1", "vendors": ["单位2", "单位3"], "plan_authors": ["单位4"],
           "needs": [{"category": c, "count": 3} for c in CATEGORIES[:5]], "reserves": 2}


def main() -> None:
    for n in (100, 2000, 20000):
        pool = make_pool(n)
        start = time.perf_counter()
        runs = 20 if n <= 2000 else 3
        for k in range(runs):
            draw(pool, REQUEST, f"{k:064x}")
        print(f"pure draw, pool {n:>6}: {(time.perf_counter() - start) / runs * 1000:8.1f} ms per draw")
    with tempfile.TemporaryDirectory() as tmp:
        pool_file, req_file = Path(tmp, "pool.json"), Path(tmp, "req.json")
        pool_file.write_text(json.dumps(make_pool(2000), ensure_ascii=False))
        req_file.write_text(json.dumps(REQUEST, ensure_ascii=False))
        env = {**os.environ, "PYTHONPATH": str(SRC)}
        start = time.perf_counter()
        for _ in range(5):
            subprocess.run([sys.executable, "-m", "tongchou", "experts", "draw", "--pool", str(pool_file),
                            "--request", str(req_file)], check=True, capture_output=True, env=env)
        print(f"CLI end to end, pool   2000: {(time.perf_counter() - start) / 5 * 1000:8.1f} ms per run")


if __name__ == "__main__":
    main()
