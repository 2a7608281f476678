"""One training step and the run's progress, shared by one process and several (see :mod:`core.finetune.loop`).

* :func:`train_step`: forward, loss, backward and the optimizer step; a non-finite loss raises :class:`Diverged`
  before the step lands.
* :func:`forward_backward`: the same without the optimizer step, for several processes, which agree on the
  outcome before any of them steps.
* :class:`Progress`: throttled progress events, the run's notices, and cancellation (:class:`Cancelled`).
"""
from __future__ import annotations

import contextlib
import logging
import time

import torch

from core.errors import UserError
from core.finetune import distributed
from core.finetune.distributed import World
from core.notices import Notice

_log = logging.getLogger("core.finetune")

PROGRESS_EVERY_S = 0.25       # on_progress is called at most this often within a phase
_CANCELLED = "The run was cancelled."


class Cancelled(Exception):
    """``should_stop()`` returned True: the run stopped within one step and saved nothing new."""


class Diverged(UserError):
    """The loss became NaN or infinite; nothing is exported."""


class Progress:
    """Throttles on_progress to at most one event per PROGRESS_EVERY_S within a phase (first/last always),
    and keeps the run's notices. With several processes, :meth:`check` is agreed by all of them."""

    def __init__(self, callback, should_stop, world: World | None = None):
        self.callback = callback
        self.should_stop = should_stop or (lambda: False)
        self.world = world or distributed.SINGLE
        self.last = 0.0
        self.key = None
        self.notices: list[Notice] = []

    def check(self) -> None:
        """Raise Cancelled when a stop was asked for (on any rank: a collective with several processes)."""
        stop = bool(self.should_stop())
        if self.world.enabled:
            stop = self.world.any(stop)[0]
        if stop:
            raise Cancelled(_CANCELLED)

    def event(self, force: bool = False, **ev) -> None:
        if self.callback is None:
            return
        now = time.perf_counter()
        key = (ev.get("phase"), ev.get("epoch"))
        last_step = ev.get("step") is not None and ev.get("step") == ev.get("steps")
        if force or last_step or key != self.key or now - self.last >= PROGRESS_EVERY_S:
            self.key, self.last = key, now
            self.callback(ev)

    def notice(self, key: str, /, **params) -> None:
        """A notice for people (batch halved, early stop, resumed ...): logged, kept, and sent as an event."""
        notice = Notice.of(key, **params)
        _log.info(str(notice))
        self.notices.append(notice)
        if self.callback is not None:
            self.callback({"phase": "message", "notice": notice.record()})


def train_step(model, x: torch.Tensor, y: torch.Tensor, criterion, opt, amp_dtype) -> tuple:
    """One optimisation step; returns (loss, logits), detached. Raises Diverged before a NaN step lands."""
    with torch.autocast(device_type=x.device.type, dtype=amp_dtype or torch.bfloat16, enabled=amp_dtype is not None):
        logits = model(x)
    loss = criterion(logits.float(), y)
    if not torch.isfinite(loss.detach()):
        raise Diverged.of("finetune.diverged_loss", loss=str(loss.detach().item()))
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    return loss.detach(), logits.detach()


def forward_backward(model, x: torch.Tensor, y: torch.Tensor, criterion, opt, amp_dtype,
                     sync=contextlib.nullcontext) -> tuple:
    """:func:`train_step` without the optimizer step, for several processes: (loss, logits, finite).

    A non-finite loss is not back-propagated; the ranks then agree to stop as diverged.
    """
    with sync():
        with torch.autocast(device_type=x.device.type, dtype=amp_dtype or torch.bfloat16,
                            enabled=amp_dtype is not None):
            logits = model(x)
        loss = criterion(logits.float(), y)
        finite = bool(torch.isfinite(loss.detach()))
        if finite:
            opt.zero_grad(set_to_none=True)
            loss.backward()
    return loss.detach(), logits.detach(), finite
