"""Backup and restore for the embedded (SQLite) mode: one .tar.gz with a consistent copy of the
database (SQLite's online backup API), every file under MEDIA_ROOT, and a manifest of SM3 digests.

A restore verifies every digest and the database's integrity before it changes anything, takes a
backup of the current state first, copies the database back through the same backup API (safe with
WAL), and swaps the media directory in with renames. PostgreSQL uses pg_dump and PITR instead
(docs/operations.md).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from cryptography.hazmat.primitives import hashes
from django.conf import settings
from django.db import connection
from django.db.backends.sqlite3._functions import register as register_django_functions
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

import tongchou
from tongchou.core_errors import DomainError
from tongchou.documents.storage import _fsync_dir

FORMAT = "tongchou-backup/1"
MANIFEST = "manifest.json"
DATABASE = "db.sqlite3"
MEDIA_PREFIX = "media/"
POSTGRES_REFUSAL = (
    "当前数据库不是内嵌的 SQLite：tongchou backup / restore 只用于内嵌模式。"
    "PostgreSQL 请用 pg_dump 做逻辑备份，并开启 WAL 归档做时间点恢复（PITR），"
    "步骤见 docs/operations.md 的“PostgreSQL 的备份与恢复”。"
)


class BackupError(DomainError):
    pass


@dataclass(frozen=True)
class BackupResult:
    path: Path
    sm3: str
    manifest: dict[str, Any]


@dataclass(frozen=True)
class RestorePlan:
    """What a verified archive holds, shown before anything is overwritten."""

    archive: Path
    manifest: dict[str, Any]
    staging: Path

    def summary(self) -> str:
        db = self.manifest["database"]
        return (f"备份时间 {self.manifest['created_at']}，数据库 {db['size'] / 1024 / 1024:.1f} MB，"
                f"文件 {len(self.manifest['media'])} 个，全部 SM3 摘要校验通过。")


def require_sqlite() -> None:
    if connection.vendor != "sqlite":
        raise BackupError(POSTGRES_REFUSAL, code="backup_not_sqlite")


class _HashingReader:
    """Feeds tarfile while computing SM3 of exactly the bytes archived."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.digest = hashes.Hash(hashes.SM3())

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data

    def hexdigest(self) -> str:
        return self.digest.finalize().hex()


def _sm3_file(path: Path) -> str:
    digest = hashes.Hash(hashes.SM3())
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.finalize().hex()


def _integrity_ok(path: Path) -> bool:
    db = sqlite3.connect(path)
    # integrity_check evaluates CHECK constraints, and Django's (REGEXP, date functions) need
    # the functions Django registers on its own connections.
    register_django_functions(db)
    try:
        return db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    except sqlite3.DatabaseError:
        return False
    finally:
        db.close()


def _applied_migrations(path: Path) -> list[list[str]]:
    db = sqlite3.connect(path)
    try:
        rows = db.execute("SELECT app, name FROM django_migrations ORDER BY app, name").fetchall()
    except sqlite3.DatabaseError:
        rows = []
    finally:
        db.close()
    return [[app, name] for app, name in rows]


def _media_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    found = []
    for path in sorted(root.rglob("*")):
        if path.is_symlink() or not path.is_file() or path.name.startswith(".tmp-"):
            continue
        found.append(path)
    return found


def default_output() -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.VAR_DIR) / "backups" / f"tongchou-{stamp}.tar.gz"


def create_backup(output: Path | None = None) -> BackupResult:
    require_sqlite()
    output = Path(output or default_output()).resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".backup-") as work:
        db_copy = Path(work) / DATABASE
        connection.ensure_connection()
        target = sqlite3.connect(db_copy)
        try:
            # One consistent snapshot even while the web server and worker keep writing.
            connection.connection.backup(target)
        finally:
            target.close()
        if not _integrity_ok(db_copy):
            raise BackupError("数据库副本完整性检查未通过，备份已中止。", code="backup_integrity")
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "created_at": timezone.localtime().isoformat(timespec="seconds"),
            "tongchou_version": tongchou.__version__,
            "database": {"vendor": "sqlite", "path": DATABASE, "size": db_copy.stat().st_size,
                         "sm3": _sm3_file(db_copy)},
            "migrations": _applied_migrations(db_copy),
            "media": [],
        }
        temp_archive = Path(work) / "archive.tar.gz"
        with tarfile.open(temp_archive, "w:gz", compresslevel=6) as tar:
            info = tar.gettarinfo(str(db_copy), arcname=DATABASE)
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            info.mode = 0o600
            with db_copy.open("rb") as handle:
                tar.addfile(info, handle)
            for path in _media_files(media_root):
                relative = path.relative_to(media_root).as_posix()
                info = tar.gettarinfo(str(path), arcname=MEDIA_PREFIX + relative)
                info.uid = info.gid = 0
                info.uname = info.gname = ""
                info.mode = 0o600
                with path.open("rb") as handle:
                    reader = _HashingReader(handle)
                    tar.addfile(info, reader)
                manifest["media"].append({"path": MEDIA_PREFIX + relative, "size": info.size,
                                          "sm3": reader.hexdigest()})
            body = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(body)
            info.mtime = int(timezone.now().timestamp())
            info.mode = 0o600
            tar.addfile(info, io.BytesIO(body))
        with temp_archive.open("rb") as handle:
            os.fsync(handle.fileno())
        os.chmod(temp_archive, 0o600)  # the archive holds personal data
        os.replace(temp_archive, output)
    _fsync_dir(output.parent)
    return BackupResult(path=output, sm3=_sm3_file(output), manifest=manifest)


