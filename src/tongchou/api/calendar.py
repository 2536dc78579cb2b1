"""/api/v1/calendar — the working-day calendar; only the system admin changes it."""

from __future__ import annotations

from datetime import date

from ninja import Router, Schema
from pydantic import Field

from tongchou.accounts.requests import AuthenticatedHttpRequest
from tongchou.calendar.rules import is_working_day
from tongchou.calendar.selectors import (
    calendar_days_for_year,
    calendar_load,
    working_days_add,
    working_days_count,
)
from tongchou.calendar.services import calendar_day_delete, calendar_day_set, calendar_year_confirm

router = Router(tags=["工作日历"])


class DayOut(Schema):
    date: date
    kind: str
    name: str
    source: str


class YearOut(Schema):
    year: int
    scheduled: bool
    warning: str | None
    days: list[DayOut]


class DayIn(Schema):
    date: date
    kind: str = Field(description="holiday（法定节假日）或 workday（调休上班）")
    name: str = ""


class ConfirmIn(Schema):
    note: str = ""


class AddOut(Schema):
    start: date
    n: int
    date: date
    warnings: list[str]


class CountOut(Schema):
    start: date
    end: date
    working_days: int
    warnings: list[str]


class DayCheckOut(Schema):
    date: date
    working_day: bool
    warnings: list[str]


@router.get("/years/{year}", response=YearOut, summary="某年度的节假日与调休")
def year_days(request: AuthenticatedHttpRequest, year: int) -> dict[str, object]:
    cal = calendar_load()
    warnings = cal.warnings_for([year])
    return {"year": year, "scheduled": cal.has_schedule(year), "warning": warnings[0] if warnings else None,
            "days": calendar_days_for_year(year)}


@router.put("/days", response=DayOut, summary="录入或修改一天（系统管理员）")
def day_set(request: AuthenticatedHttpRequest, payload: DayIn) -> object:
    return calendar_day_set(day=payload.date, kind=payload.kind, name=payload.name, actor=request.user)


@router.delete("/days/{day}", response={204: None}, summary="删除一天的登记（系统管理员）")
def day_delete(request: AuthenticatedHttpRequest, day: date) -> tuple[int, None]:
    calendar_day_delete(day=day, actor=request.user)
    return 204, None


@router.post("/years/{year}/confirm", response=YearOut, summary="确认某年度安排已录入完整（系统管理员）")
def year_confirm(request: AuthenticatedHttpRequest, year: int, payload: ConfirmIn) -> dict[str, object]:
    calendar_year_confirm(year=year, note=payload.note, actor=request.user)
    return year_days(request, year)


@router.get("/working-days/add", response=AddOut, summary="某日之后第 n 个工作日")
def add(request: AuthenticatedHttpRequest, start: date, n: int) -> dict[str, object]:
    result = working_days_add(start, n)
    return {"start": start, "n": n, "date": result.date, "warnings": list(result.warnings)}


@router.get("/working-days/count", response=CountOut, summary="两日之间的工作日数（不含开始日）")
def count(request: AuthenticatedHttpRequest, start: date, end: date) -> dict[str, object]:
    result = working_days_count(start, end)
    return {"start": start, "end": end, "working_days": result.days, "warnings": list(result.warnings)}


@router.get("/days/{day}", response=DayCheckOut, summary="某日是否工作日")
def day_check(request: AuthenticatedHttpRequest, day: date) -> dict[str, object]:
    cal = calendar_load()
    return {"date": day, "working_day": is_working_day(cal, day), "warnings": list(cal.warnings_for([day.year]))}
