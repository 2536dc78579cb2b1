"""`audit_record` — called inside every service's transaction; if it fails, the change fails."""

from __future__ import annotations

import json
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from tongchou.audit.models import AuditChainHead, AuditEvent
from tongchou.crypto.sm import sm3_hex
from tongchou.web.request_context import current_request_meta

GENESIS = "0" * 64
# Keys whose values are credentials: passwords, one-time (TOTP/verification) codes, secrets, session
# keys and tokens. A bare "code" is NOT here: project, organisation, service-level and finding codes are
# business identifiers the audit trail must keep readable (ADR 0215).
_SECRET_KEYS = {
    "password", "password1", "password2", "old_password", "new_password",
    "otp", "otp_code", "totp", "totp_code", "verification_code", "second_factor_code",
    "secret", "totp_secret", "token", "csrfmiddlewaretoken", "csrf_token", "session_key", "api_key",
}
_SECRET_SUFFIXES = ("password", "_secret", "_token", "_otp")


def _is_secret_key(key: Any) -> bool:
    k = str(key).lower()
    return k in _SECRET_KEYS or k.endswith(_SECRET_SUFFIXES)


def _scrub(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: ("***" if _is_secret_key(k) else _scrub(v)) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [_scrub(v) for v in data]
    return data


def canonical_payload(event: AuditEvent) -> str:
    """The exact text the chain hashes; `audit verify` recomputes it from the stored row."""
    payload = {
        "at": event.at.isoformat(),
        "event": event.event,
        "outcome": event.outcome,
        "actor_id": event.actor_id,
        "actor_name": event.actor_name,
        "actor_role": event.actor_role,
        "actor_org": event.actor_org,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "target_label": event.target_label,
        "data": event.data,
        "client_address": event.client_address,
        "request_id": event.request_id,
    }
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def chain_hash(prev_hash: str, event: AuditEvent) -> str:
    return sm3_hex(prev_hash + canonical_payload(event))


def audit_record(
    *,
    event: str,
    actor: Any = None,
    target: models.Model | None = None,
    data: dict[str, Any] | None = None,
    outcome: str = "ok",
    actor_name: str = "",
) -> AuditEvent:
    """Appends one event to the hash chain. Must be called inside the action's transaction."""
    meta = current_request_meta()
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(
            id=1, defaults={"last_hash": GENESIS, "last_event_id": 0}
        )
        is_user = actor is not None and getattr(actor, "pk", None) is not None
        org = getattr(actor, "organisation", None) if is_user else None
        row = AuditEvent(
            at=timezone.now(),
            event=event,
            outcome=outcome,
            actor=actor if is_user else None,
            actor_name=actor_name or (actor.get_username() if is_user else ""),
            actor_role=getattr(actor, "role", "") if is_user else "",
            actor_org=str(org) if org else "",
            target_type=target._meta.label_lower if target is not None else "",
            target_id=str(target.pk) if target is not None else "",
            target_label=str(target)[:255] if target is not None else "",
            data=json.loads(json.dumps(_scrub(data or {}), ensure_ascii=False, default=str)),
            client_address=meta.get("client_address", ""),
            request_id=meta.get("request_id", ""),
            prev_hash=head.last_hash,
        )
        row.hash = chain_hash(head.last_hash, row)
        row.save()
        head.last_hash = row.hash
        head.last_event_id = row.pk
        head.save(update_fields=["last_hash", "last_event_id"])
    return row
