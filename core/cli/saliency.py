"""``saliency``: the saliency page's twin. Why did a pretrained model or a finished run decide what it did?

``python -m core saliency --model tf_efficientnet_lite0 --image cat.jpg --method gradcam --out cat.png --json``

The method's settings are flags generated from :class:`core.saliency.SaliencySettings` (one definition, with
their bounds). ``--out`` writes the picture as the model saw it beside the map over it (PNG); ``--save-array``
the raw map, float32 [H, W], as ``.npy`` (pixel methods: the colour channels' absolute values summed).
"""
from __future__ import annotations

import argparse
import typing
from dataclasses import fields
from pathlib import Path

import numpy as np

from core.cli import add_command
from core.zoo import DEFAULT_MODEL


def _add_settings_flags(p: argparse.ArgumentParser) -> None:
    from core.saliency import SaliencySettings
    hints = typing.get_type_hints(SaliencySettings)
    for f in fields(SaliencySettings):
        kind = hints[f.name]
        kind = next((a for a in typing.get_args(kind) if a is not type(None)), kind)  # Optional[int] -> int
        kw = {"type": kind, "default": f.default, "help": f.metadata.get("help")}
        if f.metadata.get("choices"):
            kw["choices"] = f.metadata["choices"]
        p.add_argument("--" + f.name.replace("_", "-"), dest=f.name, **kw)


def _saliency(args) -> dict:
    from core.images import open_rgb
    from core.plots.saliency import overlay, side_by_side
    from core.saliency import SaliencySettings, display, explain, pretrained_subject, run_subject
    subject = run_subject(args.run) if args.run else pretrained_subject(args.model or DEFAULT_MODEL)
    image = open_rgb(args.image, name=args.image, max_side=2048)
    settings = SaliencySettings(**{f.name: getattr(args, f.name) for f in fields(SaliencySettings)})
    exp = explain(subject, image, settings)
    res = {"method": exp.method, "target": exp.target, "target_label": exp.target_label, "score": exp.score,
           "convergence_delta": exp.convergence_delta, "seconds": exp.seconds,
           "logit": exp.logit, "stage": exp.stage, "forwards": exp.forwards, "settings": exp.settings,
           "model": subject.architecture, "run": str(args.run) if args.run else None,
           "input_size": subject.input_size, "image": args.image}
    if args.out:
        from PIL import Image
        pic = side_by_side([exp.image, overlay(exp.image, display(exp.map, signed=exp.method == "occlusion"))])
        Image.fromarray(pic).save(args.out, format="PNG")
        res["out"] = str(Path(args.out).resolve())
    if args.save_array:
        np.save(args.save_array, exp.map.astype(np.float32))
        res["array"] = str(Path(args.save_array).resolve())
    return res


def _saliency_text(r: dict) -> str:
    who = f"run {r['run']}" if r["run"] else r["model"]
    lines = [f"{r['method']} on {who}: class {r['target']} '{r['target_label']}' (probability {r['score']:.1%}), "
             f"{r['seconds']:.2f} s, {r['forwards']} images through the model"]
    if r["convergence_delta"] is not None:
        lines.append(f"convergence delta {r['convergence_delta']:+.4f} (sum of attributions minus "
                     f"f(image) - f(baseline); nearer 0 with more --steps)")
    if r.get("stage"):
        lines.append(f"Grad-CAM stage: {r['stage']}")
    lines += [f"wrote {r[k]}" for k in ("out", "array") if r.get(k)]
    return "\n".join(lines)


def add_commands(sub) -> None:
    p = add_command(sub, "saliency", "explain one image's prediction with a Captum attribution map",
                    _saliency, _saliency_text)
    who = p.add_mutually_exclusive_group()
    who.add_argument("--model", default=None, help=f"a catalog model with ImageNet weights (default {DEFAULT_MODEL})")
    who.add_argument("--run", default=None, help="a finished run: its folder, export folder or id")
    p.add_argument("--image", required=True, help="the image file")
    _add_settings_flags(p)
    p.add_argument("--out", default=None, help="write the image as the model saw it and the map over it (PNG)")
    p.add_argument("--save-array", dest="save_array", default=None, help="write the raw map, float32 H×W (.npy)")
