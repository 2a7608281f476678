"""Benchmark: one attribution map on the CPU, ours against Captum called the plain way, against the issue's goals.

    python benchmarks/bench_saliency.py               # exit status 1 when a goal is missed
    python benchmarks/bench_saliency.py --json
    python benchmarks/bench_saliency.py --rounds 3 --only gradcam

For ResNet-18 (random weights: speed does not depend on them) and EfficientNet-Lite0 (its bundled ImageNet
weights) at 224 px, on scikit-image's ``chelsea``, the wall time of ``core.saliency.explain`` (a private copy
of the model in eval mode, channels-last, no parameter gradients; the predicted class as target; Grad-CAM also
finds its stage with one extra forward pass) against the same Captum method called directly on the shared model
as built (contiguous, parameters requiring gradients; the prediction forward pass included, the Grad-CAM layer
given). One untimed warm-up each, then the median of ``--rounds`` rounds, ours and plain alternated
(occlusion: ``--occlusion-rounds``). Also timed alone: the private copy and finding the Grad-CAM stage.

Goals (2 CPU cores): Grad-CAM under 0.5 s, Integrated Gradients with 32 steps under 4 s, occlusion with the
default settings (32 px window, 16 px stride: 169 positions) under 30 s, for both models.

Runs with 2 torch threads in a throw-away data directory, offline. ``uptime`` is printed before and after: on a
shared machine the load average says how much of the CPU we had.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["CNNLAB_DATA_DIR"] = tempfile.mkdtemp(prefix="bench-saliency-")
os.environ["CNNLAB_WORKSPACES"] = "single"  # one local user: core calls need no workspace token
os.environ.setdefault("CNNLAB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

GOALS = {"gradcam": 0.5, "ig": 4.0, "occlusion": 30.0}
MODELS = ("resnet18", "tf_efficientnet_lite0")


def uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return "uptime unavailable"


def subject_for(name: str):
    """Lite0 with its offline ImageNet weights; ResNet-18 at random (no weights offline), wrapped the same way."""
    from core.saliency import Subject, pretrained_subject
    from core.zoo import build_model, get_entry, imagenet_labels, preprocess_for
    if name == "tf_efficientnet_lite0":
        return pretrained_subject(name)
    built = build_model(name, pretrained=False)
    return Subject("pretrained", f"bench:{name}", name, built.model.eval(), preprocess_for(get_entry(name)),
                   tuple(imagenet_labels()), weights=built.weights)


def plain(subject, image, method: str):
    """The same map the plain way: Captum on the shared model as built, no copy, no channels-last."""
    import torch
    from captum.attr import IntegratedGradients, LayerAttribution, LayerGradCam, Occlusion
    from core.saliency import SaliencySettings, seen
    from core.saliency.methods import baseline, gradcam_layer
    s = SaliencySettings()
    model = subject.model
    u8, x = seen(subject, image)
    layer = gradcam_layer(model, subject.input_size, None)[1] if method == "gradcam" else None

    def run() -> None:
        with torch.no_grad():
            target = int(model(x).argmax(-1))
        xg = x.clone().requires_grad_(method != "occlusion")
        if method == "gradcam":
            cam = LayerGradCam(model, layer).attribute(xg, target=target, relu_attributions=True)
            LayerAttribution.interpolate(cam, x.shape[-2:], interpolate_mode="bilinear")
        elif method == "ig":
            IntegratedGradients(model).attribute(xg, baselines=baseline("black", u8, subject), target=target,
                                                 n_steps=s.steps, internal_batch_size=s.batch,
                                                 return_convergence_delta=True)
        else:
            with torch.no_grad():
                Occlusion(model).attribute(xg, sliding_window_shapes=(3, s.window, s.window),
                                           strides=(3, s.stride, s.stride), baselines=baseline("black", u8, subject),
                                           target=target, perturbations_per_eval=s.batch)
    return run


def timed_pair(ours, theirs, rounds: int) -> tuple[list[float], list[float]]:
    """Wall times of ``ours`` and ``theirs``, alternated round by round (on a shared machine the load changes
    from minute to minute; alternating gives both the same conditions), after one untimed warm-up each
    (first-call costs: the allocator, oneDNN kernels for each new shape)."""
    ours(), theirs()
    a, b = [], []
    for _ in range(rounds):
        for fn, out in ((ours, a), (theirs, b)):
            t0 = time.perf_counter()
            fn()
            out.append(time.perf_counter() - t0)
    return a, b


def overhead(subject, rounds: int) -> dict:
    """What ``explain`` does besides Captum's work: the private copy, and (Grad-CAM) finding the stage."""
    from core.saliency.methods import conv_stages
    from core.saliency.subject import private_copy
    copy_s, stage_s = [], []
    for _ in range(rounds):
        t0 = time.perf_counter()
        model = private_copy(subject.model)
        copy_s.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        conv_stages(model, subject.input_size)
        stage_s.append(time.perf_counter() - t0)
    return {"private_copy_s": round(statistics.median(copy_s), 3), "find_stage_s": round(statistics.median(stage_s), 3)}


