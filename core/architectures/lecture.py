"""The lecture's code, run as written: what a student gets, and the corrected code beside it, run too.

Three snippets: loading a model with the deprecated ``pretrained=True``; the fine-tuning head ``Linear(512, 128)``
on VGG-16; the ``ResLayer`` with ``padding = kernel_size - 2`` and a bare ``+ x``. Each is executed from the
very text the page shows (so the text and the result cannot drift apart):

* Models are built on the meta device (no weights in memory). A weight download is never made: the weights
  enum's ``get_state_dict`` is replaced, for this thread only, by a stand-in that records which weights were
  asked for and hands back meta tensors of the right shapes, so the snippet goes on as it would.
* What has to fail as it fails on a student's machine runs on the CPU: the new VGG head (small) gets a real
  tensor of the shape VGG-16's convolutional part produced on meta; ``ResLayer`` runs on a 56×56 map (the size
  of ResNet's first stage), since torch's meta kernels word shape errors differently from the CPU's.
* Warnings are recorded with their category and text (torchvision's deprecation warnings, word for word).

Plain dicts out: ``{"key", "code", "runs": [...], "fixed_code", "fixed_runs": [...]}``; each run is
``{"call", "ok", "shape" | "error", "warnings", "weights"}``.
"""
from __future__ import annotations

import contextlib
import functools
import re
import threading
import warnings

import torch
from torch import nn

from core.i18n import t

_LOCK = threading.Lock()   # warnings.catch_warnings and the stand-in are process-wide: one check at a time
RES_INPUT = (64, 56, 56)   # ResNet's first stage: 64 channels at 56×56 for a 224 px image

PRETRAINED_CODE = """\
import torch
import torchvision.models as models

alexnet = models.alexnet(pretrained=True)
model = models.vgg16(pretrained=True)
resnet = models.resnet50(pretrained=True)
"""
PRETRAINED_FIXED = """\
import torch
import torchvision.models as models
from torchvision.models import AlexNet_Weights, ResNet50_Weights, VGG16_Weights

# @weights_by_name
alexnet = models.alexnet(weights=AlexNet_Weights.IMAGENET1K_V1)
model = models.vgg16(weights=VGG16_Weights.IMAGENET1K_V1)
resnet = models.resnet50(weights=ResNet50_Weights.IMAGENET1K_V1)
# @default_weights
resnet_v2 = models.resnet50(weights=ResNet50_Weights.DEFAULT)
"""

HEAD_CODE = """\
model = models.vgg16(pretrained=True)
for param in model.parameters():
    param.requires_grad = False
model.classifier = nn.Sequential(
    nn.Flatten(),
    nn.Linear(512, 128),
    nn.ReLU(),
    nn.Dropout(0.2),
    nn.Linear(128, 1),
    nn.Sigmoid()
)
"""
HEAD_FIXED = """\
model = models.vgg16(weights=models.VGG16_Weights.IMAGENET1K_V1)
for param in model.parameters():
    param.requires_grad = False
num_classes = 5
model.classifier = nn.Sequential(
    nn.Flatten(),
    nn.Linear(512 * 7 * 7, 128),   # @features
    nn.ReLU(),
    nn.Dropout(0.2),
    nn.Linear(128, num_classes),   # @logits
)
# @keep_fc
# model.classifier[6] = nn.Linear(4096, num_classes)
"""

