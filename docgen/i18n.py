"""Language of the command line's own messages: Vietnamese source strings, English catalog.

The msgids are the Vietnamese texts themselves, so Vietnamese (the default) needs no catalog;
English comes from ``docgen/locale/en/LC_MESSAGES/docgen.mo`` read by the standard library's
gettext (babel is only needed to rebuild the catalogs, never at run time). The language is
``--lang`` if given, else ``DOCGEN_LANG``, else the locale (``LC_ALL``, ``LC_MESSAGES``,
``LANG``: the first one set decides; English if it starts with "en"), else Vietnamese.
"""

from __future__ import annotations

import gettext as _gettext
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

DOMAIN = "docgen"
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"

_translation: _gettext.NullTranslations = _gettext.NullTranslations()
_language = DEFAULT_LANGUAGE


def N_(message: str) -> str:
    """Mark a string for extraction only; it is translated later (help texts)."""
    return message


def _from_tag(tag: str) -> str | None:
    """'en', 'en_US.UTF-8', 'vi-VN' -> 'en' / 'vi'; anything else -> None."""
    tag = tag.strip().lower()
    for lang in LANGUAGES:
        if tag == lang or tag.startswith((f"{lang}_", f"{lang}-", f"{lang}.", f"{lang}@")):
            return lang
    return None


def detect(environ: Mapping[str, str] | None = None) -> str:
    """The language the environment asks for: DOCGEN_LANG, then the POSIX locale, else 'vi'."""
    env = os.environ if environ is None else environ
    explicit = _from_tag(env.get("DOCGEN_LANG", ""))
    if explicit is not None:
        return explicit
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var, "")
        if value:
            return "en" if _from_tag(value) == "en" else DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def set_language(lang: str | None) -> str:
    """Use `lang` ('vi' or 'en'; None: from the environment) for every later message."""
    global _translation, _language
    chosen = detect() if lang is None else (_from_tag(lang) or DEFAULT_LANGUAGE)
    if chosen == DEFAULT_LANGUAGE:
        _translation = _gettext.NullTranslations()
    else:
        _translation = _gettext.translation(
            DOMAIN, localedir=LOCALE_DIR, languages=[chosen], fallback=True
        )
    _language = chosen
    return chosen


def language() -> str:
    """The language in use ('vi' or 'en')."""
    return _language


def gettext(message: str) -> str:
    """`message` (Vietnamese) in the language in use."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Count-dependent message; Vietnamese has one form, so pass the same text twice."""
    return _translation.ngettext(singular, plural, n)


@contextmanager
def using(lang: str) -> Iterator[str]:
    """Messages in `lang` inside the block (documents stay Vietnamese whatever the CLI speaks)."""
    global _translation, _language
    saved = _translation, _language
    try:
        yield set_language(lang)
    finally:
        _translation, _language = saved


_ = gettext
