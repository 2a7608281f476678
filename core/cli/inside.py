"""``filters``, ``probe-stages`` and ``forgetting``: the inside page's twins.

``filters --model NAME`` shows a model's first-layer filters, pretrained beside random initialisation;
``filters --run DIR`` a run's fine-tuned filters beside the ones it started from, with each filter's and each
stage's change and per-stage CKA. A run whose dataset was deleted still shows its weight change: the CKA
part says the data is gone (one sentence on stderr) and the command exits 0.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from core.cli import add_command
from core.errors import UserError
from core.notices import Notice

GAP = 8  # pixels between the two grids of a --out picture


def _notes(records) -> list[str]:
    return [str(n) for n in (Notice.restore(r) for r in records) if n is not None]


def _picture(grids: list, out: str) -> str:
    """The grids side by side, each filter pixel an exact square of pixels (nearest neighbour), as a PNG."""
    from PIL import Image
    tile = max(g.tile for g in grids)
    scale = max(1, 24 // tile)
    h = max(g.image.shape[0] for g in grids)
    parts = []
    for i, g in enumerate(grids):
        img = np.full((h, g.image.shape[1], 3), 255, np.uint8)
        img[:g.image.shape[0]] = g.image
        parts.append(img)
        if i < len(grids) - 1:
            parts.append(np.full((h, max(1, GAP // scale), 3), 255, np.uint8))
    big = np.concatenate(parts, axis=1).repeat(scale, 0).repeat(scale, 1)
    Image.fromarray(big).save(out, format="PNG")
    return str(Path(out).resolve())


def _filters(args) -> dict:
    from core.inside import filter_grid
    from core.inside.filters import model_first_conv, run_filters
    if args.run:
        return _run_filters(args, filter_grid, run_filters)
    pre = model_first_conv(args.model, True)
    rnd = model_first_conv(args.model, False)
    res = {"model": args.model, "layer": pre.layer, "shape": list(pre.weight.shape),
           "pretrained": bool(pre.weights.pretrained), "weights_source": str(pre.weights), "notes": []}
    if not pre.weights.pretrained:
        from core.zoo import get_entry
        note = Notice.of("inside.filters.no_pretrained", model=get_entry(args.model).label)
        res["notes"].append(str(note))
    if args.out:
        grids = ([filter_grid(pre.weight, args.normalise, layer=pre.layer)] if pre.weights.pretrained else [])
        grids.append(filter_grid(rnd.weight, args.normalise, layer=rnd.layer))
        res["out"] = _picture(grids, args.out)
    return res


def _run_filters(args, filter_grid, run_filters) -> dict:
    from core.inside.change import run_change
    got = run_filters(args.run, accept_unverified=args.accept_current_weights)
    ref = got["reference"]
    if not ref["usable"]:
        if ref["status"] == "unrecorded":
            raise UserError.of("inside.unverified", run=got["run"])
        raise UserError.restore(ref["text"], ref["notice"])
    change = run_change(args.run, accept_unverified=args.accept_current_weights, cka=not args.no_cka,
                        max_images=args.max_images, mode=args.cka_mode)
    notes = _notes(change["notes"])
    for n in notes:  # the part that could not be done, in one sentence each; the rest is printed as usual
        print(n, file=sys.stderr)
    res = {"run": got["run"], "model": got["model"], "strategy": change.get("strategy"), "layer": got["layer"],
           "shape": got["shape"], "reference": {k: ref[k] for k in ("status", "source", "weights", "text")},
           "filters": [{"index": i, "relative_change": c} for i, c in enumerate(got["relative_change"])],
           "stages": [{"name": s["name"], "relative_change": s["relative_change"], "cka": s["cka"],
                       "frozen": s["frozen"], "params": s["params"]} for s in change["stages"]],
           "cka_images": change["cka_images"], "notes": notes}
    if args.out:
        order = got["order"]
        res["out"] = _picture([filter_grid(got["before"], args.normalise, order=order, layer=got["layer"]),
                               filter_grid(got["after"], args.normalise, order=order, layer=got["layer"])], args.out)
    return res


def _text_filters(res: dict) -> str:
    shape = "×".join(map(str, res["shape"]))
    lines = [f"{res.get('run') or res['model']}: first convolution {res['layer']} {shape}"]
    if "weights_source" in res:
        lines.append(f"  weights: {res['weights_source']}")
    if "reference" in res:
        lines.append(f"  {res['reference']['text']}")
        top = sorted(res["filters"], key=lambda f: -f["relative_change"])[:8]
        lines.append("  most changed filters: " + ", ".join(f"#{f['index']} {f['relative_change']:.3%}" for f in top))
        lines.append(f"  {'stage':8} {'change':>10} {'CKA':>7}")
        for s in res["stages"]:
            cka = "-" if s["cka"] is None else f"{s['cka']:.4f}"
            lines.append(f"  {s['name']:8} {s['relative_change']:>10.4%} {cka:>7}" + ("  (frozen)" if s["frozen"] else ""))
    lines += [f"  {n}" for n in res.get("notes", []) if "reference" not in res]
    if res.get("out"):
        lines.append(f"  picture: {res['out']}")
    return "\n".join(lines)


def _stderr_progress(fraction: float, notice: Notice) -> None:
    sys.stderr.write(f"\r{fraction:6.1%}  {notice}\033[K")
    sys.stderr.flush()


def _probe(args) -> dict:
    from core.inside.probe import probe_stages
    res = probe_stages(args.data, args.model, args.image_size, folds=args.folds,
                       progress=None if args.json else _stderr_progress)
    if not args.json:
        sys.stderr.write("\n")
    res["notes"] = _notes(res["notes"])
    return res


def _text_probe(res: dict) -> str:
    lines = [f"{res['model']} on {res['dataset']} ({res['images']} images, {res['image_size']} px, "
             f"{res['folds']}-fold cross-validation)", f"  {'stage':8} {'dims':>5} {'pretrained':>11} {'random':>8}"]
    for s in res["stages"]:
        p = "-" if s["pretrained_acc"] is None else f"{s['pretrained_acc']:.1%}"
        r = "-" if s["random_acc"] is None else f"{s['random_acc']:.1%}"
        lines.append(f"  {s['name']:8} {s['dims']:>5} {p:>11} {r:>8}")
    for kind, info in res["features"].items():
        how = ("no such weights" if info["path"] is None else "read from the cache" if info["cached"]
               else f"computed in {info['seconds']} s")
        lines.append(f"  {kind} features: {how}")
    lines += [f"  {n}" for n in res["notes"]]
    return "\n".join(lines)


def _forgetting(args) -> dict:
    from core.images import open_rgb
    from core.inside.forgetting import forgetting
    extra = tuple((Path(p).name, open_rgb(p, name=p)) for p in args.photos)
    res = forgetting(args.run, extra, accept_unverified=args.accept_current_weights, top=args.top)
    res["reference"] = {k: res["reference"][k] for k in ("status", "source", "weights", "text")}
    return res


def _text_forgetting(res: dict) -> str:
    lines = [f"{res['run']} ({res['model']}, {res['strategy']}): the original ImageNet classifier on the "
             f"fine-tuned backbone", f"  {res['reference']['text']}",
             f"  top-1 agreement with the pretrained model: {res['agreement']:.0%} of {len(res['rows'])} photos; "
             f"top-5 overlap {res['top5_overlap']:.0%}"]
    if res["agreement_reference_statistics"] is not None:
        lines.append(f"  with the pretrained batch-norm statistics put back: {res['agreement_reference_statistics']:.0%}")
    for r in res["rows"]:
        mark = "=" if r["same_top1"] else "≠"
        lines.append(f"  {r['photo']:34} {r['pretrained'][0]['label'][:28]:28} {mark} {r['tuned'][0]['label'][:28]}")
    return "\n".join(lines)


def add_commands(sub) -> None:
    from core.inside.change import MAX_IMAGES, MODES
    from core.inside.filters import NORMALISE
    from core.inside.probe import FOLDS
    from core.zoo import DEFAULT_MODEL
    p = add_command(sub, "filters", "first-layer filters: pretrained beside random, or a run's change per filter "
                    "and per stage (weight change and CKA)", _filters, _text_filters)
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--model", help="a catalog model: its pretrained filters beside random initialisation")
    which.add_argument("--run", help="a finished run (folder or id): its filters beside the ones it started from")
    p.add_argument("--out", help="write the filter grids as a PNG here")
    p.add_argument("--normalise", choices=NORMALISE, default="per_filter",
                   help="per_filter: each tile uses its full range; shared: one scale for the whole layer")
    p.add_argument("--accept-current-weights", action="store_true",
                   help="compare a run that did not record its starting weights with the weights available now")
    p.add_argument("--no-cka", action="store_true", help="only the weight change (no forward passes)")
    p.add_argument("--max-images", type=int, default=MAX_IMAGES, help="validation images for CKA")
    p.add_argument("--cka-mode", choices=MODES, default="flatten",
                   help="flatten each stage's map (average-pooled when large) or pool it to one value per channel")

    p = add_command(sub, "probe-stages", "per-stage linear probe: pretrained vs random-init features of a frozen "
                    "backbone, logistic regression with cross-validation", _probe, _text_probe)
    p.add_argument("--data", required=True, help="demo:digits | demo:faces | a stored dataset id | a .zip or folder")
    p.add_argument("--model", default=DEFAULT_MODEL)
    p.add_argument("--image-size", type=int, default=None, help="input side in pixels (default 96)")
    p.add_argument("--folds", type=int, default=FOLDS)

    p = add_command(sub, "forgetting", "the original ImageNet classifier back on a run's fine-tuned backbone: "
                    "top-5 on natural photos beside the pretrained model's", _forgetting, _text_forgetting)
    p.add_argument("--run", required=True, help="a finished run (folder or id) that started from pretrained weights")
    p.add_argument("photos", nargs="*", metavar="PHOTO", help="your own photos, added to the bundled ones")
    p.add_argument("--top", type=int, default=5)
    p.add_argument("--accept-current-weights", action="store_true",
                   help="use the weights available now for a run that did not record its starting weights")
