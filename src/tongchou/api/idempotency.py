"""`Idempotency-Key` for API writes that create things (SECURITY.md, "Nothing lost").

Applied with `@decorate_view(idempotent)` under the router decorator. Without the header nothing changes.
With it, the first successful (2xx) answer is stored with the key, the user and the SM3 digest of the
request (`request_digest`), in the same transaction as the write; a repeat with the same key and request
gets the stored answer back (header `Idempotent-Replayed: true`) and creates nothing; the same key with
another request or endpoint → 422. A refused first attempt (4xx/5xx) stores nothing, so the client may
correct it and retry with the same key. Two concurrent requests with one key: the second waits on the
unique index and then gets the first's answer. A stored answer is kept `IDEMPOTENCY_RETENTION_HOURS`
(ADR 0151); after that the key counts as unused.

What "the same request" means depends on the body (ADR 0225):
- JSON and other bodies: SM3 of method, full path and the raw body, exactly as before uploads took the key
  (records stored earlier still match).
- multipart/form-data (file uploads): a digest of what the request says rather than how it was encoded —
  method, full path, the form fields by name, and per uploaded file its field name, client filename, size
  and content SM3, read in chunks from Django's upload (in memory or spooled to disk) and rewound for the
  view. `request.body` is never read for an upload: it may be larger than DATA_UPLOAD_MAX_MEMORY_SIZE, and
  a client's retry usually comes with a new multipart boundary, which would make an honest retry look like
  another request.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone

from tongchou.crypto.sm import sm3_hex, sm3_hex_chunks
from tongchou.idempotency.models import IdempotencyRecord
from tongchou.idempotency.services import idempotency_cutoff

HEADER = "Idempotency-Key"
MAX_KEY = 200


def _refuse(message: str, hint: str) -> HttpResponse:
    body = {"detail": message, "code": "idempotency_key", "field": HEADER, "hint": hint}
    return HttpResponse(json.dumps(body, ensure_ascii=False), status=422,
                        content_type="application/json; charset=utf-8")


def _replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(bytes(record.body), status=record.status_code, content_type=record.content_type)
    response["Idempotent-Replayed"] = "true"
    return response


def request_digest(request: HttpRequest) -> str:
    """The SM3 stored with a key and compared on its reuse; see the module docstring."""
    if request.content_type == "multipart/form-data":
        return _multipart_digest(request)
    return sm3_hex((request.method or "").encode() + b"\n" + request.get_full_path().encode() + b"\n" + request.body)


def _multipart_digest(request: HttpRequest) -> str:
    """Independent of the boundary and of part order across field names; the order of several values or
    files under one name counts. Parsing errors (too many files or fields) propagate as they would from
    the view, to Django's 400. The part's declared Content-Type is left out: the views take the type from
    the content, and another client library may declare it differently for the same file."""
    fields = {name: request.POST.getlist(name) for name in sorted(request.POST)}
    files = []
    for name in sorted(request.FILES):
        for upload in request.FILES.getlist(name):
            sm3, size = sm3_hex_chunks(upload.chunks())
            upload.seek(0)  # the view reads the file from its start (some with .read(), not .chunks())
            files.append({"field": name, "filename": upload.name or "", "size": size, "sm3": sm3})
    canonical = json.dumps({"method": request.method or "", "path": request.get_full_path(), "fields": fields,
                            "files": files}, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return sm3_hex("multipart/form-data\n" + canonical)  # the prefix keeps it apart from any raw-body digest


def idempotent(run: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    @wraps(run)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        key = request.headers.get(HEADER)
        user = getattr(request, "user", None)
        if key is None or user is None or not user.is_authenticated:
            return run(request, *args, **kwargs)  # anonymous: the endpoint's own 401
        key = key.strip()
        if not key or len(key) > MAX_KEY or not key.isprintable():
            return _refuse(f"幂等键（{HEADER}）无效：应为 1–{MAX_KEY} 个可见字符。", "请为每次新建生成一个 UUID 作为幂等键。")
        digest = request_digest(request)
        with transaction.atomic():
            record, fresh = _claim(user, key)
            if not fresh:
                if record.request_hash != digest:
                    return _refuse("该幂等键已用于另一个不同的请求，不能再用于本次请求。",
                                   "同一个幂等键只能重复发送完全相同的请求；新的请求请使用新的幂等键。")
                return _replay(record)
            response = run(request, *args, **kwargs)
            if 200 <= response.status_code < 300 and isinstance(response, HttpResponse):
                record.method, record.path, record.request_hash = request.method or "", request.path[:500], digest
                record.status_code, record.body = response.status_code, response.content
                record.content_type = response.get("Content-Type", "")
                record.save()
            else:
                record.delete()  # a refused attempt stores nothing: correct it and retry with the same key
            return response

    setattr(wrapper, "idempotent", True)  # noqa: B010 — read by the route guard in tests/security
    return wrapper


def _claim(user: Any, key: str) -> tuple[IdempotencyRecord, bool]:
    """(record, True) when this request holds the key now; (stored record, False) when it was used before.
    The new row reserves the key: a concurrent twin blocks on the unique index until this one commits.
    A record past the retention window is re-claimed in place (updated, not deleted and re-inserted,
    so a twin waiting on its row lock sees the new claim), whether or not the purge has reached it."""
    for _ in range(3):
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(user=user, key=key, method="", path="",
                                                          request_hash="", status_code=0, content_type="", body=b"")
            return record, True
        except IntegrityError:
            held = IdempotencyRecord.objects.select_for_update().filter(user=user, key=key).first()
            if held is None:
                continue  # refused or purged between our insert and this read: try the insert again
            if held.created_at < idempotency_cutoff():
                held.method = held.path = held.request_hash = held.content_type = ""
                held.status_code, held.body, held.created_at = 0, b"", timezone.now()
                held.save()
                return held, True
            return held, False
    raise RuntimeError("idempotency key could not be claimed")  # three races in a row: a 500 is honest
