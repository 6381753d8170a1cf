"""The scanner's input checks and its catalogue, without a browser."""

from __future__ import annotations

import pytest

from crumb.cli import main
from crumb.scan.catalogue import Catalogue, CatalogueError
from crumb.scan.domains import registrable_domain


@pytest.mark.parametrize(("argv", "message"), [
    (["ftp://acme.example/", "--site", "demo"], "URL: expected an http:// or https:// address (got 'ftp://acme.example/')"),
    (["http://acme.example/", "--site", "nope"], "--site: no policy with id 'nope'"),
    (["http://acme.example/", "--site", "demo", "--chromium", "/nowhere/chromium"],
     "--chromium: no Chromium program at /nowhere/chromium"),
    (["http://acme.example/", "--pages", "0"], "--pages: expected a number of pages of at least 1 (got 0)"),
])
def test_bad_input_gets_one_line_naming_it_and_exit_status_2(argv, message, capsys):
    assert main(["scan", *argv]) == 2
    error = capsys.readouterr().err
    assert message in error and error.count("\n") == 1


def test_the_bundled_catalogue_knows_at_least_150_things_with_vendor_category_duration_and_hosts():
    catalogue = Catalogue.bundled()
    assert len(catalogue.entries) >= 150
    assert all(e.vendor and e.category and e.duration for e in catalogue.entries)
    assert catalogue.known("cookie", "_ga_X1Y2", "acme.example") == {"vendor": "Google Analytics",
                                                                     "category": "analytics"}
    assert catalogue.known("request", "connect.facebook.net", None)["vendor"] == "Meta Pixel"
    assert catalogue.known("cookie", "IDE", "acme.example") is None  # DoubleClick's, on its own domain only


def test_an_open_cookie_database_csv_adds_its_rows(tmp_path):
    csv_file = tmp_path / "open-cookie-database.csv"
    csv_file.write_text(
        "ID,Platform,Category,Cookie / Data Key name,Domain,Description,Retention period,Data Controller,"
        "User Privacy & GDPR Rights Portals,Wildcard match\n"
        "1,Acme Ads,Marketing,acme_ad_,acme-ads.example (3rd party),Ads,1 year,Acme,https://x,1\n",
        encoding="utf-8")
    catalogue = Catalogue.bundled()
    catalogue.add_open_cookie_database(csv_file)
    assert catalogue.known("cookie", "acme_ad_42", "acme-ads.example") == {"vendor": "Acme Ads",
                                                                          "category": "marketing"}


def test_a_file_that_is_not_the_open_cookie_database_is_refused_by_name(tmp_path):
    (tmp_path / "x.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match="not an Open Cookie Database CSV"):
        Catalogue.bundled().add_open_cookie_database(tmp_path / "x.csv")


@pytest.mark.parametrize(("host", "site"), [("www.acme.example", "acme.example"), ("a.b.acme.co.uk", "acme.co.uk"),
                                            ("127.0.0.2", "127.0.0.2"), ("localhost", "localhost")])
def test_hosts_belong_to_their_registrable_domain(host, site):
    assert registrable_domain(host) == site
