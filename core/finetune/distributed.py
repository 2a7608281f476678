"""Several processes training one run (``torchrun --nproc_per_node=N -m core train ...``).

torchrun starts N copies of the same command and tells each who it is (``RANK``, ``WORLD_SIZE``,
``LOCAL_RANK``, ``LOCAL_WORLD_SIZE``, ``MASTER_ADDR``/``MASTER_PORT``); :func:`start` joins them into one
process group (``gloo`` on the CPU, ``nccl`` on CUDA, one GPU per process) and :func:`current` hands the
resulting :class:`World` to the training loop. Without torchrun (or with one process) :data:`SINGLE` is the
world and nothing here communicates.

How the loop uses it (:mod:`core.finetune.loop`):

* **Data.** Each epoch's shuffled order is the same on every rank (the same seed); rank ``r`` takes
  ``order[r::N]`` after padding the order to a multiple of N with its own first images
  (``torch.utils.data.DistributedSampler``'s rule, on the in-memory dataset). The dataset's decoded cache is
  built or opened by rank 0 first (:meth:`World.main_first`), the others open what it stored.
* **Scaling rule.** ``batch_size`` is per process, so the effective batch is ``batch_size x N``, and the
  learning rate is ``lr x N`` (the linear scaling rule, Goyal et al. 2017, with the run's usual warm-up). A
  run on N processes is therefore the same training as one process with ``N x batch_size`` and ``N x lr``,
  except for batch-norm statistics (below).
* **Gradients.** The model is wrapped in ``DistributedDataParallel`` (it broadcasts rank 0's weights and
  buffers at the start and checks that every rank built the same model) but its backward runs under
  ``no_sync()``: gradients are averaged by :meth:`World.average_gradients` *after* every rank has said it
  finished its step (:meth:`World.any`). Letting DDP reduce inside the backward would leave the other ranks
  waiting forever in a bucket's all-reduce when one rank runs out of memory half-way; the price is that
  communication no longer overlaps the backward pass (one all-reduce of the gradients per step).
* **Agreement.** Whatever changes the loop's path is decided by all ranks at once: one small all-reduce per
  step carries "cancel requested", "out of memory" and "loss not finite"; if any rank raised one, every rank
  takes the same branch (stop, halve the batch and retry, or stop as diverged). Early stopping follows from
  the validation loss, which every rank computes from the same gathered logits (rank 0's values are
  broadcast anyway).
* **Validation** is sharded the same way and the logits are all-gathered back into the split's order
  (padding dropped), so the accuracy is over the whole validation split. A linear probe's cached features
  are computed the same way: each rank its share, gathered once.
* **Batch norm.** No ``SyncBatchNorm``: each process normalises over its own batch, and the running
  statistics are averaged across ranks at the end of every epoch (before validation and the checkpoint).
  SyncBatchNorm would make every batch-norm layer a collective in the forward pass (slow with gloo, and a rank
  that runs out of memory mid-forward would again leave the others waiting); fine-tuning at 16 or more
  images per process does not need it.
* **Writing.** Only rank 0 writes the run folder (config, metrics, checkpoints, best weights, results,
  export); the others read what they need (a checkpoint to resume from).

Test-only hook: ``CNNLAB_TEST_RANK_FAULT="<rank>:<epoch>:<kind>[,...]"`` makes that rank, at the first
training step of that epoch, ``raise`` a RuntimeError, ``kill`` itself (SIGKILL, as the kernel's OOM killer
would), or raise CUDA's out-of-memory error once (``oom``) or at every step from then on (``oom+``). Only
processes started by torchrun read it; nothing else does.
"""
from __future__ import annotations

import contextlib
import logging
import os
import signal
import warnings
from dataclasses import dataclass
from datetime import timedelta
from typing import Callable, Optional, TypeVar

import torch

from core.errors import UserError

_log = logging.getLogger("core.finetune")

