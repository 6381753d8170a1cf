#!/bin/sh
# Chromium for the benchmark, at the scheduling priority the page would have without the
# harness: run.py raises the harness's own priority (Python and Playwright's driver, which
# starts this) so that it reacts at once to the probe; the browser must not inherit that.
[ -n "$BENCH_CHROMIUM_NICE" ] && renice -n "$BENCH_CHROMIUM_NICE" -p $$ >/dev/null 2>&1
exec /usr/bin/chromium "$@"
