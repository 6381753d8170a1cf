"""Validation of a posted receipt body against the site's policy: pure, no I/O.

Everything a visitor's browser sends is checked here, field by field, before anything is
stored. The first problem is reported, naming the field, so the answer is short and stable.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..policy import Policy
from .receipt import Receipt, new_receipt_id, now_utc

UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
METHODS = ("accept_all", "reject_all", "custom", "gpc")
FIELDS = ("consent_id", "revision", "categories", "services", "method", "language", "page")
# `page` is origin + path, kept for years in the proof-of-consent log: 512 characters hold the
# longest DNS name (253) with a port and a path of 250 more, far beyond any real page's, while
# an attacker's text in a legal record (a phishing URL, padding) stays short (README, "Proof of
# consent: receipts").
MAX_PAGE_LENGTH = 512
# A receipt nests two levels (the object, a list of ids); deeper values are refused before they
# are shown in an error, which would otherwise recurse as deep as they go.
MAX_DEPTH = 8
_SURROGATE = re.compile("[\ud800-\udfff]")
# A URL as a browser sends it has no raw whitespace or control characters (it percent-encodes them).
_NOT_IN_URL = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")
# The JSON tokens that matter for nesting: strings (which may hold brackets) and brackets.
_NESTING_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]')


class InvalidSubmission(ValueError):
    """The body is not a valid receipt; `code` is the stable error code, `detail` names the field."""

    def __init__(self, code: str, detail: str):
        super().__init__(detail)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class Submission:
    """A validated receipt body, before the server adds its own fields."""

    consent_id: str
    revision: int
    categories: tuple[str, ...]
    services: tuple[str, ...]
    method: str
    language: str
    page: str

    def to_receipt(self, site: str, policy_hash: str) -> Receipt:
        """Return the receipt to store: a new id, the time now, and the policy's hash."""
        return Receipt(receipt_id=new_receipt_id(), received_at=now_utc(), site=site,
                       consent_id=self.consent_id, revision=self.revision, policy_hash=policy_hash,
                       categories=self.categories, services=self.services, method=self.method,
                       language=self.language, page=self.page)


def is_consent_id(text: str) -> bool:
    """True when `text` is a UUID4 in lowercase canonical form."""
    return UUID4.fullmatch(text) is not None


def parse_submission(body: bytes, policy: Policy, page_origins: tuple[str, ...]) -> Submission:
    """Return the validated submission in `body` (UTF-8 JSON).

    :raise InvalidSubmission: `malformed_json` when the body is not one JSON object,
        `invalid_receipt` (detail names the field) when a field is missing, unknown or wrong.
    """
    data = _json_object(body)
    for name, value in data.items():
        _check_text(name, value)
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise _invalid(unknown[0], "is not a receipt field", data[unknown[0]])
    missing = [name for name in FIELDS if name not in data]
    if missing:
        raise InvalidSubmission("invalid_receipt", f"{missing[0]}: is required")
    categories = _categories(data["categories"], policy)
    method = _method(data["method"], categories, policy)
    return Submission(
        consent_id=_consent_id(data["consent_id"]),
        revision=_revision(data["revision"], policy),
        categories=categories,
        services=_services(data["services"], policy),
        method=method,
        language=_language(data["language"], policy),
        page=_page(data["page"], page_origins),
    )


def _json_object(body: bytes) -> dict:
    try:
        data = json.loads(body.decode("utf-8"), object_pairs_hook=_unique_keys)
    except UnicodeDecodeError as error:
        raise InvalidSubmission("malformed_json", f"the body is not UTF-8 ({error.reason})") from error
    except ValueError as error:
        raise InvalidSubmission("malformed_json", f"the body is not valid JSON: {error}") from error
    except RecursionError as error:  # 4 KB of "[[[[" nests deeper than the parser goes
        raise _too_deep(body) from error
    if not isinstance(data, dict):
        raise InvalidSubmission("malformed_json", f"the body must be a JSON object (got {type(data).__name__})")
    return data


def _unique_keys(pairs: list[tuple[str, object]]) -> dict:
    keys = [key for key, _ in pairs]
    for key in keys:
        if keys.count(key) > 1:
            raise ValueError(f"the key {key!r} appears more than once")
    return dict(pairs)


def _too_deep(body: bytes) -> InvalidSubmission:
    """Name the field of a body too deep to parse, found from its brackets alone."""
    tokens = _NESTING_TOKENS.finditer(body)
    first = next(tokens, None)
    if first is None or first.group() != b"{":
        return InvalidSubmission("malformed_json", "the body nests too deeply")
    depth, key = 1, b""
    for token in tokens:
        text = token.group()
        if text in (b"[", b"{"):
            depth += 1
            if depth - 1 > MAX_DEPTH and key:
                return _nested_too_deep(_json_key(key))
        elif text in (b"]", b"}"):
            depth -= 1
        elif depth == 1:  # the last string at the top level before a value opens is its key
            key = text
    return InvalidSubmission("malformed_json", "the body nests too deeply")


def _json_key(raw: bytes) -> str:
    try:
        return json.loads(raw.decode("utf-8", errors="replace"))
    except ValueError:
        return raw.decode("utf-8", errors="replace").strip('"')


