from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "启动网页服务（gunicorn，静态文件由 whitenoise 提供）/ start the web server"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--bind", default=f"127.0.0.1:{os.environ.get('PORT', '8000')}")
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "2")))

    def handle(self, *args: Any, **options: Any) -> None:
        argv = [
            sys.executable, "-m", "gunicorn", "tongchou.config.wsgi:application",
            "--bind", options["bind"], "--workers", str(options["workers"]), "--threads", "4",
            "--access-logfile", "-", "--graceful-timeout", "5",
        ]
        os.execv(sys.executable, argv)  # noqa: S606 — replaces this process with gunicorn
