"""Every user-facing string, in English (``en``) and Brazilian Portuguese (``pt``).

Strings live in one package, one module per feature (``common``, ``home``, ``architectures`` ...), each a
``STRINGS`` dict of ``key -> {"en": ..., "pt": ...}``. Keys are prefixed with the feature's word
(``home.title``). ``t(key, lang, **fmt)`` looks one up and never falls back to another language: an unknown key
raises ``KeyError``, a sentence missing in ``lang`` (or a language the app does not have) raises
:class:`MissingTranslation`. The reader's choice of language is normalised once, at the edge (the sidebar, the
``?lang=`` parameter, :class:`Translator`); an unknown choice there means English, as documented.

Numbers go in as numbers and are written in the reader's locale by the sentence itself: a placeholder with a
number format, ``{acc:percent}``, ``{n:integer}``, ``{x:decimal}``, ``{r:times}`` or ``{m:compact}``, is
written by :mod:`core.i18n.numbers` (``84,1 %`` in Portuguese, ``84.1%`` in English); a digit after the format
sets the decimals (``{gb:decimal1}``: ``139,8``). A value that is already text (a record written before numbers
were stored as numbers) is shown as it was stored.
"""
from __future__ import annotations

import functools
import importlib
import pkgutil
import re
import string

LANGUAGES = {"en": "English", "pt": "Português (Brasil)"}
DEFAULT_LANG = "en"
NUMBER_FORMATS = ("percent", "integer", "decimal", "times", "compact")
_NUMBER_SPEC = re.compile(r"(%s)(\d?)$" % "|".join(NUMBER_FORMATS))
_NUMBER_FIELD = re.compile(r"\{[A-Za-z_]\w*:(?:%s)\d?\}" % "|".join(NUMBER_FORMATS))


class MissingTranslation(LookupError):
    """A catalog sentence has no text in the language asked for (or the language is not one of LANGUAGES).

    Deliberately not a ``KeyError``: code that tolerates an *unknown key* (records written by older versions,
    whose key may be gone) must not also swallow a sentence someone forgot to translate."""


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
    """The reader's choice as one of :data:`LANGUAGES` (anything else: English). For the edges only."""
    return lang if lang in LANGUAGES else DEFAULT_LANG


class _NumberFormatter(string.Formatter):
    """``str.format`` plus the number formats of :data:`NUMBER_FORMATS`, in one language."""

    def __init__(self, lang: str):
        self.lang = lang

    def format_field(self, value, format_spec: str) -> str:
        spec = _NUMBER_SPEC.match(format_spec)
        if spec is None:
            return super().format_field(value, format_spec)
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            return str(value)
        from core.i18n import numbers
        digits = {"digits": int(spec.group(2))} if spec.group(2) and spec.group(1) != "integer" else {}
        return getattr(numbers, spec.group(1))(value, self.lang, **digits)


def t(key: str, lang: str = DEFAULT_LANG, **fmt) -> str:
    """The string ``key`` in ``lang``, formatted with ``fmt`` (numbers in ``lang``'s locale where it asks).

    Raises:
        KeyError: no sentence is called ``key``.
        MissingTranslation: the sentence has no text in ``lang``, or ``lang`` is not one of :data:`LANGUAGES`.
    """
    entry = all_strings()[key]
    if lang not in LANGUAGES:
        raise MissingTranslation(f"{lang!r} is not a language of the app ({', '.join(LANGUAGES)}); asked for {key!r}")
    text = entry.get(lang)
    if not text:
        raise MissingTranslation(f"the sentence {key!r} has no {LANGUAGES[lang]} text")
    if not fmt:
        return text
    if _NUMBER_FIELD.search(text):
        return _NumberFormatter(lang).vformat(text, (), fmt)
    return text.format(**fmt)


class Translator:
    """``tr = Translator("pt"); tr("home.title")``: a bound ``t`` for one page run (the reader's choice of
    language is normalised here, once)."""

    def __init__(self, lang: str):
        self.lang = normalize_lang(lang)

    def __call__(self, key: str, **fmt) -> str:
        return t(key, self.lang, **fmt)