TIMEOUT_ENV = "CNNLAB_DIST_TIMEOUT_S"   # how long a collective waits for a rank that says nothing
DEFAULT_TIMEOUT_S = 300
FAULT_ENV = "CNNLAB_TEST_RANK_FAULT"    # test-only, see the module docstring
BUCKET_ELEMENTS = 1 << 24               # gradients are all-reduced in flat buckets of at most this many values
T = TypeVar("T")


class PeerFailed(Exception):
    """Another rank failed first (it reports its own error); this rank stops quietly."""


@dataclass(frozen=True)
class Launch:
    """What torchrun told this process about itself."""

    rank: int
    world_size: int
    local_rank: int
    local_world_size: int


def launch() -> Optional[Launch]:
    """This process's place among torchrun's processes, or None when it runs alone (no torchrun, or N = 1)."""
    try:
        world = int(os.environ.get("WORLD_SIZE", "1") or 1)
    except ValueError:
        return None
    if world <= 1:
        return None
    rank = int(os.environ.get("RANK", "0") or 0)
    local_rank = int(os.environ.get("LOCAL_RANK", str(rank)) or 0)
    local_world = int(os.environ.get("LOCAL_WORLD_SIZE", str(world)) or world)
    return Launch(rank, world, local_rank, local_world)


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def check_devices(device_name: str, where: Optional[Launch] = None) -> torch.device:
    """The device this process trains on; refuses more processes on this machine than it has devices.

    Asks nothing of the other processes, so every process of a machine reaches the same verdict on its own
    (no one waits for a rank that has already given up).

    Raises:
        UserError: CUDA asked for but absent; more processes than GPUs (CUDA) or than CPU cores (gloo).
    """
    from core.finetune.config import resolve_device
    where = where or launch()
    device = resolve_device(device_name)
    if where is None:
        return device
    if device.type == "cuda":
        gpus = torch.cuda.device_count()
        if where.local_world_size > gpus:
            raise UserError.of("finetune.dist_too_many_gpus", procs=where.local_world_size, gpus=gpus)
        return torch.device("cuda", where.local_rank)
    cores = usable_cores()
    if where.local_world_size > cores:
        raise UserError.of("finetune.dist_too_many_cores", procs=where.local_world_size, cores=cores)
    return device


def timeout_s() -> float:
    try:
        return max(5.0, float(os.environ.get(TIMEOUT_ENV, DEFAULT_TIMEOUT_S)))
    except ValueError:
        return float(DEFAULT_TIMEOUT_S)


