"""Build `static/dist/`, and be the project's build backend (PEP 517) so every wheel carries it.

The bundle: the Brython runtime, the widget precompiled to JS, its CSS, the frame's boot script
and the gate's two templates, each under a content-hashed name with `.br` and `.gz` twins, plus
`manifest.json` (`{"files": {logical: hashed}, "inputs": hash}`). The server reads only that
(README, "How it fits together"); nothing at run time imports this module.

The widget's Python is compiled to JS here, by running Brython's own compiler (brython.js) in an
embedded V8 (mini-racer): the browser loads no compiler and no stdlib modules. Scripts are
minified by tdewolff's minifier; every script is compiled again in V8 afterwards, the gate
templates must still hold their token once, and the minified gate must read and write consent
cookies exactly as its source does. Same inputs give the same bytes: Brython's random
identifiers are seeded, gzip carries no mtime, and modules are compiled in a fixed order.

`python package_builder.py` builds; `ensure_built(root)` rebuilds only when inputs changed.
As the build backend, `build_wheel`/`build_editable` build the bundle first, then hand over to
setuptools, whose package data (`crumb.static`) takes `static/dist/` into the wheel.
"""

from __future__ import annotations

import ast
import gzip
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from urllib.parse import quote

import brotli
import brython
import minify
from py_mini_racer import MiniRacer
from setuptools import build_meta as _setuptools

ROOT = Path(__file__).resolve().parent
BRYTHON_JS = Path(brython.__file__).parent / "data" / "brython.js"
WIDGET_PACKAGE = "widget"
ENTRY_MODULE = "widget.start"
CONFIG_TOKEN = "__CRUMB_CONFIG__"
COMPILER_START = "// >>> brython compiler chain"
COMPILER_END = "// <<< brython compiler chain"
# Brython's VFS records carry a timestamp; a fixed one keeps the output reproducible.
VFS_TIMESTAMP = 1700000000000
# The gate is written as ES2017 (README, "Embedding"): the minifier must not use newer syntax.
MINIFY_OPTIONS = {"js-version": 2017}
_MAIN_SOURCE = "from widget.start import start\nstart()\n"
# The gate's templates (widget/PROTOCOL.md): the server puts each site's config in place of the token.
# gate.js is built twice: with its auto-blocking parts (for sites whose policy lists service hosts)
# and without them (every other site), so that only the sites that use it pay for it.
GATE_TEMPLATES = ("gate.js", "gate_autoblock.js", "gate_ui.js")
AUTO_BLOCKING = re.compile(r"/\*\+block\*/.*?/\*-block\*/", re.S)
# A config the gate's consent-cookie reader can run on, and cookies it must judge as its source does.
_SAMPLE_CONFIG = {"site": "s", "revision": 2, "categories": ["necessary", "stats"], "required": ["necessary"],
                  "services": {"tool": "stats"}}
_SAMPLE_COOKIES = [
    "", "%", "null", "{}", '{"v":1}',
    '{"v":1,"id":"0d3c1f0e-5b7a-4d55-9b1e-2f6a8c9d4e21","rev":2,"cats":["necessary","stats"],'
    '"svcs":["tool"],"at":1,"exp":99999999999,"how":"custom"}',
    '{"v":1,"id":"0d3c1f0e-5b7a-4d55-9b1e-2f6a8c9d4e21","rev":1,"cats":["necessary"],'
    '"svcs":[],"at":1,"exp":99999999999,"how":"reject_all"}',
    '{"v":1,"id":"0d3c1f0e-5b7a-4d55-9b1e-2f6a8c9d4e21","rev":2,"cats":["stats"],'
    '"svcs":[],"at":1,"exp":99999999999,"how":"custom"}',
]


@dataclass(frozen=True)
class Source:
    """One input file of the build, under its logical output name."""

    logical: str
    path: Path


def widget_modules(root: Path) -> dict[str, Path]:
    """Return the widget's modules reachable from `widget.start`, by dotted name, in import order.

    :raise FileNotFoundError: when `widget/start.py` is missing.
    """
    package_dir = root / WIDGET_PACKAGE
    found: dict[str, Path] = {}
    pending = [ENTRY_MODULE]
    while pending:
        name = pending.pop(0)
        if name in found:
            continue
        path = package_dir / (name.split(".", 1)[1] + ".py")
        if not path.exists():
            if name == ENTRY_MODULE:
                raise FileNotFoundError(path)
            continue
        found[name] = path
        pending.extend(sorted(_imported_widget_modules(path)))
    return found


