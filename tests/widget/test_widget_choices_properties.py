"""Properties of the choices model over any sequence of switch flips (Hypothesis)."""

from hypothesis import given
from hypothesis import strategies as st

from crumb.policy import load_policy, policy_document
from crumb.settings import DEMO_POLICIES
from crumb.widget.choices import Choices

DOCUMENT = policy_document(load_policy(DEMO_POLICIES / "demo.toml").policy, "en")
CATEGORY_IDS = [c["id"] for c in DOCUMENT["categories"]]
SERVICE_IDS = [s["id"] for s in DOCUMENT["services"]]
flips = st.lists(st.tuples(st.sampled_from(["category", "service"]),
                           st.sampled_from(CATEGORY_IDS + SERVICE_IDS), st.booleans()), max_size=20)


def flipped(steps) -> Choices:
    choices = Choices(DOCUMENT)
    for kind, target, on in steps:
        (choices.set_category if kind == "category" else choices.set_service)(target, on)
    return choices


@given(flips)
def test_a_custom_decision_always_holds_every_required_category(steps):
    decision = flipped(steps).decision("custom")
    assert {"necessary"} <= set(decision["categories"])


@given(flips)
def test_a_custom_decision_lists_known_ids_once_in_policy_order(steps):
    decision = flipped(steps).decision("custom")
    assert decision["categories"] == [c for c in CATEGORY_IDS if c in decision["categories"]]
    assert decision["services"] == [s for s in SERVICE_IDS if s in decision["services"]]


@given(flips)
def test_the_switches_shown_are_the_decision_made(steps):
    choices = flipped(steps)
    decision = choices.decision("custom")
    assert [c for c in CATEGORY_IDS if choices.category_on(c)] == decision["categories"]
    assert [s for s in SERVICE_IDS if choices.service_on(s)] == decision["services"]


@given(flips)
def test_accept_all_and_reject_all_ignore_the_switches(steps):
    choices = flipped(steps)
    assert choices.decision("accept_all")["categories"] == CATEGORY_IDS
    assert choices.decision("reject_all")["categories"] == ["necessary"]
