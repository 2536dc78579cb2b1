"""A small in-process scheduler for `tongchou worker`: every `interval` seconds it enqueues each periodic
task unless one is already waiting, so several workers do not pile up duplicate sweeps. It runs in a
thread that stops as soon as `stop()` is called (the worker calls it on SIGTERM / Ctrl-C)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import Any

from django.db import close_old_connections, connection

logger = logging.getLogger("tongchou.worker")


def _already_waiting(task: Any) -> bool:
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # another backend: it deduplicates or runs immediately
        return False
    return DBTaskResult.objects.filter(task_path=task.module_path, status="READY").exists()


def enqueue_periodic(tasks: Sequence[Any]) -> int:
    """Enqueues each task not already waiting; returns how many were enqueued."""
    enqueued = 0
    for task in tasks:
        if not _already_waiting(task):
            task.enqueue()
            enqueued += 1
    return enqueued


class PeriodicScheduler(threading.Thread):
    def __init__(self, tasks: Sequence[Any], interval: float) -> None:
        super().__init__(name="tongchou-scheduler", daemon=True)
        self.tasks = list(tasks)
        self.interval = interval
        self._stop_event = threading.Event()

    def stop(self) -> None:
        self._stop_event.set()

    def run(self) -> None:
        logger.info("定时任务已启动，每 %s 秒一次 / scheduler started (every %ss)", self.interval, self.interval)
        try:
            while not self._stop_event.is_set():
                close_old_connections()
                try:
                    n = enqueue_periodic(self.tasks)
                    if n:
                        logger.info("已排入定时任务 %d 个 / enqueued %d periodic task(s)", n, n)
                except Exception:  # a locked or restarting database must not kill the scheduler
                    logger.exception("定时任务排队失败，稍后重试")
                self._stop_event.wait(self.interval)
        finally:
            connection.close()
            logger.info("定时任务已停止 / scheduler stopped")