def _imported_widget_modules(path: Path) -> set[str]:
    """The widget modules one module imports: relative imports (`from .choices import ...`)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                names.add(f"{WIDGET_PACKAGE}.{node.module}")
            else:
                names.update(f"{WIDGET_PACKAGE}.{alias.name}" for alias in node.names)
    return names


def asset_sources(root: Path) -> list[Source]:
    """Return the plain (not compiled) inputs: CSS, the frame's boot script and the gate's two templates."""
    return [Source(name, root / WIDGET_PACKAGE / name)
            for name in ("widget.css", "frame.js", "gate.js", "gate_ui.js")]


# The JS the widget's compilation runs in V8, and the boot code at the end of widget.js.
BUILD_SCRIPTS = ("precompile.js", "boot.js")


def inputs_hash(root: Path) -> str:
    """Return a hash of everything the build reads: this builder, the runtime, the minifier and the sources."""
    digest = hashlib.sha256(("tdewolff-minify " + metadata.version("tdewolff-minify")).encode())
    paths = [Path(__file__).resolve(), BRYTHON_JS]
    paths += sorted((root / WIDGET_PACKAGE).glob("*.py"))
    paths += [source.path for source in asset_sources(root)]
    paths += [root / WIDGET_PACKAGE / name for name in BUILD_SCRIPTS]
    for path in paths:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:20]


def minify_js(text: str) -> str:
    """Return a script minified (local names shortened, comments and spaces gone)."""
    minify.config(MINIFY_OPTIONS)
    return minify.string("application/javascript", text)


def compile_widget(root: Path) -> str:
    """Return widget.js: every reachable widget module compiled to JS, and the boot code."""
    context = MiniRacer()
    context.eval((root / WIDGET_PACKAGE / "precompile.js").read_text("utf-8"))
    context.eval(BRYTHON_JS.read_text("utf-8"))
    modules = {WIDGET_PACKAGE: ["", True]}
    for index, (name, path) in enumerate(widget_modules(root).items(), start=1):
        # Separate identifier ranges per module keep one module's names from shifting another's.
        js = context.call("crumbCompile", name, path.read_text("utf-8"), False, index * 10**7)
        modules[name] = [minify_js(js), False]
    main = minify_js(context.call("crumbCompileMain", _MAIN_SOURCE, 0))
    boot = (root / WIDGET_PACKAGE / "boot.js").read_text("utf-8")
    return minify_js(boot.replace("__CRUMB_TIMESTAMP__", str(VFS_TIMESTAMP))).replace(
        "__CRUMB_MODULES__", json.dumps(modules, ensure_ascii=False, separators=(",", ":"))).replace(
        "__CRUMB_MAIN__", json.dumps(main, ensure_ascii=False))


def minify_script(text: str, logical: str) -> str:
    """Return a hand-written script minified and checked: it still compiles, a gate template still
    holds its token once, and the gate still reads and writes consent cookies as its source does.

    :raise ValueError: when minifying broke any of that.
    """
    minified = minify_js(text)
    if logical in GATE_TEMPLATES and minified.count(CONFIG_TOKEN) != 1:
        raise ValueError(f"widget/{logical}: expected the token {CONFIG_TOKEN} exactly once after minifying")
    config = json.dumps(_SAMPLE_CONFIG)
    context = MiniRacer()
    try:
        context.eval("new Function(" + json.dumps(minified.replace(CONFIG_TOKEN, config)) + ")")
    except Exception as error:  # mini-racer raises its own JSEvalException family
        raise ValueError(f"widget/{logical}: the minified script does not compile: {error}") from error
    if logical.startswith("gate") and logical != "gate_ui.js" and \
            _cookie_answers(minified, config) != _cookie_answers(text, config):
        raise ValueError("widget/gate.js: the minified gate reads or writes consent cookies differently")
    return minified


def _cookie_answers(gate: str, config: str) -> str:
    """What the gate's reader and encoder (exported outside a browser page) answer for the samples."""
    context = MiniRacer()
    context.eval(gate.replace(CONFIG_TOKEN, config))
    return context.eval("JSON.stringify(%s.map(raw => { const c = crumbCookie.read(raw, 1000);"
                        " return [c, c && c.v ? crumbCookie.encode(c) : null]; }))"
                        % json.dumps([_encode_uri(raw) for raw in _SAMPLE_COOKIES]))


def _encode_uri(text: str) -> str:
    return quote(text, safe="-_.!~*'()") if text.startswith("{") else text


def runtime_without_compiler(text: str) -> str:
    """Return brython.js without its Python compiler (parser, PEG grammar, symbol table) and
    without the builtins' docstrings (the source file right after the compiler, for `help()`).

    The widget arrives compiled, so the browser never parses Python; Brython itself marks
    where the compiler starts and ends.

    :raise ValueError: when the markers are not found (another Brython version).
    """
    start, end = text.find(COMPILER_START), text.find(COMPILER_END)
    if start < 0 or end < start or not text.startswith("var docs={", end + len(COMPILER_END) + 1):
        raise ValueError(f"{BRYTHON_JS}: compiler chain markers not found; is this Brython 3.15?")
    docs_end = text.find("\n;\n", end)
    return text[:start] + text[docs_end:]


