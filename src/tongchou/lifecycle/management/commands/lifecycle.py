from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from tongchou.lifecycle.docs import lifecycle_markdown


class Command(BaseCommand):
    help = "输出项目生命周期图（--write 写入 docs/lifecycle.md）/ print the lifecycle diagram"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--write", metavar="PATH", nargs="?", const="docs/lifecycle.md")

    def handle(self, *args: Any, **options: Any) -> None:
        text = lifecycle_markdown()
        if options["write"]:
            Path(options["write"]).write_text(text, encoding="utf-8")
            self.stdout.write(f"已写入 {options['write']}")
        else:
            self.stdout.write(text)
