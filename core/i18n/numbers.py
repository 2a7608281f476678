"""Numbers in the reader's locale: ``27.161.264``, ``58,6 M``, ``1,81×``, ``84,1 %`` in Portuguese;
``27,161,264``, ``58.6 M``, ``1.81×``, ``84.1%`` in English.

Format a number where it is shown (a page, a figure), never before it is stored: a run or a report keeps
plain numbers, so the same record reads right in either language.
"""
from __future__ import annotations

import math
from typing import Optional

from core.i18n import normalize_lang

_SUFFIXES = ((1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k"))


def _localise(text: str, lang: str) -> str:
    """English separators (``1,234.5``) -> the language's (``1.234,5`` in Portuguese)."""
    if normalize_lang(lang) == "pt":
        return text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def integer(n, lang: str = "en") -> str:
    """``27161264`` -> ``27,161,264`` / ``27.161.264``."""
    return _localise(f"{int(n):,}", lang)


def decimal(x, lang: str = "en", digits: int = 2) -> str:
    """``1.8123`` -> ``1.81`` / ``1,81`` (thousands grouped)."""
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "-"
    return _localise(f"{float(x):,.{digits}f}", lang)


def percent(x, lang: str = "en", digits: int = 1) -> str:
    """A fraction as a percentage: ``0.8412`` -> ``84.1%`` / ``84,1 %`` (Brazilian style puts a space)."""
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "-"
    text = decimal(float(x) * 100, lang, digits)
    return f"{text} %" if normalize_lang(lang) == "pt" else f"{text}%"


def compact(x, lang: str = "en", digits: int = 1, unit: str = "") -> str:
    """``58_600_000`` -> ``58.6 M`` / ``58,6 M`` (k, M, G, T); small numbers as they are."""
    if x is None:
        return "-"
    x = float(x)
    for scale, suffix in _SUFFIXES:
        if abs(x) >= scale:
            return f"{decimal(x / scale, lang, digits)} {suffix}{unit}"
    return f"{decimal(x, lang, digits if x != int(x) else 0)}{' ' + unit if unit else ''}"


def times(x, lang: str = "en", digits: int = 2) -> str:
    """A ratio: ``1.81×`` / ``1,81×``."""
    return f"{decimal(x, lang, digits)}×"


def seconds(x: Optional[float], lang: str = "en", digits: int = 1) -> str:
    return "-" if x is None else f"{decimal(x, lang, digits)} s"
