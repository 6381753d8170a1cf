"""The dashboard's charts as plain geometry (rectangles, lines, labels), drawn as SVG by its template.

Server-side SVG rather than a chart library: the page must work without JavaScript and under a
CSP without 'unsafe-inline', and four small charts need only rectangles and lines. Every chart
also has a text table in the page (README, "Statistics").
"""

from __future__ import annotations

from dataclasses import dataclass

from .counting import METHODS
from .report import Period

WIDTH, HEIGHT = 720, 240
LEFT, BOTTOM, TOP = 48, 28, 12
# Colours told apart with the common colour-vision deficiencies (Okabe and Ito's palette).
METHOD_COLOURS = {"accept_all": "#009E73", "reject_all": "#D55E00", "custom": "#0072B2", "gpc": "#CC79A7"}
LINE_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#000000")


@dataclass(frozen=True)
class Shape:
    """One rectangle or polyline of a chart, with the text a pointer shows over it."""

    kind: str  # "rect" or "line"
    colour: str
    label: str
    x: float = 0
    y: float = 0
    width: float = 0
    height: float = 0
    points: str = ""


def _axis(top: int) -> list[dict]:
    """Four gridlines with their values, from 0 to `top`."""
    plot = HEIGHT - BOTTOM - TOP
    return [{"y": round(HEIGHT - BOTTOM - plot * i / 4, 1), "text": _tick(top * i / 4)} for i in range(5)]


def _tick(value: float) -> str:
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def _x_labels(period: Period, step: float) -> list[dict]:
    every = max(1, len(period.days) // 6)
    return [{"x": round(LEFT + step * (i + 0.5), 1), "text": day["date"][5:]}
            for i, day in enumerate(period.days) if i % every == 0]


def decisions_chart(period: Period) -> dict:
    """Bars per day, stacked by method (`accept_all` at the bottom)."""
    step = (WIDTH - LEFT) / len(period.days)
    most = max([sum(day["decisions"].values()) for day in period.days] + [1])
    top = -(-most // 4) * 4  # a multiple of 4, so that the four gridlines fall on whole numbers
    scale = (HEIGHT - BOTTOM - TOP) / top
    shapes = []
    for i, day in enumerate(period.days):
        base = HEIGHT - BOTTOM
        for method in METHODS:
            n = day["decisions"][method]
            if n:
                shapes.append(Shape("rect", METHOD_COLOURS[method], f"{day['date']}: {n} {method}",
                                    x=round(LEFT + step * i + step * 0.1, 1), y=round(base - n * scale, 1),
                                    width=round(step * 0.8, 1), height=round(n * scale, 1)))
                base -= n * scale
    legend = [{"colour": METHOD_COLOURS[m], "text": m} for m in METHODS]
    return {"shapes": shapes, "axis": _axis(top), "x_labels": _x_labels(period, step), "legend": legend}


def acceptance_chart(period: Period) -> dict:
    """Lines per optional category: the share of the day's decisions that accepted it, in %."""
    step = (WIDTH - LEFT) / len(period.days)
    plot = HEIGHT - BOTTOM - TOP
    categories = [name for name, kind in period.kinds.items() if kind == "category"]
    shapes, legend = [], []
    for colour, name in zip(LINE_COLOURS * 4, categories):
        points = []
        for i, day in enumerate(period.days):
            decided = sum(day["decisions"].values())
            if decided:
                rate = day["accepted"].get(name, 0) / decided
                points.append(f"{LEFT + step * (i + 0.5):.1f},{HEIGHT - BOTTOM - plot * rate:.1f}")
        if len(points) == 1:  # one day with decisions: a zero-length line, drawn as a dot (round caps)
            points *= 2
        shapes.append(Shape("line", colour, name, points=" ".join(points)))
        legend.append({"colour": colour, "text": name})
    return {"shapes": shapes, "axis": [{**tick, "text": tick["text"] + "%"} for tick in _axis(100)],
            "x_labels": _x_labels(period, step), "legend": legend}


def rate_rows(period: Period) -> list[dict]:
    """The acceptance chart as table rows: per day, the decisions and each category's rate in %."""
    categories = [name for name, kind in period.kinds.items() if kind == "category"]
    rows = []
    for day in period.days:
        decided = sum(day["decisions"].values())
        rates = [f"{100 * day['accepted'].get(name, 0) / decided:.0f}%" if decided else "–" for name in categories]
        rows.append({"date": day["date"], "decisions": decided, "rates": rates})
    return rows


def language_chart(period: Period) -> dict:
    """Horizontal bars: each language's share of the period's decisions."""
    total = sum(split["decisions"] for split in period.languages.values()) or 1
    rows = []
    for i, (language, split) in enumerate(period.languages.items()):
        share = split["decisions"] / total
        rows.append({"language": language, "shown": split["shown"], "decisions": split["decisions"],
                     "share": f"{100 * share:.0f}%", "y": 8 + i * 28, "width": round((WIDTH - 160) * share, 1)})
    return {"rows": rows, "height": 16 + 28 * max(1, len(rows))}
