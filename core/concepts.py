"""The course's map of ideas: each idea, its group, and the page (feature word) where a user sees it happen.

Texts live in ``core.i18n.home`` under ``home.idea.<key>.title`` / ``.body``. ``page`` is ``None`` where the
app has no place that shows the idea (it only ever trains on a new, labelled task, so transductive and
unsupervised transfer are defined, not demonstrated): a card without a link promises nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True)
class Concept:
    key: str
    group: str                  # one of GROUPS
    page: Optional[str] = None  # feature word of a page in app.py's router (architectures, data, finetune, inside)


CONCEPTS = (
    Concept("scarce_labels", "why", "data"),
    Concept("limited_generalisation", "why", "finetune"),
    Concept("feature_engineering", "why", "finetune"),
    Concept("universal_features", "why", "inside"),
    Concept("costly_training", "why", "architectures"),
    Concept("inductive", "kinds", "finetune"),
    Concept("transductive", "kinds"),
    Concept("unsupervised", "kinds"),
    Concept("overfitting", "pitfalls", "finetune"),
    Concept("forgetting", "pitfalls", "inside"),
    Concept("negative_transfer", "pitfalls", "finetune"),
    Concept("freezing", "techniques", "finetune"),
    Concept("layer_decay", "techniques", "finetune"),
    Concept("early_stopping", "techniques", "finetune"),
    Concept("receptive_field", "techniques", "architectures"),
)
GROUPS = ("why", "kinds", "pitfalls", "techniques")
