"""The run folder (core.runs) and runs written by the code before the restructuring (tests/fixtures/runs_v1)."""
import json
import shutil
from pathlib import Path

import pytest
import torch
from PIL import Image

from conftest import make_color_folder, run_cli
from core import jobs, runs
from core.errors import UserError
from core.finetune import predict, predict_logits
from core.notices import Notice

FIXTURES = Path(__file__).parent / "fixtures" / "runs_v1"
DONE, FAILED, CANCELLED = "20261130-041307-de2e05", "20261130-041216-b9ab6d", "20261130-041229-e756fd"


@pytest.fixture
def old_runs(data_dir) -> Path:
    """The three committed run folders, copied into a fresh data directory's runs/."""
    base = runs.runs_dir(data_dir)
    for rid in (DONE, FAILED, CANCELLED):
        shutil.copytree(FIXTURES / rid, base / rid)
    return base


def test_old_runs_list_with_their_states_and_messages(old_runs):
    rows = {r["id"]: r for r in jobs.list_runs()}
    assert {rid: r["state"] for rid, r in rows.items()} == {DONE: "done", FAILED: "failed", CANCELLED: "cancelled"}
    assert rows[DONE]["model"] == "shufflenet_v2_x1_0" and rows[DONE]["strategy"] == "linear_probe"
    # statuses from before notices: code + args became a notice, rendered in either language
    assert jobs.status_notice(rows[DONE]).text("pt").startswith("Concluída: acurácia de validação de 33.3%")
    assert jobs.status_notice(rows[FAILED]).key == "data.not_a_source"
    assert "/tmp/fx/missing-folder" in jobs.status_notice(rows[FAILED]).text("pt")
    assert jobs.status_notice(rows[CANCELLED]).text("pt") == "Cancelada antes de rodar."
    assert rows[CANCELLED]["message"] == "Cancelled before it ran."
    # their progress notices too (message + code + args in the old file)
    notices = jobs.progress_notices(rows[DONE]["progress"])
    assert [n.key for n in notices] == ["finetune.msg.random_weights", "finetune.msg.probe_no_aug"]
    assert all(n.text("pt") != n.text("en") for n in notices)


def test_old_runs_show_metrics_results_and_export(old_runs):
    res = run_cli("jobs", "show", DONE, "--json")
    assert res.returncode == 0, res.stderr
    row = json.loads(res.stdout)
    assert [m["epoch"] for m in row["metrics"]] == [1, 2, 3]
    assert row["summary"]["best_epoch"] == 3 and row["summary"]["model"] == "shufflenet_v2_x1_0"
    assert [Path(p).name for p in row["exports"]] == ["model.safetensors", "config.json"]
    results = jobs.results(DONE)
    assert results["classes"] == ["blue", "green", "red"] and len(results["confusion_matrix"]) == 3
    assert jobs.export_zip(DONE)[:2] == b"PK"
    text = run_cli("jobs", "show", FAILED)
    assert text.returncode == 0 and "is not a demo set" in text.stdout


def test_old_export_predicts_exactly_as_the_old_code_did(old_runs, tmp_path):
    expected = json.loads((FIXTURES / "expected_predictions.json").read_text())["predictions"]
    root = tmp_path / "colors"
    make_color_folder(root, per_class=8, seed=0)
    images = [Image.open(root / e["file"]).convert("RGB") for e in expected]
    run = old_runs / DONE
    logits = predict_logits(run, images)
    assert torch.allclose(logits, torch.tensor([e["logits"] for e in expected]), atol=1e-6, rtol=0)
    assert predict(run, images, top=3) == [e["top"] for e in expected]
    cli = run_cli("predict", "--run", run, root / expected[0]["file"], "--top", "3", "--json")
    assert cli.returncode == 0, cli.stderr
    assert json.loads(cli.stdout)["results"][0]["top"] == expected[0]["top"]


def test_old_runs_can_still_be_cancelled_or_resumed_only_as_their_state_allows(old_runs):
    with pytest.raises(UserError, match="already done"):
        jobs.cancel(DONE)
    with pytest.raises(UserError, match="failed"):
        jobs.resume(FAILED)
    row = jobs.resume(CANCELLED)  # never ran: no checkpoint, so it starts from the first epoch
    assert row["state"] == "queued" and row["notice"]["key"] == "jobs.status.resume_fresh"
    jobs.cancel(CANCELLED)


# ---------------------------------------------------------------------------------------- the folder
def test_metrics_keep_every_complete_row_and_skip_a_torn_or_junk_line(tmp_path, caplog):
    folder = runs.RunFolder(tmp_path)
    folder.write_metrics([{"epoch": 1}, {"epoch": 2}])
    with open(tmp_path / runs.METRICS, "a") as fh:
        fh.write('not json\n{"epoch": 3}\n{"epoch": 4, "val_')  # junk in the middle, a torn last line
    assert [r["epoch"] for r in folder.metrics()] == [1, 2, 3]
    assert "does not parse" in caplog.text


def test_json_readers_say_none_for_missing_or_damaged_files(tmp_path):
    folder = runs.RunFolder(tmp_path)
    assert folder.results() is None and folder.status() == {} and folder.metrics() == []
    (tmp_path / runs.RESULTS).write_text('{"half": ')
    assert folder.results() is None
    folder.write_results({"ok": 1})
    assert folder.results() == {"ok": 1} and not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_run_ids_are_checked_before_any_path_is_made(data_dir):
    for bad in ("../../etc", "20261130-041307-de2e05/../x", "", None):
        with pytest.raises(UserError, match="not a run id"):
            runs.run_path(bad)
    with pytest.raises(UserError, match="no run 2020"):
        runs.run_path("20200101-000000-abcdef")


def test_a_damaged_checkpoint_is_one_sentence(tmp_path):
    folder = runs.RunFolder(tmp_path / "20261130-041307-de2e05")
    folder.path.mkdir()
    (folder.path / runs.CHECKPOINT).write_bytes(b"\x80\x04garbage")
    with pytest.raises(UserError, match="checkpoint"):
        folder.load_checkpoint()


def test_notices_render_in_both_languages_and_refuse_unknown_keys():
    n = Notice.of("jobs.status.resuming", epochs=2)
    assert str(n) == "Resuming after 2 complete epoch(s)." and "Retomando" in n.text("pt")
    assert Notice.restore(n.record()) == n and Notice.restore({"nope": 1}) is None
    with pytest.raises(KeyError):
        Notice.of("jobs.status.no_such_sentence")
    old = Notice.legacy("Something the old code said.")
    assert old.text("pt") == "Something the old code said."  # no key: the stored English stays
