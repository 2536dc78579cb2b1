"""The restore drill: create data, back up, damage it, restore, find the data again."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tongchou.accounts.models import Organisation
from tongchou.audit.models import AuditEvent
from tongchou.documents import backup as backup_module
from tongchou.documents.models import StoredFile
from tongchou.documents.services import stored_file_create, stored_file_read
from tongchou.documents.uploads import PDF

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="tongchou backup/restore is for the embedded SQLite mode; PostgreSQL uses pg_dump and PITR "
           "(docs/operations.md), and the commands' refusal is tested below",
)
PDF_BYTES = b"%PDF-1.7\n%%EOF\n"


@pytest.fixture
def places(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.VAR_DIR = tmp_path / "var"
    return tmp_path


def _rewrite(archive: Path, target: Path, change) -> None:
    """Copies an archive member by member, letting `change(name, data)` alter or drop members."""
    with tarfile.open(archive, "r:gz") as src, tarfile.open(target, "w:gz") as dst:
        for member in src:
            data = src.extractfile(member).read()
            for name, new in change(member.name, data):
                info = tarfile.TarInfo(name)
                info.size = len(new)
                dst.addfile(info, io.BytesIO(new))


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_restore_drill(places, demo_users, capsys):
    bureau = demo_users["bureau"]
    stored = stored_file_create(data=PDF_BYTES, display_name="审查意见.pdf", kind=PDF, actor=bureau)
    org = Organisation.objects.get(code=bureau.organisation.code)
    original_name = org.name

    archive = places / "drill.tar.gz"
    call_command("backup", output=str(archive))
    assert "备份完成" in capsys.readouterr().out
    assert oct(archive.stat().st_mode & 0o777) == "0o600"

    # Damage: rename an organisation, lose a file, add a record that did not exist.
    Organisation.objects.filter(pk=org.pk).update(name="被误改的名称")
    (places / "files" / stored.storage_name).unlink()
    stored_file_create(data=b"%PDF-1.4\n%%EOF\n", display_name="后来的.pdf", kind=PDF, actor=bureau)
    assert StoredFile.objects.count() == 2

    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(archive))
    assert Organisation.objects.get(pk=org.pk).name == "被误改的名称"  # nothing changed without --yes

    call_command("restore", str(archive), yes=True)
    out = capsys.readouterr().out
    assert "恢复完成" in out

    assert Organisation.objects.get(pk=org.pk).name == original_name
    assert list(StoredFile.objects.values_list("display_name", flat=True)) == ["审查意见.pdf"]
    assert stored_file_read(stored=StoredFile.objects.get(), actor=bureau) == PDF_BYTES
    assert not (places / "files").joinpath("后来的.pdf").exists()
    assert len([p for p in (places / "files").rglob("*") if p.is_file()]) == 1
    assert AuditEvent.objects.filter(event="system.restore").count() == 1
    safety = list((places / "var" / "backups").glob("pre-restore-*.tar.gz"))
    assert len(safety) == 1  # the state before the restore is kept too
    assert not list(places.glob(".restore-*"))


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_corrupted_archive_refused_and_nothing_changed(places, orgs):
    media = places / "files" / "ab" / "cd"
    media.mkdir(parents=True)
    (media / "a.pdf").write_bytes(PDF_BYTES)
    archive = places / "good.tar.gz"
    call_command("backup", output=str(archive))
    changed = Organisation.objects.order_by("pk").first()
    Organisation.objects.filter(pk=changed.pk).update(name="改过")

    def flip(name, data):
        yield name, (data[:-2] + b"X\n" if name.startswith("media/") else data)

    def sneak(name, data):
        yield name, data
        if name == "db.sqlite3":
            yield "../../etc/evil", b"x"

    def drop(name, data):
        if not name.startswith("media/"):
            yield name, data

    cases = {flip: "SM3 摘要与清单不符", sneak: "不允许的条目", drop: "不在压缩包中"}
    for change, message in cases.items():
        bad = places / f"{change.__name__}.tar.gz"
        _rewrite(archive, bad, change)
        with pytest.raises(CommandError, match=message):
            call_command("restore", str(bad), yes=True)
    truncated = places / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    with pytest.raises(CommandError, match="备份文件校验失败"):
        call_command("restore", str(truncated), yes=True)
    assert Organisation.objects.get(pk=changed.pk).name == "改过"
    assert (media / "a.pdf").read_bytes() == PDF_BYTES
    assert not list(places.glob(".restore-*"))


def test_commands_refuse_outside_sqlite_pointing_to_operations_doc(places, monkeypatch):
    """On PostgreSQL the commands refuse and send the operator to pg_dump / PITR."""
    if connection.vendor == "sqlite":
        monkeypatch.setattr(backup_module, "connection", SimpleNamespace(vendor="postgresql"))
    with pytest.raises(CommandError, match="docs/operations.md"):
        call_command("backup")
    with pytest.raises(CommandError, match="pg_dump"):
        call_command("restore", str(places / "any.tar.gz"), yes=True)


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_backup_from_a_newer_version_refused(places, orgs):
    archive = places / "b.tar.gz"
    call_command("backup", output=str(archive))
    def newer(name, data):
        if name == "manifest.json":
            manifest = json.loads(data)
            manifest["migrations"].append(["projects", "9999_from_the_future"])
            data = json.dumps(manifest).encode()
        yield name, data

    _rewrite(archive, places / "newer.tar.gz", newer)
    with pytest.raises(CommandError, match="更新版本"):
        call_command("restore", str(places / "newer.tar.gz"), yes=True)
