"""How long `audit verify` takes per event, and how fast the working-day functions are.

Runs on a throwaway embedded database under a temporary directory; prints figures, asserts nothing.
"""

from __future__ import annotations

import os
import time
from datetime import date

import _embedded  # noqa: F401  (Django on a throwaway embedded database; first, before any Django import)

from tongchou.audit.services import audit_record  # noqa: E402
from tongchou.audit.verify import audit_verify  # noqa: E402
from tongchou.calendar.rules import add_working_days, working_days_between  # noqa: E402
from tongchou.calendar.selectors import calendar_load  # noqa: E402

N = int(os.environ.get("BENCH_EVENTS", "5000"))
t0 = time.perf_counter()
for i in range(N):
    audit_record(event="bench.event", actor_name="bench", data={"i": i, "说明": "基准测试"})
t1 = time.perf_counter()
result = audit_verify()
t2 = time.perf_counter()
assert result.ok
print(f"audit_record: {N} events in {t1 - t0:.2f} s ({(t1 - t0) / N * 1e3:.2f} ms/event)")
print(f"audit verify: {result.checked} events in {t2 - t1:.2f} s ({result.checked / (t2 - t1):,.0f} events/s)")

t3 = time.perf_counter()
cal = calendar_load()
t4 = time.perf_counter()
M = 10_000
for i in range(M):
    add_working_days(cal, date(2026, 1, 1).fromordinal(date(2026, 1, 1).toordinal() + i % 365), 7)
t5 = time.perf_counter()
for _ in range(1000):
    working_days_between(cal, date(2024, 1, 1), date(2026, 12, 31))
t6 = time.perf_counter()
print(f"calendar_load: {len(cal.holidays) + len(cal.makeup_workdays)} rows in {(t4 - t3) * 1e3:.1f} ms")
print(f"add_working_days(n=7): {(t5 - t4) / M * 1e6:.1f} µs each")
print(f"working_days_between over 3 years: {(t6 - t5) / 1000 * 1e3:.2f} ms each")
