"""Revision drift: a policy whose content changed while its `revision` stayed the same.

Visitors are asked again only when the revision changes (README, "Revision drift"), so new
content served under a revision that receipts already point at means consents given to the old
words now count for the new ones. The receipt store keeps every content a revision was served
with; comparing with it finds the drift before a visitor meets it.
"""

from __future__ import annotations

import json
import logging
from typing import Iterable

from ..policy import Policy, canonical_content
from .store import ReceiptStore

log = logging.getLogger("crumb.policy")


def changed_fields(kept_json: str, policy: Policy) -> list[str]:
    """Return the top-level fields whose canonical content differs between a kept version and `policy`."""
    kept, current = json.loads(kept_json), canonical_content(policy)
    return sorted(key for key in kept.keys() | current.keys() if kept.get(key) != current.get(key))


def drift_warning(policy: Policy, versions: list[tuple[str, str]]) -> str | None:
    """Return the warning for `policy` given the kept `(hash, canonical JSON)` of its revision, or None."""
    others = [(policy_hash, kept) for policy_hash, kept in versions if policy_hash != policy.content_hash]
    if not others:
        return None
    fields = sorted({field for _, kept in others for field in changed_fields(kept, policy)})
    hashes = ", ".join(policy_hash[:12] for policy_hash, _ in others)
    return (f"{policy.source}: revision {policy.revision} of site {policy.id!r} was already served with other "
            f"content ({hashes}); changed: {', '.join(fields)}; raise revision to {policy.revision + 1} so that "
            "every visitor is asked again")


async def drift_warnings(store: ReceiptStore, policies: Iterable[Policy]) -> list[str]:
    """Return a warning for every policy whose revision was served with other content."""
    warnings = []
    for policy in policies:
        warning = drift_warning(policy, await store.policy_versions(policy.id, policy.revision))
        if warning:
            warnings.append(warning)
    return warnings


async def log_drift(store: ReceiptStore, policies: Iterable[Policy]) -> None:
    """Log each drift warning (at start-up and after a reload); a store that fails only skips them."""
    try:
        warnings = await drift_warnings(store, policies)
    except Exception as error:  # noqa: BLE001 (a warning pass must never stop serving)
        log.warning("could not compare the policies with the kept versions: %s", error)
        return
    for warning in warnings:
        log.warning("revision drift: %s", warning)
