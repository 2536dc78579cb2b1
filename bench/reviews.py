"""Review-round figures: routing, opinions, the desk query with many open tasks, and issuing the
consolidated opinion (.docx + SM3 + 文号). Throwaway embedded database; prints figures, asserts nothing."""

from __future__ import annotations

import os
import time

import _embedded  # noqa: F401  (Django on a throwaway embedded database; first, before any Django import)
from django.utils import timezone  # noqa: E402
from tests.reviews.helpers import COMMENTS, FIVE, WRITERS, assessment  # noqa: E402

from tongchou.accounts.models import Organisation, User  # noqa: E402
from tongchou.accounts.seed import seed_demo_users, seed_organisations  # noqa: E402
from tongchou.lifecycle.services import project_transition  # noqa: E402
from tongchou.projects.models import Project  # noqa: E402
from tongchou.reviews.consolidation import consolidation_draft, consolidation_issue  # noqa: E402
from tongchou.reviews.opinions import opinion_submit  # noqa: E402
from tongchou.reviews.panel import expert_conclusion_record  # noqa: E402
from tongchou.reviews.routing import review_route  # noqa: E402
from tongchou.reviews.selectors import desk_tasks  # noqa: E402

seed_organisations()
seed_demo_users()
users = {u.username: u for u in User.objects.all()}
unit = Organisation.objects.get(code="cj-edu")
N = int(os.environ.get("BENCH_ROUNDS", "60"))

rounds = []
t0 = time.perf_counter()
for i in range(N):
    project = Project.objects.create(code=f"CJ-2025-B{i:04d}", name=f"基准项目{i}", unit=unit, year=2025)
    project = project_transition(project=project, action="submit", actor=users["applicant"])
    rounds.append(review_route(project=project, assessment=assessment(), actor=users["reviewer"]))
t1 = time.perf_counter()
today = timezone.localdate()
desk_runs = 20
for _ in range(desk_runs):
    rows = desk_tasks(users["finance"], today=today)
t2 = time.perf_counter()
opinions = 0
for review_round in rounds:
    for task in review_round.tasks.all():
        opinion_submit(task=task, actor=users[WRITERS[task.member]], conclusion="agree",
                       comments=COMMENTS[task.member])
        opinions += 1
    expert_conclusion_record(review_round=review_round, actor=users["reviewer"], expert_name="刘专家",
                             conclusion="agree", comments="可行")
t3 = time.perf_counter()
for review_round in rounds:
    consolidation_issue(consolidated=consolidation_draft(review_round=review_round, actor=users["reviewer"]),
                        actor=users["bureau"])
t4 = time.perf_counter()

print(f"review_route (joint, {len(FIVE)} tasks): {(t1 - t0) / N * 1e3:.1f} ms per project ({N} projects)")
print(f"desk_tasks with {len(rows)} open tasks: {(t2 - t1) / desk_runs * 1e3:.1f} ms per call")
print(f"opinion_submit: {(t3 - t2) / opinions * 1e3:.1f} ms per opinion ({opinions} opinions, incl. expert rows)")
print(f"consolidation draft + issue (.docx, SM3, 文号, transition): {(t4 - t3) / N * 1e3:.1f} ms per round")
