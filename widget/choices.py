"""The visitor's choices as a pure model: switches in, a decision (categories, services) out.

Imports neither `browser` nor `javascript`, so CPython tests it directly.
"""

METHODS = ("accept_all", "reject_all", "custom")


class Choices:
    """Category switches and per-service overrides for one policy document; nothing starts on."""

    def __init__(self, document: dict):
        self.categories = [c["id"] for c in document["categories"]]
        self.required = [c["id"] for c in document["categories"] if c["required"]]
        self.optional = [c for c in self.categories if c not in self.required]
        self.services_of = {c["id"]: list(c["services"]) for c in document["categories"]}
        self.category_of = {s["id"]: s["category"] for s in document["services"]}
        self.sale_or_share = [c["id"] for c in document["categories"] if c.get("sale_or_share")]
        self._on = {c: False for c in self.optional}
        self._service_override = {}

    def category_on(self, category: str) -> bool:
        """True when the category is allowed (required ones always are)."""
        return category in self.required or self._on.get(category, False)

    def service_on(self, service: str) -> bool:
        """True when the service is allowed: its own switch if touched, else its category's."""
        if service in self._service_override:
            return self._service_override[service]
        return self.category_on(self.category_of[service])

    def set_category(self, category: str, on: bool) -> None:
        """Switch an optional category; its services follow it again."""
        if category in self._on:
            self._on[category] = bool(on)
            for service in self.services_of.get(category, []):
                self._service_override.pop(service, None)

    def set_service(self, service: str, on: bool) -> None:
        """Switch one service on or off, whatever its category says."""
        if service in self.category_of and self.category_of[service] not in self.required:
            self._service_override[service] = bool(on)

    def restore(self, consent: dict | None) -> None:
        """Show an earlier consent's choices (from the gate's `init`); None leaves all off."""
        if not consent:
            return
        accepted_categories = consent.get("cats") or []
        accepted_services = consent.get("svcs") or []
        for category in self.optional:
            self.set_category(category, category in accepted_categories)
        for service, category in self.category_of.items():
            if self.service_on(service) != (service in accepted_services):
                self.set_service(service, service in accepted_services)

    def decision(self, method: str, gpc: bool = False) -> dict:
        """Return `{categories, services, method}` for accept_all, reject_all or the switches (custom).

        With Global Privacy Control on, "accept all" still leaves sale-or-share categories off.

        :raise ValueError: for an unknown method.
        """
        if method not in METHODS:
            raise ValueError(f"unknown decision method {method!r}")
        if method == "accept_all":
            refused = self.sale_or_share if gpc else []
            categories = [c for c in self.categories if c not in refused]
            services = [s for s, c in self.category_of.items() if c in categories]
            return {"categories": categories, "services": services, "method": "gpc" if refused else method}
        if method == "reject_all":
            return {"categories": list(self.required), "services": self._required_services(), "method": method}
        categories = [c for c in self.categories if self.category_on(c)]
        services = [s for s in self.category_of if self.service_on(s)]
        return {"categories": categories, "services": services, "method": method}

    def _required_services(self) -> list[str]:
        return [s for s, c in self.category_of.items() if c in self.required]
