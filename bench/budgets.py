"""The budgets (README, "The parts and their contracts"), checked against one run's figures."""

from __future__ import annotations

from dataclasses import dataclass

from report import KB

GATE_MAX_KB = 3
AUTOBLOCK_GATE_MAX_KB = 3.5  # a site that declares service hosts (README, "Auto-blocking")
FIRST_VISIT_MAX_KB = 240
BANNER_VISIBLE_MAX_RATIO = 1.5
BANNER_WORKING_MAX_RATIO = 3.0
RETURN_VISIT_MAX_RATIO = 1.0
SERVER_MIN_RATIO = 0.8


@dataclass(frozen=True)
class Verdict:
    """One budget: what it asks, what was measured, and whether it is met (None: not measured)."""

    budget: str
    measured: str
    met: bool | None

    def as_dict(self) -> dict:
        """Return it as JSON-able data."""
        return {"budget": self.budget, "measured": self.measured, "met": self.met}


def _ratio_verdict(budget: str, figure: dict | None, limit: float) -> Verdict:
    if figure is None or "ratio" not in figure:
        return Verdict(budget, "not measured", None)
    return Verdict(budget, f"x{figure['ratio']:.2f} (Crumb median {figure['median']:.0f} ms)",
                   figure["ratio"] <= limit)


def _gate_bytes(crumb_runs: list[dict]) -> int | None:
    sizes = [q["body_bytes"] for run in crumb_runs for q in run["first"]["requests"]
             if q["url"].split("?")[0].endswith("/gate.js") and q["encoding"] == "br"]
    return max(sizes) if sizes else None


def check_budgets(crumb_runs: list[dict], summary: dict, server: dict, autoblock: bool = False,
                  plain_gate: int | None = None) -> list[Verdict]:
    """Return one verdict per budget, in the README's order. `autoblock`: the bench policy lists
    service hosts, so the browser got the gate with auto-blocking; `plain_gate`: the brotli size
    of the gate without it for the same policy (computed, bench/gate_size.py)."""
    verdicts = []
    gate = _gate_bytes(crumb_runs)
    others = sorted({(q["url"].split("?")[0].rsplit("/", 1)[-1], q["body_bytes"]) for run in crumb_runs
                     for q in run["first"]["requests"]
                     if q["url"].startswith("/sites/") and q["url"].split("?")[0].endswith(".js")
                     and not q["url"].split("?")[0].endswith("/gate.js")})
    also = "".join(f"; first visit also loads {name}: {size} bytes brotli" for name, size in others)
    limit = AUTOBLOCK_GATE_MAX_KB if autoblock else GATE_MAX_KB
    if autoblock:
        verdicts.append(Verdict(f"gate.js without auto-blocking at most {GATE_MAX_KB} KB brotli",
                                "not measured" if plain_gate is None
                                else f"{plain_gate} bytes brotli (the same policy without hosts, computed)",
                                None if plain_gate is None else plain_gate <= GATE_MAX_KB * KB))
    verdicts.append(Verdict(f"gate.js {'with auto-blocking ' if autoblock else ''}at most {limit} KB brotli",
                            "not measured" if gate is None else f"{gate} bytes brotli{also}",
                            None if gate is None else gate <= limit * KB))
    if crumb_runs:
        returns = [q for run in crumb_runs
                   for q in run["return"]["requests"] + run.get("return_cold", {}).get("requests", [])]
        extra = sorted({q["url"] for q in returns if not q["url"].split("?")[0].endswith("/gate.js")})
        verdicts.append(Verdict("returning visitor: the gate is the only Crumb request",
                                "only gate.js (warm and empty cache)" if not extra else "also " + ", ".join(extra),
                                not extra))
    else:
        verdicts.append(Verdict("returning visitor: the gate is the only Crumb request", "not measured", None))
    crumb = summary.get("crumb", {})
    first = crumb.get("first_kb")
    verdicts.append(Verdict(f"first-visit bytes at most {FIRST_VISIT_MAX_KB} KB brotli",
                            "not measured" if first is None else f"{first['median']:.1f} KB",
                            None if first is None else first["median"] <= FIRST_VISIT_MAX_KB))
    verdicts.append(_ratio_verdict(f"banner visible at most {BANNER_VISIBLE_MAX_RATIO}x vanilla-cookieconsent",
                                   crumb.get("banner_visible_ms"), BANNER_VISIBLE_MAX_RATIO))
    verdicts.append(_ratio_verdict(f"banner working (click handled) at most {BANNER_WORKING_MAX_RATIO:.0f}x "
                                   "vanilla-cookieconsent", crumb.get("accept_handled_ms"),
                                   BANNER_WORKING_MAX_RATIO))
    returning = _ratio_verdict(f"returning visit, consented script starts at most "
                               f"{RETURN_VISIT_MAX_RATIO:.0f}x vanilla-cookieconsent",
                               crumb.get("return_script_ms"), RETURN_VISIT_MAX_RATIO)
    floor = summary.get("plain", {}).get("return_script_ms")
    if returning.met is not None and floor and "ratio" in floor:
        # The plain banner runs no consent logic at all: what it gets is the floor of this figure.
        returning = Verdict(returning.budget, returning.measured + f"; the plain JS banner (the floor): "
                            f"x{floor['ratio']:.2f}", returning.met)
    verdicts.append(returning)
    for name in ("policy JSON", "gate.js"):
        point = server.get("endpoints", {}).get(name)
        budget = f"server: {name} at {SERVER_MIN_RATIO:.0%} or more of a bare handler's req/s"
        if point is None or "rps_ratio" not in point:
            verdicts.append(Verdict(budget, "not measured", None))
        else:
            verdicts.append(Verdict(budget, f"{point['rps_ratio']:.0%}", point["rps_ratio"] >= SERVER_MIN_RATIO))
    return verdicts


def budget_table(verdicts: list[Verdict]) -> str:
    """Return the verdicts as a Markdown table."""
    words = {True: "met", False: "NOT met", None: "not measured"}
    lines = ['| budget (README, "Budgets") | measured | verdict |', '|---|---|---|']
    lines += [f"| {v.budget} | {v.measured} | {words[v.met]} |" for v in verdicts]
    return "\n".join(lines)