class World:
    """This process among the run's processes: who it is, and the few collectives the loop needs.

    Every method is a no-op (or returns its input) for a single process.
    """

    def __init__(self, rank: int = 0, size: int = 1, local_rank: int = 0, backend: Optional[str] = None,
                 device: Optional[torch.device] = None):
        self.rank, self.size, self.local_rank = rank, size, local_rank
        self.backend, self.device = backend, device
        self._faults = _parse_faults(os.environ.get(FAULT_ENV)) if size > 1 else []

    def __repr__(self) -> str:
        return f"World(rank={self.rank}, size={self.size}, backend={self.backend})"

    @property
    def enabled(self) -> bool:
        return self.size > 1

    @property
    def is_main(self) -> bool:
        return self.rank == 0

    # ------------------------------------------------------------------------------- agreements
    def any(self, *flags: bool) -> tuple[bool, ...]:
        """Each flag OR-ed over all ranks (one all-reduce): every rank gets the same answer."""
        if not self.enabled:
            return tuple(bool(f) for f in flags)
        import torch.distributed as dist
        t = torch.tensor([1.0 if f else 0.0 for f in flags], device=self.device)
        dist.all_reduce(t, op=dist.ReduceOp.MAX)
        return tuple(bool(v) for v in t.tolist())

    def sum(self, values: list[float]) -> list[float]:
        """Each value summed over all ranks (float64)."""
        if not self.enabled:
            return list(values)
        import torch.distributed as dist
        t = torch.tensor(values, dtype=torch.float64, device=self.device)
        dist.all_reduce(t)
        return t.tolist()

    def from_main(self, values: list[float]) -> list[float]:
        """Rank 0's values on every rank."""
        if not self.enabled:
            return list(values)
        import torch.distributed as dist
        t = torch.tensor(values, dtype=torch.float64, device=self.device)
        dist.broadcast(t, src=0)
        return t.tolist()

    def main_first(self, fn: Callable[[], T]) -> T:
        """``fn()`` on rank 0 first (it may build a cache), then on the others; rank 0's failure stops them.

        Raises:
            PeerFailed: on the other ranks, when rank 0's ``fn`` raised (rank 0 reports its own error).
        """
        if not self.enabled:
            return fn()
        if self.is_main:
            try:
                out = fn()
            except BaseException:
                with contextlib.suppress(Exception):
                    self.any(True)
                raise
            self.any(False)
            return out
        if self.any(False)[0]:
            raise PeerFailed("rank 0 failed while preparing")
        return fn()

    # ------------------------------------------------------------------------------- sharding
    def shard(self, n: int, order: Optional[torch.Tensor] = None) -> torch.Tensor:
        """This rank's share of ``order`` (default ``arange(n)``): padded to a multiple of N with its own first
        entries, then every N-th from this rank's position (DistributedSampler's rule)."""
        if order is None:
            order = torch.arange(n, device=self.device)
        if not self.enabled or n == 0:
            return order
        total = -(-n // self.size) * self.size
        padded = order.repeat(-(-total // n))[:total]
        return padded[self.rank::self.size]

    def gather_rows(self, local: torch.Tensor, n: int) -> torch.Tensor:
        """The rows of every rank's :meth:`shard` of ``range(n)``, put back in order (padding dropped)."""
        if not self.enabled:
            return local
        import torch.distributed as dist
        parts = [torch.empty_like(local) for _ in range(self.size)]
        dist.all_gather(parts, local.contiguous())
        return torch.stack(parts, dim=1).reshape(-1, *local.shape[1:])[:n]

    # ------------------------------------------------------------------------------- model state
    def wrap(self, model: torch.nn.Module) -> torch.nn.Module:
        """``DistributedDataParallel(model)`` (rank 0's weights and buffers broadcast); the model itself alone."""
        if not self.enabled:
            return model
        from torch.nn.parallel import DistributedDataParallel as DDP
        ids = [self.device.index] if self.device is not None and self.device.type == "cuda" else None
        with warnings.catch_warnings():  # torch 2.14 calls the flag deprecated; its successor still syncs at init
            warnings.simplefilter("ignore", FutureWarning)
            return DDP(model, device_ids=ids, broadcast_buffers=False)

    def average_gradients(self, params: list[torch.nn.Parameter]) -> None:
        """Every rank's gradients replaced by their mean over the ranks (flat buckets, one all-reduce each).

        Every rank runs the same graph, so the parameters with a gradient are the same on all of them.
        """
        if not self.enabled:
            return
        import torch.distributed as dist
        from torch._utils import _flatten_dense_tensors, _unflatten_dense_tensors
        grads = [p.grad for p in params if p.grad is not None]
        by_dtype: dict = {}
        for g in grads:
            by_dtype.setdefault(g.dtype, []).append(g)
        for group in by_dtype.values():
            i = 0
            while i < len(group):
                bucket, size = [], 0
                while i < len(group) and (not bucket or size + group[i].numel() <= BUCKET_ELEMENTS):
                    bucket.append(group[i])
                    size += group[i].numel()
                    i += 1
                flat = _flatten_dense_tensors(bucket)
                dist.all_reduce(flat)
                flat.div_(self.size)
                for dst, src in zip(bucket, _unflatten_dense_tensors(flat, bucket)):
                    dst.copy_(src)

    def average_buffers(self, model: torch.nn.Module) -> None:
        """Batch-norm running statistics (every floating buffer) averaged over the ranks."""
        if not self.enabled:
            return
        import torch.distributed as dist
        for b in model.buffers():
            if b.is_floating_point():
                dist.all_reduce(b)
                b.div_(self.size)

    # ------------------------------------------------------------------------------- test hook
    def fault(self, epoch: int, step: int) -> None:
        """The test-only faults of ``CNNLAB_TEST_RANK_FAULT`` (see the module docstring)."""
        for f in list(self._faults):
            rank, at, kind = f
            if rank != self.rank:
                continue
            if kind == "oom+" and epoch >= at:
                raise torch.OutOfMemoryError(f"CUDA out of memory (test fault on rank {rank})")
            if epoch != at or step != 1 or kind == "oom+":
                continue
            _log.warning("test fault on rank %d at epoch %d: %s", rank, epoch, kind)
            self._faults.remove(f)
            if kind == "kill":
                os.kill(os.getpid(), signal.SIGKILL)
            if kind == "raise":
                raise RuntimeError(f"test fault: rank {rank} failed at epoch {epoch}")
            raise torch.OutOfMemoryError(f"CUDA out of memory (test fault on rank {rank})")


def _parse_faults(spec: Optional[str]) -> list[tuple[int, int, str]]:
    out = []
    for part in (spec or "").split(","):
        if not part.strip():
            continue
        try:
            rank, epoch, kind = part.strip().split(":")
            if kind in ("raise", "kill", "oom", "oom+"):
                out.append((int(rank), int(epoch), kind))
                continue
        except ValueError:
            pass
        _log.warning("%s part %r not understood (rank:epoch:raise|kill|oom|oom+); ignored", FAULT_ENV, part)
    return out


SINGLE = World()
_current: World = SINGLE
_store = None


def current() -> World:
    """The world :func:`start` joined, or :data:`SINGLE`."""
    return _current


def env_store():
    """The key-value store of torchrun's rendezvous (``MASTER_ADDR``/``MASTER_PORT``), opened once per process."""
    global _store
    if _store is None:
        from torch.distributed import rendezvous
        where = launch()
        _store, _, _ = next(rendezvous("env://", rank=where.rank, world_size=where.world_size,
                                       timeout=timedelta(seconds=timeout_s())))
    return _store


def share(key: str, make: Callable[[], str]) -> str:
    """``make()`` on rank 0, its value on every rank (through the rendezvous store; no process group needed)."""
    from torch.distributed import PrefixStore
    store = PrefixStore("cnnlab", env_store())
    if launch().rank == 0:
        value = make()
        store.set(key, value)
        return value
    return store.get(key).decode()


def start(device_name: str) -> World:
    """Join torchrun's processes into one group and make it :func:`current`; :data:`SINGLE` without torchrun.

    Raises:
        UserError: see :func:`check_devices`.
    """
    global _current
    where = launch()
    if where is None:
        return SINGLE
    if _current.enabled:
        return _current
    import torch.distributed as dist
    from torch.distributed import PrefixStore
    device = check_devices(device_name, where)
    backend = "nccl" if device.type == "cuda" else "gloo"
    if device.type == "cuda":
        torch.cuda.set_device(device)
    dist.init_process_group(backend, store=PrefixStore("default_pg", env_store()), rank=where.rank,
                            world_size=where.world_size, timeout=timedelta(seconds=timeout_s()))
    _current = World(where.rank, where.world_size, where.local_rank, backend, device)
    _log.info("rank %d of %d joined (%s on %s)", where.rank, where.world_size, backend, device)
    return _current


def stop() -> None:
    """Leave the process group (safe to call when none was joined)."""
    global _current
    _current = SINGLE
    with contextlib.suppress(Exception):
        import torch.distributed as dist
        if dist.is_available() and dist.is_initialized():
            dist.destroy_process_group()
