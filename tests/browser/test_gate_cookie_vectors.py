"""The consent-cookie vectors through the gate's reader in Chromium itself.

The served gate runs in a worker (no `document`), where it exports its reader; every vector of
`tests/vectors/consent_cookie.json` must come out as it does in CPython and V8.
"""

from __future__ import annotations

import json
from pathlib import Path

import aiohttp

from crumb.gate_config import CONFIG_TOKEN

VECTORS = json.loads((Path(__file__).parent.parent / "vectors" / "consent_cookie.json").read_text(encoding="utf-8"))

RUN_IN_WORKER = """async ([gate, vectors]) => {
  const source = gate + `
    onmessage = e => postMessage(e.data.map(([raw, now]) => {
      const result = crumbCookie.read(raw, now);
      return result === null ? ['none', null] : result === 'outdated' ? ['outdated', null] : ['valid', result];
    }));`;
  const worker = new Worker(URL.createObjectURL(new Blob([source], {type: 'text/javascript'})));
  const answer = new Promise(resolve => { worker.onmessage = e => resolve(e.data); });
  worker.postMessage(vectors);
  const results = await answer;
  worker.terminate();
  return results;
}"""


async def test_every_vector_reads_the_same_in_chromium(visitor, host_site, crumb):
    async with aiohttp.ClientSession() as session, session.get(crumb.gate_url) as response:
        gate = await response.text()
    await visitor.goto(host_site.page("", gate=False))
    rules = VECTORS["rules"]
    start, end = gate.index('{"site"'), gate.rindex("})")
    served = json.loads(gate[start:end + 1])
    served.update(revision=rules["revision"], categories=rules["categories"], required=rules["required"],
                  services={service: ["analytics", service] for service in rules["services"]})
    source = gate[:start] + json.dumps(served) + gate[end + 1:]
    assert CONFIG_TOKEN not in source
    vectors = VECTORS["read"]
    results = await visitor.page.evaluate(RUN_IN_WORKER, [source, [[v["raw"], v["now"]] for v in vectors]])
    assert {v["name"]: tuple(result) for v, result in zip(vectors, results)} == \
        {v["name"]: (v["status"], v.get("consent")) for v in vectors}
