"""The course's map of ideas: each idea, its group, and the page (feature word) where a user sees it happen.

Texts live in ``core.i18n.home`` under ``home.idea.<key>.title`` / ``.body``.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Concept:
    key: str
    group: str      # why / kinds / pitfalls / techniques
    page: str       # feature word: architectures, data, finetune


CONCEPTS = (
    Concept("scarce_labels", "why", "data"),
    Concept("costly_training", "why", "architectures"),
    Concept("inductive", "kinds", "finetune"),
    Concept("transductive", "kinds", "data"),
    Concept("unsupervised", "kinds", "architectures"),
    Concept("overfitting", "pitfalls", "finetune"),
    Concept("forgetting", "pitfalls", "finetune"),
    Concept("negative_transfer", "pitfalls", "finetune"),
    Concept("freezing", "techniques", "finetune"),
    Concept("layer_decay", "techniques", "finetune"),
    Concept("early_stopping", "techniques", "finetune"),
    Concept("receptive_field", "techniques", "architectures"),
)
GROUPS = ("why", "kinds", "pitfalls", "techniques")
