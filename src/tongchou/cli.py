"""The `tongchou` command.

Contract commands that must start fast (`assess`, `splits`, `experts draw`, `rulesets`) run without
starting Django; everything else is a Django management command passed through.
"""

from __future__ import annotations

import importlib
import os
import sys

# name → (module:function, 中文说明, English summary). Fast commands import no Django.
FAST_COMMANDS: dict[str, tuple[str, str, str]] = {}

# Django management commands Tongchou adds, listed in --help with both languages.
MANAGED_COMMANDS: dict[str, tuple[str, str]] = {
    "serve": ("启动网页服务", "start the web server"),
    "worker": ("启动后台任务进程（期限巡检、通知、导入导出）", "start the background worker"),
    "deadlines": ("列出到期与逾期事项（--as-of 日期）", "list what is due and overdue (--as-of DATE)"),
    "calendar": ("工作日历：seed 载入节假日安排，add 计算工作日", "working-day calendar: seed, add, status"),
    "audit": ("审计日志：verify 校验哈希链", "audit log: verify the hash chain"),
    "idempotency": ("幂等键：purge 删除超过保留期的记录", "idempotency keys: purge expired records"),
    "demo": ("载入演示数据（可重复执行，不会重复添加）", "load the demo data (idempotent)"),
    "backup": ("备份内嵌数据库与上传文件（SQLite 模式）", "back up the embedded database and files"),
    "restore": ("从备份恢复（先校验 SM3 摘要；--yes 确认覆盖）", "restore from a backup (verified first)"),
    "verifyfiles": ("核对全部存储文件的 SM3 摘要", "verify every stored file's SM3 digest"),
    "migrate": ("迁移数据库结构", "apply database migrations"),
    "check": ("检查配置（--deploy 检查生产配置）", "check the configuration (--deploy for production)"),
    "createsuperuser": ("（不使用：请用 demo 或系统管理员创建账号）", "(not used: admins create accounts)"),
}


def _register_fast(name: str, target: str, zh: str, en: str) -> None:
    FAST_COMMANDS[name] = (target, zh, en)


_register_fast("assess", "tongchou.policy.cli:assess_main", "按《办法》评估项目事实（JSON / JSON Lines）", "assess project facts")
_register_fast("rulesets", "tongchou.policy.cli:rulesets_main", "列出已登记的规则集", "list registered rule sets")
_register_fast("splits", "tongchou.demand.splits.cli:main", "检测拆分申报与重复建设", "detect split and overlapping projects")
_register_fast("experts", "tongchou.experts.cli:main", "专家抽取（experts draw）", "expert draws (experts draw)")


def _help() -> str:
    lines = [
        "统筹 Tongchou — 昌吉州数字政府项目建设管理系统",
        "",
        "用法 / usage: tongchou <命令 command> [参数 options]",
        "",
        "命令 / commands:",
    ]
    for name, (_, zh, en) in FAST_COMMANDS.items():
        lines.append(f"  {name:<16} {zh} / {en}")
    for name, (zh, en) in MANAGED_COMMANDS.items():
        lines.append(f"  {name:<16} {zh} / {en}")
    lines += [
        "",
        "其他 Django 管理命令原样可用（tongchou help 列出全部）。",
        "Every other Django management command passes through (`tongchou help` lists them).",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help"}:
        print(_help())
        return 0
    if args[0] in FAST_COMMANDS:
        module_name, func_name = FAST_COMMANDS[args[0]][0].split(":")
        func = getattr(importlib.import_module(module_name), func_name)
        return int(func(args[1:]) or 0)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongchou.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["tongchou", *args])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
