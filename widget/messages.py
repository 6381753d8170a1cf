"""The postMessage contract with the gate (widget/PROTOCOL.md), as pure functions.

Imports neither `browser` nor `javascript`, so CPython tests it directly.
"""

VERSION = 1
MODES = ("banner", "preferences")
# Seconds to wait before each retry of a receipt; then it is given up (the decision stands).
RETRY_DELAYS = (1, 2, 4, 8, 16)


def allowed_origin(origin: str | None, site_origins: list[str], own_origin: str) -> str | None:
    """Return `origin` when the widget may talk to it (a site origin or the Crumb origin), else None."""
    if not origin:
        return None
    if origin in site_origins or origin == own_origin:
        return origin
    return None


def message(kind: str, **fields) -> dict:
    """Return a widget -> gate message: `{type, v: 1, ...fields}`."""
    return {"type": kind, "v": VERSION, **fields}


def parse_init(data) -> dict | None:
    """Return a gate's `init` message normalised, or None when it is not a valid one."""
    if not isinstance(data, dict) or data.get("type") != "init" or data.get("v") != VERSION:
        return None
    consent = data.get("consent")
    if not isinstance(consent, dict) or not isinstance(consent.get("id"), str):
        consent = None
    page = data.get("page")
    return {
        "mode": data.get("mode") if data.get("mode") in MODES else "banner",
        "consent": consent,
        "gpc": data.get("gpc") is True,
        "policy_changed": data.get("policy_changed") is True,
        "page": page if isinstance(page, str) else "",
    }


def receipt_body(decision: dict, consent_id: str, document: dict, page: str) -> dict:
    """Return the receipt the server stores for a decision (README, "Proof of consent: receipts")."""
    return {
        "consent_id": consent_id,
        "revision": document["revision"],
        "categories": list(decision["categories"]),
        "services": list(decision["services"]),
        "method": decision["method"],
        "language": document["language"],
        "page": page,
    }


def uuid4_from(random_bytes) -> str:
    """Return a UUID4 in lowercase canonical form from 16 random bytes (crypto.getRandomValues:
    crypto.randomUUID exists only in secure contexts, and a frame on an http:// site is not one)."""
    data = [value & 255 for value in random_bytes]
    data[6] = data[6] & 0x0F | 0x40
    data[8] = data[8] & 0x3F | 0x80
    text = "".join(("0" + hex(value)[2:])[-2:] for value in data)
    return text[:8] + "-" + text[8:12] + "-" + text[12:16] + "-" + text[16:20] + "-" + text[20:]


def should_retry(status: int) -> bool:
    """True for answers worth another try: no answer (0), 429 and 5xx; 4xx means the receipt is wrong."""
    return status == 0 or status == 429 or status >= 500
