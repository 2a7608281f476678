"""``models`` and ``classify``: the catalog with offline weight availability, and ImageNet top-k for images."""
from __future__ import annotations

from core.cli import add_command, format_topk
from core.zoo import DEFAULT_MODEL, build_model, classify, list_entries, weights_available_offline


def _models(args) -> dict:
    rows = [{**e.to_dict(), "offline_weights": weights_available_offline(e.name)} for e in list_entries()]
    return {"models": rows, "default": DEFAULT_MODEL}


def _text_models(res: dict) -> str:
    lines = [f"{'name':24} {'year':>4}  {'library':11} {'input':>5}  offline weights"]
    for r in res["models"]:
        lines.append(f"{r['name']:24} {r['year']:>4}  {r['library']:11} {r['input_size']:>5}  {r['offline_weights'] or '-'}")
    return "\n".join(lines)


def _classify(args) -> dict:
    from core.images import open_rgb
    built = build_model(args.model, pretrained=True, weights_file=args.weights)
    images = [open_rgb(p, name=p) for p in args.images]
    results = classify(built, images, top=args.top)
    return {"model": built.entry.name, "weights_source": str(built.weights),
            "pretrained": built.weights.pretrained,
            "results": [{"image": p, "top": r} for p, r in zip(args.images, results)]}


def _text_classify(res: dict) -> str:
    return format_topk(f"{res['model']} — weights: {res['weights_source']}", res["results"])


def add_commands(sub) -> None:
    add_command(sub, "models", "list the model catalog and offline weight availability", _models, _text_models)
    p = add_command(sub, "classify", "ImageNet top-k for images", _classify, _text_classify)
    p.add_argument("images", nargs="+", metavar="IMAGE")
    p.add_argument("--model", default=DEFAULT_MODEL)
    p.add_argument("--top", type=int, default=5)
    p.add_argument("--weights", default=None, help="a safetensors file to load instead of the default weights")
