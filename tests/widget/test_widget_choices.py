"""The widget's pure choices model, run in CPython on the demo policy's document."""

import pytest

from crumb.policy import load_policy, policy_document
from crumb.settings import DEMO_POLICIES
from crumb.widget.choices import Choices


@pytest.fixture
def document() -> dict:
    policy = load_policy(DEMO_POLICIES / "demo.toml").policy
    return policy_document(policy, "en")


def test_nothing_optional_is_on_before_the_visitor_acts(document):
    choices = Choices(document)
    assert [c for c in choices.optional if choices.category_on(c)] == []
    assert choices.decision("custom")["categories"] == ["necessary"]


def test_accept_all_gives_every_category_and_service(document):
    decision = Choices(document).decision("accept_all")
    assert decision["categories"] == ["necessary", "preferences", "analytics", "marketing"]
    assert decision["services"] == ["statly", "adpixel", "vidtube"]
    assert decision["method"] == "accept_all"


def test_reject_all_keeps_only_required_categories(document):
    choices = Choices(document)
    choices.set_category("analytics", True)
    assert choices.decision("reject_all") == {"categories": ["necessary"], "services": [], "method": "reject_all"}


def test_a_switched_on_category_brings_its_services(document):
    choices = Choices(document)
    choices.set_category("marketing", True)
    decision = choices.decision("custom")
    assert decision["categories"] == ["necessary", "marketing"]
    assert decision["services"] == ["adpixel", "vidtube"]


def test_a_service_switched_off_stays_off_inside_an_accepted_category(document):
    choices = Choices(document)
    choices.set_category("marketing", True)
    choices.set_service("vidtube", False)
    assert choices.decision("custom")["services"] == ["adpixel"]


def test_a_service_switched_on_alone_is_accepted_without_its_category(document):
    choices = Choices(document)
    choices.set_service("statly", True)
    decision = choices.decision("custom")
    assert decision["categories"] == ["necessary"] and decision["services"] == ["statly"]


def test_switching_a_category_again_resets_its_services_to_follow_it(document):
    choices = Choices(document)
    choices.set_category("marketing", True)
    choices.set_service("vidtube", False)
    choices.set_category("marketing", True)
    assert choices.service_on("vidtube")


def test_required_categories_cannot_be_switched_off(document):
    choices = Choices(document)
    choices.set_category("necessary", False)
    assert choices.category_on("necessary")


def test_an_earlier_consent_is_shown_on_the_switches(document):
    choices = Choices(document)
    choices.restore({"cats": ["necessary", "marketing"], "svcs": ["adpixel"]})
    assert choices.category_on("marketing") and not choices.category_on("analytics")
    assert choices.service_on("adpixel") and not choices.service_on("vidtube")


def test_gpc_keeps_sale_or_share_categories_off_on_accept_all(document):
    decision = Choices(document).decision("accept_all", gpc=True)
    assert "marketing" not in decision["categories"] and "adpixel" not in decision["services"]
    assert decision["method"] == "gpc"


def test_unknown_method_is_refused(document):
    with pytest.raises(ValueError, match="unknown decision method 'maybe'"):
        Choices(document).decision("maybe")
