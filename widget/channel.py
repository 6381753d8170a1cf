"""postMessage with the gate: posts only to the checked website origin, hears only its parent.

The transport is `window.crumbTransport` from frame.js: Brython cannot hold the cross-origin
parent window, so JS carries JSON text both ways and every check is made here.
"""

from browser import window
from javascript import JSON

from .messages import message


class Channel:
    """The widget's side of the conversation with the gate in `window.parent`."""

    def __init__(self, target_origin: str | None):
        # None when the frame was opened with no allowed origin: then nothing is ever posted.
        self.target_origin = target_origin
        self.transport = window.crumbTransport
        self.embedded = bool(self.transport.framed) and target_origin is not None

    def post(self, kind: str, **fields) -> None:
        """Send `{type: kind, v: 1, ...}` to the gate, if there is a gate to talk to."""
        if self.embedded:
            self.transport.post(JSON.stringify(message(kind, **fields)), self.target_origin)

    def listen(self, handler) -> None:
        """Call `handler(dict)` for each message from the parent window at the checked origin."""
        def receive(origin, from_parent, text):
            if self.embedded and from_parent and origin == self.target_origin:
                handler(JSON.parse(text))
        self.transport.listen(receive)
