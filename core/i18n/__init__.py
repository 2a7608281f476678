"""Every user-facing string, in English (``en``) and Brazilian Portuguese (``pt``).

Strings live in one package, one module per feature (``common``, ``home``, ``architectures`` ...), each a
``STRINGS`` dict of ``key -> {"en": ..., "pt": ...}``. Keys are prefixed with the feature's word
(``home.title``). ``t(key, lang, **fmt)`` looks one up; a missing key raises in tests, never silently
falls back to a wrong language.
"""
from __future__ import annotations

import functools
import importlib
import pkgutil

LANGUAGES = {"en": "English", "pt": "Português (Brasil)"}
DEFAULT_LANG = "en"


@functools.lru_cache(maxsize=1)
def all_strings() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for key, value in getattr(module, "STRINGS", {}).items():
            if key in merged:
                raise KeyError(f"i18n key {key!r} is defined twice")
            merged[key] = value
    return merged


def normalize_lang(lang: str | None) -> str:
    return lang if lang in LANGUAGES else DEFAULT_LANG


def t(key: str, lang: str = DEFAULT_LANG, **fmt) -> str:
    """The string ``key`` in ``lang``, formatted with ``fmt``."""
    entry = all_strings()[key]
    text = entry.get(normalize_lang(lang)) or entry[DEFAULT_LANG]
    return text.format(**fmt) if fmt else text


class Translator:
    """``tr = Translator("pt"); tr("home.title")``: a bound ``t`` for one page run."""

    def __init__(self, lang: str):
        self.lang = normalize_lang(lang)

    def __call__(self, key: str, **fmt) -> str:
        return t(key, self.lang, **fmt)
