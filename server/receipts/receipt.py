"""A consent receipt: the record that one visitor made one decision on one policy revision.

Plain data only, shared by the HTTP view, both stores and the export. Nothing here can
identify a person: no address, no user agent, no fingerprint is ever a field.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

FIELDS = ("receipt_id", "received_at", "site", "consent_id", "revision", "policy_hash",
          "categories", "services", "method", "language", "page")


@dataclass(frozen=True)
class Receipt:
    """One stored decision; append-only once a store has it."""

    receipt_id: str
    received_at: dt.datetime  # UTC, whole milliseconds
    site: str
    consent_id: str
    revision: int
    policy_hash: str
    categories: tuple[str, ...]
    services: tuple[str, ...]
    method: str
    language: str
    page: str

    def as_json(self) -> dict:
        """Return the receipt as JSON-able data, times as ISO-8601 UTC with `Z`."""
        # Built by hand: dataclasses.asdict deep-copies every field and made exports 8x slower.
        return {"receipt_id": self.receipt_id, "received_at": format_time(self.received_at),
                "site": self.site, "consent_id": self.consent_id, "revision": self.revision,
                "policy_hash": self.policy_hash, "categories": list(self.categories),
                "services": list(self.services), "method": self.method, "language": self.language,
                "page": self.page}


def now_utc() -> dt.datetime:
    """Return the current UTC time cut to whole milliseconds, the precision receipts keep."""
    now = dt.datetime.now(dt.timezone.utc)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def new_receipt_id() -> str:
    """Return a fresh receipt id: a random UUID4 in lowercase canonical form."""
    return str(uuid.uuid4())


def format_time(moment: dt.datetime) -> str:
    """Return `moment` (aware) as `2026-11-23T15:30:00.123Z`."""
    utc = moment.astimezone(dt.timezone.utc)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def parse_time(text: str) -> dt.datetime:
    """Return the aware UTC datetime of an ISO-8601 text (a naive one is taken as UTC).

    :raise ValueError: when the text is not an ISO-8601 date or date-time.
    """
    moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc)
