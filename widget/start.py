"""The widget's composition root: `start()` reads the inline policy and runs the flow."""

from browser import document, window
from javascript import JSON

from .channel import Channel
from .flow import ConsentFlow
from .messages import allowed_origin
from .theme import apply_theme


def frame_parameter(name: str) -> str | None:
    """Return one query parameter of the frame's URL (`mode`, `origin`)."""
    return window.URLSearchParams.new(window.location.search).get(name)


def start() -> None:
    """Read the policy, apply the theme, take over the first layer, then greet the gate."""
    policy = JSON.parse(document["crumb-policy"].text)
    apply_theme(policy["theme"])
    target = allowed_origin(frame_parameter("origin"), policy["origins"], window.location.origin)
    channel = Channel(target)
    mode = "preferences" if frame_parameter("mode") == "preferences" else "banner"
    flow = ConsentFlow(policy, mode, channel)
    # Listen before saying `ready`, so the gate's `init` answer cannot be missed.
    channel.listen(flow.on_init)
    flow.take_over()
    channel.post("ready")
    # The time since navigation, for measuring; tests only look for the attribute.
    document.body.attrs["data-crumb-ready"] = str(round(window.performance.now()))
