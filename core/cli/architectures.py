"""``profile``: parameters, MACs/FLOPs, receptive field per stage and depth of a model (latency on request)."""
from __future__ import annotations

from core.architectures import measure_latency, profile
from core.cli import add_command


def _profile(args) -> dict:
    prof = profile(args.model, args.size)
    d = prof.to_dict(layers=args.layers)
    keep_stage = ("name", "out_shape", "receptive_field", "effective_stride", "params", "macs")
    d["stages"] = [{k: s[k] for k in keep_stage} | {"effective_padding": s["effective_padding"],
                                                   "global_context": s["global_context"]} for s in d["stages"]]
    if args.latency:
        d["latency"] = measure_latency(args.model, args.size)
    return d


def _num(v, scale=1.0, fmt="{:,.2f}") -> str:
    return "n/a" if v is None else fmt.format(v / scale)


def _text_profile(d: dict) -> str:
    lines = [f"{d['label']} ({d['model']}) at {d['input_size'][1]}×{d['input_size'][2]}",
             f"  parameters      {d['params']:,} (trainable {d['trainable_params']:,}; classifier "
             f"{d['classifier_share']:.1%})",
             f"  MACs / FLOPs    {_num(d['macs'], 1e9)} GMACs / {_num(d['flops'], 1e9)} GFLOPs"
             + (f"  [{d['flops_error']}]" if d["flops_error"] else ""),
             (f"  receptive field {d['receptive_field']} px, effective stride {d['effective_stride']}, "
              f"effective padding {d['effective_padding']}" + ("  (+ global context)" if d["global_context"] else "")
              if d["receptive_field"] is not None else
              "  receptive field the whole image (attention mixes every position)"),
             f"  depth           {d['depth']} weight layers; activations {_num(d['activation_bytes'], 2**20)} MB/image",
             f"  ImageNet top-1  {d['top1'] if d['top1'] is not None else 'n/a'}  ({d['top1_source']})",
             "", f"  {'stage':8} {'output':>16} {'params':>13} {'GMACs':>8} {'RF':>5} {'stride':>6}"]
    for s in d["stages"]:
        shape = "×".join(map(str, s["out_shape"]))
        lines.append(f"  {s['name']:8} {shape:>16} {s['params']:>13,} {_num(s['macs'], 1e9, '{:.3f}'):>8} "
                     f"{s['receptive_field'] if s['receptive_field'] is not None else '-':>5} "
                     f"{s['effective_stride'] if s['effective_stride'] is not None else '-':>6}")
    if "latency" in d:
        for bs, r in d["latency"]["batches"].items():
            lines.append(f"  latency batch {bs}: {r['median_ms']} ms ({r['images_per_s']} img/s) on {d['latency']['device']}")
    return "\n".join(lines)


def add_commands(sub) -> None:
    p = add_command(sub, "profile", "parameters, MACs/FLOPs, receptive field and depth of a model",
                    _profile, _text_profile)
    p.add_argument("model")
    p.add_argument("--size", type=int, default=None, help="input size in pixels (default: the model's own)")
    p.add_argument("--layers", action="store_true", help="include the per-layer table")
    p.add_argument("--latency", action="store_true", help="also measure latency at batch 1 and 32 (slow on CPU)")
