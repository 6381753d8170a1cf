"""Typed readers for one policy file's raw TOML tables, collecting every problem at once.

A `FieldReader` never raises on bad input: it records
`FILE: key.path: what is wrong (got VALUE)` and returns a harmless placeholder, so that a
site owner sees all problems of a file in one run instead of fixing them one by one.
"""

from __future__ import annotations

import difflib
import re
from types import MappingProxyType
from typing import Any, Iterable

from .model import DURATION_UNITS, Duration, Localized

MAX_TEXT = 200_000  # long enough for any honest text; a hostile 100 KB string is still rendered inert
_DURATION = re.compile(r"^(\d{1,6})\s*(s|min|h|d|mo|y)$")
_URL = re.compile(r"^https?://[^\s<>\"'`]+$", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class PolicyError(Exception):
    """A policy file (or several) is invalid; `problems` lists every one of them."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def key_path(path: str, key: str) -> str:
    """Append `key` to a key path, quoted as TOML quotes it when it is not a bare key."""
    if not _BARE_KEY.fullmatch(key):
        key = '"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"{path}.{key}" if path else key


def shown(value: Any) -> str:
    """Render a bad value for a message: quoted strings, shortened when long."""
    if isinstance(value, str):
        text = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, dict):
        text = "a table"
    elif isinstance(value, list):
        text = "a list of " + str(len(value))
    else:
        text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."


class FieldReader:
    """Reads typed values out of raw tables and keeps the problems and warnings it finds."""

    def __init__(self, source: str, languages: tuple[str, ...] = ()):
        self.source = source
        self.languages = languages
        self.problems: list[str] = []
        self.warnings: list[str] = []

    def problem(self, path: str, what: str, value: Any = ...) -> None:
        """Record one problem at `path`; `value` is shown as `(got VALUE)` when given."""
        got = "" if value is ... else f" (got {shown(value)})"
        self.problems.append(f"{self.source}: {path}: {what}{got}")

    def warn(self, path: str, what: str) -> None:
        """Record a warning: the policy still loads."""
        self.warnings.append(f"{self.source}: {path}: {what}")

    def unknown_keys(self, table: dict, allowed: Iterable[str], path: str) -> None:
        """Report every key of `table` that the schema does not know."""
        known = set(allowed)
        for key in table:
            if key not in known:
                close = difflib.get_close_matches(key, sorted(known), n=1)
                hint = f"did you mean {close[0]!r}? " if close else ""
                self.problem(key_path(path, key), f"unknown key; {hint}expected one of " + ", ".join(sorted(known)))

    def table(self, raw: dict, key: str, path: str, required: bool = False) -> dict:
        """Return the sub-table `key`, or {} (recording a problem if it is missing or not a table)."""
        value = raw.get(key)
        if value is None:
            if required:
                self.problem(path, "missing table")
            return {}
        if not isinstance(value, dict):
            self.problem(path, "expected a table", value)
            return {}
        return value

    def tables(self, raw: dict, key: str, path: str) -> list[tuple[str, dict]]:
        """Return `[[key]]` entries with their paths (`key[0]`, ...), skipping broken ones."""
        value = raw.get(key, [])
        if not isinstance(value, list):
            self.problem(path, "expected an array of tables ([[" + key + "]])", value)
            return []
        entries = []
        for index, item in enumerate(value):
            if isinstance(item, dict):
                entries.append((f"{path}[{index}]", item))
            else:
                self.problem(f"{path}[{index}]", "expected a table", item)
        return entries

    def text(self, raw: dict, key: str, path: str, *, default: str | None = None,
             pattern: re.Pattern | None = None, expected: str = "", max_len: int = MAX_TEXT) -> str:
        """Return a plain-text string; `default=None` makes the key required."""
        if key not in raw:
            if default is None:
                self.problem(path, "missing")
                return ""
            return default
        value = raw[key]
        if not isinstance(value, str):
            self.problem(path, "expected a string", value)
            return default or ""
        if len(value) > max_len:
            self.problem(path, f"longer than {max_len} characters", value)
        elif _CONTROL.search(value):
            self.problem(path, "contains control characters", value)
        elif pattern is not None and not pattern.fullmatch(value):
            self.problem(path, "expected " + expected, value)
        return value

    def url(self, raw: dict, key: str, path: str) -> str:
        """Return an optional http(s) URL; any other scheme (javascript:, data:) is refused."""
        value = self.text(raw, key, path, default="", max_len=2000)
        if value and not _URL.fullmatch(value):
            self.problem(path, "expected an http:// or https:// URL", value)
            return ""
        return value

    def integer(self, raw: dict, key: str, path: str, *, default: int | None, low: int, high: int) -> int:
        """Return an integer in [low, high]; booleans are not integers here."""
        if key not in raw:
            if default is None:
                self.problem(path, "missing")
                return low
            return default
        value = raw[key]
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(path, "expected a whole number", value)
            return low if default is None else default
        if not low <= value <= high:
            self.problem(path, f"expected a number from {low} to {high}", value)
        return value

    def boolean(self, raw: dict, key: str, path: str, default: bool) -> bool:
        """Return a true/false value."""
        value = raw.get(key, default)
        if not isinstance(value, bool):
            self.problem(path, "expected true or false", value)
            return default
        return value

    def choice(self, raw: dict, key: str, path: str, choices: tuple[str, ...], default: str | None) -> str:
        """Return one of `choices`."""
        value = self.text(raw, key, path, default=default)
        if isinstance(value, str) and value and value not in choices:
            self.problem(path, "expected one of " + ", ".join(f'"{c}"' for c in choices), value)
            return choices[0]
        return value

    def string_list(self, raw: dict, key: str, path: str, *, choices: tuple[str, ...] | None = None,
                    pattern: re.Pattern | None = None, expected: str = "") -> tuple[str, ...]:
        """Return a list of strings, each optionally restricted to `choices` or `pattern`."""
        value = raw.get(key, [])
        if not isinstance(value, list):
            self.problem(path, "expected a list of strings", value)
            return ()
        items = []
        for index, item in enumerate(value):
            where = f"{path}[{index}]"
            if not isinstance(item, str):
                self.problem(where, "expected a string", item)
            elif choices is not None and item not in choices:
                self.problem(where, "expected one of " + ", ".join(choices), item)
            elif pattern is not None and not pattern.fullmatch(item):
                self.problem(where, "expected " + expected, item)
            elif item in items:
                self.problem(where, "listed twice", item)
            else:
                items.append(item)
        return tuple(items)

    def localized(self, raw: dict, key: str, path: str, *, required: bool = True) -> Localized | None:
        """Return a per-language text: a table `{en = "...", lt = "..."}` or a plain string.

        A plain string is the default language's text. The default language is required;
        a missing other language falls back to it with a warning.
        """
        if key not in raw:
            if required:
                self.problem(path, "missing")
            return None
        value = raw[key]
        default = self.languages[0] if self.languages else "en"
        if isinstance(value, str):
            value = {default: value}
        if not isinstance(value, dict):
            self.problem(path, "expected a string or a table of languages", value)
            return None
        texts = {}
        for lang, text in value.items():
            if lang not in self.languages:
                self.problem(key_path(path, lang), "language not listed in languages", text)
            else:
                texts[lang] = self.text(value, lang, key_path(path, lang))
        if default not in texts:
            self.problem(f"{path}.{default}", "missing text in the default language")
            return None
        missing = [lang for lang in self.languages if lang not in texts]
        if missing:
            self.warn(path, "no text in " + ", ".join(missing) + f"; the {default} text is shown")
        return Localized(MappingProxyType(texts), default)

    def duration(self, raw: dict, key: str, path: str) -> Duration:
        """Return a duration: "session", "persistent", or a number with s|min|h|d|mo|y."""
        value = raw.get(key)
        if value == "session" or value == "persistent":
            return Duration(value)
        if isinstance(value, str):
            match = _DURATION.fullmatch(value.strip())
            if match and int(match.group(1)) > 0:
                return Duration("fixed", int(match.group(1)), match.group(2))
        units = "|".join(DURATION_UNITS)
        what = f'expected "session", "persistent" or a number with {units}'
        if value is None:
            self.problem(path, "missing; " + what)
        else:
            self.problem(path, what, value)
        return Duration("session")
