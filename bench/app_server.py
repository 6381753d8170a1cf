"""One server process for the benchmark: either Crumb itself or a bare aiohttp app.

Both run the same way (one process, `web.run_app`, access log off), so the ratio between them
is what Crumb's own code costs:

- `python bench/app_server.py crumb --port P --policies DIR --db sqlite:///FILE --static DIR`
- `python bench/app_server.py bare --port P --answers FILE.json`: answers each recorded
  (method, path) with the exact status, headers and body bytes Crumb gave, and reads the
  request body of a POST, as a handler must.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
from pathlib import Path

from aiohttp import web

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# A bare handler repeats every header Crumb sent (security headers included), so the ratio is
# what Crumb's code costs, not what its headers weigh; these few aiohttp sets itself.
OWN_HEADERS = {"date", "server", "content-length", "transfer-encoding", "connection", "keep-alive"}


def create_bare_app(answers: list[dict]) -> web.Application:
    """Return an app that answers every recorded request with Crumb's recorded bytes."""
    app = web.Application()
    for answer in answers:
        body = base64.b64decode(answer["body"])
        headers = {name: value for name, value in answer["headers"].items() if name.lower() not in OWN_HEADERS}

        async def handler(request: web.Request, body=body, headers=headers, status=answer["status"]):
            await request.read()
            return web.Response(status=status, body=body, headers=headers)

        app.router.add_route(answer["method"], answer["path"], handler)
    return app


def create_crumb_app(policies: Path, db_url: str, static: Path, port: int) -> web.Application:
    """Return Crumb's real app, with the receipt rate limit lifted so load tests measure work,
    on its public origin http://127.0.0.1:PORT (the gate loads its UI chunk from there)."""
    from crumb.app import create_app
    from crumb.settings import Settings

    settings = Settings(policies_dir=policies, db_url=db_url, demo=False, static_dir=static,
                        receipt_rate_per_minute=1_000_000_000, public_url=f"http://127.0.0.1:{port}")
    return create_app(settings)


def main() -> None:
    """Serve the chosen app on 127.0.0.1 until killed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=("crumb", "bare"))
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--policies", type=Path)
    parser.add_argument("--db")
    parser.add_argument("--static", type=Path, help="Crumb's static directory (with dist/)")
    parser.add_argument("--answers", type=Path)
    options = parser.parse_args()
    if options.kind == "crumb":
        app = create_crumb_app(options.policies, options.db, options.static, options.port)
    else:
        app = create_bare_app(json.loads(options.answers.read_text(encoding="utf-8")))
    web.run_app(app, host="127.0.0.1", port=options.port, access_log=None,
                print=lambda *_: print("ready", flush=True))


if __name__ == "__main__":
    main()
