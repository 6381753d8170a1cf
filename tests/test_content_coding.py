"""Which precompressed body a client gets, from its Accept-Encoding header."""

import pytest

from crumb.content_coding import accepted_codings, preferred_coding


@pytest.mark.parametrize(("header", "coding"), [
    ("gzip, deflate, br, zstd", "br"),
    ("gzip, deflate", "gzip"),
    ("br;q=0, gzip", "gzip"),
    ("BR", "br"),
    ("*", "br"),
    ("*;q=0.5, br;q=0", "gzip"),
    ("identity", ""),
    ("", ""),
    ("gzip;q=nonsense, br;q=0.1", "br"),
])
def test_the_preferred_coding_follows_the_header(header, coding):
    assert preferred_coding(header) == coding


def test_a_refused_coding_is_not_accepted():
    assert accepted_codings("gzip;q=0, deflate") == {"deflate"}
