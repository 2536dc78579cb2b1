"""The site's error answers, in Chinese: pages for people, JSON with a Chinese ``detail`` under /api/.

Django's defaults answer in English ("Not Found", "Server Error (500)"), and django-ninja's own 404 does
too; the views below replace them (``handler400``…``handler500`` in the root URLconf, ``CSRF_FAILURE_VIEW``).
A page shows the refusal's own message when the code that raised it wrote one in Chinese (``Http404("未找到
该项目，或您无权查看")``); Django's English messages (``get_object_or_404``, the URL resolver) are replaced
by the page's general text. The 500 answer needs neither the request nor the database: it is rendered from
a standalone template with an empty context, and falls back to a fixed text if even that fails.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
_CJK = re.compile(r"[\u4e00-\u9fff]")

DETAIL = {
    400: "请求无效，请检查地址或提交的内容后重试。",
    403: "您无权进行此操作。",
    404: "未找到该接口或记录，或您无权查看，请检查地址。",
    500: "服务器内部错误，请稍后重试；问题持续时请联系系统管理员。",
}
FALLBACK_500 = ("<!DOCTYPE html><html lang=\"zh-Hans\"><head><meta charset=\"utf-8\"><title>服务器内部错误</title>"
                "</head><body><h1>服务器内部错误</h1><p>请稍后重试；问题持续时请联系系统管理员。</p>"
                "<p><a href=\"/\">返回工作台</a></p></body></html>")


def chinese_message(exception: BaseException | None) -> str:
    """The exception's message when our code wrote one in Chinese; "" for Django's English ones."""
    if exception is None or not exception.args:
        return ""
    message = exception.args[0]
    return message if isinstance(message, str) and _CJK.search(message) else ""


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def _api_answer(status: int, code: str, message: str = "") -> JsonResponse:
    return JsonResponse({"detail": message or DETAIL[status], "code": code}, status=status,
                        json_dumps_params={"ensure_ascii": False})


def bad_request(request: HttpRequest, exception: BaseException | None = None,
                template_name: str = "400.html") -> HttpResponse:
    """Rendered without the request (as Django's own): a SuspiciousOperation, e.g. a disallowed Host header,
    may come before the request can be trusted."""
    if _is_api(request):
        return _api_answer(400, "bad_request")
    return HttpResponse(loader.get_template(template_name).render(), status=400)


def permission_denied(request: HttpRequest, exception: BaseException | None = None,
                      template_name: str = "403.html") -> HttpResponse:
    message = chinese_message(exception)
    if _is_api(request):
        return _api_answer(403, "forbidden", message)
    return render(request, template_name, {"message": message}, status=403)


def page_not_found(request: HttpRequest, exception: BaseException | None = None,
                   template_name: str = "404.html") -> HttpResponse:
    message = chinese_message(exception)
    if _is_api(request):
        return _api_answer(404, "not_found", message)
    return render(request, template_name, {"message": message}, status=404)


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    if _is_api(request):
        return _api_answer(500, "server_error")
    try:
        body = loader.get_template(template_name).render()
    except Exception:  # the error page must not fail in turn
        logger.exception("500.html could not be rendered")
        body = FALLBACK_500
    return HttpResponse(body, status=500)


def csrf_failure(request: HttpRequest, reason: str = "", template_name: str = "403.html") -> HttpResponse:
    """A form posted from a page that has expired (the session timed out, or the page was opened before a
    new login): say so and what to do, instead of Django's English "CSRF verification failed"."""
    context: dict[str, Any] = {"message": "页面已过期或提交来源无法验证，请刷新页面后重新提交。", "csrf": True}
    if _is_api(request):
        return _api_answer(403, "csrf_failed", context["message"])
    return render(request, template_name, context, status=403)
