"""The course's four fine-tuning strategies as one table: pages, CLI and trainer read it, never compare names.

Each row says what the strategy starts from, what it trains, whether it caches the backbone's features,
its default learning rate and which rate knobs apply to it.
"""
from __future__ import annotations

from dataclasses import dataclass

HEAD, LAST_STAGES, ALL = "head", "last_stages", "all"


@dataclass(frozen=True)
class Strategy:
    name: str
    pretrained: bool       # starts from the pretrained weights (False: random initialisation)
    trains: str            # HEAD (the new head only), LAST_STAGES (the last ``unfreeze`` stages and the head), ALL
    caches_features: bool  # the frozen backbone's features are computed once per image, so no augmentation
    default_lr: float      # base learning rate when the config leaves ``lr`` unset
    layer_decay: bool      # ``layer_decay`` (a rate per stage, lower towards the input) applies
    head_lr_scale: bool    # ``head_lr_scale`` (the new head learns faster than pretrained layers) applies

    @property
    def unfreezes_stages(self) -> bool:
        return self.trains == LAST_STAGES


# Base learning rates: full fine-tuning moves pretrained weights gently (the course: 1e-4 .. 1e-5); a new head
# alone, or a network learning from nothing, needs a larger step.
STRATEGIES: dict[str, Strategy] = {s.name: s for s in (
    Strategy("linear_probe", pretrained=True, trains=HEAD, caches_features=True, default_lr=3e-3,
             layer_decay=False, head_lr_scale=False),
    Strategy("partial", pretrained=True, trains=LAST_STAGES, caches_features=False, default_lr=3e-4,
             layer_decay=False, head_lr_scale=True),
    Strategy("full", pretrained=True, trains=ALL, caches_features=False, default_lr=1e-4,
             layer_decay=True, head_lr_scale=True),
    Strategy("scratch", pretrained=False, trains=ALL, caches_features=False, default_lr=1e-3,
             layer_decay=False, head_lr_scale=False),
)}
STRATEGY_NAMES = tuple(STRATEGIES)


def strategy(name: str) -> Strategy:
    """The row for ``name`` (a config has already checked the name)."""
    return STRATEGIES[name]
