"""/api/v1/public — the open project register (Art. 35): no login, no personal data, rate-limited."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from ninja import Router

from tongchou.documents.csv_export import csv_lines
from tongchou.documents.storage import content_disposition
from tongchou.reports.open_register import HEADERS, PAGE_SIZE, open_page, open_rows_all
from tongchou.reports.ratelimit import RATE_LIMIT_MESSAGE, client_address, take_token

router = Router(tags=["公开项目库（第三十五条）"], auth=None)


def _limited(request: HttpRequest) -> HttpResponse | None:
    allowed, wait = take_token(client_address(request))
    if allowed:
        return None
    response = JsonResponse({"detail": RATE_LIMIT_MESSAGE, "code": "rate_limited"}, status=429,
                            json_dumps_params={"ensure_ascii": False})
    response["Retry-After"] = str(max(1, int(wait + 0.999)))
    return response


def _csv(year: int | None) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_lines(HEADERS, open_rows_all(year=year)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition(f"公开项目库{'-' + str(year) if year else ''}.csv")
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _money(value: Decimal | None) -> Any:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


@router.get("/projects", summary="公开项目清单（JSON；?format=csv 为 CSV）")
def projects(request: HttpRequest, year: int | None = None, after: int | None = None, limit: int = PAGE_SIZE,
             format: str = "json") -> HttpResponse | StreamingHttpResponse:
    refused = _limited(request)
    if refused:
        return refused
    if format == "csv":
        return _csv(year)
    page = open_page(year=year, after=after, limit=limit)
    items = [{**i, "construction_cost": _money(i["construction_cost"]),
              "approved_amount": _money(i["approved_amount"])} for i in page.items]
    return JsonResponse({"total": page.total, "count": len(items), "next_after": page.next_after, "items": items},
                        json_dumps_params={"ensure_ascii": False})


@router.get("/projects.csv", summary="公开项目清单（CSV，UTF-8 带 BOM）")
def projects_csv(request: HttpRequest, year: int | None = None) -> HttpResponse | StreamingHttpResponse:
    return _limited(request) or _csv(year)
