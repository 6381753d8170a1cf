"""The consent receipt: POSTed to the Crumb server after each decision, retried with backoff.

Sending never delays or changes the decision: the gate already has it. The gate hides this
frame after a decision but keeps it alive (PROTOCOL.md), so retries run; `keepalive` lets an
attempt under way finish even if the visitor leaves the page.
"""

from browser import window
from javascript import JSON

from .messages import RETRY_DELAYS, should_retry


def send_receipt(site: str, body: dict, attempt: int = 0) -> None:
    """POST the receipt; on no answer, 429 or 5xx try again after the next delay."""
    url = "/api/v1/sites/" + site + "/consents"
    options = window.JSON.parse(JSON.stringify({
        "method": "POST", "keepalive": True, "credentials": "omit",
        "headers": {"Content-Type": "application/json"},
    }))
    options.body = JSON.stringify(body)

    def retry_later(status):
        if should_retry(status) and attempt < len(RETRY_DELAYS):
            window.setTimeout(lambda: send_receipt(site, body, attempt + 1), RETRY_DELAYS[attempt] * 1000)

    def answered(response):
        if not response.ok:
            retry_later(response.status)

    window.fetch(url, options).then(answered, lambda error: retry_later(0))
