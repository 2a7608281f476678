"""Architecture profiles: parameters, MACs/FLOPs, receptive field, depth, activations, latency, top-1.

``profile(name, size)`` builds the catalog model *on the meta device* (no weights are allocated: VGG-19 costs
no memory) and runs one forward pass under two watchers at once: ``torch.utils.flop_counter.FlopCounterMode``
counts the multiply-accumulates of every layer, and ``core.receptive_field.FieldTracker`` follows the
receptive field through the real module graph. Stages come from ``core.zoo.model_stages``, the same stages
fine-tuning unfreezes.

Speed: the pass runs on meta tensors, where torch computes most element-wise ops with slow Python reference
kernels; ``meta.MetaTracker`` gives those calls their shape directly (nothing ``FlopCounterMode`` counts is
skipped, and a test compares both ways). All 24 catalog models take about 3.5 s, one after another, from a cold
start on 2 cores, imports included (``benchmarks/bench_architectures.py``).

Words used here: a **MAC** is one multiply-accumulate; **FLOPs** = 2 × MACs (one multiply and one add).
torchvision publishes GMACs under the name ``_ops``; papers often say "FLOPs" when they mean MACs.

Where things are: ``profiler`` (the profile and its rows), ``meta`` (building without weights, sizes a model
runs at, the shape-only shortcuts), ``published`` (top-1, which training recipe, published counts), ``latency``,
``picture`` (the field drawn on a photo), ``cards`` (the lecture's AlexNet, VGG and ResNet, read off the real
models), ``lecture`` (the lecture's code run as written, and corrected). Import from ``core.architectures``.
"""
from core.architectures.cards import alexnet_card, cards, resnet_card, vgg_card
from core.architectures.latency import measure_latency
from core.architectures.lecture import lecture_checks, localise as localise_code
from core.architectures.meta import build_on_meta, min_input_size, skeleton
from core.architectures.picture import SAMPLE_IMAGES, field_picture, sample_image
from core.architectures.profiler import (MAX_INPUT_SIZE, LayerRow, Profile, StageProfile, compare, profile,
                                        profile_module, profile_or_error)
from core.architectures.published import published_for, top1_for, weights_versions

__all__ = [
    "MAX_INPUT_SIZE", "LayerRow", "Profile", "StageProfile", "compare", "profile", "profile_module",
    "profile_or_error", "build_on_meta", "min_input_size", "skeleton", "published_for", "top1_for",
    "measure_latency", "SAMPLE_IMAGES", "field_picture", "sample_image", "weights_versions", "alexnet_card",
    "vgg_card", "resnet_card", "cards", "lecture_checks", "localise_code",
]
