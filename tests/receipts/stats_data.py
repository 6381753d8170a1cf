"""A known mix of decisions and banners shown for the statistics tests, and the counts it must give."""

from __future__ import annotations

from pathlib import Path

from crumb.stats.tokens import token_line
from tests.receipts.receipt_data import CONSENTS, SITE, valid_body

TOKEN = "owner-token-for-the-statistics-tests"
STATS = f"/api/v1/sites/{SITE}/stats"
WIDGET = f"/sites/{SITE}/widget"

# (how many, body changes) of each decision posted.
DECISIONS = (
    (3, {"method": "accept_all", "categories": ["necessary", "analytics", "marketing"],
         "services": ["plausible", "vidtube"], "language": "en"}),
    (2, {"method": "reject_all", "categories": ["necessary"], "services": [], "language": "lt"}),
    (4, {"method": "custom", "categories": ["necessary", "analytics"], "services": ["plausible"], "language": "lt"}),
    (1, {"method": "gpc", "categories": ["necessary"], "services": [], "language": "en"}),
)
# (how many, query) of each frame opened; only banners with ask=1 count as shown.
FRAMES = (
    (7, {"lang": "en", "mode": "banner", "ask": "1"}),
    (5, {"lang": "lt", "mode": "banner", "ask": "1"}),
    (2, {"lang": "en", "mode": "banner"}),  # a banner the visitor opened again after deciding
    (3, {"lang": "en", "mode": "preferences", "ask": "1"}),
)
TOTALS = {"shown": 12, "decisions": {"accept_all": 3, "reject_all": 2, "custom": 4, "gpc": 1},
          "accepted": {"analytics": 7, "marketing": 3, "plausible": 7, "vidtube": 3}}
LANGUAGES = {"en": {"shown": 7, "decisions": 4}, "lt": {"shown": 5, "decisions": 6}}


def token_file(directory: Path) -> Path:
    """Write a token file that accepts `TOKEN` and return its path."""
    path = directory / "owner-tokens"
    path.write_text("# the statistics tests' owner\n" + token_line(TOKEN) + "\n")
    return path


async def post_known_mix(client) -> None:
    """Post every decision of `DECISIONS` and open every frame of `FRAMES`, checking each answer."""
    for count, changes in DECISIONS:
        for _ in range(count):
            response = await client.post(CONSENTS, json=valid_body(**changes))
            assert response.status == 201, await response.text()
    for count, query in FRAMES:
        for _ in range(count):
            response = await client.get(WIDGET, params=query)
            assert response.status == 200
