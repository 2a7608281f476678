"""Transitional: the data commands still live in core.data (being moved here)."""
from core.data import add_commands  # noqa: F401
