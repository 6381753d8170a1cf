"""Google Consent Mode v2: what the gate pushes to `dataLayer`, in which order, and when."""

from __future__ import annotations

# dataLayer as plain data: gtag() calls (Arguments objects) become ["gtag", ...arguments].
DATA_LAYER = """() => (window.dataLayer || []).map(entry =>
    Object.prototype.toString.call(entry) === '[object Arguments]' ? ['gtag', ...Array.from(entry)] : entry)"""
# A stand-in for Google's tag, placed right after the gate: it records what it finds.
GOOGLE_TAG = "<script>window.tagSaw = JSON.parse(JSON.stringify(window.dataLayer || []));</script>"

KEYS = ["ad_storage", "ad_user_data", "ad_personalization", "analytics_storage",
        "functionality_storage", "personalization_storage", "security_storage"]
ALL_ON = ["necessary", "preferences", "analytics", "marketing"]
ALL_SERVICES = ["statly", "adpixel", "vidtube"]


def consent(granted: list[str]) -> dict[str, str]:
    """The seven keys, granted where listed (security_storage always), else denied."""
    return {key: "granted" if key in granted or key == "security_storage" else "denied" for key in KEYS}


# The demo policy: wait_for_update = 500; ads_data_redaction (on) and url_passthrough (off) as by default.
DEFAULTS = [
    ["gtag", "consent", "default", {**consent([]), "wait_for_update": 500}],
    ["gtag", "set", "ads_data_redaction", True],
    ["gtag", "set", "url_passthrough", False],
]


def update(granted: list[str], categories: list[str], services: list[str]) -> list:
    """The two entries the gate pushes for a consent."""
    return [["gtag", "consent", "update", consent(granted)],
            {"event": "crumb_consent_update", "crumb_categories": categories, "crumb_services": services}]


def gate_first(crumb, body: str = "") -> str:
    """A page body loading the gate without async, then the Google tag stand-in."""
    return f'<script src="{crumb.gate_url}"></script>{GOOGLE_TAG}{body}'


async def data_layer(visitor) -> list:
    return await visitor.page.evaluate(DATA_LAYER)


async def test_the_default_is_in_data_layer_before_a_google_tag_placed_after_the_gate(visitor, host_site, crumb):
    await visitor.goto(host_site.page(gate_first(crumb), gate=False))
    assert await visitor.page.evaluate("window.tagSaw") == [
        {"0": "consent", "1": "default", "2": {**consent([]), "wait_for_update": 500}},
        {"0": "set", "1": "ads_data_redaction", "2": True},
        {"0": "set", "1": "url_passthrough", "2": False},
    ]  # Arguments objects, as JSON sees them
    assert await data_layer(visitor) == DEFAULTS


async def test_a_first_visit_pushes_only_the_default(visitor, host_site, crumb):
    await visitor.goto(host_site.page(gate_first(crumb), gate=False))
    await visitor.wait_for_banner()
    assert await data_layer(visitor) == DEFAULTS


async def test_accept_all_grants_every_key_a_category_or_service_lists(visitor, host_site, crumb):
    await visitor.goto(host_site.page(gate_first(crumb), gate=False))
    await visitor.decide("Accept all")
    assert await data_layer(visitor) == DEFAULTS + update(KEYS, ALL_ON, ALL_SERVICES)


async def test_reject_all_updates_with_everything_but_security_denied(visitor, host_site, crumb):
    await visitor.goto(host_site.page(gate_first(crumb), gate=False))
    await visitor.decide("Reject all")
    assert await data_layer(visitor) == DEFAULTS + update([], ["necessary"], [])


async def test_a_custom_choice_grants_only_the_keys_of_what_was_accepted(visitor, host_site, crumb):
    await visitor.goto(host_site.page(gate_first(crumb), gate=False))
    await visitor.choose_in_preferences("Allow Analytics")
    assert await data_layer(visitor) == DEFAULTS + update(["analytics_storage"], ["necessary", "analytics"], ["statly"])


async def test_a_service_accepted_alone_grants_its_own_keys(visitor, host_site, crumb):
    def adpixel_drives_ad_storage(policy):
        next(s for s in policy["services"] if s["id"] == "adpixel")["consent_mode"] = ["ad_storage"]
    crumb.write_policy(adpixel_drives_ad_storage)
    await crumb.restart()
    await visitor.give_consent(["necessary"], ["adpixel"])
    await visitor.goto(host_site.page(gate_first(crumb), gate=False))
    assert await data_layer(visitor) == DEFAULTS + update(["ad_storage"], ["necessary"], ["adpixel"])


async def test_a_return_visit_with_valid_consent_pushes_the_default_then_the_update(visitor, host_site, crumb):
    await visitor.give_consent(["necessary", "analytics"], ["statly"])
    await visitor.goto(host_site.page(gate_first(crumb), gate=False))
    assert await data_layer(visitor) == DEFAULTS + update(["analytics_storage"], ["necessary", "analytics"], ["statly"])
    assert len(await visitor.page.evaluate("window.tagSaw")) == 5  # the update too, before the tag ran


async def test_settings_are_pushed_as_the_policy_sets_them(visitor, host_site, crumb):
    crumb.write_policy(consent_mode={"enabled": True, "wait_for_update": 2000, "ads_data_redaction": False,
                                     "url_passthrough": True})
    await crumb.restart()
    await visitor.goto(host_site.page(gate_first(crumb), gate=False))
    assert (await data_layer(visitor))[:3] == [
        ["gtag", "consent", "default", {**consent([]), "wait_for_update": 2000}],
        ["gtag", "set", "ads_data_redaction", False],
        ["gtag", "set", "url_passthrough", True],
    ]


async def test_a_policy_without_consent_mode_pushes_nothing(visitor, host_site, crumb):
    crumb.write_policy(consent_mode={"enabled": False})
    await crumb.restart()
    await visitor.give_consent(["necessary", "analytics"], ["statly"])
    await visitor.goto(host_site.page(gate_first(crumb), gate=False))
    await visitor.wait_for_gate()
    await visitor.page.evaluate("crumb.acceptAll()")
    assert await visitor.page.evaluate("window.dataLayer") is None


async def test_an_existing_data_layer_is_kept_and_appended_to(visitor, host_site, crumb):
    await visitor.goto(host_site.page(
        "<script>window.dataLayer = [{event: 'site_ready'}];</script>" + gate_first(crumb), gate=False))
    assert (await data_layer(visitor))[:2] == [{"event": "site_ready"}, DEFAULTS[0]]


async def test_a_global_privacy_control_decision_pushes_its_update(new_visitor, host_site, crumb):
    def only_marketing_optional(policy):
        policy["categories"] = [c for c in policy["categories"] if c.get("required") or c["id"] == "marketing"]
        policy["services"] = [s for s in policy["services"] if s["category"] == "marketing"]
        policy["storage"] = [row for row in policy["storage"] if row.get("category") in ("necessary", "marketing")
                             or row.get("service") in ("adpixel", "vidtube")]
    crumb.write_policy(only_marketing_optional)
    await crumb.restart()
    visitor = await new_visitor()
    await visitor.context.add_init_script(
        "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {get: () => true})")
    await visitor.goto(host_site.page(gate_first(crumb), gate=False))
    assert await data_layer(visitor) == DEFAULTS + update([], ["necessary"], [])
