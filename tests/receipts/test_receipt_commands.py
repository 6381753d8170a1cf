"""`python -m server receipts export|purge|policy` as a separate process, on both stores."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
import json
import sys
import uuid

from crumb.policy import canonical_json
from crumb.receipts import Receipt, store_for
from crumb.receipts.export import FIELDS
from crumb.receipts.receipt import new_receipt_id, now_utc
from tests.receipts.receipt_data import CONSENTS, SITE, count_receipts, valid_body
from tests.server_process import ROOT, free_port


async def crumb(*args: str) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "server", *args, cwd=ROOT,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await process.communicate()
    return process.returncode, out.decode(), err.decode()


def receipt(received_at: dt.datetime, site: str = SITE) -> Receipt:
    return Receipt(receipt_id=new_receipt_id(), received_at=received_at, site=site,
                   consent_id=str(uuid.uuid4()), revision=4, policy_hash="ef" * 32,
                   categories=("necessary", "marketing"), services=("vidtube", "plausible"),
                   method="custom", language="lt", page="https://bakery.example/duona")


async def stored(db_url: str, *receipts: Receipt) -> list[Receipt]:
    store = store_for(db_url)
    await store.open()
    for item in receipts:
        await store.add(item)
    await store.close()
    return list(receipts)


DAY = dt.timedelta(days=1)
T0 = dt.datetime(2026, 5, 10, 8, 30, tzinfo=dt.timezone.utc)


async def test_jsonl_export_prints_one_receipt_per_line_oldest_first(db_url):
    receipts = await stored(db_url, receipt(T0 + DAY), receipt(T0), receipt(T0, site="other-shop"))
    status, out, err = await crumb("receipts", "export", "--site", SITE, "--format", "jsonl", "--db", db_url)
    assert status == 0, err
    assert [json.loads(line) for line in out.splitlines()] == [receipts[1].as_json(), receipts[0].as_json()]


async def test_csv_export_has_a_header_and_space_separated_ids(db_url):
    [only] = await stored(db_url, receipt(T0))
    status, out, err = await crumb("receipts", "export", "--site", SITE, "--format", "csv", "--db", db_url)
    assert status == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows == [{**{key: str(value) for key, value in only.as_json().items()},
                     "categories": "necessary marketing", "services": "vidtube plausible"}]


async def test_export_since_a_date_leaves_out_older_receipts(db_url):
    old, new = await stored(db_url, receipt(T0), receipt(T0 + 2 * DAY))
    status, out, err = await crumb("receipts", "export", "--site", SITE, "--format", "jsonl",
                                   "--since", (T0 + DAY).date().isoformat(), "--db", db_url)
    assert status == 0, err
    assert [json.loads(line)["receipt_id"] for line in out.splitlines()] == [new.receipt_id]


async def test_purge_removes_receipts_older_than_the_days_given_and_says_how_many(db_url):
    await stored(db_url, receipt(now_utc() - 400 * DAY), receipt(now_utc() - 366 * DAY),
                 receipt(now_utc() - 2 * DAY))
    status, out, err = await crumb("receipts", "purge", "--older-than", "365", "--db", db_url)
    assert status == 0, err
    assert out.startswith("removed 2 receipts received before ")
    assert await count_receipts(db_url) == 1


async def test_policy_prints_the_canonical_json_kept_with_the_first_receipt(receipt_client, db_url, bakery):
    assert (await receipt_client.post(CONSENTS, json=valid_body())).status == 201
    status, out, err = await crumb("receipts", "policy", "--site", SITE, "--revision", "4", "--db", db_url)
    assert status == 0, err
    assert out == canonical_json(bakery.policy(SITE)) + "\n"


async def test_policy_of_a_revision_without_receipts_is_an_error(db_url):
    await stored(db_url)
    status, out, err = await crumb("receipts", "policy", "--site", SITE, "--revision", "3", "--db", db_url)
    assert status == 1
    assert "revision 3" in err


async def test_export_from_a_missing_sqlite_file_is_an_error_and_creates_nothing(tmp_path):
    path = tmp_path / "nothing-here.sqlite3"
    status, out, err = await crumb("receipts", "export", "--site", SITE, "--db", f"sqlite:///{path}")
    assert status == 2
    assert "no receipt database" in err and len(err.splitlines()) == 1
    assert not path.exists()


async def test_export_of_a_site_the_store_never_heard_of_is_one_line_and_no_header(db_url):
    await stored(db_url, receipt(T0, site="other-shop"))
    status, out, err = await crumb("receipts", "export", "--site", "bakry", "--db", db_url)
    assert (status, out) == (2, "")
    assert len(err.splitlines()) == 1 and "site 'bakry'" in err and "--db" in err
    assert "@" not in err  # a PostgreSQL URL's user (and password) is not printed


async def test_export_of_a_known_site_with_nothing_since_a_date_is_a_bare_header(db_url):
    await stored(db_url, receipt(T0))
    status, out, err = await crumb("receipts", "export", "--site", SITE, "--since", "2027-01-01", "--db", db_url)
    assert status == 0, err
    assert out.splitlines() == [",".join(FIELDS)]


async def test_export_without_db_where_the_default_database_is_missing_says_so(tmp_path):
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "crumb", "receipts", "export", "--site", SITE, cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await process.communicate()
    assert (process.returncode, out) == (2, b"")
    assert err.decode().startswith("--db: no receipt database at crumb-receipts.sqlite3;")
    assert len(err.splitlines()) == 1 and list(tmp_path.iterdir()) == []


async def test_serve_refuses_to_start_with_a_clear_message_when_postgresql_is_unreachable():
    unreachable = f"postgresql://postgres@127.0.0.1:{free_port()}/crumb"
    status, out, err = await crumb("serve", "--port", str(free_port()), "--no-demo", "--db", unreachable)
    assert status == 1
    assert "Crumb will not start: the receipt store is unavailable" in err
    assert "Traceback" not in out + err
