"""Sites and parties: which hosts belong to the scanned website's registrable domain."""

from __future__ import annotations

import ipaddress

# Without the Public Suffix List the common two-label suffixes are named here; a miss only makes
# a sibling subdomain count as first party, which errs towards fewer findings, never wrong ones.
TWO_LABEL_SUFFIXES = frozenset({
    "co.uk", "org.uk", "ac.uk", "gov.uk", "com.au", "net.au", "org.au", "co.nz", "co.jp", "ne.jp",
    "com.br", "com.mx", "com.tr", "co.in", "co.za", "com.cn", "com.tw", "co.kr", "com.sg", "com.ar",
})


def registrable_domain(host: str) -> str:
    """Return the registrable domain of `host` (`www.acme.co.uk` -> `acme.co.uk`); an IP literal
    or a single label (`localhost`) is its own site."""
    host = host.lower().strip(".")
    try:
        ipaddress.ip_address(host.strip("[]"))
        return host
    except ValueError:
        pass
    labels = host.split(".")
    if len(labels) <= 2:
        return host
    size = 3 if ".".join(labels[-2:]) in TWO_LABEL_SUFFIXES else 2
    return ".".join(labels[-size:])


def party(host: str, site_domain: str) -> str:
    """Return "first" when `host` is on the site's registrable domain, else "third"."""
    return "first" if registrable_domain(host) == site_domain else "third"


def host_matches(host: str, pattern: str) -> bool:
    """True when `host` is `pattern`, or `pattern` is `*.domain` and `host` is under it."""
    if pattern.startswith("*."):
        return host.endswith(pattern[1:])
    return host == pattern
