"""The canonical content of a policy and its SHA-256, recorded with every consent receipt.

The hash covers what a visitor could be shown (texts in every language, categories,
services, storage rows, controller) and none of the file's formatting, so reformatting a
file keeps the hash while changing any word changes it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from types import MappingProxyType
from typing import Any

from .model import Localized, Policy

_NOT_CONTENT = {"source", "content_hash"}
# Fields added to the policy format after its first release are left out while they hold their
# default, so that upgrading Crumb keeps the hash of a policy whose file did not change (a new
# hash under the same revision reads as content changed without a revision bump).
LATER_FIELDS = frozenset({"hosts", "stores_nothing", "phone"})


def canonical_content(policy: Policy) -> dict:
    """Return the policy as plain JSON-able data, without where it was loaded from."""
    return {key: _plain(value) for key, value in _fields(policy) if key not in _NOT_CONTENT}


def canonical_json(policy: Policy) -> str:
    """Return the canonical content as compact JSON with sorted keys."""
    return json.dumps(canonical_content(policy), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def policy_hash(policy: Policy) -> str:
    """Return the hex SHA-256 of the canonical JSON."""
    return hashlib.sha256(canonical_json(policy).encode("utf-8")).hexdigest()


def _fields(obj: Any):
    return ((f.name, getattr(obj, f.name)) for f in dataclasses.fields(obj)
            if not (f.name in LATER_FIELDS and getattr(obj, f.name) == _default(f)))


def _default(field: dataclasses.Field) -> Any:
    return field.default_factory() if field.default_factory is not dataclasses.MISSING else field.default


def _plain(value: Any) -> Any:
    if isinstance(value, Localized):
        return value.as_dict()
    if dataclasses.is_dataclass(value):
        return {key: _plain(item) for key, item in _fields(value)}
    if isinstance(value, (dict, MappingProxyType)):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (tuple, list)):
        return [_plain(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
