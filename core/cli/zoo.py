"""Transitional: the zoo commands still live in core.zoo (being moved here)."""
from core.zoo import add_commands  # noqa: F401
