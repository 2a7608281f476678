"""Inside the network: learned filters, what fine-tuning changed per stage, which stages transfer.

* :mod:`core.inside.filters`: the first convolution's filters as an image grid, pretrained / random /
  fine-tuned, with each filter's relative change.
* :mod:`core.inside.cka`: linear centred kernel alignment (Kornblith et al., 2019).
* :mod:`core.inside.change`: a run's reference weights (the ones it started from, checked by content hash),
  the relative weight change and CKA per stage.
"""
from core.inside.cka import linear_cka
from core.inside.filters import FilterGrid, first_conv, filter_grid

__all__ = ["linear_cka", "FilterGrid", "first_conv", "filter_grid"]
