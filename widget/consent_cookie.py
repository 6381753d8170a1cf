"""The consent cookie's value: the pure-Python twin of the gate's reader and encoder.

The gate (`widget/gate.js`, functions `read` and `encode`) is what runs on websites; this
module states the same rules in Python so that CPython can check them, and
`tests/vectors/consent_cookie.json` is run through both. Value (README, "Embedding on your website", the consent cookie):
`encodeURIComponent(JSON)` of
`{"v":1,"id":"<uuid4>","rev":3,"cats":[...],"svcs":[...],"at":1795441021,"exp":1811000000,"how":"custom"}`.

Reading, in order; the first rule that fails decides:
1. the raw value is a string of 1 to 4096 characters;
2. it percent-decodes strictly (as `decodeURIComponent`) to JSON (no NaN/Infinity);
3. the JSON is an object with exactly the keys v, id, rev, cats, svcs, at, exp, how;
4. v is 1, id is a lowercase UUID4, rev/at/exp are integers, how is accept_all, reject_all,
   custom or gpc, cats and svcs are arrays;
   -> otherwise "none";
5. rev is not the policy's revision -> "outdated" (a consent to another revision: ask again);
6. exp is after now, at is not after exp, cats are unique known categories holding every
   required one, svcs are unique known services -> "valid"; otherwise "none".
Categories or services the policy does not know are not dropped: they reject the whole cookie,
since this gate never writes them. Numbers compare as JavaScript's (IEEE doubles) do.
"""

from __future__ import annotations

import json
import math
import re
import urllib.parse
from dataclasses import dataclass
from typing import Any, Iterable

MAX_RAW_LENGTH = 4096
KEYS = frozenset({"v", "id", "rev", "cats", "svcs", "at", "exp", "how"})
METHODS = ("accept_all", "reject_all", "custom", "gpc")
UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
# encodeURIComponent leaves these unescaped.
_URI_SAFE = "-_.!~*'()"


@dataclass(frozen=True)
class CookieRules:
    """What a consent cookie is checked against: the policy's revision, categories, services."""

    revision: int
    categories: tuple[str, ...]
    required: tuple[str, ...]
    services: tuple[str, ...]


def cookie_status(raw: Any, rules: CookieRules, now: float) -> tuple[str, dict | None]:
    """Return ("valid", consent), ("outdated", None) or ("none", None) for a raw cookie value."""
    value = _decode(raw)
    if not _well_formed(value):
        return "none", None
    if float(value["rev"]) != rules.revision:
        return "outdated", None
    if (float(value["exp"]) > now and float(value["at"]) <= float(value["exp"])
            and _known_ids(value["cats"], rules.categories)
            and all(category in value["cats"] for category in rules.required)
            and _known_ids(value["svcs"], rules.services)):
        return "valid", value
    return "none", None


def parse_consent(raw: Any, rules: CookieRules, now: float) -> dict | None:
    """Return the consent when the raw cookie value holds a valid one, else None."""
    return cookie_status(raw, rules, now)[1]


def encode_consent(*, consent_id: str, revision: int, categories: Iterable[str], services: Iterable[str],
                   at: int, expires: int, method: str) -> str:
    """Return the cookie value, byte for byte what the gate's `encode` writes."""
    value = {"v": 1, "id": consent_id, "rev": revision, "cats": list(categories), "svcs": list(services),
             "at": at, "exp": expires, "how": method}
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return urllib.parse.quote(text, safe=_URI_SAFE)


def _decode(raw: Any) -> Any:
    if not isinstance(raw, str) or not raw or len(raw) > MAX_RAW_LENGTH or _PERCENT.search(raw):
        return None
    try:
        text = urllib.parse.unquote(raw, errors="strict")
        return json.loads(text, parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError):
        return None


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def _well_formed(value: Any) -> bool:
    return (isinstance(value, dict) and set(value) == KEYS and _is_int(value["v"]) and value["v"] == 1
            and isinstance(value["id"], str) and UUID4.fullmatch(value["id"]) is not None
            and all(_is_int(value[key]) for key in ("rev", "at", "exp"))
            and isinstance(value["how"], str) and value["how"] in METHODS
            and isinstance(value["cats"], list) and isinstance(value["svcs"], list))


def _is_int(value: Any) -> bool:
    """True for what JavaScript's Number.isInteger accepts (1 and 1.0 alike, never true)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        try:
            return math.isfinite(float(value))
        except OverflowError:  # JSON.parse reads it as Infinity
            return False
    return isinstance(value, float) and math.isfinite(value) and value.is_integer()


def _known_ids(items: list, known: tuple[str, ...]) -> bool:
    return (all(isinstance(item, str) and item in known for item in items)
            and len(set(items)) == len(items))
