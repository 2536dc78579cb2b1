from __future__ import annotations

import os
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = ("启动后台任务进程（含定时期限巡检、过期幂等键清理）/ "
            "start the background worker with the periodic deadline sweep and idempotency purge")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", action="store_true", help="排入一次巡检、处理完当前队列后退出 / run once and exit")
        parser.add_argument(
            "--sweep-every", dest="sweep_every", type=float,
            default=float(os.environ.get("TONGCHOU_SWEEP_SECONDS", "900")),
            help="期限巡检间隔秒数（默认 900，即 15 分钟；0 表示不定时巡检）",
        )
        parser.add_argument("--interval", type=float, default=1.0, help="队列为空时的轮询间隔秒数")

    def handle(self, *args: Any, **options: Any) -> None:
        from tongchou.idempotency.tasks import idempotency_purge_task
        from tongchou.obligations.scheduler import PeriodicScheduler, enqueue_periodic
        from tongchou.obligations.tasks import obligations_sweep_task
        from tongchou.reviews.tasks import review_reminders_task

        periodic = [obligations_sweep_task, review_reminders_task, idempotency_purge_task]
        worker_args = ["--interval", str(options["interval"]), "--no-reload"]
        if options["batch"]:
            enqueue_periodic(periodic)
            call_command("db_worker", "--batch", "--no-startup-delay", *worker_args)
            return
        scheduler = PeriodicScheduler(periodic, options["sweep_every"]) if options["sweep_every"] > 0 else None
        if scheduler is not None:
            scheduler.start()
        try:
            # db_worker handles SIGTERM / SIGINT: it finishes the running task, then exits (SystemExit);
            # the scheduler thread is stopped on the way out either way.
            call_command("db_worker", *worker_args)
        finally:
            if scheduler is not None:
                scheduler.stop()
                scheduler.join(timeout=10)
