"""Several processes training one run: torchrun with gloo on the CPU, the way a multi-GPU run works with nccl.

The process is the subject here, so these tests start real ones (``python -m torch.distributed.run
--nproc_per_node=2 ...`` and the job manager's own launch). Every launch has a timeout: a hung rank fails the
test instead of hanging the suite. Faults are injected with the test-only ``CNNLAB_TEST_RANK_FAULT`` hook
(:mod:`core.finetune.distributed`).
"""
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch
from conftest import ROOT, make_color_folder, run_cli

from core import jobs
from core.finetune import FinetuneConfig, distributed, fit
from core.finetune.distributed import World
from core.jobs.store import pid_alive
from core.notices import Notice
from core.runs import is_run_id

LAUNCH_TIMEOUT_S = 180
# Two processes vs one with the same effective batch (4 epochs of ShuffleNet on demo:digits at 32 px): measured
# 0.953 vs 0.933 (seeds 0, 1, 2 of the single process: 0.933, 0.936, 0.933). The difference is batch norm over
# 16 images per process instead of 32; floating-point order does the rest.
ACC_TOLERANCE = 0.05


@pytest.fixture(autouse=True)
def quiet_env(monkeypatch):
    """One thread per process (two processes share two cores), a single workspace, no stray torchrun env."""
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    monkeypatch.setenv("CNNLAB_WORKSPACES", "single")
    monkeypatch.setenv("CNNLAB_DIST_TIMEOUT_S", "60")
    for name in ("RANK", "WORLD_SIZE", "LOCAL_RANK", "LOCAL_WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT",
                 distributed.FAULT_ENV, "CNNLAB_JOB_PROCESSES"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def tiny(data_dir, tmp_path) -> str:
    return make_color_folder(tmp_path / "tiny", per_class=12)


def torchrun(*args, nproc=2, fault=None, timeout=LAUNCH_TIMEOUT_S) -> subprocess.CompletedProcess:
    env = os.environ.copy()
    if fault:
        env[distributed.FAULT_ENV] = fault
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", f"--nproc_per_node={nproc}",
           "-m", "core", "train", *[str(a) for a in args]]
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)


def only_run(data_dir: Path) -> Path:
    runs = [p for p in (data_dir / "runs").iterdir() if is_run_id(p.name)]
    assert len(runs) == 1, runs
    return runs[0]


def all_gone(status: dict, timeout: float = 30) -> bool:
    pids = list((status.get("rank_pids") or {}).values())
    assert len(pids) == 2, status
    deadline = time.monotonic() + timeout
    while any(pid_alive(p) for p in pids):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


# ------------------------------------------------------------------------------------------- sharding
@pytest.mark.parametrize("n,size", [(10, 2), (7, 2), (7, 3), (2, 3)])
def test_shards_cover_every_image_equally_and_gather_back_in_order(n, size):
    order = torch.randperm(n, generator=torch.Generator().manual_seed(n))
    shards = [World(rank, size).shard(n, order) for rank in range(size)]
    assert len({len(s) for s in shards}) == 1                      # every rank takes as many steps
    assert set(torch.cat(shards).tolist()) == set(range(n))         # nothing left out; padding repeats the first
    assert len(torch.cat(shards)) == -(-n // size) * size
    # gather_rows' layout: rank r's j-th row is position j * size + r of the padded order
    rows = torch.stack(shards, dim=1).reshape(-1)[:n]
    assert rows.tolist() == order.tolist()


def test_job_slots_group_gpus_by_the_processes_setting(monkeypatch):
    from core.jobs import scheduler
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 5)
    assert list(scheduler.device_slots()) == ["cpu", "cuda:0", "cuda:1", "cuda:2", "cuda:3", "cuda:4"]
    monkeypatch.setenv("CNNLAB_JOB_PROCESSES", "2")
    assert list(scheduler.device_slots()) == ["cpu", "cuda:0,1", "cuda:2,3"]  # the fifth GPU alone gets no slot
    monkeypatch.setenv("CNNLAB_JOB_PROCESSES", "8")
    assert list(scheduler.device_slots()) == ["cpu"]


# ------------------------------------------------------------------------------------------- bad input
def _as_rank(monkeypatch, rank: int, world: int) -> None:
    for k, v in {"RANK": rank, "LOCAL_RANK": rank, "WORLD_SIZE": world, "LOCAL_WORLD_SIZE": world,
                 "MASTER_ADDR": "127.0.0.1", "MASTER_PORT": 1}.items():
        monkeypatch.setenv(k, str(v))


