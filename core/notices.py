"""One way to say things to people: a catalog key and its parameters, rendered in the reader's language.

Statuses of runs, progress notices of training and dataset warnings are all :class:`Notice` values: what
travels (in memory, in ``status.json``, ``progress.json``, a dataset's report) is ``{"key", "params"}``,
never an English sentence beside a code. The page renders ``notice.text(lang)``; the CLI and the logs
render ``str(notice)`` (English). ``UserError.of(key, ...)`` is the same idea for errors, and its record has
the same shape, so a run that ended on an error stores it as a notice too.

Numbers travel as numbers (``acc=0.841``, not ``"84.1%"``) and the sentence says how to write them
(``{acc:percent}``: ``84,1 %`` on a Portuguese page, ``84.1%`` in the CLI); see :mod:`core.i18n`. Records
written while numbers were stored pre-formatted (``"33.3%"``) still render, showing that text as stored.

Records written before notices existed carried an English ``message`` next to an optional ``code``; they are
read with :meth:`Notice.legacy`, which keeps the English text when no key can be found for it. That is the
only fallback to English: a notice with a known key renders in the reader's language or raises.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Optional

from core.i18n import DEFAULT_LANG, all_strings, t


@dataclass(frozen=True)
class Notice:
    """A message for people: ``key`` names a sentence in ``core/i18n``; ``params`` fill its placeholders
    (plain str, int or float, so the notice can be saved as JSON; numbers unformatted, the sentence formats
    them). ``fallback`` is only for records written before keys existed: the English sentence they stored,
    shown when the key is unknown."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)
    fallback: Optional[str] = None

    @classmethod
    def of(cls, key: str, /, **params: Any) -> "Notice":
        """The notice ``key`` with ``params``. An unknown key fails at once (a typo never reaches a page)."""
        if key not in all_strings():
            raise KeyError(f"no catalog sentence {key!r} for a notice")
        return cls(key, dict(params))

    def text(self, lang: str = DEFAULT_LANG) -> str:
        """The sentence in ``lang``, numbers in its locale; a legacy record whose key is unknown shows the
        English it stored. A known key without a sentence in ``lang`` raises (``MissingTranslation``)."""
        try:
            return t(self.key, lang, **self.params)
        except (KeyError, IndexError, ValueError):
            if self.fallback is not None:
                return self.fallback
            raise

    def __str__(self) -> str:
        return self.text(DEFAULT_LANG)

    def record(self) -> dict[str, Any]:
        """``{"key", "params"}``: what a status, a progress file or a report stores."""
        return {"key": self.key, "params": dict(self.params)}

    @classmethod
    def restore(cls, record: Any) -> Optional["Notice"]:
        """The notice saved by :meth:`record` (``None`` for anything that is not one)."""
        if isinstance(record, Mapping) and isinstance(record.get("key"), str):
            params = record.get("params")
            return cls(record["key"], dict(params) if isinstance(params, Mapping) else {})
        return None

    @classmethod
    def legacy(cls, message: Any, key: Optional[str] = None, params: Any = None) -> Optional["Notice"]:
        """A record from before notices: an English ``message`` and, where it had one, the key its code maps
        to. Rendered through the key when the catalog has it, else as the stored English."""
        if not key and not message:
            return None
        return cls(key or "", dict(params) if isinstance(params, Mapping) else {},
                   fallback=str(message) if message else None)


def render(notices: Any, lang: str = DEFAULT_LANG) -> list[str]:
    """Texts of a list of records (unreadable entries are skipped)."""
    out = []
    for rec in notices or ():
        n = rec if isinstance(rec, Notice) else Notice.restore(rec)
        if n is not None:
            out.append(n.text(lang))
    return out
