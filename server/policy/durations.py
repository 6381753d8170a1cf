"""Localized durations and dates, formatted on the server with Babel so the browser never does."""

from __future__ import annotations

import datetime as dt

from babel import Locale
from babel.dates import format_date
from babel.units import format_unit

from .model import Duration

_BABEL_UNITS = {"s": "second", "min": "minute", "h": "hour", "d": "day", "mo": "month", "y": "year"}


def babel_locale(lang: str) -> Locale:
    """Return Babel's locale for a policy language code such as `pt-BR`."""
    return Locale.parse(lang.replace("-", "_"))


def format_duration(duration: Duration, lang: str, texts: dict[str, str]) -> str:
    """Return "1 year" / "1 metai" / "1 ano", or the language's words for session and persistent."""
    if duration.kind == "session":
        return texts["duration_session"]
    if duration.kind == "persistent":
        return texts["duration_persistent"]
    unit = "duration-" + _BABEL_UNITS[duration.unit]
    locale = babel_locale(lang)
    # Babel's CLDR data has no long pattern for some units in some locales (pt, it, ar, nl)
    # and then returns the raw unit id; the short pattern is the next best wording.
    for length in ("long", "short"):
        text = format_unit(duration.amount, unit, length=length, locale=locale)
        if unit not in text:
            return text
    return f"{duration.amount} {duration.unit}"


def format_day(day: dt.date, lang: str) -> str:
    """Return a date written out the way the language writes it ("27 October 2026")."""
    return format_date(day, format="long", locale=babel_locale(lang))


def text_direction(lang: str) -> str:
    """Return "rtl" or "ltr" for the language."""
    return babel_locale(lang).text_direction


def language_name(lang: str) -> str:
    """Return the language's own name for itself ("lietuvių", "português"), capitalised."""
    name = babel_locale(lang).get_display_name(babel_locale(lang)) or lang
    return name[:1].upper() + name[1:]
