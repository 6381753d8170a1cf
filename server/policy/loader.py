"""Load and validate policy files into frozen `Policy` objects.

Validation happens once, here, at the edge: every problem of a file is listed at once as
`FILE: key.path: what is wrong (got VALUE)`, unknown keys are errors, and missing
translations are warnings. Nothing downstream re-checks what this module accepted.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from babel import Locale, UnknownLocaleError

from ..texts import bundled_language, text_keys
from . import sections
from .content_hash import policy_hash
from .fields import FieldReader, PolicyError, shown
from .model import Policy

SITE_ID = re.compile(r"[a-z0-9-]{1,40}")
COOKIE_NAME = re.compile(r"[A-Za-z0-9!#$%&'*+\-.^_`|~]{1,64}")
ORIGIN = re.compile(r"https?://[a-z0-9.\-]+(:\d{1,5})?|https?://\[[0-9a-f:]+\](:\d{1,5})?")
DOMAIN = re.compile(r"\.?[a-z0-9]([a-z0-9\-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9\-]{0,61}[a-z0-9])?)*")
LANGUAGE = re.compile(r"[a-z]{2,3}(-[A-Z][a-z]{3})?(-[A-Z]{2})?")
TOP_LEVEL_KEYS = (
    "id", "name", "revision", "updated", "languages", "origins", "consent_days", "refusal_days",
    "consent_cookie", "language_cookie", "language_days", "cookie_domain", "settings_button", "gpc",
    "controller", "categories", "services", "storage", "texts", "theme", "consent_mode",
)
CNIL_MAX_DAYS = 395  # 13 months, the longest consent lifetime several EU regulators accept


@dataclass(frozen=True)
class LoadedPolicy:
    """A valid policy with the warnings found while loading it."""

    policy: Policy
    warnings: tuple[str, ...]


def load_policy(path: Path) -> LoadedPolicy:
    """Read and validate one policy file.

    :raise PolicyError: with every problem of the file.
    """
    source = str(path)
    try:
        raw = tomllib.loads(_read_regular_file(path).decode("utf-8"))
    except NotRegularFile as error:
        raise PolicyError([f"{source}: not a regular file ({error}); a policy must be a regular file"]) from error
    except OSError as error:
        raise PolicyError([f"{source}: cannot read the file ({error.strerror})"]) from error
    except UnicodeDecodeError as error:
        raise PolicyError([f"{source}: not UTF-8 text ({error.reason} at byte {error.start})"]) from error
    except tomllib.TOMLDecodeError as error:
        raise PolicyError([f"{source}: not valid TOML: {error}"]) from error
    return parse_policy(raw, source)


class NotRegularFile(OSError):
    """A path that names a FIFO, a device, a directory or a socket; the message says which."""


_KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISDIR, "a directory"), (stat.S_ISSOCK, "a socket"))


def _read_regular_file(path: Path) -> bytes:
    """Return the bytes of a regular file; anything else is refused before a byte is read.

    Opening a FIFO for reading waits for a writer, and a device may never end: either would hang
    the start, or a reload and then SIGTERM with it. O_NONBLOCK makes the open return at once,
    and the check is made on what was opened, so a swap after a stat() changes nothing.
    """
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    with os.fdopen(descriptor, "rb") as file:
        mode = os.fstat(file.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(next((kind for test, kind in _KINDS if test(mode)), "not a file"))
        return file.read()


def parse_policy(raw: dict, source: str) -> LoadedPolicy:
    """Validate an already-parsed TOML document.

    :raise PolicyError: with every problem found.
    """
    reader = FieldReader(source)
    reader.unknown_keys(raw, TOP_LEVEL_KEYS, "")
    languages = _languages(reader, raw)
    reader.languages = languages
    site_id = reader.text(raw, "id", "id", pattern=SITE_ID, expected="1-40 of a-z, 0-9 and -")
    cookies = _cookie_settings(reader, raw)
    categories = sections.categories(reader, raw)
    services = sections.services(reader, raw, categories)
    storage = sections.storage(reader, raw, categories, services)
    policy = Policy(
        id=site_id,
        name=reader.text(raw, "name", "name", max_len=200),
        revision=reader.integer(raw, "revision", "revision", default=None, low=1, high=10**9),
        updated=_updated(reader, raw),
        languages=languages,
        origins=_origins(reader, raw),
        controller=sections.controller(reader, raw),
        categories=categories,
        services=services,
        storage=storage,
        settings_button=reader.choice(raw, "settings_button", "settings_button",
                                      ("none", "left", "right"), "none"),
        gpc=reader.choice(raw, "gpc", "gpc", ("respect", "ignore"), "respect"),
        theme=sections.theme(reader, raw),
        consent_mode=sections.consent_mode(reader, raw),
        texts=sections.text_overrides(reader, raw),
        source=source,
        **cookies,
    )
    _warn_untranslated(reader, policy)
    if reader.problems:
        raise PolicyError(reader.problems)
    policy = sections.with_automatic_rows(policy)
    return LoadedPolicy(replace(policy, content_hash=policy_hash(policy)), tuple(reader.warnings))


def _cookie_settings(reader: FieldReader, raw: dict) -> dict:
    """The names, lifetimes and domain of Crumb's own cookies, as Policy fields."""
    consent_cookie = reader.text(raw, "consent_cookie", "consent_cookie", default="crumb_consent",
                                 pattern=COOKIE_NAME, expected="a cookie name")
    language_cookie = reader.text(raw, "language_cookie", "language_cookie", default="crumb_lang",
                                  pattern=COOKIE_NAME, expected="a cookie name")
    if consent_cookie == language_cookie:
        reader.problem("language_cookie", "must differ from consent_cookie", language_cookie)
    lifetimes = {key: reader.integer(raw, key, key, default=182 if key != "language_days" else 365,
                                     low=1, high=3650)
                 for key in ("consent_days", "refusal_days", "language_days")}
    for key in ("consent_days", "refusal_days"):
        if lifetimes[key] > CNIL_MAX_DAYS:
            reader.warn(key, f"{lifetimes[key]} days is longer than the 13 months most EU regulators accept")
    domain = reader.text(raw, "cookie_domain", "cookie_domain", default="", pattern=DOMAIN,
                         expected="a domain name such as acme.example")
    return {"consent_cookie": consent_cookie, "language_cookie": language_cookie, "cookie_domain": domain,
            **lifetimes}


