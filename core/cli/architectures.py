"""Transitional: the architectures commands still live in core.architectures (being moved here)."""
from core.architectures import add_commands  # noqa: F401
