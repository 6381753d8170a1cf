"""package_builder: hashed, precompressed, reproducible bundles and rebuilds only when stale."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import brotli
import pytest

import package_builder
from package_builder import ROOT as PROJECT_ROOT

# gate_autoblock.js is gate.js built with its auto-blocking regions (README, "Auto-blocking").
LOGICAL_NAMES = {"brython.js", "widget.js", "widget.css", "frame.js", "gate.js", "gate_autoblock.js", "gate_ui.js"}


@pytest.fixture(scope="module")
def built_copy(tmp_path_factory) -> Path:
    """A copy of the project's inputs, built once into its own static/dist/."""
    root = tmp_path_factory.mktemp("project")
    shutil.copytree(PROJECT_ROOT / "widget", root / "widget", ignore=shutil.ignore_patterns("__pycache__"))
    package_builder.build(root)
    return root


def manifest_of(root: Path) -> dict:
    return json.loads((root / "static" / "dist" / "manifest.json").read_text("utf-8"))


def test_manifest_maps_every_logical_name_to_a_hashed_file(built_copy):
    files = manifest_of(built_copy)["files"]
    assert set(files) == LOGICAL_NAMES
    for logical, hashed in files.items():
        stem, extension = logical.rsplit(".", 1)
        assert hashed.startswith(stem + ".") and hashed.endswith("." + extension) and hashed != logical


def test_every_file_has_brotli_and_gzip_twins_with_the_same_content(built_copy):
    dist = built_copy / "static" / "dist"
    for hashed in manifest_of(built_copy)["files"].values():
        body = (dist / hashed).read_bytes()
        assert brotli.decompress((dist / (hashed + ".br")).read_bytes()) == body
        assert gzip.decompress((dist / (hashed + ".gz")).read_bytes()) == body


def test_same_inputs_build_the_same_bytes(built_copy):
    # The project's own bundle was built by the session fixture from the same inputs.
    ours = PROJECT_ROOT / "static" / "dist"
    theirs = built_copy / "static" / "dist"
    assert manifest_of(built_copy) == json.loads((ours / "manifest.json").read_text("utf-8"))
    for path in sorted(theirs.iterdir()):
        assert (ours / path.name).read_bytes() == path.read_bytes(), path.name


def test_widget_bundle_holds_the_widget_compiled_to_js_and_no_python_source(built_copy):
    widget_js = (built_copy / "static" / "dist" / manifest_of(built_copy)["files"]["widget.js"]).read_text()
    assert '"widget.start":[' in widget_js
    assert "def start" not in widget_js
    assert "$B.enter_frame" in widget_js


def test_runtime_carries_no_stdlib_modules(built_copy):
    runtime = (built_copy / "static" / "dist" / manifest_of(built_copy)["files"]["brython.js"]).read_text()
    assert "update_VFS(scripts)" not in runtime  # what brython_stdlib.js ends with


def test_runtime_leaves_out_the_python_compiler(built_copy):
    runtime = (built_copy / "static" / "dist" / manifest_of(built_copy)["files"]["brython.js"]).read_text()
    assert "._PySymtable_Build=function" not in runtime  # defined by the compiler chain only
    assert ".scope_name=function" in runtime  # the runtime part the compiled code needs stays


def test_gate_templates_keep_their_config_token(built_copy):
    files = manifest_of(built_copy)["files"]
    for logical in set(package_builder.GATE_TEMPLATES) & set(files):
        assert (built_copy / "static" / "dist" / files[logical]).read_text().count("__CRUMB_CONFIG__") == 1


def test_fresh_bundle_is_not_rebuilt(built_copy):
    assert package_builder.ensure_built(built_copy) is False


def test_changed_input_makes_the_bundle_stale_and_rebuilds_it(tmp_path):
    shutil.copytree(PROJECT_ROOT / "widget", tmp_path / "widget", ignore=shutil.ignore_patterns("__pycache__"))
    assert package_builder.ensure_built(tmp_path) is True
    before = manifest_of(tmp_path)
    start = tmp_path / "widget" / "start.py"
    start.write_text(start.read_text() + "\nCHANGED = True\n")
    assert package_builder.is_stale(tmp_path)
    assert package_builder.ensure_built(tmp_path) is True
    after = manifest_of(tmp_path)
    assert after["inputs"] != before["inputs"]
    assert after["files"]["widget.js"] != before["files"]["widget.js"]


def test_missing_dist_is_stale(tmp_path):
    shutil.copytree(PROJECT_ROOT / "widget", tmp_path / "widget", ignore=shutil.ignore_patterns("__pycache__"))
    assert package_builder.is_stale(tmp_path)


def test_a_rebuild_keeps_the_previous_bundle_for_servers_still_using_it(tmp_path):
    shutil.copytree(PROJECT_ROOT / "widget", tmp_path / "widget", ignore=shutil.ignore_patterns("__pycache__"))
    start = tmp_path / "widget" / "start.py"
    source = start.read_text()
    builds = []
    for mark in (1, 2, 3):
        start.write_text(source + f"\nBUILD = {mark}\n")
        builds.append(package_builder.build(tmp_path)["files"]["widget.js"])
    dist = tmp_path / "static" / "dist"
    assert (dist / builds[1]).exists() and (dist / builds[2]).exists()
    assert not (dist / builds[0]).exists()


GATE_SOURCE = (PROJECT_ROOT / "widget" / "gate.js").read_text(encoding="utf-8")


def test_the_minified_gate_is_smaller_keeps_its_token_and_stays_es2017(built_copy):
    minified = (built_copy / "static" / "dist" / manifest_of(built_copy)["files"]["gate.js"]).read_text()
    assert len(minified) < len(GATE_SOURCE) / 2
    assert minified.count(package_builder.CONFIG_TOKEN) == 1
    # Syntax newer than ES2017 that a minifier likes to introduce: optional catch binding, ?? and ?.
    assert "catch{" not in minified and "??" not in minified and "?." not in minified


def test_a_gate_template_that_would_hold_its_token_twice_is_refused():
    twice = GATE_SOURCE.replace("})(__CRUMB_CONFIG__);", "})(__CRUMB_CONFIG__ || __CRUMB_CONFIG__);")
    with pytest.raises(ValueError, match="exactly once"):
        package_builder.minify_script(twice, "gate.js")


def test_minified_output_that_does_not_compile_is_refused(monkeypatch):
    monkeypatch.setattr(package_builder, "minify_js", lambda text: text + "\n})(")
    with pytest.raises(ValueError, match="does not compile"):
        package_builder.minify_script(GATE_SOURCE, "gate.js")


def test_a_minified_gate_that_reads_consent_cookies_differently_is_refused(monkeypatch):
    minify = package_builder.minify_js
    # What a minifier bug could do: the revision check no longer rejects another revision.
    monkeypatch.setattr(package_builder, "minify_js",
                        lambda text: minify(text.replace("c.rev !== C.revision ? 'outdated'", "false ? 'outdated'")))
    with pytest.raises(ValueError, match="reads or writes consent cookies differently"):
        package_builder.minify_script(GATE_SOURCE, "gate.js")


def test_the_minifier_version_is_an_input_of_the_build(monkeypatch, tmp_path):
    shutil.copytree(PROJECT_ROOT / "widget", tmp_path / "widget", ignore=shutil.ignore_patterns("__pycache__"))
    before = package_builder.inputs_hash(tmp_path)
    real_version = package_builder.metadata.version
    monkeypatch.setattr(package_builder.metadata, "version",
                        lambda name: "0.0.1" if name == "tdewolff-minify" else real_version(name))
    assert package_builder.inputs_hash(tmp_path) != before
