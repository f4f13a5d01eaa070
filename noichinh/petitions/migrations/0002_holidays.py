"""Vietnam's public holidays 2020-2026 (official days off for offices), so that the legal
clock counts working days right from the first day in production.

Labour Code 2019, Art. 112 (from 2021): New Year 1 day; Lunar New Year 5 days (the
government sets the exact days each year); Hùng Kings' day 10/3 lunar; 30/4; 1/5; National
Day 2/9 plus one adjacent day. 2020 follows the Labour Code 2012 (2/9 only). Days off that fall
on a weekend are moved to the next working day (compensatory days are listed). Swapped
working Saturdays are not modelled."""

import datetime as dt

from django.db import migrations

D = dt.date
TET = "Tết Nguyên đán"
HUNG = "Giỗ Tổ Hùng Vương (10/3 âm lịch)"
NEW_YEAR = "Tết Dương lịch"
REUNIFICATION = "Ngày Giải phóng miền Nam, thống nhất đất nước (30/4)"
LABOUR = "Ngày Quốc tế Lao động (1/5)"
NATIONAL = "Quốc khánh (2/9)"
COMPENSATORY = "nghỉ bù"


def _range(start: dt.date, end: dt.date, name: str) -> list[tuple[dt.date, str]]:
    days = []
    day = start
    while day <= end:
        days.append((day, name))
        day += dt.timedelta(days=1)
    return days


HOLIDAYS: list[tuple[dt.date, str]] = [
    # 2020
    (D(2020, 1, 1), NEW_YEAR),
    *_range(D(2020, 1, 23), D(2020, 1, 29), TET),
    (D(2020, 4, 2), HUNG),
    (D(2020, 4, 30), REUNIFICATION),
    (D(2020, 5, 1), LABOUR),
    (D(2020, 9, 2), NATIONAL),
    # 2021
    (D(2021, 1, 1), NEW_YEAR),
    *_range(D(2021, 2, 10), D(2021, 2, 16), TET),
    (D(2021, 4, 21), HUNG),
    (D(2021, 4, 30), REUNIFICATION),
    (D(2021, 5, 1), LABOUR),
    (D(2021, 5, 3), f"{LABOUR}, {COMPENSATORY}"),
    (D(2021, 9, 2), NATIONAL),
    (D(2021, 9, 3), NATIONAL),
    # 2022
    (D(2022, 1, 1), NEW_YEAR),
    (D(2022, 1, 3), f"{NEW_YEAR}, {COMPENSATORY}"),
    *_range(D(2022, 1, 29), D(2022, 2, 6), TET),
    (D(2022, 4, 10), HUNG),
    (D(2022, 4, 11), f"{HUNG}, {COMPENSATORY}"),
    (D(2022, 4, 30), REUNIFICATION),
    (D(2022, 5, 1), LABOUR),
    (D(2022, 5, 2), f"{REUNIFICATION}, {COMPENSATORY}"),
    (D(2022, 5, 3), f"{LABOUR}, {COMPENSATORY}"),
    (D(2022, 9, 1), NATIONAL),
    (D(2022, 9, 2), NATIONAL),
    # 2023
    (D(2023, 1, 1), NEW_YEAR),
    (D(2023, 1, 2), f"{NEW_YEAR}, {COMPENSATORY}"),
    *_range(D(2023, 1, 20), D(2023, 1, 26), TET),
    (D(2023, 4, 29), HUNG),
    (D(2023, 4, 30), REUNIFICATION),
    (D(2023, 5, 1), LABOUR),
    (D(2023, 5, 2), f"{HUNG}, {COMPENSATORY}"),
    (D(2023, 5, 3), f"{REUNIFICATION}, {COMPENSATORY}"),
    (D(2023, 9, 1), NATIONAL),
    (D(2023, 9, 2), NATIONAL),
    (D(2023, 9, 4), f"{NATIONAL}, {COMPENSATORY}"),
    # 2024
    (D(2024, 1, 1), NEW_YEAR),
    *_range(D(2024, 2, 8), D(2024, 2, 14), TET),
    (D(2024, 4, 18), HUNG),
    (D(2024, 4, 29), f"{REUNIFICATION}, hoán đổi"),
    (D(2024, 4, 30), REUNIFICATION),
    (D(2024, 5, 1), LABOUR),
    (D(2024, 9, 2), NATIONAL),
    (D(2024, 9, 3), NATIONAL),
    # 2025
    (D(2025, 1, 1), NEW_YEAR),
    *_range(D(2025, 1, 25), D(2025, 2, 2), TET),
    (D(2025, 4, 7), HUNG),
    (D(2025, 4, 30), REUNIFICATION),
    (D(2025, 5, 1), LABOUR),
    (D(2025, 5, 2), f"{LABOUR}, hoán đổi"),
    (D(2025, 9, 1), NATIONAL),
    (D(2025, 9, 2), NATIONAL),
    # 2026
    (D(2026, 1, 1), NEW_YEAR),
    *_range(D(2026, 2, 14), D(2026, 2, 22), TET),
    (D(2026, 4, 26), HUNG),
    (D(2026, 4, 27), f"{HUNG}, {COMPENSATORY}"),
    (D(2026, 4, 30), REUNIFICATION),
    (D(2026, 5, 1), LABOUR),
    (D(2026, 9, 1), NATIONAL),
    (D(2026, 9, 2), NATIONAL),
]


def load(apps, schema_editor):
    holiday = apps.get_model("petitions", "Holiday")
    existing = set(holiday.objects.values_list("day", flat=True))
    holiday.objects.bulk_create(
        [holiday(day=day, name=name) for day, name in HOLIDAYS if day not in existing]
    )


def unload(apps, schema_editor):
    holiday = apps.get_model("petitions", "Holiday")
    holiday.objects.filter(day__in=[day for day, _name in HOLIDAYS]).delete()


class Migration(migrations.Migration):
    dependencies = [("petitions", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
