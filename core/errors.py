"""The one exception type that carries a message meant for a person."""
from __future__ import annotations

from typing import Any, Optional, Self

from core.i18n import DEFAULT_LANG, t


class UserError(Exception):
    """Unusable input: the message is one sentence that says what is wrong and how to fix it.

    Raise it as ``UserError.of(key, **params)``: ``key`` names the sentence in ``core/i18n/errors.py`` and
    ``params`` fill its placeholders (names, sizes, file names: plain str, int or float, so that a run's
    status can save them as JSON). ``str(exc)`` is the English sentence, for the CLI (stderr, exit code 2)
    and the logs; pages show ``exc.text(lang)``. No traceback reaches the user.
    """

    key: Optional[str] = None
    params: dict[str, Any] = {}

    @classmethod
    def of(cls, key: str, /, **params: Any) -> Self:
        """The error whose message is the catalog sentence ``key`` (English), remembering key and params."""
        exc = cls(t(key, DEFAULT_LANG, **params))
        exc.key, exc.params = key, params
        return exc

    def text(self, lang: str) -> str:
        """The sentence in ``lang``; the English message where there is no key or the catalog cannot fill it."""
        if self.key is None:
            return str(self)
        try:
            return t(self.key, lang, **self.params)
        except (KeyError, IndexError, ValueError):
            return str(self)

    def record(self) -> dict[str, Any]:
        """``{"key", "params"}``, to save next to the English message (a run's status, a profile row)."""
        return {"key": self.key, "params": dict(self.params)}

    @classmethod
    def restore(cls, message: str, record: Optional[dict] = None) -> Self:
        """The error again from its saved English message and ``record()`` (``None`` or junk: no key)."""
        exc = cls(message)
        if isinstance(record, dict) and isinstance(record.get("key"), str):
            exc.key, exc.params = record["key"], dict(record.get("params") or {})
        return exc
