"""The bundled language files: same shape as the English reference, and typographically sound."""

from __future__ import annotations

import re
import tomllib

import pytest

from crumb.policy.durations import language_name, text_direction
from crumb.texts import REFERENCE_LANGUAGE, TEXTS_DIR

# The languages the README promises ("Texts", under "Policy file reference").
REQUIRED_LANGUAGES = {"en", "lt", "pt", "sv", "de", "fr", "es", "pl", "it", "nl", "ar"}

# Values that may equal the English text, and why:
# - "IndexedDB" is the name of a browser API, not a word; every language writes it so.
# - "Cookie" is the loanword the data-protection authorities of these countries use
#   (DSK, CNIL, AEPD, Garante, CNPD, AP); lt, pl, sv and ar have their own words.
# - "Name" (de), "Type" and "Service" (fr), "Version" (de, fr, sv) are those languages' own words.
SAME_AS_ENGLISH = {
    "kind_indexed_db": {"ar", "de", "es", "fr", "it", "lt", "nl", "pl", "pt", "sv"},
    "kind_cookie": {"de", "es", "fr", "it", "nl", "pt"},
    "col_name": {"de"},
    "col_kind": {"fr"},
    "col_service": {"fr"},
    "version_label": {"de", "fr", "sv"},
}

# Each language's quotation marks (opening, closing).
QUOTES = {
    "en": ("“", "”"), "de": ("„", "“"), "lt": ("„", "“"), "pl": ("„", "”"), "sv": ("”", "”"),
    "nl": ("“", "”"), "fr": ("«", "»"), "es": ("«", "»"), "it": ("«", "»"), "pt": ("«", "»"),
    "ar": ("«", "»"),
}
# Straight quotes and every typographic quotation mark; ’ is the apostrophe, so it is allowed.
QUOTE_MARKS = set("\"'„“”«»‘‚‹›")
BIDI_CONTROLS = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
NO_BREAK_SPACE, NARROW_NO_BREAK_SPACE = "\u00a0", "\u202f"


def _read_sections(lang: str) -> dict[str, dict[str, str]]:
    with (TEXTS_DIR / f"{lang}.toml").open("rb") as handle:
        return tomllib.load(handle)


def _flat(lang: str) -> dict[str, str]:
    return {key: text for section in _read_sections(lang).values() for key, text in section.items()}


LANGUAGES = sorted(path.stem for path in TEXTS_DIR.glob("*.toml"))
TRANSLATIONS = [lang for lang in LANGUAGES if lang != REFERENCE_LANGUAGE]
REFERENCE = _flat(REFERENCE_LANGUAGE)


def test_every_language_the_design_promises_is_bundled():
    assert REQUIRED_LANGUAGES <= set(LANGUAGES)


@pytest.mark.parametrize("lang", TRANSLATIONS)
def test_language_file_has_exactly_the_reference_sections_and_keys(lang):
    reference = {name: set(keys) for name, keys in _read_sections(REFERENCE_LANGUAGE).items()}
    sections = {name: set(keys) for name, keys in _read_sections(lang).items()}
    assert sections.keys() == reference.keys()
    for name, keys in reference.items():
        assert {"missing": keys - sections[name], "extra": sections[name] - keys} == \
            {"missing": set(), "extra": set()}, f"{lang}.toml [{name}]"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_keys_are_unique_across_sections(lang):
    # texts.py flattens the sections, so a key repeated in two sections would silently win once.
    keys = [key for section in _read_sections(lang).values() for key in section]
    assert sorted({key for key in keys if keys.count(key) > 1}) == []


@pytest.mark.parametrize("lang", TRANSLATIONS)
def test_every_text_has_exactly_the_placeholders_of_the_english_one(lang):
    texts = _flat(lang)
    wrong = {key: sorted(set(PLACEHOLDER.findall(texts[key])) ^ set(PLACEHOLDER.findall(english)))
             for key, english in REFERENCE.items() if key in texts}
    assert {key: diff for key, diff in wrong.items() if diff} == {}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_text_has_a_brace_outside_a_placeholder(lang):
    stray = {key: text for key, text in _flat(lang).items() if set("{}") & set(PLACEHOLDER.sub("", text))}
    assert stray == {}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_text_is_empty_or_padded_with_whitespace(lang):
    bad = {key: text for key, text in _flat(lang).items()
           if not isinstance(text, str) or not text.strip() or text != text.strip() or "  " in text}
    assert bad == {}


@pytest.mark.parametrize("lang", TRANSLATIONS)
def test_no_text_is_left_in_english_unless_the_language_writes_it_the_same(lang):
    untranslated = sorted(key for key, text in _flat(lang).items()
                          if text == REFERENCE.get(key) and lang not in SAME_AS_ENGLISH.get(key, ()))
    assert untranslated == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_language_name_is_the_languages_own_name_for_itself(lang):
    assert _read_sections(lang)["meta"]["language_name"] == language_name(lang)


def test_arabic_is_written_right_to_left():
    assert text_direction("ar") == "rtl"


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "ar"])
def test_every_other_bundled_language_is_written_left_to_right(lang):
    assert text_direction(lang) == "ltr"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_text_contains_bidi_control_characters(lang):
    assert {key for key, text in _flat(lang).items() if BIDI_CONTROLS & set(text)} == set()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_quotations_use_the_languages_own_quotation_marks_in_pairs(lang):
    opening, closing = QUOTES[lang]
    for key, text in _flat(lang).items():
        assert QUOTE_MARKS & set(text) <= {opening, closing}, f"{lang}.{key}: {text}"
        if opening == closing:
            assert text.count(opening) % 2 == 0, f"{lang}.{key}: {text}"
        else:
            assert text.count(opening) == text.count(closing), f"{lang}.{key}: {text}"


def test_french_guillemets_and_high_punctuation_have_no_break_spaces():
    spacing = {"«": (None, NO_BREAK_SPACE), "»": (NO_BREAK_SPACE, None), ":": (NO_BREAK_SPACE, None),
               "?": (NARROW_NO_BREAK_SPACE, None), ";": (NARROW_NO_BREAK_SPACE, None),
               "!": (NARROW_NO_BREAK_SPACE, None)}
    wrong = []
    for key, text in _flat("fr").items():
        for at, char in enumerate(text):
            before, after = spacing.get(char, (None, None))
            if before and text[at - 1:at] != before or after and text[at + 1:at + 2] != after:
                wrong.append(f"{key}: …{text[max(0, at - 12):at + 12]}…")
    assert wrong == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_accept_all_and_reject_all_are_short_and_of_equal_weight(lang):
    texts = _flat(lang)
    accept, reject = len(texts["accept_all"]), len(texts["reject_all"])
    assert max(accept, reject) <= 20 and abs(accept - reject) <= 3
