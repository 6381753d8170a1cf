"""The policy loader: every problem of a broken file named at once, translations as warnings."""

from __future__ import annotations

import copy
import tomllib

import pytest

from crumb.policy import PolicyError, canonical_content, load_policy, parse_policy, policy_document
from crumb.settings import DEMO_POLICIES
from crumb.texts import text_keys, texts_for
from tests.conftest import POLICY_FIXTURES

BROKEN = POLICY_FIXTURES / "broken" / "many_problems.toml"
DEMO = tomllib.loads((DEMO_POLICIES / "demo.toml").read_text(encoding="utf-8"))

# (key path, what the message must say, the value it must show) for every planted problem.
PLANTED = [
    ("colour_scheme", "unknown key", None),
    ("controller.phone", "expected a telephone number", '"call us"'),
    ("controller.emial", "unknown key; did you mean 'email'? expected one of", None),
    ("categories[1].colour", "unknown key", None),
    ("storage[1] (orphan).expires", "unknown key", None),
    ("id", "expected 1-40 of a-z", '"Bad Site!"'),
    ("revision", "expected a whole number", '"three"'),
    ("origins[1]", "expected an origin", '"ftp://files.example"'),
    ("origins[2]", "expected an origin", '"https://with.path.example/page"'),
    ("categories[0].required", "expected true or false", '"yes"'),
    ("categories[0].description.en", "missing text in the default language", None),
    ("services[0].category", "no category with this id", '"advertising"'),
    ("services[0].privacy_url", "expected an http:// or https:// URL", '"javascript:alert(1)"'),
    ("storage[0] (_tr).service", "no service with this id", '"ghost-service"'),
    ("storage[0] (_tr).duration", 'expected "session", "persistent" or a number', '"forever-ish"'),
    ("storage[1] (orphan).duration", 'expected "session", "persistent" or a number', "365"),
    ("storage[1] (orphan).kind", "expected one of", '"biscuit"'),
    ("storage[1] (orphan).category", "no category with this id", '"nonexistent"'),
]


def broken_problems() -> list[str]:
    with pytest.raises(PolicyError) as raised:
        load_policy(BROKEN)
    return raised.value.problems


@pytest.mark.parametrize(("path", "what", "value"), PLANTED, ids=[p[0] for p in PLANTED])
def test_every_planted_problem_is_named_with_its_key_path_and_value(path, what, value):
    prefix = f"{BROKEN}: {path}: "
    matching = [line for line in broken_problems() if line.startswith(prefix)]
    assert matching, f"no problem reported for {path}"
    assert any(what in line and (value is None or line.endswith(f"(got {value})")) for line in matching), matching


def test_every_problem_line_starts_with_the_file_and_a_key_path():
    for line in broken_problems():
        file, path, what = line.split(": ", 2)
        assert file == str(BROKEN) and path and what


def test_a_missing_translation_is_a_warning_and_the_default_text_is_used():
    raw = copy.deepcopy(DEMO)
    del raw["categories"][1]["title"]["lt"]
    loaded = parse_policy(raw, "demo.toml")
    assert any(w.startswith("demo.toml: categories[1].title: no text in lt") for w in loaded.warnings)
    document = policy_document(loaded.policy, "lt")
    assert document["categories"][1]["title"] == "Preferences"


def language_policy(*languages: str, texts: dict | None = None) -> dict:
    """A minimal valid policy in `languages` whose texts are all in the first language."""
    raw = {
        "id": "tiny", "name": "Tiny", "revision": 1, "updated": DEMO["updated"],
        "languages": list(languages), "origins": ["https://tiny.example"],
        "controller": {"name": "Tiny OÜ"},
        "categories": [{"id": "necessary", "required": True, "title": "Necessary", "description": "Needed."}],
        "storage": [{"name": "sid", "kind": "cookie", "category": "necessary", "duration": "session",
                     "purpose": "Keeps you signed in."}],
    }
    if texts:
        raw["texts"] = texts
    return raw


def untranslated_warnings(loaded) -> list[str]:
    return [w for w in loaded.warnings if "has no built-in texts" in w]


def test_a_language_without_bundled_texts_warns_that_english_fills_the_gaps():
    loaded = parse_policy(language_policy("en", "et", texts={"et": {"accept_all": "Nõustu kõigiga"}}),
                          "tiny.toml")
    [warning] = untranslated_warnings(loaded)
    total = len(text_keys())
    assert warning.startswith("tiny.toml: texts.et: Crumb has no built-in texts in et")
    assert f"gives 1 of {total}" in warning and f"other {total - 1}" in warning


def test_english_fills_the_gaps_of_a_language_without_bundled_texts():
    loaded = parse_policy(language_policy("en", "et", texts={"et": {"accept_all": "Nõustu kõigiga"}}),
                          "tiny.toml")
    texts = policy_document(loaded.policy, "et")["texts"]
    assert texts["accept_all"] == "Nõustu kõigiga"
    assert texts["reject_all"] == texts_for("en")["reject_all"]


def test_a_complete_texts_table_needs_no_bundled_file():
    complete = {key: f"et: {text}" for key, text in texts_for("en").items()}
    loaded = parse_policy(language_policy("en", "et", texts={"et": complete}), "tiny.toml")
    assert untranslated_warnings(loaded) == []


def test_a_regional_language_is_served_by_its_bundled_base_language_without_warning():
    loaded = parse_policy(language_policy("en-GB"), "tiny.toml")
    assert untranslated_warnings(loaded) == []


def test_a_controller_phone_is_in_the_document_and_its_absence_keeps_the_old_hash():
    raw = language_policy("en")
    without = parse_policy(raw, "tiny.toml").policy
    assert "phone" not in canonical_content(without)["controller"]
    assert policy_document(without, "en")["controller"]["phone"] == ""
    raw["controller"]["phone"] = "+44 (0)20 7946-0000"
    with_phone = parse_policy(raw, "tiny.toml").policy
    assert policy_document(with_phone, "en")["controller"]["phone"] == "+44 (0)20 7946-0000"
    assert with_phone.content_hash != without.content_hash
