"""`python -m server stats` and `admin-token` as separate processes, on both stores."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

from crumb.appkeys import RECEIPTS, SHOWN_BANNERS
from crumb.stats.tokens import OwnerTokens
from tests.receipts.stats_data import TOTALS, post_known_mix
from tests.receipts.test_receipt_commands import crumb

TODAY = dt.datetime.now(dt.timezone.utc).date().isoformat()


async def counted(client) -> None:
    """Post the known mix and write the banners shown now (a server does it every few seconds)."""
    await post_known_mix(client)
    await client.app[SHOWN_BANNERS].write(client.app[RECEIPTS])


async def test_stats_as_json_gives_exactly_the_posted_counts(receipt_client, db_url):
    await counted(receipt_client)
    status, out, err = await crumb("stats", "--site", "bakery", "--since", TODAY, "--until", TODAY,
                                   "--format", "json", "--db", db_url)
    assert status == 0, err
    assert json.loads(out) == {"site": "bakery", "from": TODAY, "to": TODAY,
                               "days": [{"date": TODAY, **TOTALS}], "totals": TOTALS}


async def test_stats_as_csv_has_a_row_per_day_and_a_total_row(receipt_client, db_url):
    await counted(receipt_client)
    status, out, err = await crumb("stats", "--site", "bakery", "--format", "csv", "--db", db_url)
    assert status == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 31 and rows[-1]["date"] == "total" and rows[-2]["date"] == TODAY
    assert rows[-1] == {"date": "total", "shown": "12", "accept_all": "3", "reject_all": "2", "custom": "4",
                        "gpc": "1", "accepted:analytics": "7", "accepted:marketing": "3",
                        "accepted:plausible": "7", "accepted:vidtube": "3"}


async def test_stats_as_a_table_lines_up_the_total_row(receipt_client, db_url):
    await counted(receipt_client)
    status, out, err = await crumb("stats", "--site", "bakery", "--since", TODAY, "--db", db_url)
    assert status == 0, err
    header, today, total = out.splitlines()
    assert header.split() == ["date", "shown", "accept_all", "reject_all", "custom", "gpc", "accepted:analytics",
                              "accepted:marketing", "accepted:plausible", "accepted:vidtube"]
    assert total.split() == ["total", "12", "3", "2", "4", "1", "7", "3", "7", "3"] == ["total", *today.split()[1:]]


async def test_stats_refuses_a_bad_date_naming_the_option(db_url):
    status, _, err = await crumb("stats", "--site", "bakery", "--since", "2026-11-31", "--db", db_url)
    assert status == 2
    assert err.startswith("--since: expected a date YYYY-MM-DD (got '2026-11-31')")


async def test_admin_token_prints_a_token_and_the_line_that_accepts_it(tmp_path):
    status, out, _ = await crumb("admin-token")
    assert status == 0
    token = re.search(r"token \(.*\): (\S+)", out).group(1)
    line = re.search(r"line for the --admin-tokens file: ([0-9a-f]{64})$", out, re.M).group(1)
    path = tmp_path / "tokens"
    path.write_text(line + "\n")
    assert OwnerTokens(path).accepts(token) and not OwnerTokens(path).accepts(token + "x")


async def test_stats_of_a_site_the_store_never_saw_is_one_line_and_exit_2(receipt_client, db_url):
    await counted(receipt_client)  # the store knows "bakery", not "bakry"
    status, out, err = await crumb("stats", "--site", "bakry", "--db", db_url)
    assert (status, out) == (2, "")
    assert err.startswith("--site: the receipt store") and "'bakry'" in err
