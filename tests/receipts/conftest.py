"""Receipt-test fixtures: both stores for real, and the app built through `create_app()`.

PostgreSQL is a throwaway cluster started once per test session (`initdb` into a temporary
directory, `pg_ctl start` on a free port) and removed at the end; every test gets a fresh
database in it. If the PostgreSQL binaries are missing, the fixture fails: a receipt test
that silently skipped PostgreSQL would prove nothing about it.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

from crumb.app import create_app
from crumb.appkeys import RECEIPTS
from crumb.receipts import ReceiptStore
from crumb.sites import Sites
from tests.receipts.receipt_data import RECEIPT_POLICIES, receipt_settings
from tests.server_process import free_port

STORES = ("sqlite", "postgresql")


@dataclass(frozen=True)
class PostgresCluster:
    """A throwaway PostgreSQL server on loopback that trusts local connections."""

    root: Path
    port: int
    bindir: Path
    run_as: tuple[str, ...]  # prefix that runs a command as the cluster's owner
    host: str = "127.0.0.1"

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        options = f"-p {self.port} -k {self.root} -c listen_addresses={self.host} -c max_connections=200"
        self._pg_ctl("-l", str(self.root / "server.log"), "-o", options, "start")

    def stop(self) -> None:
        """Stop the server at once, as a crash or an outage would."""
        self._pg_ctl("-m", "immediate", "stop")

    def create_database(self) -> str:
        """Create an empty database and return its URL."""
        name = "crumb_" + uuid.uuid4().hex[:12]
        _run([*self.run_as, str(self.bindir / "createdb"), "-h", self.host, "-p", str(self.port),
              "-U", "postgres", name])
        return f"postgresql://postgres@{self.host}:{self.port}/{name}"

    def _pg_ctl(self, *args: str) -> None:
        _run([*self.run_as, str(self.bindir / "pg_ctl"), "-D", str(self.root / "data"), "-w", *args])


def postgres_bindir() -> Path:
    """Return the directory of the newest installed PostgreSQL server binaries.

    :raise pytest.fail.Exception: when none is installed.
    """
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                        key=lambda path: int(Path(path).parent.parent.name))
    if candidates:
        return Path(candidates[-1]).parent
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).parent
    pytest.fail("PostgreSQL server binaries (initdb, pg_ctl) are not installed: the receipt tests "
                "need a real PostgreSQL. Install them with `apt-get install -y postgresql`.",
                pytrace=False)


def start_cluster() -> PostgresCluster:
    """Create and start a throwaway PostgreSQL cluster in a new temporary directory (also for bench/)."""
    bindir = postgres_bindir()
    root = Path(tempfile.mkdtemp(prefix="crumb-pg-"))
    run_as: tuple[str, ...] = ()
    if os.geteuid() == 0:  # postgres refuses to run as root
        shutil.chown(root, "postgres", "postgres")
        run_as = ("runuser", "-u", "postgres", "--")
    _run([*run_as, str(bindir / "initdb"), "-D", str(root / "data"), "-U", "postgres", "--auth=trust",
          "-E", "UTF8", "--locale=C", "--no-sync"])
    cluster = PostgresCluster(root, free_port(), bindir, run_as)
    cluster.start()
    return cluster


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    """Start a throwaway PostgreSQL cluster for the whole session; stop and delete it at the end."""
    cluster = start_cluster()
    try:
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(cluster.root, ignore_errors=True)


def _run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail(f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout}{result.stderr}",
                    pytrace=False)


@pytest.fixture(params=STORES)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty receipt database: a SQLite file in `tmp_path`, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'receipts.sqlite3'}"
    return request.getfixturevalue("postgres_cluster").create_database()


@pytest.fixture
def bakery() -> Sites:
    """The receipt-test policies, loaded."""
    return Sites.from_directory(RECEIPT_POLICIES)


@pytest.fixture
async def receipt_client(aiohttp_client, db_url):
    """A client of the real app (rate limit out of the way) on a loopback port."""
    return await aiohttp_client(create_app(receipt_settings(db_url)))


@pytest.fixture
def store(receipt_client) -> ReceiptStore:
    """The store the app opened, to look at what was (not) stored."""
    return receipt_client.app[RECEIPTS]
