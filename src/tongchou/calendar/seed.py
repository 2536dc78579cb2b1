"""Seeds the holiday schedule from the `chinese-calendar` package. Idempotent; never overwrites a day or a
year the system admin entered (their correction is newer than the package)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import chinese_calendar

from tongchou.calendar.models import DayKind, DaySource

# English holiday names in the package → the names the State Council's notice uses.
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


@dataclass(frozen=True)
class SeedResult:
    created: int
    updated: int
    kept_admin: int
    years: tuple[int, ...]


def _name(value: object) -> str:
    return HOLIDAY_NAMES.get(str(value), str(value))


def package_schedule() -> dict[date, tuple[str, str]]:
    days: dict[date, tuple[str, str]] = {}
    for day, holiday in chinese_calendar.holidays.items():
        days[day] = (DayKind.HOLIDAY, _name(holiday))
    for day, holiday in chinese_calendar.workdays.items():
        days[day] = (DayKind.MAKEUP_WORKDAY, _name(holiday))
    return days


def seed_calendar(day_model: Any, year_model: Any) -> SeedResult:
    """Takes the model classes so the data migration can pass its historical models."""
    schedule = package_schedule()
    existing = {row.date: row for row in day_model.objects.all()}
    to_create, to_update, kept = [], [], 0
    for day, (kind, name) in sorted(schedule.items()):
        row = existing.get(day)
        if row is None:
            to_create.append(day_model(date=day, kind=kind, name=name, source=DaySource.PACKAGE))
        elif row.source != DaySource.PACKAGE:
            kept += 1
        elif (row.kind, row.name) != (kind, name):
            row.kind, row.name = kind, name
            to_update.append(row)
    day_model.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        day_model.objects.bulk_update(to_update, ["kind", "name"], batch_size=500)
    years = tuple(sorted({d.year for d in schedule}))
    known = set(year_model.objects.values_list("year", flat=True))
    year_model.objects.bulk_create(
        [year_model(year=y, source=DaySource.PACKAGE, note="国务院办公厅节假日安排")
         for y in years if y not in known]
    )
    return SeedResult(len(to_create), len(to_update), kept, years)
