"""Feature maps: what one stage of a network computes for one image, which channels respond most, and where
in the image the strongest response of a channel comes from (that cell's receptive field, computed over the
real module graph by :func:`core.receptive_field.module_fields`, the architecture page's computation)."""
from __future__ import annotations

import functools

import numpy as np
import torch

from core.errors import UserError
from core.inside import models
from core.inside.taps import run, tapped

TOP = 16


def spatial_stages(model, input_size: int) -> list:
    """The stages of ``model`` whose output is still a map (C, H, W), at ``input_size``."""
    from core.zoo import model_stages
    with models.FORWARD_LOCK:
        stages = model_stages(model, int(input_size))
    return [s for s in stages if s.name != "head" and len(s.out_shape) == 3]


@functools.lru_cache(maxsize=16)
def _fields(name: str, input_size: int) -> dict:
    """Module name -> receptive field of its output, from a meta-device copy (no weights, no memory)."""
    from core.receptive_field import module_fields
    from core.zoo import construct, get_entry
    infos = module_fields(construct(get_entry(name), device="meta"), int(input_size))
    return {k: v.field for k, v in infos.items() if v.field is not None}


def feature_maps(built, image, input_size: int, stage: str | None = None, top: int = TOP,
                 channel: int | None = None) -> dict:
    """Activations of ``stage`` for a PIL ``image`` through ``built`` (a ``core.zoo.BuiltModel``).

    Args:
        stage: a spatial stage's name (default: the middle one).
        top: how many of the most active channels (largest mean activation) to return.
        channel: the channel whose strongest cell is located (default: the most active one).

    Returns:
        ``image`` (the input as the model sees it, uint8 [S, S, 3] before normalisation), ``stage``,
        ``stages`` (the spatial stage names), ``shape`` [C, H, W], ``channels`` ([{index, mean, max}] of the
        ``top`` most active, most active first), ``maps`` (float32 [top, H, W]), ``channel``, ``channel_map``
        (float32 [H, W]), ``peak`` ({row, col, value}), ``box`` (top, bottom, left, right: the peak cell's
        receptive field clipped to the image), ``receptive_field``, ``effective_stride``, ``clipped``.
    """
    from torchvision.transforms import v2 as T
    size = int(input_size)
    stages = spatial_stages(built.model, size)
    if not stages:
        raise UserError.of("inside.unknown_stage", model=built.entry.label, stage=str(stage), stages="-")
    names = [s.name for s in stages]
    if stage is None:
        stage = names[len(names) // 2]
    if stage not in names:
        raise UserError.of("inside.unknown_stage", model=built.entry.label, stage=str(stage), stages=", ".join(names))
    st = stages[names.index(stage)]
    module = st.modules[-1]
    pre = built.preprocess.with_input_size(size)
    mode = T.InterpolationMode(pre.interpolation)
    shown = T.Compose([T.Resize(pre.resize_size, interpolation=mode, antialias=True), T.CenterCrop(size)])(image)
    x = pre.transform()(image).unsqueeze(0)
    box = {}
    with models.FORWARD_LOCK, tapped(built.model, {stage: (module, "out")},
                                     lambda k, t: box.__setitem__(k, t[0].float().clone())) as fired:
        run(built.model, x, fired)
    act = box[stage]                                            # [C, H, W]
    c = int(act.shape[0])
    means = act.mean((1, 2))
    order = torch.argsort(means, descending=True)[:max(1, int(top))].tolist()
    if channel is None:
        channel = order[0]
    if not 0 <= int(channel) < c:
        raise UserError.of("inside.channel_range", stage=stage, channels=c, last=c - 1)
    channel = int(channel)
    cmap = act[channel]
    flat = int(torch.argmax(cmap))
    row, col = divmod(flat, int(cmap.shape[1]))
    field = _fields(built.entry.name, size).get(module)
    rf = stride = None
    clipped_box = None
    if field is not None:
        clipped_box = field.box(row, col, size, size)
        rf, stride = field.size, field.stride
    return {"image": np.asarray(shown, dtype=np.uint8), "stage": stage, "stages": names, "module": module,
            "shape": [c, int(act.shape[1]), int(act.shape[2])],
            "channels": [{"index": i, "mean": float(means[i]), "max": float(act[i].max())} for i in order],
            "maps": act[order].numpy().astype(np.float32), "channel": channel,
            "channel_map": cmap.numpy().astype(np.float32),
            "peak": {"row": row, "col": col, "value": float(cmap[row, col])},
            "box": clipped_box, "receptive_field": rf, "effective_stride": stride,
            "clipped": bool(rf is not None and rf > size), "input_size": size}
