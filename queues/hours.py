"""開庁時間: when the lobby's kiosk gives tickets. The catalog pack says it (settings
office_hours "08:45-17:30" and office_days "月火水木金"), so a city changes it in its overlay.
National holidays and 年末年始 are closed days too (lib.closed_days), unless the pack's
`office_holidays: open` says the city's offices open then."""

from datetime import datetime, time
from typing import NamedTuple

from django.utils import timezone
from django.utils.translation import pgettext_lazy

from lib import closed_days

DAYS = closed_days.WEEKDAYS  # Monday first, as datetime.weekday()


# The days' short names in the kiosk's language (受付時間：月・火・水・木・金 8:45-17:30).
DAY_NAMES = {
    "月": pgettext_lazy("weekday", "月"),
    "火": pgettext_lazy("weekday", "火"),
    "水": pgettext_lazy("weekday", "水"),
    "木": pgettext_lazy("weekday", "木"),
    "金": pgettext_lazy("weekday", "金"),
    "土": pgettext_lazy("weekday", "土"),
    "日": pgettext_lazy("weekday", "日"),
}


def day_name(day: str):
    return DAY_NAMES.get(day, day)


class OfficeHours(NamedTuple):
    opens: time
    closes: time
    days: str
    holidays_closed: bool = True  # 祝日 and 年末年始 (lib.closed_days)

    def open_at(self, when: datetime) -> bool:
        local = timezone.localtime(when)
        if not (DAYS[local.weekday()] in self.days and self.opens <= local.time() < self.closes):
            return False
        return not (self.holidays_closed and closed_days.is_closed(local.date(), DAYS))

    @property
    def text(self) -> str:
        return f"{self.opens:%H:%M}-{self.closes:%H:%M}"


def parse(hours: str, days: str = DAYS[:5], holidays_closed: bool = True) -> OfficeHours:
    opens, _, closes = hours.partition("-")
    h, m = (int(x) for x in closes.strip().split(":"))
    # "24:00" closes at the end of the day (a terminal that is always on).
    end = time(23, 59, 59, 999999) if (h, m) == (24, 0) else time(h, m)
    return OfficeHours(time.fromisoformat(opens.strip()), end, days, holidays_closed)


def office_hours() -> OfficeHours:
    from catalog.pack import default_pack

    s = default_pack().settings
    return parse(
        s.get("office_hours", "08:45-17:30"),
        s.get("office_days", DAYS[:5]),
        holidays_closed=s.get("office_holidays", "closed") != "open",
    )


def is_open(now: datetime | None = None) -> bool:
    return office_hours().open_at(now or timezone.now())
