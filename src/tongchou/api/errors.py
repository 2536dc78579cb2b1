"""Errors for people: every refused API call answers in Chinese and names the field."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from tongchou.core_errors import DomainError
from tongchou.web.errors import DETAIL, chinese_message


def _field_path(loc: list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "payload", "query", "path")]
    return ".".join(parts) or "请求体"


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(ValidationError)
    def _validation(request: HttpRequest, exc: ValidationError):
        errors = [
            {"field": _field_path(list(e.get("loc", []))), "message": e.get("msg", "无效"), "type": e.get("type")}
            for e in exc.errors
        ]
        return api.create_response(request, {"detail": "输入有误，请按提示修改", "errors": errors}, status=422)

    @api.exception_handler(AuthenticationError)
    def _auth(request: HttpRequest, exc: AuthenticationError):
        return api.create_response(request, {"detail": "请先登录"}, status=401)

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Http404):
        # django-ninja's own answer is the English "Not Found"
        return api.create_response(request, {"detail": chinese_message(exc) or DETAIL[404], "code": "not_found"},
                                   status=404)

    @api.exception_handler(DomainError)
    def _domain(request: HttpRequest, exc: DomainError):
        return api.create_response(request, exc.as_dict(), status=exc.status)
