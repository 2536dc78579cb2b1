from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "启动后台任务进程 / start the background worker (django-tasks database backend)"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", action="store_true", help="处理完当前队列后退出 / exit when the queue is empty")

    def handle(self, *args: Any, **options: Any) -> None:
        extra = ["--batch"] if options["batch"] else []
        call_command("db_worker", *extra)
