"""The lecture's three architecture cards (AlexNet, VGG, ResNet): what the course teaches, read off the real
torchvision models built on the meta device (no weights allocated).

Every number here is computed from a model, a layer run on a meta tensor, or torchvision's weights metadata.
The few figures that only the papers can give (AlexNet's 96 filters, two GTX 580 GPUs with 3 GB, its local
response normalisation; ResNet's degradation experiment) sit under ``paper`` and the page says they are the
paper's. Plain dicts out, so the page and tests read them alike.
"""
from __future__ import annotations

import functools
import math

import torch
from torch import nn

from core import zoo
from core.architectures.meta import min_input_size, skeleton
from core.architectures.published import weights_versions
from core.receptive_field import stack_fields

LECTURE_ALEXNET_INPUT = 227         # the lecture's (and the usual reading of the paper's) input side
PAPER_ALEXNET = {"conv1_filters": 96, "conv1_kernel": 11, "conv1_stride": 4, "conv1_padding": 0, "gpus": 2,
                 "gpu": "GTX 580", "gpu_memory_gb": 3, "lrn_after": ("conv1", "conv2"), "input_written": 224,
                 "source": "https://papers.nips.cc/paper/4824-imagenet-classification-with-deep-convolutional-"
                           "neural-networks"}
PAPER_RESNET = {"plain_layers": (20, 56), "dataset": "CIFAR-10", "figure": 1,
                "source": "https://arxiv.org/abs/1512.03385", "stride_in": "conv1 (1×1)"}


def _meta(name: str) -> nn.Module:
    return skeleton(zoo.get_entry(name))


def _run(module: nn.Module, shape: tuple) -> tuple:
    """Output shape (without the batch) of ``module`` on a zero meta tensor of ``shape``."""
    with torch.no_grad():
        return tuple(module(torch.zeros(1, *shape, device="meta")).shape[1:])


def _pair(v) -> int:
    return int(v[0] if isinstance(v, (tuple, list)) else v)


def _conv_row(name: str, conv: nn.Conv2d) -> dict:
    return {"name": name, "in": conv.in_channels, "out": conv.out_channels, "kernel": _pair(conv.kernel_size),
            "stride": _pair(conv.stride), "padding": _pair(conv.padding)}


def conv_output(size: int, kernel: int, stride: int, padding: int = 0) -> float:
    """The output side of a convolution, before rounding down: (size + 2·padding − kernel) / stride + 1."""
    return (size + 2 * padding - kernel) / stride + 1


def _count(model: nn.Module, kind) -> int:
    return sum(isinstance(m, kind) for m in model.modules())