def bench(methods: list[str], rounds: int, occlusion_rounds: int) -> list[dict]:
    from core.architectures import sample_image
    from core.saliency import SaliencySettings, explain
    image = sample_image("chelsea")
    rows = []
    for name in MODELS:
        subject = subject_for(name)
        parts = overhead(subject, rounds)
        print(f"  {name:22} private copy {parts['private_copy_s']:.3f} s, finding the Grad-CAM stage "
              f"{parts['find_stage_s']:.3f} s (medians)", flush=True)
        for method in methods:
            n = occlusion_rounds if method == "occlusion" else rounds
            settings = SaliencySettings(method=method)
            holder = {}

            def ours(settings=settings, subject=subject, holder=holder) -> None:
                holder["exp"] = explain(subject, image, settings)
            ours_all, base_all = timed_pair(ours, plain(subject, image, method), n)
            ours_s, base_s = statistics.median(ours_all), statistics.median(base_all)
            exp = holder["exp"]
            row = {"model": name, "method": method, "rounds": n, "ours_s": round(ours_s, 3),
                   "baseline_s": round(base_s, 3), "speedup": round(base_s / ours_s, 2),
                   "ours_all": [round(t, 3) for t in ours_all], "baseline_all": [round(t, 3) for t in base_all],
                   "forwards": exp.forwards, "target": exp.target_label,
                   "convergence_delta": exp.convergence_delta, "goal_s": GOALS[method], **parts,
                   "ok": ours_s < GOALS[method]}
            rows.append(row)
            print(f"  {name:22} {method:10} ours {ours_s:7.3f} s  plain Captum {base_s:7.3f} s  "
                  f"(×{row['speedup']:.2f}, {exp.forwards} images)", flush=True)
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--only", choices=list(GOALS), action="append")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--occlusion-rounds", type=int, default=3)
    args = ap.parse_args(argv)
    import torch
    torch.set_num_threads(2)
    before = uptime()
    print(f"before: {before}  (torch threads: {torch.get_num_threads()})", flush=True)
    rows = bench(args.only or list(GOALS), args.rounds, args.occlusion_rounds)
    after = uptime()
    print(f"after:  {after}")
    print(f"\n{'model':22} {'method':10} {'ours (median)':>14} {'plain Captum':>13} {'speed-up':>9}  goal")
    for r in rows:
        print(f"{r['model']:22} {r['method']:10} {r['ours_s']:12.3f} s {r['baseline_s']:11.3f} s "
              f"{r['speedup']:8.2f}×  {'PASS' if r['ok'] else 'FAIL'} < {r['goal_s']:g} s")
    if args.json:
        print(json.dumps({"uptime_before": before, "uptime_after": after, "rows": rows}, default=str))
    return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
