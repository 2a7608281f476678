"""The training loop: headless (logging only), resumable, cancellable; see :func:`fit`.

A :class:`Trainer` builds what one run needs (the dataset on the device, the model with its new head, the
freezing its strategy asks for, the optimizer and schedule) and trains and evaluates it; :func:`fit` drives
it epoch by epoch and writes every file through :class:`core.runs.RunFolder`.
"""
from __future__ import annotations

import contextlib
import logging
import math
import time
from dataclasses import asdict
from pathlib import Path
from typing import Callable

import torch
import torch.nn.functional as F
from torch import nn

from core.errors import UserError
from core.finetune import distributed
from core.finetune.augment import Split, augment_batch, center_crop, load_split
from core.finetune.config import FinetuneConfig, default_image_size, resolve_device
from core.finetune.distributed import World
from core.finetune.head import backbone_digest, head_inputs, head_parameter_names, head_tail, start_model
from core.finetune.param_groups import make_optimizer
from core.finetune.step import _CANCELLED, Cancelled, Diverged, Progress, forward_backward, train_step
from core.finetune.strategies import HEAD, LAST_STAGES, strategy
from core.notices import Notice
from core.runs import RunFolder

_log = logging.getLogger("core.finetune")

MIN_BATCH = 1                 # out-of-memory back-off stops here with a clear message
CHECKPOINT_FORMAT = 1
_OOM_KEYS = {"training": "finetune.msg.oom.training", "validation": "finetune.msg.oom.validation",
             "features": "finetune.msg.oom.features"}