def test_more_processes_than_cores_fails_the_run_with_one_sentence(tiny, data_dir, monkeypatch):
    procs = distributed.usable_cores() + 1
    _as_rank(monkeypatch, 0, procs)
    res = run_cli("train", "--data", tiny, "--device", "cpu", "--epochs", "1", "--image-size", "32")
    assert res.returncode == 2
    assert res.stderr.strip() == (f"{procs} training processes were asked for on the CPU, but this machine has "
                                  f"{procs - 1} core(s): start at most one process per core (torchrun "
                                  "--nproc_per_node, or the job setting CNNLAB_JOB_PROCESSES).")
    run = only_run(data_dir)
    status = json.loads((run / "status.json").read_text())
    assert status["state"] == "failed" and status["notice"]["key"] == "finetune.dist_too_many_cores"
    assert sorted(p.name for p in run.iterdir() if not p.name.startswith(".")) == ["config.json", "job.json",
                                                                                  "status.json"]
    # another rank on the same machine reaches the same verdict alone, silently, and makes no second run
    _as_rank(monkeypatch, 1, procs)
    res = run_cli("train", "--data", tiny, "--device", "cpu", "--epochs", "1", "--image-size", "32")
    assert (res.returncode, res.stderr) == (2, "")
    assert only_run(data_dir) == run


@pytest.mark.skipif(torch.cuda.is_available(), reason="needs a machine without CUDA")
def test_cuda_asked_for_without_cuda_fails_the_run_with_one_sentence(tiny, data_dir, monkeypatch):
    _as_rank(monkeypatch, 0, 2)
    res = run_cli("train", "--data", tiny, "--device", "cuda", "--epochs", "1")
    assert res.returncode == 2 and len(res.stderr.strip().splitlines()) == 1 and "CUDA" in res.stderr
    status = json.loads((only_run(data_dir) / "status.json").read_text())
    assert status["state"] == "failed" and status["notice"]["key"] == "finetune.no_cuda"


# ------------------------------------------------------------------------------------------- real processes
def test_two_processes_train_one_run_like_one_process_with_the_same_effective_batch(data_dir, tmp_path):
    """``full`` on demo:digits: two gloo processes with 16 images each and the rate scaled x2, against one
    process with 32 images and that rate (the same global batches in the same order; only batch-norm
    statistics differ)."""
    common = ["--data", "demo:digits", "--strategy", "full", "--model", "shufflenet_v2_x1_0", "--image-size", "32",
              "--epochs", "4", "--augment", "none", "--patience", "0", "--device", "cpu"]
    res = torchrun(*common, "--batch-size", "16", "--lr", "2e-3", "--json")
    assert res.returncode == 0, res.stderr[-3000:]
    summary = json.loads(res.stdout.strip().splitlines()[-1])  # printed once, by rank 0
    run = only_run(data_dir)
    assert Path(summary["run_dir"]) == run
    assert (summary["processes"], summary["batch_size"], summary["effective_batch"]) == (2, 16, 32)
    resolved = json.loads((run / "config.json").read_text())["resolved"]
    assert resolved["processes"] == 2 and resolved["lr"] == pytest.approx(4e-3)
    assert resolved["distributed"] == {"backend": "gloo", "per_process_batch": 16, "effective_batch": 32,
                                       "base_lr": 2e-3, "lr_rule": "linear: lr x processes",
                                       "sync_batchnorm": False}
    status = json.loads((run / "status.json").read_text())
    assert status["state"] == "done" and status["processes"] == 2 and all_gone(status)
    results = json.loads((run / "results.json").read_text())
    assert sum(map(sum, results["confusion_matrix"])) == resolved["dataset"]["val"]  # the whole split, once
    assert (run / "export" / "model.safetensors").is_file()
    assert len([d for d in (data_dir / "datasets").iterdir() if not d.name.startswith(".")]) == 1
    log = (data_dir / "logs" / "cnnlab.log").read_text()
    assert log.count("stored dataset") == 1 and log.count("joined (gloo on cpu)") == 2  # decoded once, by rank 0
    rows = [json.loads(line) for line in (run / "metrics.jsonl").read_text().splitlines()]
    assert [r["epoch"] for r in rows] == [1, 2, 3, 4]
    _page_says_two_processes(run.name)

    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # as each of the two processes had (two threads on two busy cores spin-wait)
    try:
        single = fit(FinetuneConfig(data="demo:digits", strategy="full", model="shufflenet_v2_x1_0", image_size=32,
                                    epochs=4, augment="none", patience=0, device="cpu", batch_size=32, lr=4e-3),
                     tmp_path / "single")
    finally:
        torch.set_num_threads(threads)
    assert single["processes"] == 1
    assert single["best_val_acc"] > 0.85 and summary["best_val_acc"] > 0.85  # both learned
    assert abs(summary["best_val_acc"] - single["best_val_acc"]) <= ACC_TOLERANCE, (summary, single)


