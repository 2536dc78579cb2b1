from __future__ import annotations

import pytest


@pytest.fixture
def bypass_append_only():
    """Lets a test tamper with the log as an attacker with database access would: the trigger is
    disabled (PostgreSQL) or dropped (SQLite) inside the test's transaction, then restored."""
    import importlib
    from contextlib import contextmanager

    from django.db import connection

    migration = importlib.import_module("tongchou.audit.migrations.0002_append_only_triggers")

    @contextmanager
    def _bypass():
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Deferred foreign-key checks from this transaction's inserts must fire before ALTER TABLE.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
            else:
                for sql in migration.SQLITE_REVERSE:
                    cursor.execute(sql)
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                    cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_append_only")
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                else:
                    for sql in migration.SQLITE_FORWARD:
                        cursor.execute(sql)

    return _bypass


@pytest.fixture
def chain(demo_users):
    """Six events on a fresh chain."""
    from tongchou.audit.services import audit_record

    return [audit_record(event=f"test.event{i}", actor=demo_users["reviewer"], data={"i": i, "名": "值"})
            for i in range(6)]
