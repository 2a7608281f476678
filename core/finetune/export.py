"""The exported model: ``export/model.safetensors`` + ``export/config.json``, loadable without this app.

The state dict keeps the library's own key names, so with the default single-Linear head:

* timm models (EfficientNet-Lite ...): ``timm.create_model(name, num_classes=n).load_state_dict(sd)``, strict.
* torchvision models: ``torchvision.models.get_model(name, num_classes=n).load_state_dict(sd)``, strict.
  GoogLeNet / Inception-v3 also need ``aux_logits=False`` (the factory drops the auxiliary heads) and the
  ``transform_input`` flag recorded in ``constructor_kwargs``.
* with ``head_hidden > 0`` the classifier is ``Sequential(Linear, ReLU, Dropout, Linear)`` at the
  classifier's path: replace it first (``config.json``'s ``load`` spells out how).

:func:`load_export` does all this itself and reads safetensors only, never a pickle.
"""
from __future__ import annotations

import functools
import json
from pathlib import Path

from core.errors import UserError
from core.finetune.head import install_head
from core.runs import export_paths
from core.workspaces import shown

EXPORT_FORMAT = 1
_AUX_MODELS = ("googlenet", "inception_v3")


def export_config(architecture: str, library: str, classes: list[str], preprocess, head: dict,
                  transform_input: bool, training: dict, dataset_side: int | None = None) -> dict:
    """``export/config.json``: what a user needs to rebuild and use the model, from plain values.

    ``dataset_side``: training saw every image through the dataset's cache (short side resized to this,
    centre-cropped square) before the model's own resize and crop; prediction does the same first, so the
    export predicts like the model did in training (the pixels differ otherwise, most for small originals).
    """
    n = len(classes)
    ctor = ({"aux_logits": False, "transform_input": transform_input, "init_weights": False}
            if architecture in _AUX_MODELS else {})
    if library == "timm":
        how = f"timm.create_model('{architecture}', num_classes={n})"
    else:
        extra = "".join(f", {k}={v}" for k, v in ctor.items())
        how = f"torchvision.models.get_model('{architecture}', num_classes={n}{extra})"
    if head["hidden"] > 0:
        how += (f"; then replace model.{head['path']} with Sequential(Linear({head['in_features']}, {head['hidden']}), "
                f"ReLU(), Dropout({head['dropout']}), Linear({head['hidden']}, {n}))")
    how += "; then model.load_state_dict(safetensors.torch.load_file('model.safetensors'))"
    return {"format": EXPORT_FORMAT, "architecture": architecture, "library": library, "num_classes": n,
            "class_names": list(classes),
            "preprocess": {**preprocess.to_dict(), "crop_pct": preprocess.crop_pct, "dataset_side": dataset_side},
            "head": head, "constructor_kwargs": ctor, "load": how, "training": training}


def load_export(run_dir: Path):
    """(model in eval mode, export config, Preprocess) from a run folder or an export folder; safetensors only.

    Cached (a few exports), keyed by the files' paths and modification times, so a re-export is re-read.
    """
    weights, config = export_paths(run_dir)
    if not config.is_file() or not weights.is_file():
        raise UserError.of("finetune.no_export", folder=shown(run_dir))
    return _load(str(weights.resolve()), weights.stat().st_mtime_ns, str(config.resolve()), config.stat().st_mtime_ns)


@functools.lru_cache(maxsize=4)
def _load(weights_path: str, _weights_mtime: int, config_path: str, _config_mtime: int):
    from safetensors.torch import load_file
    from core.zoo import Preprocess, construct, get_entry
    try:
        cfg = json.loads(Path(config_path).read_text(encoding="utf-8"))
        entry = get_entry(cfg["architecture"])
        head = cfg["head"]
        pre = Preprocess(**{k: (tuple(v) if isinstance(v, list) else v) for k, v in cfg["preprocess"].items()
                            if k in ("input_size", "resize_size", "mean", "std", "interpolation")})
    except (KeyError, TypeError, ValueError) as exc:
        raise UserError.of("finetune.export_config_damaged", file=shown(config_path), kind=type(exc).__name__,
                           reason=str(exc)) from None
    try:
        sd = load_file(weights_path, device="cpu")
    except Exception as exc:  # noqa: BLE001 - any decoder error is the file's fault
        raise UserError.of("finetune.export_weights_unreadable", file=shown(weights_path), reason=str(exc)[:120]) from None
    model = construct(entry, for_pretrained=bool(cfg.get("constructor_kwargs", {}).get("transform_input", False)))
    install_head(model, head)
    try:
        model.load_state_dict(sd, strict=True)
    except RuntimeError as exc:
        raise UserError.of("finetune.export_weights_mismatch", model=entry.name,
                           reason=str(exc).splitlines()[0][:200]) from None
    model.eval()
    return model, cfg, pre
