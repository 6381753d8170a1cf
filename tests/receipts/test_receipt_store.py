"""Both receipt stores behind the one interface: append, look up, export, purge, migrate."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest

from crumb.receipts import Receipt, StoreUnavailable, store_for
from crumb.receipts.receipt import new_receipt_id, now_utc
from crumb.receipts.sqlite import EXPORT_BATCH, MIGRATIONS
from tests.receipts.receipt_data import database_dump

T0 = dt.datetime(2026, 3, 1, 12, 0, 0, 123000, tzinfo=dt.timezone.utc)


def receipt(consent_id: str | None = None, received_at: dt.datetime = T0, site: str = "bakery") -> Receipt:
    return Receipt(receipt_id=new_receipt_id(), received_at=received_at, site=site,
                   consent_id=consent_id or str(uuid.uuid4()), revision=4, policy_hash="ab" * 32,
                   categories=("necessary", "analytics"), services=("plausible",), method="custom",
                   language="en", page="https://bakery.example/")


async def opened(db_url: str):
    store = store_for(db_url)
    await store.open()
    return store


async def test_receipts_of_one_consent_come_back_oldest_first_and_unchanged(db_url):
    store = await opened(db_url)
    consent_id = str(uuid.uuid4())
    first = receipt(consent_id, T0)
    second = receipt(consent_id, T0 + dt.timedelta(days=30))
    await store.add(first)
    await store.add(receipt())  # another visitor
    await store.add(second)
    found = await store.by_consent("bakery", consent_id)
    await store.close()
    assert found == [first, second]


async def test_a_consent_id_is_looked_up_on_its_own_site_only(db_url):
    store = await opened(db_url)
    stored = receipt(site="other-shop")
    await store.add(stored)
    found = await store.by_consent("bakery", stored.consent_id)
    await store.close()
    assert found == []


async def test_receipts_survive_closing_and_reopening_the_store(db_url):
    store = await opened(db_url)
    stored = await store.add(receipt())
    await store.close()
    reopened = await opened(db_url)
    found = await reopened.by_consent("bakery", stored.consent_id)
    await reopened.close()
    assert found == [stored]


async def test_migrations_run_once_however_often_the_store_opens(db_url):
    for _ in range(3):
        store = await opened(db_url)
        await store.close()
    store = await opened(db_url)
    await store.add(receipt())
    await store.close()
    dump = await database_dump(db_url)
    # One row per migration (both stores have the same number of them), however often it opened.
    assert dump.count("INSERT INTO \"schema_migrations\"") + dump.count("schema_migrations: ") == len(MIGRATIONS)


async def test_a_policy_version_is_kept_once_and_read_back_by_revision(db_url):
    store = await opened(db_url)
    canonical = json.dumps({"id": "bakery", "revision": 4, "name": "Kepyklėlė"}, ensure_ascii=False)
    await store.keep_policy_version("bakery", 4, "cd" * 32, canonical)
    await store.keep_policy_version("bakery", 4, "cd" * 32, canonical)
    again = await opened(db_url)  # another process keeps it too
    await again.keep_policy_version("bakery", 4, "cd" * 32, canonical)
    versions = await again.policy_versions("bakery", 4)
    await again.close()
    await store.close()
    assert versions == [("cd" * 32, canonical)]


async def test_export_yields_every_receipt_of_the_site_in_time_order_past_one_batch(db_url):
    store = await opened(db_url)
    added = [await store.add(receipt(received_at=T0 + dt.timedelta(seconds=i)))
             for i in range(EXPORT_BATCH * 2 + 7)]
    await store.add(receipt(site="other-shop"))
    exported = [item async for item in store.iter_export("bakery")]
    await store.close()
    assert exported == added


async def test_export_since_leaves_out_older_receipts(db_url):
    store = await opened(db_url)
    old = await store.add(receipt(received_at=T0))
    boundary = await store.add(receipt(received_at=T0 + dt.timedelta(days=1)))
    new = await store.add(receipt(received_at=T0 + dt.timedelta(days=2)))
    exported = [item async for item in store.iter_export("bakery", T0 + dt.timedelta(days=1))]
    await store.close()
    assert old not in exported
    assert exported == [boundary, new]


async def test_purge_removes_only_receipts_older_than_the_cutoff_and_counts_them(db_url):
    store = await opened(db_url)
    for days in (400, 390, 10):
        await store.add(receipt(received_at=now_utc() - dt.timedelta(days=days)))
    removed = await store.purge(now_utc() - dt.timedelta(days=365))
    left = [item async for item in store.iter_export("bakery")]
    await store.close()
    assert removed == 2
    assert len(left) == 1


async def test_ping_reports_health_while_open(db_url):
    store = await opened(db_url)
    problem = await store.ping()
    await store.close()
    assert problem is None


async def test_a_closed_store_refuses_writes_as_unavailable(db_url):
    store = await opened(db_url)
    await store.close()
    with pytest.raises(StoreUnavailable):
        await store.add(receipt())
