"""The statistics of one site over a range of days, from the counting rows: pure, no I/O.

One shape for the command line, the API and the dashboard (README, "Statistics"), so the three
can never disagree on a number.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from .counting import METHODS

MAX_DAYS = 400
DEFAULT_DAYS = 30


class BadRange(ValueError):
    """A date range that cannot be read; `parameter` names the one at fault."""

    def __init__(self, parameter: str, detail: str, code: str = "invalid_range"):
        super().__init__(f"{parameter}: {detail}")
        self.parameter = parameter
        self.code = code
        self.detail = f"{parameter}: {detail}"


def parse_day(parameter: str, text: str) -> dt.date:
    """Return the date `text` (YYYY-MM-DD).

    :raise BadRange: naming `parameter` when it is not a date.
    """
    try:
        if len(text) != 10:
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        shown = text if len(text) <= 40 else text[:37] + "..."
        raise BadRange(parameter, f"expected a date YYYY-MM-DD (got {shown!r})", "invalid_date") from None


def parse_range(first: str | None, last: str | None, today: dt.date,
                names: tuple[str, str] = ("from", "to")) -> tuple[dt.date, dt.date]:
    """Return the inclusive range `first`..`last`; by default the `DEFAULT_DAYS` days up to today.

    :raise BadRange: for a bad date, `first` after `last`, or more than `MAX_DAYS` days.
    """
    # Only a missing parameter means the default: an empty one is a mistake, and is named.
    end = parse_day(names[1], last) if last is not None else today
    start = parse_day(names[0], first) if first is not None else end - dt.timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        raise BadRange(names[0], f"{start.isoformat()} is after {names[1]} {end.isoformat()}")
    if (end - start).days + 1 > MAX_DAYS:
        raise BadRange(names[1], f"the range {start.isoformat()} to {end.isoformat()} is "
                                 f"{(end - start).days + 1} days; at most {MAX_DAYS} are counted at once")
    return start, end


@dataclass(frozen=True)
class Period:
    """A site's counts from `first` to `last` (inclusive), every day of the range present."""

    site: str
    first: dt.date
    last: dt.date
    days: tuple[dict, ...]  # {"date", "shown", "decisions": {method: n}, "accepted": {id: n}}
    languages: dict[str, dict]  # language -> {"shown": n, "decisions": n}
    kinds: dict[str, str]  # id -> "category" or "service"

    @classmethod
    def of(cls, site: str, first: dt.date, last: dt.date, day_rows: list, accepted_rows: list) -> "Period":
        """Return the period from the store's rows (`ReceiptStore.stats`)."""
        kinds = {row[3]: row[2] for row in sorted(accepted_rows, key=lambda row: (row[2], row[3]))}
        days = {}
        for offset in range((last - first).days + 1):
            date = (first + dt.timedelta(days=offset)).isoformat()
            days[date] = {"date": date, "shown": 0, "decisions": dict.fromkeys(METHODS, 0),
                          "accepted": dict.fromkeys(kinds, 0)}
        languages: dict[str, dict] = {}
        for date, language, shown, *decided in day_rows:
            day = days[str(date)]
            day["shown"] += shown
            for method, n in zip(METHODS, decided):
                day["decisions"][method] += n
            split = languages.setdefault(language, {"shown": 0, "decisions": 0})
            split["shown"] += shown
            split["decisions"] += sum(decided)
        for date, _, _, name, n in accepted_rows:
            days[str(date)]["accepted"][name] += n
        return cls(site, first, last, tuple(days.values()), dict(sorted(languages.items())), kinds)

    def totals(self) -> dict:
        """Return the period's sums: `{"shown", "decisions": {method: n}, "accepted": {id: n}}`."""
        decisions, accepted = Counter(dict.fromkeys(METHODS, 0)), Counter(dict.fromkeys(self.kinds, 0))
        for day in self.days:
            decisions.update(day["decisions"])
            accepted.update(day["accepted"])
        return {"shown": sum(day["shown"] for day in self.days), "decisions": dict(decisions),
                "accepted": dict(accepted)}

    def as_json(self) -> dict:
        """Return the JSON the API answers and `stats --format json` prints."""
        return {"site": self.site, "from": self.first.isoformat(), "to": self.last.isoformat(),
                "days": list(self.days), "totals": self.totals()}