# ---------------------------------------------------------------- restore


def _corrupted(problem: str) -> BackupError:
    return BackupError(f"备份文件校验失败，未做任何改动：{problem}", code="backup_corrupted",
                       hint="请换用另一份备份；本份备份可能已损坏或被改动。")


def _safe_member(name: str) -> bool:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or "\\" in name:
        return False
    return name in (MANIFEST, DATABASE) or (name.startswith(MEDIA_PREFIX) and len(path.parts) > 1)


def verify_archive(archive: Path, staging: Path) -> dict[str, Any]:
    """Extracts into `staging` only after checking every member's name and type, then checks every
    digest against the manifest; raises before the live system is touched."""
    digests: dict[str, tuple[int, str]] = {}
    manifest_bytes = b""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar:
                if not member.isreg() or not _safe_member(member.name):
                    raise _corrupted(f"包含不允许的条目「{member.name[:80]}」")
                if member.name in digests or (member.name == MANIFEST and manifest_bytes):
                    raise _corrupted(f"条目「{member.name[:80]}」重复")
                source = tar.extractfile(member)
                if source is None:
                    raise _corrupted(f"条目「{member.name[:80]}」无法读取")
                if member.name == MANIFEST:
                    manifest_bytes = source.read(10 * 1024 * 1024)
                    continue
                target = staging / member.name
                target.parent.mkdir(parents=True, exist_ok=True)
                reader = _HashingReader(source)
                with target.open("wb") as out:
                    shutil.copyfileobj(reader, out, 1024 * 1024)
                digests[member.name] = (target.stat().st_size, reader.hexdigest())
    except (tarfile.TarError, EOFError, OSError, ValueError) as exc:
        if isinstance(exc, BackupError):
            raise
        raise _corrupted(f"压缩包已损坏（{type(exc).__name__}）") from exc
    if not manifest_bytes:
        raise _corrupted("缺少清单 manifest.json")
    try:
        manifest = json.loads(manifest_bytes)
        expected = {manifest["database"]["path"]: (manifest["database"]["size"], manifest["database"]["sm3"])}
        expected.update({m["path"]: (m["size"], m["sm3"]) for m in manifest["media"]})
    except (ValueError, KeyError, TypeError) as exc:
        raise _corrupted("清单 manifest.json 格式不正确") from exc
    if manifest.get("format") != FORMAT:
        raise _corrupted(f"不认识的备份格式「{manifest.get('format')}」")
    for name, (size, digest) in expected.items():
        if name not in digests:
            raise _corrupted(f"清单中的「{name}」不在压缩包中")
        if digests[name] != (size, digest):
            raise _corrupted(f"「{name}」的 SM3 摘要与清单不符")
    extra = set(digests) - set(expected)
    if extra:
        raise _corrupted(f"压缩包中有清单未列出的条目「{sorted(extra)[0][:80]}」")
    if not _integrity_ok(staging / DATABASE):
        raise _corrupted("数据库副本完整性检查未通过")
    return manifest


def _unknown_migrations(manifest: dict[str, Any]) -> list[str]:
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return sorted(f"{app}.{name}" for app, name in manifest.get("migrations", []) if (app, name) not in known)


def prepare_restore(archive: Path) -> RestorePlan:
    require_sqlite()
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"找不到备份文件：{archive}", code="backup_missing")
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    # Staged next to MEDIA_ROOT so the final swap is a rename on one file system.
    staging = Path(tempfile.mkdtemp(dir=media_root.parent, prefix=".restore-"))
    try:
        manifest = verify_archive(archive, staging)
        unknown = _unknown_migrations(manifest)
        if unknown:
            raise BackupError(
                f"该备份来自更新版本的统筹（含本版本没有的数据库迁移 {unknown[0]} 等），不能恢复到当前版本。",
                code="backup_newer", hint="请先升级统筹到与备份相同或更新的版本，再恢复。")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return RestorePlan(archive=archive, manifest=manifest, staging=staging)


def discard(plan: RestorePlan) -> None:
    shutil.rmtree(plan.staging, ignore_errors=True)


def apply_restore(plan: RestorePlan, *, before: Callable[[], Any] | None = None) -> None:
    """Overwrites the live database and media with the staged copy. `before` runs first (the
    safety backup of the current state)."""
    require_sqlite()
    try:
        if before is not None:
            before()
        connection.close()
        connection.ensure_connection()
        source = sqlite3.connect(plan.staging / DATABASE)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        media_root = Path(settings.MEDIA_ROOT)
        staged_media = plan.staging / "media"
        staged_media.mkdir(exist_ok=True)
        old = media_root.with_name(f".{media_root.name}.replaced-{timezone.now():%Y%m%d%H%M%S%f}")
        if media_root.exists():
            os.replace(media_root, old)
        os.replace(staged_media, media_root)
        _fsync_dir(media_root.parent)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        discard(plan)
