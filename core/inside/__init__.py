"""Inside the network: learned filters, feature maps, what fine-tuning changed per stage, which stages transfer,
and what a fine-tuned backbone forgot.

* :mod:`core.inside.filters`: the first convolution's filters as an image grid, pretrained / random /
  fine-tuned, with each filter's relative change.
* :mod:`core.inside.cka`: linear centred kernel alignment (Kornblith et al., 2019).
* :mod:`core.inside.change`: a run's reference weights (the ones it started from, checked by content hash),
  the relative weight change and CKA per stage.
* :mod:`core.inside.featuremaps`: a stage's activations for one image, its most active channels, and the
  receptive field of a channel's strongest cell.
* :mod:`core.inside.probe`: a linear probe per stage, pretrained against random weights, features cached
  beside the dataset.
* :mod:`core.inside.forgetting`: the original ImageNet classifier back on a fine-tuned backbone.
* :mod:`core.inside.models` (shared read-only models and digests) and :mod:`core.inside.taps` (stage outputs
  by forward hooks, a dataset's evaluation view in batches): the plumbing the others share.
"""
from core.inside.cka import linear_cka
from core.inside.filters import FilterGrid, first_conv, filter_grid

__all__ = ["linear_cka", "FilterGrid", "first_conv", "filter_grid"]