def _params(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


@functools.lru_cache(maxsize=1)
def alexnet_card() -> dict:
    """AlexNet as torchvision builds it, beside the 2012 paper's version."""
    model = _meta("alexnet")
    convs = [(n, m) for n, m in model.named_modules() if isinstance(m, nn.Conv2d)]
    name, conv1 = convs[0]
    paper = PAPER_ALEXNET
    with torch.device("meta"):
        paper_conv1 = nn.Conv2d(3, paper["conv1_filters"], paper["conv1_kernel"], paper["conv1_stride"],
                                paper["conv1_padding"])
    side = LECTURE_ALEXNET_INPUT
    pools = [{"name": n, "kernel": _pair(m.kernel_size), "stride": _pair(m.stride)}
             for n, m in model.named_modules() if isinstance(m, nn.MaxPool2d)]
    dropouts = [{"name": n, "p": float(m.p)} for n, m in model.named_modules() if isinstance(m, nn.Dropout)]
    return {
        "model": "alexnet", "params": _params(model),
        "convs": _count(model, nn.Conv2d), "linears": _count(model, nn.Linear),
        "weight_layers": _count(model, nn.Conv2d) + _count(model, nn.Linear),
        "relus": _count(model, nn.ReLU), "tanh_or_sigmoid": _count(model, (nn.Tanh, nn.Sigmoid)),
        "lrn_layers": _count(model, nn.LocalResponseNorm),
        "conv1": _conv_row(name, conv1),
        # the paper's conv1 (96 filters, no padding) on the lecture's 227 px input: (227 − 11) / 4 + 1 = 55
        "paper_conv1": {**_conv_row("conv1", paper_conv1), "input": side,
                        "formula": conv_output(side, paper["conv1_kernel"], paper["conv1_stride"]),
                        "out_shape": _run(paper_conv1, (3, side, side))},
        # the paper writes 224, where the same arithmetic does not come out whole
        "paper_224_formula": conv_output(paper["input_written"], paper["conv1_kernel"], paper["conv1_stride"]),
        # torchvision's conv1 has padding 2: 224 gives 55 as well (227 would give 56)
        "torchvision_conv1_out": {s: _run(conv1, (3, s, s)) for s in (224, side)},
        "adaptive_pool": list(model.avgpool.output_size) if isinstance(model.avgpool, nn.AdaptiveAvgPool2d) else None,
        "min_input": min_input_size("alexnet"),
        "pools": pools,
        "overlapping_pools": sum(p["stride"] < p["kernel"] for p in pools),
        "dropouts": dropouts,
        "paper": paper,
    }


@functools.lru_cache(maxsize=1)
def vgg_card(channels: int = 256) -> dict:
    """VGG-16 (and VGG-19's layer count): 3×3 stacks, where the parameters are, the 25,088 features."""
    model = _meta("vgg16")
    convs = [m for m in model.modules() if isinstance(m, nn.Conv2d)]
    pools = [m for m in model.modules() if isinstance(m, nn.MaxPool2d)]
    vgg19 = _meta("vgg19")
    features = _run(nn.Sequential(model.features, model.avgpool), (3, 224, 224))
    first_fc = next(m for m in model.classifier if isinstance(m, nn.Linear))
    total, classifier = _params(model), _params(model.classifier)
    stack = stack_fields(3, 3, 1, 1, channels)
    return {
        "model": "vgg16", "params": total, "classifier_params": classifier, "conv_params": total - classifier,
        "classifier_share": classifier / total,
        "first_fc_params": _params(first_fc),
        "convs": len(convs), "linears": _count(model, nn.Linear),
        "weight_layers": len(convs) + _count(model, nn.Linear),
        "vgg19_weight_layers": _count(vgg19, nn.Conv2d) + _count(vgg19, nn.Linear),
        "conv_kinds": sorted({(_pair(c.kernel_size), _pair(c.stride), _pair(c.padding)) for c in convs}),
        "pool_kinds": sorted({(_pair(p.kernel_size), _pair(p.stride)) for p in pools}),
        "features_shape": features, "flat_features": math.prod(features),
        "first_fc_in": first_fc.in_features, "first_fc_out": first_fc.out_features,
        "stack": {"channels": channels, "receptive_field": stack["receptive_field"],
                  "stack_params": stack["stack_params"], "single_params": stack["single_params"],
                  "ratio": stack["ratio"]},
    }


def _block(name: str, block: nn.Module, in_shape: tuple) -> dict:
    """The layers of one residual block, in order, with the shortcut it uses."""
    main = [_conv_row(n, m) for n, m in block.named_children() if isinstance(m, nn.Conv2d)]
    down = getattr(block, "downsample", None)
    shortcut = None
    if down is not None:
        conv = next(m for m in down.modules() if isinstance(m, nn.Conv2d))
        shortcut = {**_conv_row("downsample.0", conv),
                    "layers": [type(m).__name__ for m in down.children()]}
    return {"name": name, "type": type(block).__name__, "main": main, "shortcut": shortcut,
            "in_shape": in_shape, "out_shape": _run(block, in_shape),
            "stride_at": next((c["name"] for c in main if c["stride"] > 1), None)}


def _depth(model: nn.Module) -> int:
    """Weight layers on the main path: every convolution and linear layer outside the projection shortcuts."""
    return sum(isinstance(m, (nn.Conv2d, nn.Linear)) for n, m in model.named_modules() if "downsample" not in n)


@functools.lru_cache(maxsize=1)
def resnet_card() -> dict:
    """ResNet: the residual block as torchvision builds it, where its stride 2 sits, and which weights."""
    model = _meta("resnet50")
    stem_out = _run(nn.Sequential(model.conv1, model.bn1, model.relu, model.maxpool, model.layer1), (3, 224, 224))
    projection = _block("layer2.0", model.layer2[0], stem_out)
    identity = _block("layer2.1", model.layer2[1], projection["out_shape"])
    r18 = _meta("resnet18")
    basic = _block("layer2.0", r18.layer2[0], (64, 56, 56))
    return {
        "model": "resnet50", "params": _params(model),
        "projection": projection, "identity": identity, "basic": basic,
        "depths": {n: _depth(_meta(n)) for n in ("resnet18", "resnet50", "resnet152")},
        "weights": weights_versions(zoo.get_entry("resnet50")),
        "paper": PAPER_RESNET,
    }


def cards() -> dict:
    """The three cards, keyed by family."""
    return {"alexnet": alexnet_card(), "vgg": vgg_card(), "resnet": resnet_card()}
