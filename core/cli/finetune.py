"""``train``, ``predict`` and ``estimate``: the fine-tuning page's twins.

The training flags are generated from :class:`core.finetune.FinetuneConfig`'s fields (name, type, default,
choices and help), so a setting and its default are written once, in the config.

``torchrun --nproc_per_node=N -m core train ...`` trains one run with N processes
(:mod:`core.finetune.distributed`): rank 0 prints and records everything, the other ranks stay silent and
exit with the same code.
"""
from __future__ import annotations

import argparse
import sys
import typing
from dataclasses import fields
from pathlib import Path
from typing import Iterable, Optional

from core.cli import add_command, format_topk
from core.errors import UserError
from core.finetune import FinetuneConfig, distributed, estimate_epoch_seconds, fit, load_export, predict
from core.notices import Notice

ESTIMATE_FIELDS = ("data", "model", "strategy", "epochs", "image_size", "batch_size", "device")


def add_config_flags(p: argparse.ArgumentParser, only: Optional[Iterable[str]] = None) -> None:
    """One ``--flag`` per FinetuneConfig field (``image_size`` -> ``--image-size``), typed, with the field's
    default, choices and help; ``data`` is required."""
    hints = typing.get_type_hints(FinetuneConfig)
    for f in fields(FinetuneConfig):
        if only is not None and f.name not in only:
            continue
        kind = hints[f.name]
        kind = next((a for a in typing.get_args(kind) if a is not type(None)), kind)  # Optional[int] -> int
        kw = {"type": kind, "help": f.metadata.get("help")}
        if f.metadata.get("choices"):
            kw["choices"] = f.metadata["choices"]
        if f.name == "data":
            kw["required"] = True
        else:
            kw["default"] = f.default
        p.add_argument("--" + f.name.replace("_", "-"), dest=f.name, **kw)


def config_from_args(args: argparse.Namespace) -> FinetuneConfig:
    known = {f.name for f in fields(FinetuneConfig)}
    return FinetuneConfig(**{k: v for k, v in vars(args).items() if k in known})


def _train_as_listed_run(cfg: FinetuneConfig, echo) -> dict:
    """The default ``train``: a run in <data dir>/runs/ with a status, listed by ``jobs list`` and the page."""
    from core import jobs
    from core.zoo import get_entry
    rid, code = jobs.run_here(cfg, label=f"{get_entry(cfg.model).label} (CLI)", echo=echo)
    where = distributed.launch()
    if where is not None and where.rank != 0:
        raise SystemExit(code)  # rank 0 says how the run ended, once
    if echo is not None:
        sys.stderr.write("\n")
    if code == 130:
        raise KeyboardInterrupt
    if code != 0:
        row = jobs.info(rid)
        notice = Notice.restore(row.get("notice"))
        if notice is None:
            raise UserError.of("finetune.run_ended", run=rid, code=code)
        raise UserError.restore(str(notice), notice.record())  # the run's own error, key and params kept
    return jobs.summary(rid)


def _stderr_progress(ev: dict) -> None:
    phase = ev.get("phase")
    if phase == "message":
        sys.stderr.write("\r" + str(Notice.restore(ev.get("notice")) or "") + "\033[K\n")
    elif phase == "epoch":
        sys.stderr.write(f"\repoch {ev['epoch']}/{ev['epochs']}: train loss {ev['loss']:.4f}, val loss "
                         f"{ev['val_loss']:.4f}, val acc {ev['val_acc']:.1%} ({ev['epoch_seconds']:.1f} s)\033[K\n")
    elif phase in ("train", "val", "features") and ev.get("steps"):
        extra = f" loss {ev['loss']:.4f}" if ev.get("loss") is not None else ""
        eta = f" eta {ev['eta_s']:.0f}s" if ev.get("eta_s") is not None else ""
        sys.stderr.write(f"\r{phase} epoch {ev.get('epoch')}/{ev.get('epochs')} step {ev['step']}/{ev['steps']}"
                         f"{extra}{eta}\033[K")
    sys.stderr.flush()


def _train(args) -> dict:
    where = distributed.launch()
    try:
        cfg = config_from_args(args)
        echo = None if args.json or (where is not None and where.rank != 0) else _stderr_progress
        if not args.out:
            if args.resume:  # a listed run resumes through its job: python -m core jobs resume RUN
                raise UserError.of("finetune.resume_needs_out")
            return _train_as_listed_run(cfg, echo)
        out = Path(args.out)
        if out.exists() and any(out.iterdir()) and not args.resume:
            raise UserError.of("finetune.out_not_empty", out=str(out))
        if where is None:
            return fit(cfg, out, on_progress=echo, resume=args.resume)
        try:  # torchrun into a plain folder: no status to record in, so an error is only printed (by rank 0)
            distributed.start(cfg.device)
            result = fit(cfg, out, on_progress=echo, resume=args.resume)
        finally:
            distributed.stop()
        if where.rank != 0:
            raise SystemExit(0)
        return result
    except UserError:
        if where is not None and where.rank != 0:
            raise SystemExit(2) from None  # the same sentence is rank 0's to print
        raise


def _train_text(res: dict) -> str:
    lines = [f"{res['model']} · {res['strategy']} · weights: {res['weights_source']}",
             f"validation accuracy {res['best_val_acc']:.1%} at the best epoch, {res['best_epoch']} of "
             f"{res['epochs_run']} (chosen by validation loss){' (stopped early)' if res['stopped_early'] else ''}; "
             f"{res['train_seconds']:.1f} s"]
    if res.get("test_acc") is not None:
        lines.append(f"test accuracy {res['test_acc']:.1%} (images held out from training and from choosing the epoch)")
    lines += [f"trainable parameters {res['trainable_params']:,} of {res['total_params']:,}",
              f"run folder: {res['run_dir']}"]
    return "\n".join(lines)


def _predict(args) -> dict:
    from core.images import open_rgb
    images = [open_rgb(p, name=p) for p in args.images]
    results = predict(Path(args.run), images, top=args.top)
    _, cfg, _ = load_export(Path(args.run))
    return {"run": str(args.run), "architecture": cfg["architecture"], "classes": cfg["class_names"],
            "results": [{"image": p, "top": r} for p, r in zip(args.images, results)]}


def _predict_text(res: dict) -> str:
    return format_topk(f"{res['architecture']} fine-tuned on {len(res['classes'])} classes", res["results"])


def _estimate(args) -> dict:
    return estimate_epoch_seconds(config_from_args(args))


def _estimate_text(r: dict) -> str:
    return (f"about {r['first_epoch_seconds']:.1f} s for the first epoch, {r['later_epoch_seconds']:.1f} s for each "
            f"later one ({r['device']}, {r['image_size']} px, batch {r['batch_size']})")


def add_commands(sub) -> None:
    p = add_command(sub, "train", "fine-tune a model on a dataset (linear_probe, partial, full or scratch)",
                    _train, _train_text)
    add_config_flags(p)
    p.add_argument("--out", default=None, help="run folder (default: <data dir>/runs/<new id>)")
    p.add_argument("--resume", action="store_true", help="continue the run in --out from its last checkpoint")
    p = add_command(sub, "predict", "classify images with a finished fine-tuning run", _predict, _predict_text)
    p.add_argument("images", nargs="+", metavar="IMAGE")
    p.add_argument("--run", required=True, help="the run folder (or its export folder)")
    p.add_argument("--top", type=int, default=5)
    p = add_command(sub, "estimate", "time a few training steps and estimate the seconds per epoch",
                    _estimate, _estimate_text)
    add_config_flags(p, only=ESTIMATE_FIELDS)
