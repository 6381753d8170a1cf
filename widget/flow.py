"""The visitor's way through the widget: banner, preferences, decision, language."""

from browser import document, window
from javascript import JSON

from .choices import Choices
from .dom import to_dom
from .messages import parse_init, receipt_body, uuid4_from
from .panel import sync_switches, trap_focus
from .receipts import send_receipt
from .tree import fill
from .view import banner_view, preferences_view, saved_view


class ConsentFlow:
    """Owns the frame's root element and the current layer; turns clicks into decisions."""

    def __init__(self, policy: dict, mode: str, channel):
        self.policy = policy
        self.mode = mode
        self.channel = channel
        self.root = document["crumb-root"]
        self.choices = Choices(policy)
        self.init = parse_init({"type": "init", "v": 1, "mode": mode})
        self.layer = mode
        self.decided = False

    def take_over(self) -> None:
        """Replace the server-rendered layer with the live one and handle what it recorded."""
        early = list(window.crumbTakeEarly())  # frame.js stops recording: clicks come here now
        focused = document.activeElement.attrs.get("data-crumb-action") if document.activeElement else None
        self.read_switches()
        self.root.bind("click", self.on_click)
        self.root.bind("change", self.on_change)
        document.bind("keydown", self.on_key)
        self.render(focus_action=focused)
        for action in early:
            self.act(action)

    def read_switches(self) -> None:
        """Keep what the visitor switched on the server-rendered panel before the widget started."""
        for node in self.root.querySelectorAll("[data-crumb-category]"):
            self.choices.set_category(node.attrs["data-crumb-category"], node.checked)
        for node in self.root.querySelectorAll("[data-crumb-service]"):
            if node.checked != self.choices.service_on(node.attrs["data-crumb-service"]):
                self.choices.set_service(node.attrs["data-crumb-service"], node.checked)

    def on_init(self, data: dict) -> None:
        """Take the gate's `init`: earlier consent, the policy-changed line, the page for receipts."""
        init = parse_init(data)
        if init is None:
            return
        self.init = init
        if init["consent"] or init["policy_changed"] or self.gpc_note():
            self.choices.restore(init["consent"])
            if not self.decided:
                self.render()

    def render(self, focus_action: str | None = None) -> None:
        """Draw the current layer in place of whatever is there; the focus stays on its control."""
        focused = document.activeElement
        if focus_action is None and focused and self.root.contains(focused):
            focus_action = focused.attrs.get("data-crumb-action")
        self.root.clear()
        if self.layer == "preferences":
            self.root <= to_dom(preferences_view(self.policy, self.choices, self.gpc_note()))
            self._show_mode("preferences")
            self._focus("#crumb-preferences .crumb-close")
        else:
            self.root <= to_dom(banner_view(self.policy, self.init["policy_changed"], self.gpc_note()))
            self._show_mode("banner")
        if focus_action:
            self._focus(f'[data-crumb-action="{focus_action}"]')

    def honours_gpc(self) -> bool:
        """True when the browser sent Global Privacy Control and the policy respects it."""
        return self.init["gpc"] and self.policy["gpc"] == "respect"

    def gpc_note(self) -> str:
        """Return the line naming the categories GPC keeps off, or "" when it does not apply."""
        titles = [c["title"] for c in self.policy["categories"] if c.get("sale_or_share")]
        if not self.honours_gpc() or not titles:
            return ""
        return fill(self.policy["texts"]["gpc_honoured"], categories=", ".join(titles))

    def _show_mode(self, mode: str) -> None:
        # frame.js tells the gate on every change of this attribute; unchanged, it stays quiet.
        if document.body.attrs.get("data-crumb-mode") != mode:
            document.body.attrs["data-crumb-mode"] = mode

    def _focus(self, selector: str) -> None:
        node = self.root.querySelector(selector)
        if node:
            node.focus()

    def on_click(self, event) -> None:
        """Dispatch a click on any `[data-crumb-action]` button."""
        try:
            target = event.target.closest("[data-crumb-action]")
        except KeyError:  # Brython's closest() raises where the DOM's returns null
            return
        event.preventDefault()
        self.act(target.attrs["data-crumb-action"])

    def act(self, action: str) -> None:
        """Do what a button asks: decide, open the preferences, or close them."""
        if action in ("accept_all", "reject_all", "custom"):
            self.decide(action)
        elif action == "preferences":
            self.layer = "preferences"
            self.render()
        elif action == "close":
            self.close_preferences()

    def close_preferences(self) -> None:
        """Esc or ×: back to the banner when a decision is still needed, else let the gate close."""
        if self.init["consent"] or not self.policy["needs_banner"]:
            self.channel.post("close")
        if self.mode == "banner" or not self.init["consent"] and self.policy["needs_banner"]:
            self.layer = "banner"
            self.render(focus_action="preferences")

    def on_change(self, event) -> None:
        """Follow the switches and the language select."""
        target = event.target
        if target.attrs.get("data-crumb-category") is not None:
            self.choices.set_category(target.attrs["data-crumb-category"], target.checked)
            sync_switches(self.root, self.choices)
        elif target.attrs.get("data-crumb-service") is not None:
            self.choices.set_service(target.attrs["data-crumb-service"], target.checked)
        elif target.attrs.get("data-crumb-language") is not None:
            self.switch_language(target.value)

    def on_key(self, event) -> None:
        """Esc closes the preferences; Tab stays inside them."""
        dialog = self.root.querySelector("#crumb-preferences")
        if dialog is None:
            return
        if event.key == "Escape":
            event.preventDefault()
            self.close_preferences()
        elif event.key == "Tab":
            trap_focus(dialog, event)

    def decide(self, method: str) -> None:
        """Send the receipt and tell the gate; the receipt never holds the decision back."""
        decision = self.choices.decision(method, gpc=self.honours_gpc())
        consent = self.init["consent"]
        consent_id = consent["id"] if consent else uuid4_from(window.crypto.getRandomValues(window.Uint8Array.new(16)))
        page = (self.init["page"] or window.location.origin + window.location.pathname)[:512]  # the receipt limit
        body = receipt_body(decision, consent_id, self.policy, page)
        # The receipt request starts before the gate hears of the decision and hides the frame.
        send_receipt(self.policy["site"], body)
        self.channel.post("decision", consent_id=consent_id, categories=decision["categories"],
                          services=decision["services"], method=decision["method"])
        self.decided = True
        self.show_saved()

    def show_saved(self) -> None:
        """When the frame stays (no gate), say the choice was saved and keep it readable."""
        self.root.clear()
        self.root <= to_dom(saved_view(self.policy))
        self._show_mode("decided")

    def switch_language(self, lang: str) -> None:
        """Fetch the policy in `lang` from this origin, re-render, and ask the gate to remember it."""
        url = "/api/v1/sites/" + self.policy["site"] + "/policy?lang=" + window.encodeURIComponent(lang)

        def loaded(text):
            self.policy = JSON.parse(text)
            document.documentElement.attrs["lang"] = self.policy["language"]
            document.documentElement.attrs["dir"] = self.policy["dir"]
            self.render()
            self._focus("[data-crumb-language]")
            self.channel.post("language", lang=self.policy["language"])

        # No credentials: a consent cookie scoped to a parent domain Crumb shares must not travel.
        options = window.JSON.parse('{"credentials": "omit"}')
        window.fetch(url, options).then(lambda response: response.text()).then(loaded)