def built_files(root: Path) -> dict[str, bytes]:
    """Return {logical name: bytes} for every file of the bundle."""
    runtime = runtime_without_compiler(BRYTHON_JS.read_text("utf-8"))
    files = {
        "brython.js": minify_js(runtime).encode("utf-8"),
        "widget.js": compile_widget(root).encode("utf-8"),
    }
    for source in asset_sources(root):
        text = source.path.read_text("utf-8")
        if source.logical == "gate.js":
            files["gate_autoblock.js"] = minify_script(text, "gate_autoblock.js").encode("utf-8")
            text = AUTO_BLOCKING.sub("", text)
        if source.logical.endswith(".js"):
            text = minify_script(text, source.logical)
        files[source.logical] = text.encode("utf-8")
    return files


def hashed_name(logical: str, body: bytes) -> str:
    """Return `widget.<hash>.js` for `widget.js` with these bytes."""
    stem, _, extension = logical.rpartition(".")
    return f"{stem}.{hashlib.sha256(body).hexdigest()[:16]}.{extension}"


def build(root: Path = ROOT) -> dict:
    """Build `root/static/dist/` and return its manifest.

    Files are content-hashed, so a build only adds files; the manifest is replaced in one step.
    The previous build's files stay (a server started before this build still serves them);
    anything older is removed.
    """
    dist = root / "static" / "dist"
    dist.mkdir(parents=True, exist_ok=True)
    previous = _bundle_names(dist)
    manifest = {"files": {}, "inputs": inputs_hash(root)}
    for logical, body in built_files(root).items():
        name = hashed_name(logical, body)
        manifest["files"][logical] = name
        if not (dist / (name + ".gz")).exists():  # the .gz is written last: its presence means done
            _write_atomically(dist / name, body)
            _write_atomically(dist / (name + ".br"), brotli.compress(body, quality=11))
            _write_atomically(dist / (name + ".gz"), gzip.compress(body, compresslevel=9, mtime=0))
    text = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    _write_atomically(dist / "manifest.json", text.encode("utf-8"))
    _prune(dist, keep=previous | set(manifest["files"].values()))
    return manifest


def _bundle_names(dist: Path) -> set[str]:
    try:
        return set(json.loads((dist / "manifest.json").read_text("utf-8"))["files"].values())
    except (OSError, ValueError, KeyError):
        return set()


def _write_atomically(path: Path, body: bytes) -> None:
    # A reader (a server, another build) sees the old file or the whole new one, never a part.
    handle, temporary = tempfile.mkstemp(prefix=".building.", dir=path.parent)
    with os.fdopen(handle, "wb") as stream:
        stream.write(body)
    os.replace(temporary, path)


def _prune(dist: Path, keep: set[str]) -> None:
    kept = {"manifest.json"} | {name + suffix for name in keep for suffix in ("", ".br", ".gz")}
    for path in dist.iterdir():
        if path.name not in kept and not path.name.startswith(".building."):
            path.unlink(missing_ok=True)


def is_stale(root: Path = ROOT) -> bool:
    """True when `static/dist/` is missing, unreadable or built from other inputs."""
    manifest_path = root / "static" / "dist" / "manifest.json"
    try:
        manifest = json.loads(manifest_path.read_text("utf-8"))
    except (OSError, ValueError):
        return True
    files_present = all((manifest_path.parent / name).exists() for name in manifest.get("files", {}).values())
    return not files_present or manifest.get("inputs") != inputs_hash(root)


def ensure_built(root: Path = ROOT) -> bool:
    """Build `static/dist/` if it is missing or stale; return True when it built."""
    if not is_stale(root):
        return False
    build(root)
    return True


# --- the build backend (PEP 517 and 660): setuptools, with the bundle built first ---------------

get_requires_for_build_wheel = _setuptools.get_requires_for_build_wheel
get_requires_for_build_sdist = _setuptools.get_requires_for_build_sdist
get_requires_for_build_editable = _setuptools.get_requires_for_build_editable
prepare_metadata_for_build_wheel = _setuptools.prepare_metadata_for_build_wheel
prepare_metadata_for_build_editable = _setuptools.prepare_metadata_for_build_editable


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    """Build the bundle, then the wheel, which carries it (no build step at run time)."""
    ensure_built(ROOT)
    # setuptools copies into build/ and keeps what an earlier build left there, such as bundle
    # files pruned since: a wheel must carry exactly this bundle.
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    return _setuptools.build_wheel(wheel_directory, config_settings, metadata_directory)


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    """Build the bundle, then the editable wheel that points at this checkout."""
    ensure_built(ROOT)
    return _setuptools.build_editable(wheel_directory, config_settings, metadata_directory)


def build_sdist(sdist_directory, config_settings=None):
    """Build the sdist with the sources and the built bundle."""
    ensure_built(ROOT)
    return _setuptools.build_sdist(sdist_directory, config_settings)


def main() -> int:
    """Build and print each file with its size and brotli size."""
    manifest = build(ROOT)
    dist = ROOT / "static" / "dist"
    for logical, name in sorted(manifest["files"].items()):
        raw = (dist / name).stat().st_size
        compressed = (dist / (name + ".br")).stat().st_size
        print(f"{logical:12} {name:36} {raw:>9,} B  {compressed:>8,} B brotli")
    return 0


if __name__ == "__main__":
    sys.exit(main())