def _page_says_two_processes(rid: str) -> None:
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["run"] = rid
    at.run()
    at.switch_page("pages/finetune.py").run()
    assert not at.exception and not at.error, [e.value for e in at.exception] + [e.value for e in at.error]
    assert any(c.value.startswith("Trained by 2 processes (DistributedDataParallel") for c in at.caption), \
        [c.value for c in at.caption]


def test_a_rank_out_of_memory_at_batch_one_fails_the_run_with_one_sentence(tiny, data_dir):
    # 64 px: at 32 the last batch norm of a single image sees one value per channel, which training refuses
    res = torchrun("--data", tiny, "--strategy", "full", "--model", "shufflenet_v2_x1_0", "--image-size", "64",
                   "--epochs", "2", "--batch-size", "2", "--device", "cpu", "--json", fault="1:1:oom+")
    assert res.returncode != 0
    sentence = "The GPU ran out of memory during training even with a batch of 1 image(s)"
    assert res.stderr.count(sentence) == 1, res.stderr[-3000:]  # rank 0's, not one per rank
    run = only_run(data_dir)
    status = json.loads((run / "status.json").read_text())
    assert status["state"] == "failed" and status["notice"]["key"] == "finetune.out_of_memory.training"
    assert all_gone(status)
    assert not any((run / name).exists() for name in ("checkpoint.pt", "best.safetensors", "results.json",
                                                       "export"))


def test_early_stopping_is_agreed_by_both_processes(data_dir, tmp_path):
    """Random-noise pictures stop improving after a few epochs: both ranks must stop at the same epoch (a rank
    that went on would wait forever in the next collective, and the launch would time out), and the run records
    the early stop once, with the best epoch exported."""
    import numpy as np
    from PIL import Image
    rng = np.random.default_rng(5)
    for c in ("a", "b", "c"):
        (tmp_path / "noise" / c).mkdir(parents=True)
        for i in range(12):
            Image.fromarray(rng.integers(0, 256, (32, 32, 3), dtype=np.uint8)).save(tmp_path / "noise" / c / f"{i}.png")
    res = torchrun("--data", tmp_path / "noise", "--strategy", "linear_probe", "--image-size", "32", "--epochs", "15",
                   "--batch-size", "4", "--lr", "0.025", "--patience", "2", "--warmup-epochs", "0", "--device", "cpu",
                   "--json")
    assert res.returncode == 0, res.stderr[-3000:]
    summary = json.loads(res.stdout.strip().splitlines()[-1])
    run = only_run(data_dir)
    rows = [json.loads(line) for line in (run / "metrics.jsonl").read_text().splitlines()]
    assert summary["stopped_early"] and summary["processes"] == 2
    assert summary["epochs_run"] == len(rows) == summary["best_epoch"] + 2 < 15
    status = json.loads((run / "status.json").read_text())
    assert status["state"] == "done" and all_gone(status)


def test_a_killed_rank_ends_the_run_interrupted_and_it_resumes(tiny, data_dir, monkeypatch):
    """Through the job manager with two processes per run: rank 1 runs out of memory once (both ranks halve the
    batch), then is killed at epoch 2 (the run is interrupted: it vanished without a word, and no process is
    left), and a resume finishes the run in the same folder."""
    monkeypatch.setenv("CNNLAB_JOB_PROCESSES", "2")
    monkeypatch.setenv(distributed.FAULT_ENV, "1:1:oom,1:2:kill")
    manager = jobs.JobManager(poll=0.2)
    try:
        cfg = FinetuneConfig(data=tiny, model="shufflenet_v2_x1_0", strategy="full", epochs=2, image_size=32,
                             batch_size=4, augment="none", patience=0, device="cpu")
        rid = manager.start(cfg)
        row = manager.wait(rid, timeout=LAUNCH_TIMEOUT_S)
        log = jobs.worker_log_tail(rid, lines=60)
        assert row["state"] == "interrupted", (row["message"], log)
        assert row["notice"]["key"] == "jobs.status.rank_lost", log
        assert row["notice"]["params"] == {"rank": 1, "processes": 2}
        assert "Process 1 of 2 ended without a word" in row["message"]
        assert row["processes"] == 2 and all_gone(row)
        assert [r["batch_size"] for r in jobs.metrics(rid)] == [2]  # halved on both ranks at epoch 1
        halved = [n for n in jobs.progress_notices(row["progress"]) if n.key == "finetune.msg.oom.training"]
        assert [(n.params["old"], n.params["new"]) for n in halved] == [(4, 2)]

        monkeypatch.delenv(distributed.FAULT_ENV)
        jobs.resume(rid, manager=manager)
        row = manager.wait(rid, timeout=LAUNCH_TIMEOUT_S)
        assert row["state"] == "done", (row["message"], jobs.worker_log_tail(rid, lines=60))
        assert [r["epoch"] for r in jobs.metrics(rid)] == [1, 2] and row["attempts"] == 2
        assert jobs.summary(rid)["processes"] == 2 and all_gone(row)
        assert str(Notice.restore(row["notice"])).startswith("Finished")
    finally:
        jobs.close_all(terminate=True)


