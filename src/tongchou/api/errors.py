"""Errors for people: every refused API call answers in Chinese and names the field."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError, ValidationErrorContext

from tongchou.api.input_errors import WHOLE_BODY, label_for, translate
from tongchou.core_errors import DomainError
from tongchou.web.errors import DETAIL, chinese_message

# django-ninja's cookie auth answers a missing or wrong token with HttpError(403, "CSRF check Failed").
NINJA_CSRF_MESSAGE = "CSRF check Failed"
CSRF_DETAIL = "请求缺少或带有无效的 CSRF 令牌，请刷新页面后重试；接口调用请携带 X-CSRFToken 请求头。"


def _field_path(loc: list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "payload", "query", "path")]
    return ".".join(parts) or WHOLE_BODY


class TongchouAPI(NinjaAPI):
    """NinjaAPI that notes each validation error's Chinese field label while the schema is still at hand
    (the exception handler sees only the error dicts)."""

    def validation_error_from_error_contexts(self, error_contexts: list[ValidationErrorContext]) -> ValidationError:
        labels = [label_for(context.model, tuple(e["loc"]))
                  for context in error_contexts for e in context.pydantic_validation_error.errors()]
        error = super().validation_error_from_error_contexts(error_contexts)
        for e, label in zip(error.errors, labels, strict=True):
            e["label"] = label
        return error


def _error_out(e: dict[str, Any]) -> dict[str, Any]:
    field = _field_path(list(e.get("loc", [])))
    label = WHOLE_BODY if field == WHOLE_BODY else e.get("label") or field
    return {"field": field, "message": translate(e, label), "type": e.get("type")}


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(ValidationError)
    def _validation(request: HttpRequest, exc: ValidationError):
        errors = [_error_out(e) for e in exc.errors]
        return api.create_response(request, {"detail": "输入有误，请按提示修改", "errors": errors}, status=422)

    @api.exception_handler(AuthenticationError)
    def _auth(request: HttpRequest, exc: AuthenticationError):
        return api.create_response(request, {"detail": "请先登录"}, status=401)

    @api.exception_handler(HttpError)
    def _http(request: HttpRequest, exc: HttpError):
        # django-ninja's own HttpErrors carry English text ("CSRF check Failed", "Forbidden")
        if exc.status_code == 403 and exc.message == NINJA_CSRF_MESSAGE:
            return api.create_response(request, {"detail": CSRF_DETAIL, "code": "csrf"}, status=403)
        detail = chinese_message(Exception(exc.message)) or DETAIL.get(exc.status_code, DETAIL[400])
        return api.create_response(request, {"detail": detail, "code": "http_error"}, status=exc.status_code)

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Http404):
        # django-ninja's own answer is the English "Not Found"
        return api.create_response(request, {"detail": chinese_message(exc) or DETAIL[404], "code": "not_found"},
                                   status=404)

    @api.exception_handler(DomainError)
    def _domain(request: HttpRequest, exc: DomainError):
        return api.create_response(request, exc.as_dict(), status=exc.status)
