"""Policy files: the validated model, loading and validation, the localized document, the hash.

One public surface for the rest of Crumb (and for a site's own backend code):

- `load_policy(path)`, `load_policies(directory)`, `parse_policy(raw, source)`: validate, raising
  `PolicyError` with every problem as `FILE: key.path: what is wrong (got VALUE)`;
- `Policy` and its parts: frozen data, built once;
- `policy_document(policy, lang)`: one language's view, the JSON the widget and the page read;
- `policy_hash(policy)`, `canonical_json(policy)`: the content receipts point at.
"""

from .content_hash import canonical_content, canonical_json, policy_hash
from .document import DOCUMENT_VERSION, policy_document
from .fields import PolicyError
from .loader import LoadedPolicy, load_policies, load_policy, parse_policy
from .model import (
                    CONSENT_MODE_KEYS,
                    STORAGE_KINDS,
                    THEME_POSITIONS,
                    Category,
                    ConsentModeSettings,
                    Controller,
                    Duration,
                    Localized,
                    Policy,
                    Service,
                    StorageRow,
                    Theme,
)

__all__ = [
    "CONSENT_MODE_KEYS", "DOCUMENT_VERSION", "STORAGE_KINDS", "THEME_POSITIONS", "Category", "ConsentModeSettings",
    "Controller", "Duration", "LoadedPolicy", "Localized", "Policy", "PolicyError", "Service",
    "StorageRow", "Theme", "canonical_content", "canonical_json", "load_policies", "load_policy",
    "parse_policy", "policy_document", "policy_hash",
]
