"""Transitional: the finetune commands still live in core.finetune (being moved here)."""
from core.finetune import add_commands  # noqa: F401
