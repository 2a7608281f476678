"""Transitional: the jobs commands still live in core.jobs (being moved here)."""
from core.jobs import add_commands  # noqa: F401