def test_a_rank_that_raises_is_named_with_its_error_by_rank_0(tiny, data_dir, monkeypatch):
    """What a failing rank leaves for rank 0 (its error in status.json) and the sentence rank 0 ends the run with;
    the processes themselves are the subject of the test above."""
    from core.jobs import worker
    rid = jobs.create_run(FinetuneConfig(data=tiny), in_this_process=True)
    folder = jobs.folder(rid)
    folder.update_status(rank_pids={"0": os.getpid(), "1": os.getpid()})
    one = distributed.Launch(rank=1, world_size=2, local_rank=1, local_world_size=2)
    try:
        raise RuntimeError("test fault: rank 1 failed at epoch 2")
    except RuntimeError as exc:
        assert worker._rank_ending(exc, folder, one) == 1
    assert folder.status()["rank_errors"] == {"1": {"kind": "RuntimeError",
                                                    "detail": "test fault: rank 1 failed at epoch 2"}}
    zero = distributed.Launch(rank=0, world_size=2, local_rank=0, local_world_size=2)
    final, code = worker._ending(RuntimeError("Connection closed by peer"), folder, None, zero)
    assert (final["state"], code) == ("interrupted", 1)
    assert str(Notice.restore(final["notice"])) == ("Process 1 of 2 failed (RuntimeError: test fault: rank 1 failed "
                                                    "at epoch 2); every process stopped, and the run can be "
                                                    "resumed from its last complete epoch.")
    # errors every rank shares (bad input, a cancel) are rank 0's to report: the others note nothing
    folder.update_status(rank_errors={})
    assert worker._rank_ending(distributed.PeerFailed(), folder, one) == 1
    assert folder.status()["rank_errors"] == {}


# ------------------------------------------------------------------------------------------- the GPU benchmark
def _bench():
    import importlib.util
    spec = importlib.util.spec_from_file_location("bench_finetune", ROOT / "benchmarks" / "bench_finetune.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_gpu_benchmark_counts_flops_and_the_peak_fraction_and_says_one_sentence_without_cuda(monkeypatch, capsys):
    """The GPU section's arithmetic, checked where there is no GPU (its measurements need one)."""
    bench = _bench()
    assert bench.peak_bf16_tflops("NVIDIA H200") == 989.0 and bench.peak_bf16_tflops("NVIDIA H100 PCIe") == 756.0
    assert bench.peak_bf16_tflops("NVIDIA L40S") == 362.0 and bench.peak_bf16_tflops("NVIDIA L4") == 121.0
    assert bench.peak_bf16_tflops("NVIDIA A100-SXM4-80GB") == 312.0 and bench.peak_bf16_tflops("NVIDIA A10") == 125.0
    assert bench.peak_bf16_tflops("a GPU nobody listed") is None
    flops = bench.train_flops_per_image("resnet50", 224)
    assert flops == pytest.approx(3 * 2 * 4.089e9, rel=1e-3)  # torchvision: 4.09 GMACs per forward pass
    # the goal, 5,000 ResNet-50 images/s on an H200, is 5,000 x 24.5 GFLOP = 122.7 TFLOP/s: 12.4 % of 989
    assert bench.peak_fraction(5000, flops, 989.0) == pytest.approx(0.124, abs=5e-4)
    assert bench.peak_fraction(5000, flops, None) is None
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert bench.bench_gpu(1, 1, False) == {"skipped": bench.NO_CUDA}
    assert capsys.readouterr().err.strip() == bench.NO_CUDA
