"""The benchmark's website: one small host page per consent tool, the tools' files, and the
third-party script, all served by one aiohttp process with brotli.

Every tool except Crumb (which has its own server) is served from here, with the same
compression and caching, so the comparison between them is fair:

- `http://localhost:P1/<tool>/` is the host page with that tool's snippet;
- `http://localhost:P1/tools/...` are the tools' files (`Cache-Control: max-age=300`, like
  Crumb's gate.js, and an ETag);
- `http://127.0.0.2:P2/third-party.js` is the script every tool must keep asleep until consent.

Run: `python bench/host_server.py --port P1 --third-party-port P2 --crumb-origin URL`.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import mimetypes
import string
from pathlib import Path

import brotli
from aiohttp import web

BENCH = Path(__file__).resolve().parent
SITE = BENCH / "site"
NODE_MODULES = BENCH / "node_modules"
TOOL_FILES_MAX_AGE = 300

# URL path under /tools/ -> file on disk. npm packages are installed by run.py at run time.
TOOL_FILES = {
    "plain/banner.js": SITE / "plain" / "banner.js",
    "vanilla/config.js": SITE / "vanilla" / "config.js",
    "vanilla/cookieconsent.umd.js": NODE_MODULES / "vanilla-cookieconsent/dist/cookieconsent.umd.js",
    "vanilla/cookieconsent.css": NODE_MODULES / "vanilla-cookieconsent/dist/cookieconsent.css",
    "klaro/config.js": SITE / "klaro" / "config.js",
    "klaro/klaro.js": NODE_MODULES / "klaro/dist/klaro.js",
}


class CompressedFiles:
    """Bodies compressed once with brotli (quality 11, as precompressed bundles are)."""

    def __init__(self) -> None:
        self._cache: dict[bytes, bytes] = {}

    def response(self, request: web.Request, body: bytes, content_type: str, cache_control: str) -> web.Response:
        """Answer with `body`, brotli-encoded when the client accepts it, 304 on a matching ETag."""
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        headers = {"ETag": etag, "Cache-Control": cache_control, "Vary": "Accept-Encoding"}
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers=headers)
        if "br" in request.headers.get("Accept-Encoding", ""):
            if body not in self._cache:
                self._cache[body] = brotli.compress(body, quality=11)
            body = self._cache[body]
            headers["Content-Encoding"] = "br"
        return web.Response(body=body, headers=headers, content_type=content_type)


def host_page(tool: str, options: argparse.Namespace) -> bytes:
    """Return the host page with `tool`'s head snippet and its way of marking the blocked script."""
    snippet = (SITE / tool / "snippet.html").read_text(encoding="utf-8")
    values = {
        "crumb_origin": options.crumb_origin,
        "crumb_site": options.crumb_site,
        "third_party": f"http://127.0.0.2:{options.third_party_port}/third-party.js",
    }
    head, blocked = snippet.split("<!-- blocked -->")
    page = string.Template((SITE / "host.html").read_text(encoding="utf-8"))
    return page.substitute(
        tool=tool,
        head=string.Template(head).substitute(values).strip(),
        blocked_script=string.Template(blocked).substitute(values).strip(),
    ).encode("utf-8")


def create_host_app(options: argparse.Namespace) -> web.Application:
    """The website origin: host pages and tool files."""
    files = CompressedFiles()
    pages = {tool: host_page(tool, options) for tool in ("plain", "vanilla", "klaro", "crumb")}

    async def page(request: web.Request) -> web.Response:
        body = pages.get(request.match_info["tool"])
        if body is None:
            raise web.HTTPNotFound()
        return files.response(request, body, "text/html", "no-cache")

    async def tool_file(request: web.Request) -> web.Response:
        path = TOOL_FILES.get(request.match_info["path"])
        if path is None:
            raise web.HTTPNotFound()
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return files.response(request, path.read_bytes(), content_type,
                              f"public, max-age={TOOL_FILES_MAX_AGE}")

    app = web.Application()
    app.router.add_get("/{tool}/", page)
    app.router.add_get("/tools/{path:.+}", tool_file)
    return app


def create_third_party_app() -> web.Application:
    """The other origin: the script the consent tools must keep asleep."""
    files = CompressedFiles()
    body = (SITE / "third-party.js").read_bytes()

    async def script(request: web.Request) -> web.Response:
        return files.response(request, body, "text/javascript", "no-store")

    app = web.Application()
    app.router.add_get("/third-party.js", script)
    return app


async def serve(options: argparse.Namespace) -> None:
    """Listen on both origins until killed."""
    runners = []
    # localhost may resolve to ::1 first; answer there too so Chromium never waits on a fallback.
    for app, hosts, port in ((create_host_app(options), ["127.0.0.1", "::1"], options.port),
                             (create_third_party_app(), ["127.0.0.2"], options.third_party_port)):
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        for host in hosts:
            await web.TCPSite(runner, host, port).start()
        runners.append(runner)
    print("ready", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        for runner in runners:
            await runner.cleanup()


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Return the command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--third-party-port", type=int, required=True)
    parser.add_argument("--crumb-origin", default="http://127.0.0.1:8080")
    parser.add_argument("--crumb-site", default="bench")
    return parser.parse_args(argv)


if __name__ == "__main__":
    asyncio.run(serve(parse_args()))
