"""Services that store nothing on the device: declared without a category, listed apart, and
never the owner of a storage row; a site with nothing optional says so."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from crumb.cli import run_check
from crumb.gate_config import gate_config
from crumb.policy import PolicyError, load_policy, policy_document
from crumb.policy.content_hash import canonical_content
from crumb.policy.loader import parse_policy
from crumb.views.pages import export_page
from crumb.widget.tree import render_html
from crumb.widget.view import preferences_view
from tests.conftest import POLICY_FIXTURES
from tests.site_policies import AllOff, raw_site

SUPPORT_CHAT = POLICY_FIXTURES / "realistic" / "support_chat.toml"
ESSENTIAL = POLICY_FIXTURES / "realistic" / "essential_only.toml"
PLAUSIBLE = {"id": "plausible", "name": "Plausible Analytics", "stores_nothing": True}


def _page(path, lang):
    return BeautifulSoup(export_page(policy_document(load_policy(path).policy, lang)), "html.parser")


def _problems(**extra) -> list[str]:
    with pytest.raises(PolicyError) as raised:
        parse_policy(raw_site([("chat", "Chat")], ["en"], **extra), "site.toml")
    return raised.value.problems


@pytest.mark.parametrize("lang,heading", [("en", "Services that store nothing on your device"),
                                          ("de", "Dienste, die nichts auf Ihrem Gerät speichern")])
def test_support_chat_page_lists_cookie_free_services_in_their_own_section(lang, heading):
    page = _page(SUPPORT_CHAT, lang)
    section = page.find("section", attrs={"aria-labelledby": "stateless"})
    assert section.h2.get_text() == heading
    assert [h3.get_text() for h3 in section.find_all("h3")] == ["Plausible Analytics", "Sentry"]
    third_parties = page.find("section", attrs={"aria-labelledby": "services"})
    assert [h3.get_text() for h3 in third_parties.find_all("h3")] == ["Crisp Chat"]
    assert page.find("h2", id="change") is not None and page.find(class_="nothing-optional") is None


def test_essential_only_page_says_there_is_nothing_to_consent_to_instead_of_the_withdrawal_section():
    page = _page(ESSENTIAL, "en")
    assert page.find("h2", id="change") is None
    assert page.find(class_="nothing-optional").get_text(" ", strip=True) == (
        "Tallybook uses only strictly necessary cookies and similar technologies, so there is nothing "
        "to agree to or withdraw.")
    assert "Plausible Analytics" in page.find("section", attrs={"aria-labelledby": "stateless"}).get_text()
    assert "Category:" not in page.get_text()


def test_essential_only_site_lists_none_of_crumbs_own_cookies():
    names = [row.name for row in load_policy(ESSENTIAL).policy.storage]
    assert names == ["tb_session", "tb_csrf"]


def test_panel_shows_cookie_free_services_in_their_own_section_without_a_switch():
    document = policy_document(load_policy(SUPPORT_CHAT).policy, "de")
    panel = BeautifulSoup(render_html(preferences_view(document, AllOff())), "html.parser")
    section = panel.find("section", class_="crumb-stateless")
    assert "Dienste, die nichts auf Ihrem Gerät speichern" in section.get_text()
    assert [s.get_text() for s in section.find_all(class_="crumb-service-name")] == ["Plausible Analytics", "Sentry"]
    assert section.find("input") is None
    assert not panel.find("input", attrs={"data-crumb-service": "plausible"})


def test_stores_nothing_must_be_true_or_false():
    assert "site.toml: services[0].stores_nothing: expected true or false (got \"yes\")" in _problems(
        services=[{**PLAUSIBLE, "stores_nothing": "yes", "category": "chat"}])


def test_a_service_that_stores_nothing_takes_no_category():
    problems = _problems(services=[{**PLAUSIBLE, "category": "chat"}])
    assert any(p.startswith("site.toml: services[0].category: a service with stores_nothing = true needs no "
                            "consent category") and p.endswith('(got "chat")') for p in problems), problems


def test_a_service_that_stores_nothing_lists_no_hosts_to_block():
    problems = _problems(services=[{**PLAUSIBLE, "hosts": ["plausible.io"]}])
    assert problems == ["site.toml: services[0].hosts: a service with stores_nothing = true is never blocked; "
                        "remove hosts (got a list of 1)"]


def test_a_storage_row_cannot_belong_to_a_service_that_stores_nothing():
    row = {"name": "_pl_id", "service": "plausible", "duration": "1y", "purpose": "Counts."}
    problems = _problems(services=[PLAUSIBLE], storage=[row])
    assert problems == ["site.toml: storage[0] (_pl_id).service: service 'plausible' has stores_nothing = true, "
                        'so this row cannot belong to it; set stores_nothing = false and give it a '
                        'category, or remove the row (got "plausible")']


def test_check_refuses_a_storage_row_of_a_service_that_stores_nothing(tmp_path, capsys):
    text = ESSENTIAL.read_text() + ('\n[[storage]]\nname = "plausible_ignore"\nkind = "local_storage"\n'
                                    'service = "plausible"\nduration = "persistent"\npurpose = "Opt-out."\n')
    (tmp_path / "bad.toml").write_text(text)
    assert run_check([tmp_path / "bad.toml"]) == 1
    err = capsys.readouterr().err
    assert "storage[2] (plausible_ignore).service: service 'plausible' has stores_nothing = true" in err


def test_the_hash_of_a_policy_without_such_services_keeps_its_old_content():
    policy = parse_policy(raw_site([("chat", "Chat")], ["en"], services=[
        {"id": "crisp", "name": "Crisp", "category": "chat"}]), "site.toml").policy
    assert "stores_nothing" not in canonical_content(policy)["services"][0]


def test_the_gate_does_not_know_a_service_that_stores_nothing():
    # Nothing to consent to: it is in neither the gate's services nor an accept-all consent.
    config = gate_config(load_policy(SUPPORT_CHAT).policy, "https://consent.example")
    assert "plausible" not in config["services"] and config["services"]
