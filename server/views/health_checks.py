"""Checks `/healthz` runs: each part that can fail (the receipt store) registers one."""

from __future__ import annotations

from typing import Awaitable, Callable

from aiohttp import web

HealthCheck = Callable[[web.Application], Awaitable[str | None]]
CHECKS = web.AppKey("health_checks", list)


def add_health_check(app: web.Application, check: HealthCheck) -> None:
    """Register `check`: it returns None when healthy, else a short description of the problem."""
    app.setdefault(CHECKS, []).append(check)