RES_CODE = """\
class ResLayer(nn.Module):
    def __init__(self, ni, no, kernel_size, stride=1):
        super(ResLayer, self).__init__()
        padding = kernel_size - 2
        self.conv = nn.Sequential(
            nn.Conv2d(ni, no, kernel_size, stride,
                      padding=padding),
            nn.ReLU()
        )

    def forward(self, x):
        return self.conv(x) + x
"""
RES_FIXED = """\
class ResLayer(nn.Module):
    def __init__(self, ni, no, kernel_size, stride=1):
        super().__init__()
        padding = kernel_size // 2   # @padding
        self.conv = nn.Sequential(
            nn.Conv2d(ni, no, kernel_size, stride, padding=padding),
            nn.ReLU()
        )
        # @projection
        self.shortcut = (nn.Conv2d(ni, no, 1, stride) if stride != 1 or ni != no
                         else nn.Identity())

    def forward(self, x):
        return self.conv(x) + self.shortcut(x)
"""
RES_CALLS = ("ResLayer(64, 64, 3)", "ResLayer(64, 64, 5)", "ResLayer(64, 64, 7)", "ResLayer(64, 128, 3)",
             "ResLayer(64, 64, 3, stride=2)")


def localise(code: str, lang: str = "en") -> str:
    """The code with its ``# @key`` comments in ``lang`` (comments do not change what runs)."""
    return re.sub(r"# @(\w+)", lambda m: "# " + t(f"architectures.code.comment.{m.group(1)}", lang), code)


class _StandIn:
    """Replaces ``WeightsEnum.get_state_dict`` for the checking thread: records the weights asked for and returns
    meta tensors shaped like them (so ``load_state_dict`` succeeds without a download); other threads get the
    real method."""

    def __init__(self):
        self.asked: list[dict] = []
        self.owner = threading.get_ident()

    @contextlib.contextmanager
    def installed(self):
        from torchvision.models._api import WeightsEnum
        original = WeightsEnum.get_state_dict
        stand_in = self

        def get_state_dict(weights, *args, **kwargs):
            if threading.get_ident() != stand_in.owner:
                return original(weights, *args, **kwargs)
            stand_in.asked.append({"weights": str(weights), "file": weights.url.rsplit("/", 1)[-1]})
            return _meta_state_dict(type(weights).__name__, len(weights.meta["categories"]))

        WeightsEnum.get_state_dict = get_state_dict
        try:
            yield self
        finally:
            WeightsEnum.get_state_dict = original


@functools.lru_cache(maxsize=8)
def _builder_for(enum_name: str) -> str:
    import torchvision
    from torchvision.models import get_model_weights, list_models
    return next(n for n in list_models(module=torchvision.models) if get_model_weights(n).__name__ == enum_name)


def _meta_state_dict(enum_name: str, classes: int) -> dict:
    from torchvision.models import get_model
    with torch.device("meta"):
        return get_model(_builder_for(enum_name), weights=None, num_classes=classes).state_dict()


def _namespace() -> dict:
    import torchvision.models as models
    return {"torch": torch, "nn": nn, "models": models, "__name__": "lecture"}


