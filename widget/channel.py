"""postMessage with the gate: posts only to the checked website origin, hears only its parent."""

from browser import window
from javascript import JSON

from widget.messages import message


def _same(a, b) -> bool:
    # JS identity (`Object.is`): Python's `is` compares Brython's wrappers, not the windows.
    return getattr(window.Object, "is")(a, b)


class Channel:
    """The widget's side of the conversation with the gate in `window.parent`."""

    def __init__(self, target_origin: str | None):
        # None when the frame was opened with no allowed origin: then nothing is ever posted.
        self.target_origin = target_origin
        self.embedded = not _same(window.parent, window) and target_origin is not None

    def post(self, kind: str, **fields) -> None:
        """Send `{type: kind, v: 1, ...}` to the gate, if there is a gate to talk to."""
        if not self.embedded:
            return
        data = window.JSON.parse(JSON.stringify(message(kind, **fields)))
        window.parent.postMessage(data, self.target_origin)

    def listen(self, handler) -> None:
        """Call `handler(dict)` for each message from the parent window at the checked origin."""
        def receive(event):
            from_parent = _same(event.source, window.parent)
            if not self.embedded or not from_parent or event.origin != self.target_origin:
                return
            handler(JSON.parse(window.JSON.stringify(event.data)))
        window.bind("message", receive)
