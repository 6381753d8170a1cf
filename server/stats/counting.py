"""What one decision or one shown banner adds to the counting tables (README, "Statistics").

Pure: the stores call `tally` inside the transaction that stores the receipt, then add the
summed counts with one upsert per row. A counting row is keyed by site, day and language (and
a category, service or policy version); it holds numbers only, nothing of the visitor.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Collection, Iterable

from ..receipts.receipt import Receipt

METHODS = ("accept_all", "reject_all", "custom", "gpc")
KINDS = ("category", "service")
DayKey = tuple[str, str, str]  # site, day (YYYY-MM-DD, UTC), language


@dataclass(frozen=True)
class Tally:
    """One decision as counts: its day row, what it accepted and the policy version it was on."""

    day: DayKey
    method: str
    accepted: tuple[tuple[str, str], ...]  # (kind, id): optional categories and services
    policy: tuple[str, int, str]  # site, revision, policy hash


def tally(receipt: Receipt, required_categories: Collection[str] = ()) -> Tally:
    """Return what `receipt` adds; required categories are not counted (every decision has them)."""
    day = (receipt.site, receipt.received_at.date().isoformat(), receipt.language)
    accepted = tuple(("category", name) for name in receipt.categories if name not in required_categories)
    accepted += tuple(("service", name) for name in receipt.services)
    return Tally(day, receipt.method, accepted, (receipt.site, receipt.revision, receipt.policy_hash))


@dataclass
class Counts:
    """The sums of a batch of tallies and shown banners, one entry per counting row."""

    decisions: dict[DayKey, Counter] = field(default_factory=dict)  # method -> n, and "shown" -> n
    accepted: Counter = field(default_factory=Counter)  # (site, day, language, kind, id) -> n
    policies: Counter = field(default_factory=Counter)  # (site, day, revision, policy hash) -> n

    @classmethod
    def of(cls, tallies: Iterable[Tally]) -> "Counts":
        """Return the sums of `tallies`."""
        counts = cls()
        for one in tallies:
            counts.decisions.setdefault(one.day, Counter())[one.method] += 1
            for kind, name in one.accepted:
                counts.accepted[(*one.day, kind, name)] += 1
            site, revision, policy_hash = one.policy
            counts.policies[(site, one.day[1], revision, policy_hash)] += 1
        return counts

    @classmethod
    def shown(cls, banners: dict[DayKey, int]) -> "Counts":
        """Return the counts of banners shown, `banners` by (site, day, language)."""
        return cls(decisions={key: Counter(shown=n) for key, n in banners.items() if n})

    def day_rows(self) -> list[tuple]:
        """Rows `(site, day, language, shown, accept_all, reject_all, custom, gpc)` to add."""
        return [(*key, counter["shown"], *(counter[method] for method in METHODS))
                for key, counter in self.decisions.items()]

    def accepted_rows(self) -> list[tuple]:
        """Rows `(site, day, language, kind, id, accepted)` to add."""
        return [(*key, n) for key, n in self.accepted.items()]

    def policy_rows(self) -> list[tuple]:
        """Rows `(site, day, revision, policy_hash, decisions)` to add."""
        return [(*key, n) for key, n in self.policies.items()]
