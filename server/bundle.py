"""The built bundle at start-up: present, and in a checkout rebuilt first when its sources changed.

The server only reads `static/dist/` (README, "The widget bundle"). Building is the job of
package_builder.py, which a checkout has and an installed wheel does not need (the wheel
carries the bundle): the command line calls it in this one direction, and only here.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path


def ensure_bundle(static_dir: Path) -> bool:
    """Return True when `static_dir/dist` holds a bundle to serve, building it first in a checkout
    whose sources changed; else print one line saying how to get one and return False."""
    builder = _checkout_builder(static_dir)
    if builder is not None and builder.is_stale(builder.ROOT):
        print(f"Building the widget bundle in {static_dir / 'dist'} (its sources changed) ...", file=sys.stderr)
        manifest = builder.build(builder.ROOT)
        print(f"Built {len(manifest['files'])} files.", file=sys.stderr)
    if (static_dir / "dist" / "manifest.json").is_file():
        return True
    print(f"Crumb will not start: no widget bundle in {static_dir / 'dist'}; build it with "
          "`pip install -e '.[build]' && python package_builder.py` in the checkout", file=sys.stderr)
    return False


def _checkout_builder(static_dir: Path):
    """Return package_builder when this bundle is a checkout's and the build tools are installed."""
    try:
        builder = importlib.import_module("package_builder")
    except ImportError:  # an installed wheel, or a checkout without the `build` extra
        return None
    return builder if (builder.ROOT / "static").resolve() == static_dir.resolve() else None
