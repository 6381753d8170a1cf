"""The dashboard's charts drawn from known counts (server-side SVG, server/stats/charts.py)."""

from __future__ import annotations

import datetime as dt

from crumb.stats.charts import acceptance_chart
from crumb.stats.report import Period

FIRST = dt.date(2026, 11, 1)


def period(days_with_decisions: int) -> Period:
    day_rows = [(FIRST + dt.timedelta(days=i), "en", 10, 3, 1, 1, 0) for i in range(days_with_decisions)]
    accepted = [(FIRST + dt.timedelta(days=i), "en", "category", "analytics", 2) for i in range(days_with_decisions)]
    return Period.of("bakery", FIRST, FIRST + dt.timedelta(days=6), day_rows, accepted)


def test_a_category_accepted_on_one_day_is_drawn_as_a_dot_not_nothing():
    # A polyline of one point draws nothing: a new site's first day showed an empty chart.
    (line,) = acceptance_chart(period(1))["shapes"]
    first, second = line.points.split(" ")
    assert first == second


def test_a_category_over_several_days_is_one_point_a_day():
    (line,) = acceptance_chart(period(3))["shapes"]
    assert len(line.points.split(" ")) == 3
