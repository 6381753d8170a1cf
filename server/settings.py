"""Run-time settings of one Crumb server process, from the command line, checked before use.

A bad setting is reported as a policy problem is, `key: what is wrong (got VALUE)`, naming the
command-line option (`--db: expected sqlite:///PATH or postgresql://... (got "mysql://x")`),
every problem at once, before anything is opened.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from pathlib import Path

from . import static as _bundle_package
from .policy.fields import shown
from .stats.tokens import TokenFileError, read_token_file

DEMO_POLICIES = Path(__file__).resolve().parent / "policies"
# The built bundle ships inside the package (crumb.static); in a checkout that is static/.
BUNDLE_PARENT = Path(_bundle_package.__file__).resolve().parent
DEFAULT_DB = "sqlite:///crumb-receipts.sqlite3"
_ORIGIN = re.compile(r"https?://([a-z0-9.\-]+|\[[0-9a-f:]+\])(:\d{1,5})?")


class SettingsError(ValueError):
    """Settings that cannot run; `problems` lists every one as `--option: what is wrong (got VALUE)`."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Settings:
    """Where policies, receipts and bundles live, and how this process faces the world."""

    policies_dir: Path = DEMO_POLICIES
    db_url: str = DEFAULT_DB
    static_dir: Path = BUNDLE_PARENT  # holds dist/, the built bundle
    demo: bool = True
    # Per-client limit on POST consents, per minute; a visitor decides a few times at most.
    receipt_rate_per_minute: int = 60
    # Reverse proxies whose X-Forwarded-For names the client, for the rate limit only
    # (hashed in memory, never stored). Without them every visitor would share the proxy's limit.
    trusted_proxies: tuple[str, ...] = ()
    # The origin browsers reach this server at (`--public-url`): baked into the gate, the only
    # origin besides the sites' own that may post receipts. Never taken from a request's Host.
    public_url: str = "http://127.0.0.1:8080"
    # Owner tokens for statistics and the dashboard (`--admin-tokens FILE`), none by default.
    admin_tokens_file: Path | None = None

    def problems(self) -> list[str]:
        """Return every problem of these settings (empty when they can run)."""
        found = []
        if not self.db_url.startswith(("sqlite:///", "postgresql://", "postgres://")) or self.db_url == "sqlite:///":
            found.append(f"--db: expected sqlite:///PATH or postgresql://USER@HOST/DB (got {shown(self.db_url)})")
        if not _ORIGIN.fullmatch(self.public_url):
            found.append("--public-url: expected the origin browsers use for this server, such as "
                         f"https://consent.example (no path, no slash at the end) (got {shown(self.public_url)})")
        if self.receipt_rate_per_minute < 0:
            found.append(f"--receipt-rate: expected 0 (no limit) or more (got {self.receipt_rate_per_minute})")
        for proxy in self.trusted_proxies:
            try:
                ipaddress.ip_address(proxy)
            except ValueError:
                found.append(f"--trusted-proxy: expected an IP address such as 127.0.0.1 (got {shown(proxy)})")
        if not self.policies_dir.is_dir():
            found.append(f"--policies: not a directory (got {shown(str(self.policies_dir))})")
        if self.admin_tokens_file is not None and not self.admin_tokens_file.is_file():
            found.append(f"--admin-tokens: no such file (got {shown(str(self.admin_tokens_file))})")
        elif self.admin_tokens_file is not None:
            try:
                read_token_file(self.admin_tokens_file)
            except (TokenFileError, OSError, UnicodeDecodeError) as error:
                found.append(str(error) if isinstance(error, TokenFileError) else f"--admin-tokens: {error}")
        return found

    def checked(self) -> "Settings":
        """Return these settings when they can run.

        :raise SettingsError: listing every problem.
        """
        problems = self.problems()
        if problems:
            raise SettingsError(problems)
        return self

    @property
    def public_origin(self) -> str:
        """The public URL without a trailing slash: what browsers send as `Origin`."""
        return self.public_url.rstrip("/")
