from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from tongchou.audit.models import AuditEvent
from tongchou.audit.verify import audit_verify

pytestmark = pytest.mark.django_db


def test_an_intact_chain_verifies(chain, capsys):
    result = audit_verify()
    assert result.ok and result.checked == AuditEvent.objects.count()
    call_command("audit", "verify")
    assert "审计日志完整" in capsys.readouterr().out


def test_verify_names_an_edited_row(chain, bypass_append_only, capsys):
    victim = chain[2]
    with bypass_append_only():
        AuditEvent.objects.filter(pk=victim.pk).update(data={"i": 99})
    result = audit_verify()
    assert result.broken is not None
    assert (result.broken.event_id, result.broken.kind) == (victim.pk, "edited")
    with pytest.raises(CommandError) as failed:
        call_command("audit", "verify")
    assert failed.value.returncode == 1
    assert f"第一处断裂：事件 #{victim.pk}" in capsys.readouterr().err


def test_verify_names_the_event_after_a_deleted_row(chain, bypass_append_only):
    with bypass_append_only():
        AuditEvent.objects.filter(pk=chain[3].pk).delete()
    result = audit_verify()
    assert (result.broken.event_id, result.broken.kind) == (chain[4].pk, "missing_or_reordered")
    assert f"#{chain[2].pk} 与 #{chain[4].pk} 之间" in result.broken.message


def test_verify_notices_a_rewritten_row_with_a_recomputed_hash(chain, bypass_append_only):
    """An attacker who also recomputes the edited row's own hash breaks the link to the next row."""
    from tongchou.audit.services import chain_hash

    victim = AuditEvent.objects.get(pk=chain[1].pk)
    victim.data = {"i": 42}
    forged = chain_hash(victim.prev_hash, victim)
    with bypass_append_only():
        AuditEvent.objects.filter(pk=victim.pk).update(data={"i": 42}, hash=forged)
    result = audit_verify()
    assert result.broken.event_id == chain[2].pk


def test_verify_notices_reordered_rows(chain, bypass_append_only):
    a, b = AuditEvent.objects.get(pk=chain[1].pk), AuditEvent.objects.get(pk=chain[2].pk)
    fields = ["at", "event", "data", "prev_hash", "hash"]
    with bypass_append_only():
        AuditEvent.objects.filter(pk=a.pk).update(hash="x" * 64)  # free the unique hash while swapping
        AuditEvent.objects.filter(pk=b.pk).update(**{f: getattr(a, f) for f in fields})
        AuditEvent.objects.filter(pk=a.pk).update(**{f: getattr(b, f) for f in fields})
    result = audit_verify()
    assert result.broken.event_id == chain[1].pk


def test_verify_notices_the_newest_events_deleted(chain, bypass_append_only):
    with bypass_append_only():
        AuditEvent.objects.filter(pk__gte=chain[4].pk).delete()
    result = audit_verify()
    assert result.broken.kind == "tail_missing" and result.broken.event_id == chain[5].pk


def test_the_database_refuses_update(chain):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=chain[2].pk).update(outcome="failed")
    assert AuditEvent.objects.get(pk=chain[2].pk).outcome == "ok"
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET data = '{}'")


def test_the_database_refuses_delete(chain):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=chain[3].pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [chain[4].pk])
    assert AuditEvent.objects.filter(pk__in=[chain[3].pk, chain[4].pk]).count() == 2
    if connection.vendor == "postgresql":  # SQLite lets only the oldest row go (see migration 0002)
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEvent.objects.order_by("id").first().delete()


def test_audit_verify_exits_with_status_1_on_the_command_line(chain, bypass_append_only, capsys, monkeypatch):
    """Through the `tongchou` entry point itself: status 0 when intact, 1 naming the event when not."""
    from django.db import connections

    from tongchou.cli import main

    # run_from_argv closes the connections when it ends, which would end the test's transaction.
    monkeypatch.setattr(connections, "close_all", lambda: None)

    assert main(["audit", "verify"]) == 0
    victim = chain[-1]
    with bypass_append_only():
        AuditEvent.objects.filter(pk=victim.pk).update(outcome="failed")
    with pytest.raises(SystemExit) as exited:
        main(["audit", "verify"])
    assert exited.value.code == 1
    assert f"事件 #{victim.pk}" in capsys.readouterr().err


def test_verify_notices_the_oldest_event_deleted(chain, bypass_append_only):
    """The one delete SQLite's trigger lets through (the oldest row) is still caught by the chain."""
    with bypass_append_only():
        AuditEvent.objects.filter(pk=chain[0].pk).delete()
    result = audit_verify()
    assert result.broken.event_id == chain[1].pk and "链首" in result.broken.message
