"""Runs that survive: real worker processes on a tiny dataset - done, cancel, queue, kill -9 and resume, ids.

Each test trains for real (a 3-class folder of 32 px pictures made here; ResNet-18 from scratch at 32 px or
the packaged EfficientNet-Lite0 as a linear probe at 64 px), so every state is reached the way a user would
reach it.
"""
import json
import os
import signal
import time
import zipfile
from pathlib import Path

import pytest
from conftest import make_color_folder, run_cli

from core import jobs
from core.errors import UserError
from core.finetune import FinetuneConfig


@pytest.fixture
def tiny(data_dir, tmp_path) -> str:
    """A folder dataset: 3 classes (reddish, greenish, bluish noise) x 10 pictures of 32x32."""
    return make_color_folder(tmp_path / "tiny")


@pytest.fixture(autouse=True)
def one_thread_workers(monkeypatch):
    """Workers inherit this: two OpenMP threads per process on two shared cores spin-wait ~10x slower."""
    monkeypatch.setenv("OMP_NUM_THREADS", "1")


@pytest.fixture
def manager(data_dir):
    m = jobs.JobManager(poll=0.2)
    yield m
    jobs.close_all(terminate=True)


def scratch(data: str, **kw) -> FinetuneConfig:
    base = dict(data=data, model="resnet18", strategy="scratch", epochs=2, image_size=32, batch_size=8,
                augment="none", patience=0, seed=0)
    return FinetuneConfig(**{**base, **kw})


