"""The built bundle: logical asset names (`widget.js`) mapped to hashed files in `static/dist/`."""

from __future__ import annotations

import json
from pathlib import Path

STATIC_URL = "/static/dist/"


class MissingAsset(LookupError):
    """The manifest has no file under this logical name, or no manifest was built."""


class Assets:
    """Reads `static/dist/manifest.json` once; answers URLs, paths and texts by logical name."""

    def __init__(self, dist_dir: Path, files: dict[str, str]):
        self.dist_dir = dist_dir
        self._files = dict(files)
        self._served = frozenset(self._files.values())

    @classmethod
    def load(cls, dist_dir: Path) -> "Assets":
        """Read the manifest in `dist_dir`; an absent manifest gives an empty set of assets."""
        try:
            manifest = json.loads((dist_dir / "manifest.json").read_text("utf-8"))
        except FileNotFoundError:
            return cls(dist_dir, {})
        return cls(dist_dir, manifest["files"])

    def has(self, logical: str) -> bool:
        """True when the bundle holds this logical name."""
        return logical in self._files

    def hashed(self, logical: str) -> str:
        """Return the hashed file name of `logical`.

        :raise MissingAsset: when the bundle has no such file (run `python package_builder.py`).
        """
        try:
            return self._files[logical]
        except KeyError:
            raise MissingAsset(f"{logical!r} is not in {self.dist_dir / 'manifest.json'}") from None

    def url(self, logical: str) -> str:
        """Return `/static/dist/<hashed name>`."""
        return STATIC_URL + self.hashed(logical)

    def path(self, logical: str) -> Path:
        """Return the file's path on disk."""
        return self.dist_dir / self.hashed(logical)

    def text(self, logical: str) -> str:
        """Return the file's text (e.g. the gate template)."""
        return self.path(logical).read_text("utf-8")

    def serves(self, hashed_name: str) -> bool:
        """True when `hashed_name` is one of the bundle's files (the only names the route serves)."""
        return hashed_name in self._served