def load_policies(directory: Path) -> dict[str, LoadedPolicy]:
    """Load every `*.toml` in `directory`, keyed by site id.

    :raise PolicyError: with the problems of every invalid file, and duplicate ids.
    """
    problems: list[str] = []
    loaded: dict[str, LoadedPolicy] = {}
    paths = sorted(directory.glob("*.toml"))
    if not paths:
        raise PolicyError([f"{directory}: no policy files (*.toml) found"])
    for path in paths:
        try:
            result = load_policy(path)
        except PolicyError as error:
            problems.extend(error.problems)
            continue
        site = result.policy.id
        if site in loaded:
            problems.append(f"{path}: id: {shown(site)} is already used by {loaded[site].policy.source}")
        loaded[site] = result
    if problems:
        raise PolicyError(problems)
    return loaded


def _languages(reader: FieldReader, raw: dict) -> tuple[str, ...]:
    languages = reader.string_list(raw, "languages", "languages", pattern=LANGUAGE,
                                   expected="a language code such as en, lt or pt-BR")
    if "languages" not in raw:
        reader.problem("languages", "missing; list at least one language, the default first")
    elif not languages:
        reader.problem("languages", "expected at least one language", raw["languages"])
    for index, lang in enumerate(languages):
        try:
            Locale.parse(lang.replace("-", "_"))
        except (UnknownLocaleError, ValueError):
            reader.problem(f"languages[{index}]", "not a language Babel knows", lang)
    return languages or ("en",)


def _origins(reader: FieldReader, raw: dict) -> tuple[str, ...]:
    origins = reader.string_list(raw, "origins", "origins", pattern=ORIGIN,
                                 expected='an origin such as "https://acme.example" (no path, no slash at the end)')
    if not raw.get("origins"):
        reader.problem("origins", "list at least one website origin that embeds the gate", raw.get("origins", []))
    return origins


def _warn_untranslated(reader: FieldReader, policy: Policy) -> None:
    """Warn about a language Crumb has no texts file for, unless `[texts.<lang>]` gives every text."""
    keys = text_keys()
    for lang in policy.languages:
        missing = sorted(keys - set(policy.texts.get(lang, {})))
        if missing and bundled_language(lang) is None:
            examples = ", ".join(missing[:3]) + (", ..." if len(missing) > 3 else "")
            reader.warn(f"texts.{lang}", f"Crumb has no built-in texts in {lang} and [texts.{lang}] gives "
                        f"{len(keys) - len(missing)} of {len(keys)}; the English text is shown for the "
                        f"other {len(missing)} ({examples})")


def _updated(reader: FieldReader, raw: dict) -> dt.date:
    value = raw.get("updated")
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if value is None:
        reader.problem("updated", "missing; a date such as 2026-10-27")
    else:
        reader.problem("updated", "expected a date such as 2026-10-27 (no quotes)", value)
    return dt.date(1970, 1, 1)

