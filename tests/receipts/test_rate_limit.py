"""The per-client sliding window behind 429: counted per client, forgiven as time passes."""

from __future__ import annotations

from crumb.rate_limit import RateLimiter, client_bucket, retry_after


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_requests_up_to_the_limit_pass_and_the_next_waits_for_the_oldest_to_expire():
    clock = Clock()
    limiter = RateLimiter(3, window=60, clock=clock)
    for step in range(3):
        clock.now = 1000.0 + step * 10
        assert limiter.check("198.51.100.7") is None
    clock.now = 1025.0
    assert limiter.check("198.51.100.7") == 35.0  # the first hit (t=1000) leaves the window at 1060


def test_the_window_slides_rather_than_resetting_per_minute():
    clock = Clock()
    limiter = RateLimiter(2, window=60, clock=clock)
    assert limiter.check("198.51.100.7") is None  # t=1000
    clock.now = 1050.0
    assert limiter.check("198.51.100.7") is None
    clock.now = 1061.0  # the first hit is gone, the second still counts
    assert limiter.check("198.51.100.7") is None
    assert limiter.check("198.51.100.7") is not None


def test_clients_are_limited_separately():
    limiter = RateLimiter(1, clock=Clock())
    assert limiter.check("198.51.100.7") is None
    assert limiter.check("198.51.100.7") is not None
    assert limiter.check("2001:db8::1") is None


def test_the_limiter_keeps_no_client_address_in_memory():
    limiter = RateLimiter(5, clock=Clock())
    limiter.check("198.51.100.7")
    assert not any(b"198.51.100.7" in key or "198.51.100.7" in repr(key) for key in limiter._hits)


def test_retry_after_is_whole_seconds_and_at_least_one():
    assert retry_after(0.2) == "1"
    assert retry_after(34.01) == "35"


def test_a_limit_of_zero_allows_everything():
    limiter = RateLimiter(0, clock=Clock())
    assert all(limiter.check("198.51.100.7") is None for _ in range(1000))


def test_ipv6_addresses_of_one_64_are_one_client_and_other_64s_are_others():
    limiter = RateLimiter(1, clock=Clock())
    assert limiter.check("2001:db8:7:7::1") is None
    assert limiter.check("2001:db8:7:7:ffff:ffff:ffff:fffe") is not None
    assert limiter.check("2001:db8:7:8::1") is None


def test_a_client_is_its_ipv4_address_its_ipv6_64_or_the_text_it_came_as():
    assert client_bucket("198.51.100.7") == "198.51.100.7"
    assert client_bucket("::ffff:198.51.100.7") == "198.51.100.7"  # an IPv4 client on a dual-stack socket
    assert client_bucket("2001:db8:7:7:1:2:3:4") == "2001:db8:7:7::/64"
    assert client_bucket("unknown") == "unknown"