def _check_text(name: str, value: object) -> None:
    """Refuse a field nested deeper than a receipt goes, or holding text no store can keep."""
    pending = [(name, 1), (value, 1)]  # iterative: the value may nest as deep as 4 KB allows
    while pending:
        item, depth = pending.pop()
        if depth > MAX_DEPTH:
            raise _nested_too_deep(name)
        if isinstance(item, str):
            _check_scalar_text(name, item)
        elif isinstance(item, list):
            pending.extend((element, depth + 1) for element in item)
        elif isinstance(item, dict):
            pending.extend((key, depth + 1) for key in item)
            pending.extend((element, depth + 1) for element in item.values())


def _check_scalar_text(name: str, text: str) -> None:
    # JSON's \ud800 escapes decode to lone surrogates, which are not Unicode scalar values and
    # cannot be encoded as UTF-8; U+0000 cannot be stored in a PostgreSQL text column.
    surrogate = _SURROGATE.search(text)
    if surrogate:
        raise _invalid(name, f"is not valid Unicode text (a lone surrogate, U+{ord(surrogate.group()):04X}, "
                             f"at character {surrogate.start()})", text)
    if "\x00" in text:
        raise _invalid(name, f"holds U+0000 at character {text.index(chr(0))}, which cannot be stored", text)


def _nested_too_deep(name: str) -> InvalidSubmission:
    return InvalidSubmission("invalid_receipt", f"{_printable(name)}: nests deeper than {MAX_DEPTH} levels; "
                                                "a receipt field is an id, a number or a list of ids")


def _consent_id(value: object) -> str:
    if not isinstance(value, str) or not is_consent_id(value):
        raise _invalid("consent_id", "expected a UUID4 in lowercase canonical form", value)
    return value


def _revision(value: object, policy: Policy) -> int:
    if type(value) is not int:
        raise _invalid("revision", "expected an integer", value)
    if value != policy.revision:
        raise _invalid("revision", f"the site's current revision is {policy.revision}", value)
    return value


def _id_list(name: str, value: object, known: tuple[str, ...]) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _invalid(name, "expected a list of ids", value)
    if len(set(value)) != len(value):
        raise _invalid(name, "lists an id more than once", value)
    unknown = [item for item in value if item not in known]
    if unknown:
        raise _invalid(name, f"{unknown[0]!r} is not in the policy; expected some of {', '.join(known)}", value)
    return tuple(value)


def _categories(value: object, policy: Policy) -> tuple[str, ...]:
    categories = _id_list("categories", value, tuple(c.id for c in policy.categories))
    missing = [c.id for c in policy.categories if c.required and c.id not in categories]
    if missing:
        raise _invalid("categories", f"the required category {missing[0]!r} is missing", value)
    return categories


def _services(value: object, policy: Policy) -> tuple[str, ...]:
    # A service may be on while its category is off (switched on one by one), so only
    # existence is checked.
    return _id_list("services", value, tuple(s.id for s in policy.services))


def _method(value: object, categories: tuple[str, ...], policy: Policy) -> str:
    if value not in METHODS:
        raise _invalid("method", f"expected one of {', '.join(METHODS)}", value)
    # A receipt must not contradict itself: "accept all" with refused categories, or
    # "reject all" with optional ones accepted, proves nothing.
    if value == "accept_all" and set(categories) != {c.id for c in policy.categories}:
        raise _invalid("method", "accept_all needs every category in categories", value)
    if value == "reject_all" and set(categories) != {c.id for c in policy.categories if c.required}:
        raise _invalid("method", "reject_all allows only the required categories", value)
    return value


def _language(value: object, policy: Policy) -> str:
    if value not in policy.languages:
        raise _invalid("language", f"expected one of {', '.join(policy.languages)}", value)
    return value


def _page(value: object, page_origins: tuple[str, ...]) -> str:
    if not isinstance(value, str) or len(value) > MAX_PAGE_LENGTH:
        raise _invalid("page", f"expected a URL of at most {MAX_PAGE_LENGTH} characters", value)
    if "?" in value or "#" in value:
        raise _invalid("page", "expected origin + path, without query or fragment", value)
    try:
        parts = urlsplit(value)
    except ValueError:
        raise _invalid("page", "expected an absolute http(s) URL", value) from None
    origin = f"{parts.scheme}://{parts.netloc}"
    if origin not in page_origins or not parts.path.startswith("/"):
        raise _invalid("page", f"expected a path on one of {', '.join(page_origins)}", value)
    if _NOT_IN_URL.search(value):
        raise _invalid("page", "holds a space or control character; a browser sends them percent-encoded", value)
    return value


def _invalid(name: str, problem: str, value: object) -> InvalidSubmission:
    shown = json.dumps(value, ensure_ascii=False)
    if len(shown) > 80:
        shown = shown[:77] + "..."
    return InvalidSubmission("invalid_receipt", f"{_printable(name)}: {problem} (got {_printable(shown)})")


def _printable(text: str) -> str:
    """`text` with lone surrogates written as escapes, so that the error itself is valid text."""
    return text.encode("utf-8", errors="backslashreplace").decode("utf-8")
