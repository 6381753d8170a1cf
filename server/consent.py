"""Reading the consent cookie on a site's own backend: did this visitor allow analytics?

The same rules as the gate (`widget/gate.js`, `read`) and `widget/consent_cookie.py`, checked on
the same vectors (`tests/vectors/consent_cookie.json`); the cookie format is in the README
("The consent cookie"). Pure Python: no aiohttp, no network, usable from Django, Flask or FastAPI.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass
from typing import Any, Mapping

from .policy import LoadedPolicy, Policy
from .widget.consent_cookie import CookieRules, cookie_status

PolicyLike = Policy | LoadedPolicy | Mapping[str, Any]


@dataclass(frozen=True)
class Consent:
    """A valid consent, as the gate read it: what the visitor allowed, and since when."""

    id: str
    revision: int
    categories: tuple[str, ...]
    services: tuple[str, ...]
    method: str  # accept_all | reject_all | custom | gpc
    decided_at: dt.datetime
    expires_at: dt.datetime
    required: tuple[str, ...]  # the policy's required categories: always allowed

    def accepted(self, category_or_service: str) -> bool:
        """True when this category or service is allowed (required categories always are)."""
        return (category_or_service in self.required or category_or_service in self.categories
                or category_or_service in self.services)

    def as_dict(self) -> dict:
        """Return the cookie's JSON object (`{v, id, rev, cats, svcs, at, exp, how}`)."""
        return {"v": 1, "id": self.id, "rev": self.revision, "cats": list(self.categories),
                "svcs": list(self.services), "at": int(self.decided_at.timestamp()),
                "exp": int(self.expires_at.timestamp()), "how": self.method}


def cookie_rules(policy: PolicyLike) -> CookieRules:
    """Return what a cookie is checked against, from a loaded policy or a policy document (JSON)."""
    if isinstance(policy, LoadedPolicy):
        policy = policy.policy
    if isinstance(policy, Policy):
        return CookieRules(policy.revision, tuple(c.id for c in policy.categories),
                           tuple(c.id for c in policy.categories if c.required),
                           tuple(s.id for s in policy.services))
    return CookieRules(policy["revision"], tuple(c["id"] for c in policy["categories"]),
                       tuple(c["id"] for c in policy["categories"] if c["required"]),
                       tuple(s["id"] for s in policy["services"]))


def read_consent(cookie_value: str | None, policy: PolicyLike, now: float | dt.datetime | None = None
                 ) -> Consent | None:
    """Return the visitor's consent from the consent cookie's raw value, or None.

    None means "ask again": no cookie, an unreadable or forged one, another revision, expired.
    `policy` is a `Policy` (`crumb.load_policy(path).policy`), a `LoadedPolicy`, or the policy
    document the server serves as JSON. `now` is a Unix time or an aware datetime (default: now).
    """
    rules = cookie_rules(policy)
    moment = time.time() if now is None else now.timestamp() if isinstance(now, dt.datetime) else now
    status, value = cookie_status(cookie_value, rules, moment)
    if status != "valid":
        return None
    return Consent(id=value["id"], revision=int(value["rev"]), categories=tuple(value["cats"]),
                   services=tuple(value["svcs"]), method=value["how"],
                   decided_at=_moment(value["at"]), expires_at=_moment(value["exp"]),
                   required=rules.required)


def _moment(seconds: float) -> dt.datetime:
    # The gate accepts any integer time; one beyond what datetime holds is its far end, not a crash.
    try:
        return dt.datetime.fromtimestamp(seconds, dt.timezone.utc)
    except (OverflowError, OSError, ValueError):
        return (dt.datetime.max if seconds > 0 else dt.datetime.min).replace(tzinfo=dt.timezone.utc)


def consent_from_cookie_header(header: str | None, policy: PolicyLike, *, cookie_name: str | None = None,
                               now: float | dt.datetime | None = None) -> Consent | None:
    """Return the consent from a request's whole `Cookie` header, or None.

    The cookie is found as the gate finds it in `document.cookie`: the first one of that name.
    `cookie_name` defaults to the policy's `consent_cookie` (`crumb_consent`).
    """
    name = cookie_name or _consent_cookie_name(policy)
    match = re.search(r"(?:^|;\s*)" + re.escape(name) + r"=([^;]*)", header or "")
    return read_consent(match.group(1).strip() if match else None, policy, now)


def _consent_cookie_name(policy: PolicyLike) -> str:
    if isinstance(policy, LoadedPolicy):
        policy = policy.policy
    if isinstance(policy, Policy):
        return policy.consent_cookie
    return policy["cookies"]["consent"]