class Trainer:
    """Everything one run needs (data on the device, model, freezing, optimizer), and its epochs."""

    def __init__(self, cfg: FinetuneConfig, progress: Progress, world: World | None = None):
        from core.zoo import get_entry
        self.cfg = cfg
        self.strategy = strategy(cfg.strategy)
        self.progress = progress
        self.world = world or distributed.current()
        self.processes = self.world.size
        self.device = self.world.device if self.world.enabled else resolve_device(cfg.device)
        self.cuda = self.device.type == "cuda"
        self.entry = get_entry(cfg.model)
        self.image_size = cfg.image_size or default_image_size(cfg.model, self.device)
        if self.image_size < self.entry.min_size:
            raise UserError.of("finetune.image_too_small", model=self.entry.label, min=self.entry.min_size)
        if self.entry.name == "vit_b_16" and self.image_size != 224:
            raise UserError.of("finetune.vit_size")
        self.lr = cfg.base_lr * self.processes  # the linear scaling rule: the effective batch is N x batch_size
        self.amp_dtype = torch.bfloat16 if self.cuda and torch.cuda.is_bf16_supported() else None
        self.batch_size = cfg.batch_size
        self.probe = self.strategy.caches_features
        self.augment = "none" if self.probe else cfg.augment
        if self.cuda:
            torch.backends.cudnn.benchmark = True
        self._open_data()
        self._build_model()
        self._move_data()
        self._build_optimizer()

    # ---------------------------------------------------------------------------------------- set-up
    def _open_data(self) -> None:
        from core.data import open_dataset
        def progress(f, notice):
            self.progress.event(phase="data", step=None, steps=None, fraction=f, notice=notice.record())

        # rank 0 first: it builds (or finds) the decoded cache on disk, the others then open what it stored
        self.ds = self.world.main_first(lambda: open_dataset(self.cfg.data, progress=progress))
        self.classes = list(self.ds.classes)
        if len(self.classes) < 2:
            raise UserError.of("finetune.too_few_classes", name=self.ds.name, count=len(self.classes))
        if len(self.ds.split.get("train", ())) == 0 or len(self.ds.split.get("val", ())) == 0:
            raise UserError.of("finetune.empty_split", name=self.ds.name)

    def _build_model(self) -> None:
        from core.zoo import model_stages, preprocess_for
        cfg = self.cfg
        built, self.head_spec, self.head = start_model(cfg.model, len(self.classes), self.strategy.pretrained,
                                                       cfg.seed, hidden=cfg.head_hidden, dropout=cfg.head_dropout)
        self.weights = built.weights
        if self.strategy.pretrained and not built.weights.pretrained:
            self.progress.notice("finetune.msg.random_weights", model=self.entry.label, strategy=cfg.strategy)
        model = built.model
        self.start_digest = backbone_digest(model, self.head_spec)  # the weights this run starts from
        # the model's own preprocessing (mean, std, interpolation, crop ratio), at the run's input size
        self.preprocess = preprocess_for(self.entry).with_input_size(self.image_size)
        self.stages = model_stages(model, self.image_size)
        self.frozen_stages = self._freeze(model)
        self.model = model.to(self.device)
        if self.cuda:
            self.model = self.model.to(memory_format=torch.channels_last)
        # several processes: DDP for the start (rank 0's weights broadcast), gradients averaged by the world
        self.net = self.model if self.probe else self.world.wrap(self.model)
        self.trainable = [p for p in self.model.parameters() if p.requires_grad]
        self.mean = torch.tensor(self.preprocess.mean, device=self.device).view(1, 3, 1, 1)
        self.std = torch.tensor(self.preprocess.std, device=self.device).view(1, 3, 1, 1)
        self.trainable_params = sum(p.numel() for p in self.model.parameters() if p.requires_grad)
        self.total_params = sum(p.numel() for p in self.model.parameters())

    def _move_data(self) -> None:
        r, mode, split = self.preprocess.resize_size, self.preprocess.interpolation, self.ds.split
        self.progress.event(force=True, phase="data")
        self.train = load_split(self.ds, split["train"], r, mode, self.device)
        self.val = load_split(self.ds, split["val"], r, mode, self.device)
        test_idx = split.get("test")
        self.test = load_split(self.ds, test_idx, r, mode, self.device) if test_idx is not None and len(test_idx) else None
        if self.probe and self.cfg.augment != "none":
            self.progress.notice("finetune.msg.probe_no_aug")

    def _build_optimizer(self) -> None:
        from timm.scheduler import CosineLRScheduler
        cfg, s = self.cfg, self.strategy
        self.opt = make_optimizer(self.model, self.stages, self.lr, cfg.weight_decay,
                                  cfg.layer_decay if s.layer_decay else 1.0,
                                  cfg.head_lr_scale if s.head_lr_scale else 1.0,
                                  new_params=head_parameter_names(self.head_spec, self.model))
        self.criterion = nn.CrossEntropyLoss(label_smoothing=cfg.label_smoothing)
        total = max(1, cfg.epochs * len(self.train))
        self.sched = CosineLRScheduler(self.opt, t_initial=total, lr_min=self.lr * 0.01,
                                       warmup_t=int(cfg.warmup_epochs * len(self.train)),
                                       warmup_lr_init=self.lr * 0.01, t_in_epochs=False)
        self.peak_lrs = [g["lr"] for g in self.opt.param_groups]

    def _freeze(self, model: nn.Module) -> list[int]:
        """requires_grad per strategy; returns the indices of fully frozen stages."""
        from core.zoo import stage_of_parameter
        lookup = stage_of_parameter(self.stages)
        head_idx = self.stages[-1].index
        head_prefix = self.head_spec["path"] + "."
        trains, unfreeze = self.strategy.trains, self.cfg.unfreeze
        if trains == LAST_STAGES and unfreeze > head_idx:
            raise UserError.of("finetune.bad_unfreeze_for_model", model=self.entry.label, stages=head_idx)
        for name, p in model.named_parameters():
            if trains == HEAD:
                p.requires_grad_(name.startswith(head_prefix))
            elif trains == LAST_STAGES:
                p.requires_grad_(lookup(name) >= head_idx - unfreeze)
            else:
                p.requires_grad_(True)
        frozen = set()
        for s in self.stages:
            params = [p for m in s.modules for p in model.get_submodule(m).parameters()]
            if params and not any(p.requires_grad for p in params):
                frozen.add(s.index)
        return sorted(frozen)

    def resolved(self) -> dict:
        """What the run resolved from its config (device, size, rate, data, stages ...), for config.json."""
        dist = {} if self.processes == 1 else {"distributed": {
            "backend": self.world.backend, "per_process_batch": self.cfg.batch_size,
            "effective_batch": self.cfg.batch_size * self.processes, "base_lr": self.cfg.base_lr,
            "lr_rule": "linear: lr x processes", "sync_batchnorm": False}}
        return {"device": self.device.type, "image_size": self.image_size, "lr": self.lr,
                "processes": self.processes, **dist,
                "amp": str(self.amp_dtype).replace("torch.", "") if self.amp_dtype else None,
                "channels_last": self.cuda, "augment": self.augment, "classes": self.classes,
                "dataset": {"id": self.ds.id, "name": self.ds.name, "num_images": int(len(self.ds.labels)),
                            "train": len(self.train), "val": len(self.val),
                            "test": len(self.test) if self.test else 0},
                "preprocess": self.preprocess.to_dict(), "head": self.head_spec,
                "weights_source": str(self.weights), "pretrained": self.weights.pretrained,
                "start_weights": {**self.weights.to_dict(), "sha256": self.start_digest, "seed": self.cfg.seed},
                "stages": [s.name for s in self.stages],
                "frozen_stages": [self.stages[i].name for i in self.frozen_stages],
                "notes": [Notice.of("finetune.msg.probe_no_aug").record()] if self.probe else []}

    # ------------------------------------------------------------------------------------- helpers
    def _train_mode(self) -> None:
        """Training mode, except frozen parts: their batch-norm statistics and dropout stay as trained."""
        if self.probe:
            self.model.eval()
            self.head.train()
            return
        self.model.train()
        for idx in self.frozen_stages:
            for m in self.stages[idx].modules:
                self.model.get_submodule(m).eval()

    def prep(self, x_float: torch.Tensor) -> torch.Tensor:
        """Normalise a float batch in [0, 1] with the model's mean and std (channels-last on CUDA)."""
        x = (x_float - self.mean) / self.std
        return x.contiguous(memory_format=torch.channels_last) if self.cuda else x

    def eval_view(self, x_u8: torch.Tensor) -> torch.Tensor:
        """The evaluation view of a uint8 batch: centre crop, scaled and normalised."""
        return self.prep(center_crop(x_u8, self.image_size).float().div_(255))

    def _autocast(self):
        return torch.autocast(device_type=self.device.type, dtype=self.amp_dtype or torch.bfloat16,
                              enabled=self.amp_dtype is not None)

    def _oom(self, what: str) -> None:
        """Halve the batch after CUDA ran out of memory; at the floor, a clean error."""
        self.opt.zero_grad(set_to_none=True)
        if self.cuda:
            torch.cuda.empty_cache()
        if self.batch_size <= MIN_BATCH:
            raise UserError.of({"training": "finetune.out_of_memory.training",
                                "validation": "finetune.out_of_memory.validation",
                                "features": "finetune.out_of_memory.features"}[what], batch=self.batch_size)
        old, self.batch_size = self.batch_size, max(MIN_BATCH, self.batch_size // 2)
        self.progress.notice(_OOM_KEYS[what], old=old, new=self.batch_size)

    def _top_check(self) -> None:
        """One process: a cancel is seen before each batch. Several: :meth:`_agree` sees it after each."""
        if not self.world.enabled:
            self.progress.check()

    def _agree(self, oom: bool = False, bad: bool = False) -> tuple[bool, bool]:
        """The batch's outcome as every rank will act on it: (out of memory, loss not finite) on any rank.

        With several processes this is the one collective per batch that keeps them on the same path; it also
        carries the cancel flag (raises Cancelled on every rank when any saw one). One process: the local flags.
        """
        if not self.world.enabled:
            return oom, bad
        stop, oom, bad = self.world.any(self.progress.should_stop(), oom, bad)
        if stop:
            raise Cancelled(_CANCELLED)
        return oom, bad

    # ----------------------------------------------------------------------------------- features
    @torch.no_grad()
    def _features(self, split: Split, epoch: int, epochs: int, label: str) -> torch.Tensor:
        """Head inputs for every image of ``split`` (evaluation view), computed once (each rank its share)."""
        self.model.eval()
        out = []
        n = len(split)
        xs = split.x[self.world.shard(n)] if self.world.enabled else split.x
        pos, m = 0, len(xs)
        while pos < m:
            self._top_check()
            oom = False
            try:
                x = self.eval_view(xs[pos:pos + self.batch_size * 2])
                with self._autocast():
                    f = head_inputs(self.model, self.head, x)
            except torch.OutOfMemoryError:
                oom = True
            if self._agree(oom)[0]:
                self._oom("features")
                continue
            out.append(f.float())
            pos += len(x)
            self.progress.event(phase="features", epoch=epoch, epochs=epochs, step=pos, steps=m, split=label)
        return self.world.gather_rows(torch.cat(out), n)

    def ensure_features(self, epoch: int, epochs: int) -> None:
        if not self.probe:
            return
        for split, label in ((self.train, "train"), (self.val, "val"), (self.test, "test")):
            if split is not None and split.feats is None:
                split.feats = self._features(split, epoch, epochs, label)

    # ------------------------------------------------------------------------------------ epochs
    def _batches_order(self, epoch: int) -> torch.Tensor:
        """This rank's images for ``epoch``: one shuffled order (the same on every rank), then its share."""
        g = torch.Generator().manual_seed(self.cfg.seed * 100003 + epoch)
        order = torch.randperm(len(self.train), generator=g).to(self.device)
        return self.world.shard(len(order), order)

    def _step(self, idx: torch.Tensor, gen: torch.Generator, epoch: int, step: int) -> tuple:
        """One training step on the batch ``idx``; (loss, logits), or None after an out-of-memory back-off."""
        if self.world.enabled:
            return self._step_agreed(idx, gen, epoch, step)
        y = self.train.y[idx]
        try:
            if self.probe:
                return train_step(lambda f: head_tail(self.head_spec, self.head(f)), self.train.feats[idx], y,
                                  self.criterion, self.opt, None)
            x = self.prep(augment_batch(self.train.x[idx], self.image_size, self.augment, gen))
            return train_step(self.model, x, y, self.criterion, self.opt, self.amp_dtype)
        except torch.OutOfMemoryError:
            self._oom("training")
            return None
        except Diverged as exc:
            raise Diverged.of("finetune.diverged_step", epoch=epoch, step=step, lr=f"{self.lr:g}") from exc

    def _step_agreed(self, idx: torch.Tensor, gen: torch.Generator, epoch: int, step: int) -> tuple:
        """:meth:`_step` on several processes: forward and backward locally, agree on the outcome, and only
        then average the gradients and step (see :mod:`core.finetune.distributed`)."""
        y = self.train.y[idx]
        oom = bad = False
        loss = logits = None
        try:
            self.world.fault(epoch, step)
            if self.probe:
                loss, logits, finite = forward_backward(lambda f: head_tail(self.head_spec, self.head(f)),
                                                        self.train.feats[idx], y, self.criterion, self.opt, None)
            else:
                x = self.prep(augment_batch(self.train.x[idx], self.image_size, self.augment, gen))
                loss, logits, finite = forward_backward(self.net, x, y, self.criterion, self.opt, self.amp_dtype,
                                                        getattr(self.net, "no_sync", contextlib.nullcontext))
            bad = not finite
        except torch.OutOfMemoryError:
            oom = True
        oom, bad = self._agree(oom, bad)
        if bad:
            raise Diverged.of("finetune.diverged_step", epoch=epoch, step=step, lr=f"{self.lr:g}")
        if oom:
            self._oom("training")
            return None
        self.world.average_gradients(self.trainable)
        self.opt.step()
        return loss, logits

    def train_epoch(self, epoch: int, epochs: int, samples_seen: int, eta_later: float,
                    max_steps: int | None = None) -> tuple[float, float, int]:
        """One pass over the training split (this rank's share); returns (loss, acc, samples_seen), the loss and
        accuracy over every rank's images and ``samples_seen`` counting them all (the schedule's clock)."""
        rank_seed = 1_000_003 * self.world.rank  # each rank its own dropout masks and crops; rank 0 as alone
        torch.manual_seed(self.cfg.seed * 100003 + epoch + rank_seed)  # dropout: the same epoch repeats on resume
        gen = torch.Generator(device=self.device).manual_seed(self.cfg.seed * 7919 + epoch + rank_seed)
        order = self._batches_order(epoch)
        n = len(order)
        self._train_mode()
        loss_sum = torch.zeros((), device=self.device)
        correct = torch.zeros((), device=self.device, dtype=torch.int64)
        seen, pos, steps_done, t0 = 0, 0, 0, time.perf_counter()
        while pos < n:
            self._top_check()
            idx = order[pos:pos + self.batch_size]
            if len(idx) == 1 and pos > 0:  # a trailing batch of one breaks batch norm in training mode
                break
            out = self._step(idx, gen, epoch, steps_done + 1)
            if out is None:
                continue
            loss, logits = out
            b = len(idx)
            loss_sum += loss * b
            correct += (logits.argmax(1) == self.train.y[idx]).sum()
            seen, pos, steps_done = seen + b, pos + b, steps_done + 1
            samples_seen += b * self.processes  # every rank's shard has the same length
            self.sched.step_update(samples_seen)
            for i, g in enumerate(self.opt.param_groups):
                self.peak_lrs[i] = max(self.peak_lrs[i], g["lr"])
            if max_steps is not None and steps_done >= max_steps:
                break
            if self.progress.callback is not None:
                steps = math.ceil(n / self.batch_size) if pos < n else steps_done
                eta = (time.perf_counter() - t0) / steps_done * max(0, steps - steps_done) + eta_later
                self.progress.event(phase="train", epoch=epoch, epochs=epochs, step=min(steps_done, steps),
                                    steps=steps, loss=round(float(loss), 5), eta_s=round(eta, 1),
                                    batch_size=self.batch_size)
        if not self.world.enabled:
            return float(loss_sum) / max(seen, 1), float(correct) / max(seen, 1), samples_seen
        self.world.average_buffers(self.model)  # one set of batch-norm statistics for validation and the checkpoint
        loss_total, correct_total, seen_total = self.world.sum([float(loss_sum), float(correct), float(seen)])
        return loss_total / max(seen_total, 1), correct_total / max(seen_total, 1), samples_seen

    @torch.no_grad()
    def evaluate(self, split: Split, epoch: int | None = None, epochs: int | None = None,
                 phase: str = "val") -> tuple[float, float, torch.Tensor]:
        """(loss, accuracy, logits) on a split, in evaluation mode (plain cross-entropy, no smoothing).

        Several processes: each evaluates its share and the logits are gathered, so every rank gets the same
        figures over the whole split.
        """
        self.model.eval()
        logits_all = []
        n = len(split)
        feats = split.feats if self.probe else None
        xs = split.x
        if self.world.enabled:
            share = self.world.shard(n)
            xs = xs[share]
            feats = feats[share] if feats is not None else None
        pos, m = 0, len(xs)
        while pos < m:
            self._top_check()
            bs = self.batch_size * 2
            oom = False
            try:
                if feats is not None:
                    logits = head_tail(self.head_spec, self.head(feats[pos:pos + bs]))
                else:
                    with self._autocast():
                        logits = self.model(self.eval_view(xs[pos:pos + bs]))
            except torch.OutOfMemoryError:
                oom = True
            if self._agree(oom)[0]:
                self._oom("validation")
                continue
            logits_all.append(logits.float())
            pos += len(logits)
            if epoch is not None:
                self.progress.event(phase=phase, epoch=epoch, epochs=epochs, step=pos, steps=m)
        logits = self.world.gather_rows(torch.cat(logits_all), n)
        loss = F.cross_entropy(logits, split.y).item()
        acc = (logits.argmax(1) == split.y).float().mean().item()
        return loss, acc, logits.cpu()


def _state_to_cpu(model: nn.Module) -> dict:
    return {k: v.detach().to("cpu", copy=True).contiguous() for k, v in model.state_dict().items()}


def _new_state() -> dict:
    return {"epoch": 0, "best_val_loss": math.inf, "best_val_acc": 0.0, "best_epoch": 0, "bad_epochs": 0,
            "stopped_early": False, "samples_seen": 0}


def _restore(trainer: Trainer, folder: RunFolder, ckpt: dict, state: dict) -> list[dict]:
    """Put a checkpoint back into the trainer and ``state``; returns its metric rows."""
    trainer.model.load_state_dict(ckpt["model"])
    try:
        trainer.opt.load_state_dict(ckpt["optimizer"])
    except ValueError as exc:  # other parameter groups: a checkpoint of an earlier version of the grouping
        raise UserError.of("finetune.checkpoint_other_groups", run=folder.id) from exc
    trainer.batch_size = int(ckpt.get("batch_size", trainer.batch_size))
    trainer.peak_lrs = list(ckpt.get("peak_lrs", trainer.peak_lrs))
    state.update({k: ckpt[k] for k in state if k in ckpt})
    rows = list(ckpt.get("rows", []))
    folder.write_metrics(rows)
    if trainer.world.is_main and state["best_epoch"] == state["epoch"] and folder.best_epoch() != state["epoch"]:
        # the crash hit between the checkpoint and the best weights: the checkpoint's model is the best
        folder.save_best(_state_to_cpu(trainer.model), state["epoch"], state["best_val_loss"])
    trainer.progress.notice("finetune.msg.resumed", epoch=state["epoch"], epochs=trainer.cfg.epochs)
    before = int(ckpt.get("processes", 1))
    if before != trainer.processes:  # the linear rule at the new size: another effective batch and rate
        trainer.progress.notice("finetune.msg.processes_changed", old=before, new=trainer.processes,
                                batch=trainer.batch_size * trainer.processes, lr=f"{trainer.lr:g}")
    return rows


def _run_epoch(trainer: Trainer, folder: RunFolder, state: dict, rows: list[dict], cfg_dict: dict) -> None:
    """Train and validate one epoch, update the early-stopping state, and save it (crash-safe order)."""
    cfg, progress, epochs = trainer.cfg, trainer.progress, trainer.cfg.epochs
    epoch = state["epoch"] + 1
    t0 = time.perf_counter()
    times = [r["epoch_seconds"] for r in rows]
    later = times[-1] if times and not (trainer.probe and len(times) == 1) else 0.0
    trainer.ensure_features(epoch, epochs)
    train_loss, train_acc, state["samples_seen"] = trainer.train_epoch(
        epoch, epochs, state["samples_seen"], eta_later=later * (epochs - epoch))
    val_loss, val_acc, _ = trainer.evaluate(trainer.val, epoch, epochs)
    val_loss, val_acc = trainer.world.from_main([val_loss, val_acc])  # one bookkeeping on every rank
    if not math.isfinite(val_loss):
        raise Diverged.of("finetune.diverged_val", epoch=epoch, loss=str(val_loss), lr=f"{trainer.lr:g}")
    seconds = time.perf_counter() - t0
    row = {"epoch": epoch, "train_loss": round(train_loss, 6), "train_acc": round(train_acc, 6),
           "val_loss": round(val_loss, 6), "val_acc": round(val_acc, 6),
           "lr": max(g["lr"] for g in trainer.opt.param_groups), "epoch_seconds": round(seconds, 4),
           "batch_size": trainer.batch_size}
    progress.check()  # a cancel during validation saves nothing of this epoch
    if val_loss < state["best_val_loss"] - 1e-6:
        state.update(best_val_loss=val_loss, best_val_acc=val_acc, best_epoch=epoch, bad_epochs=0)
    else:
        state["bad_epochs"] += 1
        state["stopped_early"] = bool(cfg.patience and state["bad_epochs"] >= cfg.patience)
    state["epoch"] = epoch
    rows.append(row)
    # Order matters for a crash between writes: the checkpoint (which carries the metric rows and the
    # best-epoch bookkeeping) first; then the best weights, which a resume can rebuild from the checkpoint
    # when the best epoch is the checkpoint's own; the metrics file last.
    folder.save_checkpoint({"format": CHECKPOINT_FORMAT, **state, "model": trainer.model.state_dict(),
                            "optimizer": trainer.opt.state_dict(), "batch_size": trainer.batch_size,
                            "peak_lrs": trainer.peak_lrs, "rows": rows, "config": cfg_dict,
                            "processes": trainer.processes})
    if state["best_epoch"] == epoch and trainer.world.is_main:
        folder.save_best(_state_to_cpu(trainer.model), epoch, val_loss)
    folder.write_metrics(rows)
    progress.event(force=True, phase="epoch", epoch=epoch, epochs=epochs, step=None, steps=None,
                   loss=row["train_loss"], val_loss=row["val_loss"], val_acc=row["val_acc"],
                   epoch_seconds=row["epoch_seconds"],
                   eta_s=round((seconds if not (trainer.probe and epoch == 1) else 0.0) * (epochs - epoch), 1))
    if state["stopped_early"]:
        progress.notice("finetune.msg.early_stop", epoch=epoch, patience=cfg.patience, best=state["best_epoch"])


def fit(cfg: FinetuneConfig, run_dir: Path, on_progress: Callable[[dict], None] | None = None,
        should_stop: Callable[[], bool] | None = None, resume: bool = False) -> dict:
    """Train ``cfg`` into ``run_dir``; headless (logging only), resumable, cancellable.

    Writes ``config.json`` (``asdict(cfg)`` plus ``resolved``), ``metrics.jsonl`` (one row per epoch), the
    checkpoint of the last complete epoch, the best epoch's weights, ``results.json`` and ``export/``.

    Args:
        on_progress: receives event dicts (``phase`` data/features/train/val/epoch/results/message,
            ``epoch``, ``epochs``, ``step``, ``steps``, ``loss``, ``eta_s``; a ``message`` event carries a
            ``notice`` record), at most a few per second.
        should_stop: polled every step; True raises :class:`Cancelled` and saves nothing new.
        resume: continue from the checkpoint when there is one (otherwise start afresh).

    Returns:
        The summary dict (also in ``results.json`` under ``summary``).

    Raises:
        Diverged: the loss became NaN or infinite (nothing is exported).
        Cancelled: ``should_stop()`` said so.
        UserError: bad data or settings, out of memory at batch size 1, a full disk.
    """
    from core.finetune.results import finish
    world = distributed.current()
    folder = RunFolder(run_dir) if world.is_main else _Reader(RunFolder(run_dir))
    if world.is_main:
        folder.path.mkdir(parents=True, exist_ok=True)
    progress = Progress(on_progress if world.is_main else None, should_stop, world)
    cfg_dict = asdict(cfg)
    ckpt = folder.load_checkpoint() if resume else None
    if ckpt is not None and ckpt.get("config") != cfg_dict:
        raise UserError.of("finetune.checkpoint_other_config", run=folder.id)
    if resume and ckpt is None:
        _log.info("resume requested for %s but there is no checkpoint: starting from the beginning", folder.path)
    progress.check()
    trainer = Trainer(cfg, progress, world)
    folder.write_config({**cfg_dict, "resolved": trainer.resolved()})
    state = _new_state()
    if ckpt is not None:
        rows = _restore(trainer, folder, ckpt, state)
    else:
        rows = []
        folder.write_metrics(rows)
        folder.clear_outcome()
    while state["epoch"] < cfg.epochs and not state["stopped_early"]:
        _run_epoch(trainer, folder, state, rows, cfg_dict)
    if not world.is_main:
        return {"status": "done", "rank": world.rank, "processes": world.size}
    # rank 0 alone evaluates the best weights into results.json and the export: no collective from here on,
    # so the other ranks may already have left
    trainer.world = trainer.progress.world = distributed.SINGLE
    return finish(trainer, folder, state, rows)


class _Reader:
    """The run folder as a rank other than 0 sees it: it reads (the checkpoint to resume from), never writes."""

    def __init__(self, folder: RunFolder):
        self._folder = folder

    def __getattr__(self, name: str):
        if name.startswith(("write_", "save_", "clear_")):
            return lambda *args, **kwargs: None
        return getattr(self._folder, name)
