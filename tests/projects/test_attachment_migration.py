"""ADR 0160: the attachments written by the older pipeline (MEDIA_ROOT/projects/<uuid>, the digest on the
attachment row) are carried over to documents.StoredFile by the real migrations, stay downloadable with
their SM3 checked, and the migrations go back without losing a file."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.projects.builders import make_project
from tongchou.audit.models import AuditEvent
from tongchou.crypto.sm import sm3_hex

BEFORE = [("projects", "0002_register_facts_materials_assessments")]
PDF = b"%PDF-1.4\n% written by the older pipeline\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x01" * 40


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _leaves():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _old_row(old_apps, project, user, data: bytes, name: str, mime: str, *, on_disk: bytes | None):
    key = uuid.uuid4().hex
    from django.conf import settings

    path = Path(settings.MEDIA_ROOT) / "projects" / key
    path.parent.mkdir(parents=True, exist_ok=True)
    if on_disk is not None:
        path.write_bytes(on_disk)
    model = old_apps.get_model("projects", "ProjectAttachment")
    return model.objects.create(project_id=project.pk, material="feasibility_study", display_name=name,
                                stored_name=key, content_type=mime, size=len(data), sm3=sm3_hex(data),
                                uploaded_by_id=user.pk)


@pytest.mark.django_db(transaction=True)
def test_older_attachments_are_carried_over_and_back(client, login, settings, capsys):
    user = login("applicant")
    project = make_project(user)
    old_apps = _migrate(BEFORE)
    try:
        good = _old_row(old_apps, project, user, PDF, "可研报告.pdf", "application/pdf", on_disk=PDF)
        image = _old_row(old_apps, project, user, PNG, "拓扑图.png", "image/png", on_disk=PNG)
        altered = _old_row(old_apps, project, user, PDF, "被改动.pdf", "application/pdf", on_disk=PDF + b"x")
        missing = _old_row(old_apps, project, user, PDF, "缺失.pdf", "application/pdf", on_disk=None)
        uploaded_at = old_apps.get_model("projects", "ProjectAttachment").objects.get(pk=good.pk).uploaded_at

        _migrate(_leaves())
        reported = capsys.readouterr().out
        assert f"附件 {altered.pk}" in reported and "SM3 不一致" in reported
        assert f"附件 {missing.pk}" in reported and "文件缺失" in reported
        assert f"附件 {good.pk}" not in reported

        from tongchou.documents.models import StoredFile
        from tongchou.projects.models import ProjectAttachment

        carried = ProjectAttachment.objects.select_related("file").get(pk=good.pk)
        assert carried.file.storage_name == f"projects/{good.stored_name}"
        assert (carried.display_name, carried.content_type, carried.size, carried.sm3, carried.file.kind) == (
            "可研报告.pdf", "application/pdf", len(PDF), sm3_hex(PDF), "pdf")
        assert carried.file.created_by_id == user.pk and carried.file.created_at == uploaded_at
        assert carried.file.purpose == "projects.attachment"
        assert StoredFile.objects.count() == 4
        # Nothing moved on disk: the files are where the older code (and any backup) put them.
        assert sorted(p.name for p in (Path(settings.MEDIA_ROOT) / "projects").iterdir()) == sorted(
            [good.stored_name, image.stored_name, altered.stored_name])

        response = client.get(f"/projects/{project.pk}/attachments/{good.pk}/")
        assert response.status_code == 200 and response.content == PDF
        assert "filename*=UTF-8''%E5%8F%AF%E7%A0%94" in response["Content-Disposition"]
        api = client.get(f"/api/v1/projects/{project.pk}/attachments/{image.pk}")
        assert api.status_code == 200 and api.content == PNG and api["Content-Type"] == "image/png"
        assert client.get(f"/api/v1/projects/{project.pk}/attachments/{altered.pk}").json()["code"] == "file_tampered"
        assert client.get(f"/api/v1/projects/{project.pk}/attachments/{missing.pk}").json()["code"] == "file_missing"
        listed = {a["id"]: a for a in client.get(f"/api/v1/projects/{project.pk}").json()["attachments"]}
        assert listed[good.pk] == {"id": good.pk, "material": "feasibility_study", "name": "可研报告.pdf",
                                   "size": len(PDF), "sm3": sm3_hex(PDF), "content_type": "application/pdf"}
        assert AuditEvent.objects.filter(event="project.attachment_downloaded").count() == 2

        # A file uploaded after the upgrade lands in the sharded layout ...
        from django.core.files.uploadedfile import SimpleUploadedFile

        new = client.post(f"/api/v1/projects/{project.pk}/attachments",
                          {"material": "basic_info", "file": SimpleUploadedFile("新方案.pdf", PDF + b"\n")})
        assert new.status_code == 201
        new_name = ProjectAttachment.objects.select_related("file").get(pk=new.json()["id"]).file.storage_name
        assert not new_name.startswith("projects/")

        # ... and going back gives the older code every row and every file where it looks for them.
        old_apps = _migrate(BEFORE)
        old_model = old_apps.get_model("projects", "ProjectAttachment")
        back = old_model.objects.get(pk=good.pk)
        assert (back.stored_name, back.display_name, back.content_type, back.size, back.sm3) == (
            good.stored_name, "可研报告.pdf", "application/pdf", len(PDF), sm3_hex(PDF))
        newer = old_model.objects.get(pk=new.json()["id"])
        copied = Path(settings.MEDIA_ROOT) / "projects" / newer.stored_name
        assert sm3_hex(copied.read_bytes()) == newer.sm3 == sm3_hex(PDF + b"\n")
        assert (Path(settings.MEDIA_ROOT) / new_name).exists()  # the sharded copy is left alone
        assert not StoredFile.objects.filter(purpose="projects.attachment").exists()
        assert old_model.objects.count() == 5
    finally:
        _migrate(_leaves())
    # Forward again after going back: the same rows, carried over a second time.
    from tongchou.projects.models import ProjectAttachment

    assert ProjectAttachment.objects.filter(file__isnull=False).count() == 5
    assert client.get(f"/projects/{project.pk}/attachments/{good.pk}/").content == PDF


sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite",
                                 reason="tongchou backup/restore is for the embedded SQLite mode")


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_backup_restore_and_verifyfiles_cover_both_layouts(client, login, settings, tmp_path, capsys):
    """A carried-over attachment (projects/<uuid>) and a new one (sharded) are both in the backup,
    both come back with a restore, and `verifyfiles` now checks the older ones too."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command

    from tongchou.documents.models import StoredFile
    from tongchou.projects.models import ProjectAttachment

    settings.VAR_DIR = tmp_path / "var"
    user = login("applicant")
    project = make_project(user)
    key = uuid.uuid4().hex
    legacy = Path(settings.MEDIA_ROOT) / "projects" / key
    legacy.parent.mkdir(parents=True, exist_ok=True)
    legacy.write_bytes(PDF)
    older = ProjectAttachment.objects.create(  # the state the migration leaves (tested above)
        project=project, material="feasibility_study", uploaded_by=user,
        file=StoredFile.objects.create(storage_name=f"projects/{key}", display_name="旧可研.pdf", kind="pdf",
                                       content_type="application/pdf", size=len(PDF), sm3=sm3_hex(PDF),
                                       purpose="projects.attachment", created_by=user))
    newer_id = client.post(f"/api/v1/projects/{project.pk}/attachments",
                           {"material": "basic_info", "file": SimpleUploadedFile("新.png", PNG)}).json()["id"]
    newer_path = Path(settings.MEDIA_ROOT) / ProjectAttachment.objects.get(pk=newer_id).file.storage_name

    call_command("verifyfiles")
    assert "正常 2，缺失 0，摘要不符 0；未登记的文件 0 个" in capsys.readouterr().out

    archive = tmp_path / "drill.tar.gz"
    call_command("backup", output=str(archive))
    import tarfile

    with tarfile.open(archive, "r:gz") as tar:
        names = set(tar.getnames())
    assert f"media/projects/{key}" in names
    assert "media/" + newer_path.relative_to(settings.MEDIA_ROOT).as_posix() in names

    legacy.unlink()
    newer_path.write_bytes(b"damaged")
    call_command("restore", str(archive), yes=True)
    login("applicant")
    assert client.get(f"/projects/{project.pk}/attachments/{older.pk}/").content == PDF
    assert client.get(f"/api/v1/projects/{project.pk}/attachments/{newer_id}").content == PNG