def wait_for(pred, timeout=120, every=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = pred()
        if value:
            return value
        time.sleep(every)
    raise AssertionError("condition not reached in time")


def test_start_runs_in_a_worker_to_done_with_metrics_and_export(tiny, manager, data_dir):
    cfg = FinetuneConfig(data=tiny, model="tf_efficientnet_lite0", strategy="linear_probe", epochs=2,
                         image_size=64, batch_size=8, seed=0)
    rid = manager.start(cfg, label="EfficientNet-Lite0")
    assert jobs.RUN_ID_RE.match(rid)
    rdir = data_dir / "runs" / rid
    assert json.loads((rdir / "config.json").read_text())["model"] == "tf_efficientnet_lite0"
    row = manager.wait(rid, timeout=180)
    assert row["state"] == "done", (row["message"], jobs.worker_log_tail(rid))
    assert row["pid"] and row["pid"] != os.getpid()  # it trained in another process
    assert row["started"] <= row["heartbeat"] <= row["ended"] and row["attempts"] == 1 and row["exit_code"] == 0
    assert row["fraction"] == 1.0 and row["label"] == "EfficientNet-Lite0"
    assert "validation accuracy" in row["message"] and "at the best epoch" in row["message"]
    rows = jobs.metrics(rid)
    assert [r["epoch"] for r in rows] == [1, 2] and all("epoch_seconds" in r for r in rows)
    summ = jobs.summary(rid)
    assert summ["epochs_run"] == 2 and "package" in summ["weights_source"]
    assert jobs.results(rid)["confusion_matrix"]
    with zipfile.ZipFile(__import__("io").BytesIO(jobs.export_zip(rid))) as zf:
        assert sorted(zf.namelist()) == ["config.json", "model.safetensors"]
        assert json.loads(zf.read("config.json"))["class_names"] == ["blue", "green", "red"]

    res = run_cli("jobs", "list", "--json")
    assert res.returncode == 0, res.stderr
    listed = json.loads(res.stdout)["runs"]
    assert [(r["id"], r["state"]) for r in listed] == [(rid, "done")]
    res = run_cli("jobs", "show", rid, "--json")
    assert res.returncode == 0, res.stderr
    shown = json.loads(res.stdout)
    assert len(shown["metrics"]) == 2 and len(shown["exports"]) == 2
    res = run_cli("jobs", "show", rid)
    assert rid in res.stdout and "epoch 2:" in res.stdout


def test_cancel_stops_a_running_worker_within_one_step(tiny, manager):
    rid = manager.start(scratch(tiny, epochs=200, batch_size=2))
    wait_for(lambda: (jobs.info(rid)["progress"] or {}).get("phase") == "train", timeout=120)
    row = jobs.cancel(rid)
    assert row["cancel_requested"] and row["state"] == "running"
    row = manager.wait(rid, timeout=60)
    assert row["state"] == "cancelled", row["message"]
    stop = row["cancel"]
    assert stop["steps_after"] <= 1, stop          # at most the step that was under way
    assert stop["stopped"] - stop["requested"] < 10
    assert jobs.export_files(rid) == []
    with pytest.raises(UserError, match="already cancelled"):
        jobs.cancel(rid)
    res = run_cli("jobs", "cancel", rid)
    assert res.returncode == 2 and "already cancelled" in res.stderr and "Traceback" not in res.stderr


def test_queue_runs_one_job_at_a_time_in_order_even_after_a_manager_restart(tiny, data_dir):
    # Queued with no manager alive (as if the server died right after Start): nothing runs yet.
    a = jobs.start(scratch(tiny, epochs=3))
    b = jobs.start(scratch(tiny, epochs=1))
    c = jobs.start(scratch(tiny, epochs=1))
    assert jobs.queue() == [a, b, c]
    assert [jobs.info(x)["queue_position"] for x in (a, b, c)] == [1, 2, 3]
    jobs.cancel(c)  # a queued run is cancelled at once and never gets a worker
    assert jobs.info(c)["state"] == "cancelled" and jobs.info(c)["pid"] is None

    manager = jobs.JobManager(poll=0.2)  # the "restarted" server
    try:
        wait_for(lambda: jobs.info(a)["state"] == "running")
        row_b = jobs.info(b)
        assert row_b["state"] == "queued" and row_b["queue_position"] == 1
        res = run_cli("jobs", "list")
        assert "queued #1" in res.stdout
        second = jobs.JobManager(poll=0.2)  # a second server process on the same data: it must not launch
        try:
            time.sleep(1.0)
            assert not second.is_leader and jobs.info(b)["state"] == "queued"
        finally:
            second.close()
        ra, rb = manager.wait(a, timeout=180), manager.wait(b, timeout=180)
    finally:
        jobs.close_all(terminate=True)
    assert ra["state"] == rb["state"] == "done", (ra["message"], rb["message"])
    assert ra["ended"] <= rb["started"]            # one after the other, never overlapping
    assert jobs.info(c)["state"] == "cancelled"


def test_killed_worker_is_interrupted_then_resumes_from_its_checkpoint(tiny, manager, data_dir):
    rid = manager.start(scratch(tiny, epochs=6, batch_size=2, image_size=48))

    def in_later_epoch():
        p = jobs.info(rid)["progress"] or {}
        return p.get("phase") == "train" and (p.get("epoch") or 0) >= 2 and (p.get("step") or 0) >= 1
    wait_for(in_later_epoch, timeout=180, every=0.02)
    pid = jobs.info(rid)["pid"]
    with pytest.raises(UserError, match="is still running"):
        jobs.resume(rid)
    os.kill(pid, signal.SIGKILL)
    row = manager.wait(rid, timeout=30)
    assert row["state"] == "interrupted", row["message"]
    assert "resume" in row["message"] and row["exit_code"] == -9
    done_before = len(jobs.metrics(rid))
    assert 1 <= done_before < 6 and (data_dir / "runs" / rid / "checkpoint.pt").is_file()
    manager.close()  # no server: the CLI takes the queue over and waits for the run

    res = run_cli("jobs", "resume", rid, "--json", timeout=300)
    assert res.returncode == 0, res.stderr
    row = json.loads(res.stdout)
    assert row["state"] == "done" and row["attempts"] == 2, (row["message"], jobs.worker_log_tail(rid))
    assert [r["epoch"] for r in jobs.metrics(rid)] == [1, 2, 3, 4, 5, 6]
    assert f"Resumed after epoch {done_before}" in jobs.worker_log_tail(rid, lines=200)


def test_diverging_run_is_marked_diverged_and_exports_nothing(tiny, manager):
    rid = manager.start(scratch(tiny, lr=1e6, epochs=1))
    row = manager.wait(rid, timeout=180)
    assert row["state"] == "diverged", row["message"]
    assert "diverged" in row["message"] and jobs.export_files(rid) == []
    with pytest.raises(UserError, match="no exported model"):
        jobs.export_zip(rid)


@pytest.mark.parametrize("guess", ["../../etc/passwd", "/etc/passwd", "20260101-120000-abcdef/../..", "",
                                   "20260101-120000-ABCDEF", "20260101-120000-abcdef\n", "..\\x", "20260101-120000-abcde\x00f"])
def test_guessed_run_ids_never_leave_the_runs_folder(guess, data_dir):
    before = sorted(p.relative_to(data_dir.parent) for p in data_dir.parent.rglob("*"))
    with pytest.raises(UserError, match="not a run id"):
        jobs.info(guess)
    with pytest.raises(UserError):
        jobs.cancel(guess)
    after = sorted(p.relative_to(data_dir.parent) for p in data_dir.parent.rglob("*"))
    assert [p for p in after if p not in before and "runs" not in p.parts] == []


def test_another_sessions_run_is_visible_by_design_and_unknown_ids_say_so(tiny, data_dir):
    # The documented model is one shared classroom server: every session sees (and may cancel) every run.
    theirs = jobs.start(scratch(tiny))
    assert jobs.info(theirs)["state"] == "queued"
    assert [r["id"] for r in jobs.list_runs()] == [theirs]
    unknown = "20260101-120000-abcdef"
    with pytest.raises(UserError, match="There is no run 20260101-120000-abcdef"):
        jobs.info(unknown)
    res = run_cli("jobs", "show", "../../etc/passwd")
    assert res.returncode == 2 and "not a run id" in res.stderr and "Traceback" not in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
    assert not (Path(data_dir) / "runs" / unknown).exists()


def test_sigterm_leaves_the_run_resumable_and_cancelling_it_then_is_immediate(tiny, manager):
    # A stopped server or machine sends SIGTERM: the worker records "interrupted", not "failed".
    rid = manager.start(scratch(tiny, epochs=200, batch_size=2))
    wait_for(lambda: (jobs.info(rid)["progress"] or {}).get("phase") == "train", timeout=120)
    os.kill(jobs.info(rid)["pid"], signal.SIGTERM)
    row = manager.wait(rid, timeout=60)
    assert row["state"] == "interrupted" and row["notice"]["key"] == "jobs.status.terminated"
    assert row["exit_code"] == 143
    row = jobs.cancel(rid)
    assert row["state"] == "cancelled" and row["notice"]["key"] == "jobs.status.cancelled_interrupted"


def test_cli_train_is_a_listed_run_that_no_manager_launches_again(tiny, data_dir):
    """`python -m core train` without --out trains here but leaves the same run folder a worker would."""
    res = run_cli("train", "--data", tiny, "--model", "resnet18", "--strategy", "scratch", "--epochs", "1",
                  "--image-size", "32", "--batch-size", "8", "--json")
    assert res.returncode == 0, res.stderr
    summary = json.loads(res.stdout)
    rid = Path(summary["run_dir"]).name
    listed = {r["id"]: r for r in jobs.list_runs()}
    assert listed[rid]["state"] == jobs.DONE and "(CLI)" in listed[rid]["label"]
    assert jobs.summary(rid)["best_val_acc"] == summary["best_val_acc"]
    assert jobs.queue() == []  # it never sat in the queue, so a page's manager cannot start it twice
    bad = run_cli("train", "--data", tiny, "--model", "resnet18", "--strategy", "scratch", "--epochs", "2",
                  "--image-size", "32", "--batch-size", "8", "--lr", "1000", "--augment", "none", "--json")
    assert bad.returncode == 2 and "diverged" in bad.stderr and "Traceback" not in bad.stderr
    assert sorted(r["state"] for r in jobs.list_runs()) == [jobs.DIVERGED, jobs.DONE]


def test_a_run_trained_in_this_process_is_not_taken_for_a_dead_worker(data_dir):
    """``python -m core train`` records its own pid, whose command line does not name the run: the page's and
    ``jobs list``'s reconcile must still see it alive (its recorded start time says it is the same process),
    and a recorded start time that is not this process's (a reused pid) must read as gone."""
    from core.jobs.store import process_started, reconcile
    rid = jobs.create_run(FinetuneConfig(data="demo:digits"), in_this_process=True)
    st = jobs.folder(rid).status()
    assert st["pid"] == os.getpid() and st["pid_started"] == process_started(os.getpid()) is not None
    assert reconcile() == [] and jobs.info(rid)["state"] == "running" and jobs.info(rid)["alive"]
    jobs.folder(rid).update_status(pid_started=st["pid_started"] - 1)   # another process had this pid before
    assert reconcile() == [rid] and jobs.info(rid)["state"] == "interrupted"
