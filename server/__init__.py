"""Crumb: self-hosted cookie consent (README.md). Installed as the package `crumb`.

For a site's own backend code, the public surface is small and pure:

    from crumb import load_policy, read_consent
    policy = load_policy("policies/acme.toml")
    consent = read_consent(request.cookies.get("crumb_consent"), policy)
    if consent and consent.accepted("analytics"): ...

The names are imported on first use, so `import crumb` costs nothing and pulls in no server.
"""

_PUBLIC = {
    "read_consent": "consent", "consent_from_cookie_header": "consent", "Consent": "consent",
    "load_policy": "policy", "load_policies": "policy", "Policy": "policy", "PolicyError": "policy",
}


def __getattr__(name: str):
    if name not in _PUBLIC:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib
    value = getattr(importlib.import_module(f"{__name__}.{_PUBLIC[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(_PUBLIC)