def _error(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


@contextlib.contextmanager
def _recorded(run: dict):
    """Record warnings and weight requests into ``run`` (one check at a time in the process)."""
    with _LOCK, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        stand_in = _StandIn()
        with stand_in.installed():
            yield
        run["warnings"] = [f"{w.category.__name__}: {w.message}" for w in caught]
        run["weights"] = stand_in.asked


def _exec_on_meta(code: str, ns: dict, run: dict) -> None:
    """Run lecture code with every tensor on the meta device; record warnings, weights and any error."""
    with _recorded(run):
        try:
            with torch.device("meta"):
                exec(compile(code, "<lecture>", "exec"), ns)  # noqa: S102 - our own constant snippets
            run["ok"] = True
        except Exception as exc:  # noqa: BLE001 - the error is the result shown
            run.update(ok=False, error=_error(exc))


def _loads(code: str) -> list[dict]:
    """One run per model the snippet builds: which weights it asked for, with which warnings."""
    lines = [line.strip() for line in code.splitlines()]
    imports = "\n".join(line for line in lines if line.startswith(("import ", "from ")))
    runs = []
    for line in lines:
        if "models." not in line or "=" not in line or line.startswith(("#", "import ", "from ")):
            continue
        run: dict = {"call": line}
        ns = _namespace()
        exec(compile(imports, "<lecture>", "exec"), ns)  # noqa: S102 - the snippet's own imports
        _exec_on_meta(line, ns, run)
        model = next((v for v in ns.values() if isinstance(v, nn.Module)), None)
        if model is not None:
            conv = next(m for m in model.modules() if isinstance(m, nn.Conv2d))
            run.update(first_conv_filters=conv.out_channels,
                       params=sum(p.numel() for p in model.parameters()))
        runs.append(run)
    return runs


@functools.lru_cache(maxsize=1)
def check_pretrained() -> dict:
    """``pretrained=True``: still accepted, with two deprecation warnings, and mapped to the V1 weights."""
    return {"key": "pretrained", "code": PRETRAINED_CODE, "runs": _loads(PRETRAINED_CODE),
            "fixed_code": PRETRAINED_FIXED, "fixed_runs": _loads(PRETRAINED_FIXED)}


def _vgg_head(code: str, call: str) -> dict:
    """Run the head snippet: the model on meta, then the classifier on a CPU tensor shaped like VGG's features."""
    run: dict = {"call": call}
    ns = _namespace()
    body, _, head = code.partition("model.classifier = ")
    _exec_on_meta(body, ns, run)
    model = ns["model"]
    with torch.no_grad():
        feats = torch.flatten(model.avgpool(model.features(torch.zeros(1, 3, 224, 224, device="meta"))), 1)
    exec(compile("model.classifier = " + head, "<lecture>", "exec"), ns)  # noqa: S102 - the head, on the CPU
    run["features"] = tuple(feats.shape[1:])
    run["trainable"] = sum(p.numel() for p in model.parameters() if p.requires_grad)
    try:
        with torch.no_grad():
            run.update(ok=True, shape=tuple(model.classifier(torch.zeros(1, *feats.shape[1:])).shape[1:]))
    except Exception as exc:  # noqa: BLE001 - the error is the result shown
        run.update(ok=False, error=_error(exc))
    last = [m for m in model.classifier if not isinstance(m, (nn.Dropout, nn.ReLU, nn.Flatten))]
    run["ends_with_sigmoid"] = isinstance(last[-1], nn.Sigmoid)
    return run


@functools.lru_cache(maxsize=1)
def check_vgg_head() -> dict:
    """The lecture's head expects 512 features; VGG-16 hands it 25,088. The fix takes 512·7·7, n classes."""
    return {"key": "vgg_head", "code": HEAD_CODE, "runs": [_vgg_head(HEAD_CODE, "model(x)")],
            "fixed_code": HEAD_FIXED, "fixed_runs": [_vgg_head(HEAD_FIXED, "model(x)")]}


def _res_runs(code: str) -> list[dict]:
    ns = _namespace()
    exec(compile(code, "<lecture>", "exec"), ns)  # noqa: S102 - the class definition
    runs = []
    torch.manual_seed(0)
    for call in RES_CALLS:
        run: dict = {"call": f"{call}(x)", "input": RES_INPUT}
        try:
            layer = eval(call, ns)  # noqa: S307 - our own constant calls
            run["padding"] = layer.conv[0].padding[0]
            with torch.no_grad():
                run.update(ok=True, shape=tuple(layer(torch.zeros(1, *RES_INPUT)).shape[1:]))
        except Exception as exc:  # noqa: BLE001 - the error is the result shown
            run.update(ok=False, error=_error(exc))
        runs.append(run)
    return runs


@functools.lru_cache(maxsize=1)
def check_reslayer() -> dict:
    """``padding = kernel_size - 2`` is right for 3×3 only; ``+ x`` fails whenever the shape changes."""
    return {"key": "reslayer", "code": RES_CODE, "runs": _res_runs(RES_CODE), "fixed_code": RES_FIXED,
            "fixed_runs": _res_runs(RES_FIXED)}


def lecture_checks() -> list[dict]:
    """All three snippet checks, in the lecture's order, each with the torchvision version it ran on."""
    import torchvision
    return [{**c, "torchvision": torchvision.__version__}
            for c in (check_pretrained(), check_vgg_head(), check_reslayer())]
