"""Private workspaces (#14): nothing of one workspace is visible to or changeable from another; tokens, server
paths, quotas, the fair queue, the idle sweep, the CLI's --workspace and the pages with two visitors.

Runs are created without training (a config dict: nothing launches them) except where a worker must find its
dataset in its own workspace; datasets are 3 x 4 pictures of 32 px.
"""
import io
import json
import os
import threading
import time
import zipfile
from pathlib import Path

import pytest
from conftest import make_color_folder, run_cli

from core import jobs, workspaces
from core.data import copy_dataset, delete_dataset, list_datasets, open_dataset, save_upload
from core.errors import UserError
from core.jobs.store import fair_order, server_statuses

CFG = {"data": "demo:digits", "model": "resnet18", "strategy": "scratch", "epochs": 1}


@pytest.fixture
def private(data_dir, monkeypatch):
    monkeypatch.setenv("CNNLAB_WORKSPACES", "private")
    for name in ("CNNLAB_QUOTA_MB", "CNNLAB_QUOTA_DATASETS", "CNNLAB_QUOTA_QUEUED", "CNNLAB_SERVER_FOLDERS",
                 "CNNLAB_TEACHER_WORKSPACE", workspaces.ENV):
        monkeypatch.delenv(name, raising=False)
    yield data_dir
    jobs.close_all(terminate=True)  # a page's job manager (st.cache_resource) must not outlive its test


@pytest.fixture(scope="module")
def colors(tmp_path_factory) -> str:
    return make_color_folder(tmp_path_factory.mktemp("src") / "colors", per_class=4)


def listing(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")} if root.exists() else set()


# ----------------------------------------------------------------------------------------------- tokens
def test_tokens_are_unguessable_checked_before_the_disk_and_not_the_folder_names(private):
    a = workspaces.create()
    assert workspaces.is_token(a.token) and len(a.token) == 24
    assert not any(workspaces.new_token().startswith("-") for _ in range(500))  # --workspace <token> must parse
    assert a.token not in str(a.root) and a.root.parent == private / "workspaces"
    assert workspaces.from_token(a.token).root == a.root
    for bad in ("../../etc", "x" * 23, "x" * 25, "a/b" + "c" * 21, "", None, "é" * 24):
        with pytest.raises(UserError) as e:
            workspaces.from_token(bad)
        assert e.value.key == "data.workspace_bad_link"
    with pytest.raises(UserError) as e:  # well formed, but no workspace: never made on the visitor's say-so
        workspaces.from_token(workspaces.new_token())
    assert e.value.key == "data.workspace_unknown_link"
    assert len(workspaces.all_workspaces()) == 2  # the default one and a; the probes made nothing


def test_a_shared_mode_refuses_to_guess_whose_data_a_caller_means(private):
    with pytest.raises(workspaces.NoWorkspace):
        list_datasets()
    ws = workspaces.create()
    with workspaces.using(ws):
        assert list_datasets() == [] and workspaces.current_root() == ws.root
    with pytest.raises(workspaces.NoWorkspace):
        jobs.list_runs()


# ------------------------------------------------------------------------------------ nothing crosses
def test_datasets_and_runs_of_one_workspace_are_not_found_from_another(private, colors):
    a, b = workspaces.create(), workspaces.create()
    ds = open_dataset(colors, root=a.root)
    rid = jobs.create_run({**CFG, "data": ds.id}, root=a.root)
    assert [i.id for i in list_datasets(a.root)] == [ds.id] and list_datasets(b.root) == []
    assert [r["id"] for r in jobs.list_runs(b.root)] == []
    with pytest.raises(UserError) as e:
        open_dataset(ds.id, root=b.root, folders=[])
    assert e.value.key == "data.no_such_id"
    with pytest.raises(UserError) as e:
        delete_dataset(ds.id, root=b.root)
    assert e.value.key == "data.unknown_id"
    for call in (jobs.info, jobs.cancel, jobs.resume, jobs.export_zip, jobs.delete_run,
                 jobs.summary, jobs.metrics):
        with pytest.raises(UserError) as e:
            call(rid, b.root)
        assert e.value.key == "jobs.no_such_run", call
    for tampered in ("../" + a.root.name + "/runs/" + rid, rid + "/../x", str(a.root / "runs" / rid)):
        with pytest.raises(UserError) as e:
            jobs.info(tampered, b.root)
        assert e.value.key == "jobs.bad_run_id"
    assert jobs.info(rid, a.root)["state"] == jobs.QUEUED  # still there, untouched


def test_storing_what_another_workspace_has_builds_it_again_and_waits_on_no_other_lock(private, colors):
    a, b = workspaces.create(), workspaces.create()
    first = open_dataset(colors, root=a.root)
    from core.data import store
    with store._lock(first.id, a.root):  # a is busy with this id: b must not wait on (so learn of) it
        done = []
        t = threading.Thread(target=lambda: done.append(open_dataset(colors, root=b.root)))
        t.start()
        t.join(timeout=60)
        assert done, "b waited on a's lock"
    notes = []
    open_dataset(colors, lambda f, n: notes.append(n.key), root=workspaces.create().root)
    assert "data.progress.already_stored" not in notes  # a fresh workspace hears what a new dataset hears
    assert done[0].dir.parent.parent == b.root and done[0].dir != first.dir


# ------------------------------------------------------------------------------------------ server paths
def test_server_paths_only_inside_the_allowed_folders_without_escape(private, colors, tmp_path):
    ws = workspaces.create()
    allowed = Path(colors).parent
    outside = tmp_path / "secret"
    make_color_folder(outside, per_class=4)
    (allowed / "link").symlink_to(outside, target_is_directory=True)
    before = listing(private)
    answers = set()
    for ref in (str(outside), str(allowed / ".." / outside.parent.name / "secret"), str(allowed / "link"),
                str(tmp_path / "does-not-exist"), "/etc/passwd", "relative/path"):
        with pytest.raises(UserError) as e:
            open_dataset(ref, root=ws.root, folders=[allowed])
        answers.add((e.value.key, str(e.value)))
    assert len(answers) == 1 and next(iter(answers))[0] == "data.path_not_allowed"  # says nothing of what exists
    assert listing(private) == before
    with pytest.raises(UserError) as e:
        open_dataset(str(allowed / "colors"), root=ws.root, folders=[])
    assert e.value.key == "data.server_paths_off"
    assert open_dataset(str(allowed / "colors"), root=ws.root, folders=[allowed]).info.num_images == 12
    # the CLI is the server's own user: any path it is given
    assert run_cli("--workspace", ws.token, "data", "inspect", str(outside), "--json").returncode == 0


# ---------------------------------------------------------------------------------------------- quotas
def test_dataset_quotas_say_one_sentence_and_write_nothing(private, colors, monkeypatch, tmp_path):
    ws = workspaces.create()
    monkeypatch.setenv("CNNLAB_QUOTA_DATASETS", "1")
    open_dataset(colors, root=ws.root)
    with pytest.raises(UserError) as e:
        open_dataset(colors, root=ws.root, val_fraction=0.3)
    assert e.value.key == "data.quota_datasets" and "1 datasets" in str(e.value)
    monkeypatch.setenv("CNNLAB_QUOTA_DATASETS", "10")
    monkeypatch.setenv("CNNLAB_QUOTA_MB", "1")
    before = listing(ws.root)
    blob = io.BytesIO()
    with zipfile.ZipFile(blob, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("a/x.bin", os.urandom(1_500_000))
    with pytest.raises(UserError) as e:  # the quota is reached mid-upload
        save_upload(blob, "big.zip", root=ws.root)
    assert e.value.key == "data.quota_bytes_upload" and "big.zip" in str(e.value)
    assert listing(ws.root) - {"uploads"} == before and not any((ws.root / "uploads").iterdir())
    assert len(list_datasets(ws.root)) == 1  # nothing half-written, nothing lost


def test_three_starts_at_once_make_three_runs_and_the_fourth_is_refused(private, monkeypatch):
    ws = workspaces.create()
    monkeypatch.setenv("CNNLAB_QUOTA_QUEUED", "3")
    got, errors = [], []
    barrier = threading.Barrier(4)

    def press():
        barrier.wait()
        try:
            got.append(jobs.create_run(CFG, root=ws.root))
        except UserError as exc:
            errors.append(exc.key)

    threads = [threading.Thread(target=press) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(got) == len(set(got)) == 3 and errors == ["jobs.quota_queued"]
    assert sorted(r["id"] for r in jobs.list_runs(ws.root)) == sorted(got)
    assert sorted(r["queue_position"] for r in jobs.list_runs(ws.root)) == [1, 2, 3]


# -------------------------------------------------------------------------------------------- fairness
def test_the_queue_is_round_robin_between_workspaces_then_by_time(private):
    a, b, c = workspaces.create(), workspaces.create(), workspaces.create()
    a_runs = [jobs.create_run(CFG, root=a.root) for _ in range(3)]
    time.sleep(0.01)
    b_run = jobs.create_run(CFG, root=b.root)
    order = [rid for _, rid, _ in fair_order(server_statuses())]
    assert order == [a_runs[0], b_run, a_runs[1], a_runs[2]]
    assert jobs.positions(b.root) == {b_run: 2}
    jobs.folder(a_runs[0], a.root).update_status(state=jobs.RUNNING)  # a already trains one: b goes next
    c_run = jobs.create_run(CFG, root=c.root)
    order = [rid for _, rid, _ in fair_order(server_statuses())]
    assert order == [b_run, c_run, a_runs[1], a_runs[2]]
    assert [r["queue_position"] for r in jobs.list_runs(a.root, refresh=False)
            if r["state"] == jobs.QUEUED] == [4, 3]


def test_one_manager_launches_each_workspaces_run_with_its_own_dataset(private, colors, monkeypatch):
    """The worker finds the run's dataset id in the run's workspace (and there only)."""
    from core.finetune import FinetuneConfig
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    a = workspaces.create()
    ds = open_dataset(colors, root=a.root)
    cfg = FinetuneConfig(data=ds.id, model="resnet18", strategy="scratch", epochs=1, image_size=32, batch_size=8,
                         augment="none", patience=0, seed=0)
    manager = jobs.JobManager(poll=0.2)
    try:
        rid = manager.start(cfg, root=a.root)
        row = manager.wait(rid, timeout=180, root=a.root)
    finally:
        jobs.close_all(terminate=True)
    assert row["state"] == jobs.DONE, row.get("message")
    assert list((private / "runs").glob("2*")) == []  # nothing in the default workspace


# ----------------------------------------------------------------------------------- sweeping, classroom
def test_idle_workspaces_are_swept_but_not_busy_or_classroom_ones(private, colors, monkeypatch):
    idle, busy, teacher, fresh = (workspaces.create() for _ in range(4))
    for ws in (idle, busy, teacher):
        open_dataset(colors, root=ws.root)
    jobs.create_run(CFG, root=busy.root)
    monkeypatch.setenv("CNNLAB_TEACHER_WORKSPACE", teacher.token)
    old = time.time() - 40 * 86400
    for ws in (idle, busy, teacher):
        os.utime(ws.root / workspaces.SEEN, (old, old))
    assert workspaces.sweep() == [idle.id]
    assert workspaces.sweep(now=time.time() + 2 * 86400) == [fresh.id]  # never stored anything: after a day
    assert busy.root.is_dir() and teacher.root.is_dir()
    with pytest.raises(UserError) as e:
        workspaces.from_token(idle.token)
    assert e.value.key == "data.workspace_unknown_link"


def test_a_classroom_dataset_is_copied_into_a_workspace_under_its_quota(private, colors, monkeypatch):
    teacher, student = workspaces.create(), workspaces.create()
    ds = open_dataset(colors, root=teacher.root)
    copy = copy_dataset(ds.id, teacher.root, root=student.root)
    assert copy.id == ds.id and copy.dir.parent.parent == student.root and len(copy) == len(ds)
    monkeypatch.setenv("CNNLAB_QUOTA_DATASETS", "1")
    delete_dataset(ds.id, root=student.root)
    open_dataset(colors, root=student.root, val_fraction=0.3)
    with pytest.raises(UserError) as e:
        copy_dataset(ds.id, teacher.root, root=student.root)
    assert e.value.key == "data.quota_datasets"


# ----------------------------------------------------------------------------------------------- the CLI
def test_the_cli_reaches_the_pages_workspace_by_flag_or_environment(private, colors, monkeypatch):
    ws = workspaces.create()
    ds = open_dataset(colors, root=ws.root)
    rid = jobs.create_run({**CFG, "data": ds.id}, root=ws.root)
    res = run_cli("--workspace", ws.token, "data", "list", "--json")
    assert res.returncode == 0 and ds.id in res.stdout
    res = run_cli("jobs", "list", "--workspace", ws.token, "--json")
    assert res.returncode == 0 and rid in res.stdout
    monkeypatch.setenv(workspaces.ENV, ws.token)
    assert rid in run_cli("jobs", "list", "--json").stdout
    monkeypatch.delenv(workspaces.ENV)
    res = run_cli("jobs", "list", "--json")  # the default workspace: where everything from before lives
    assert res.returncode == 0 and rid not in res.stdout
    res = run_cli("--workspace", "not-a-token", "jobs", "list")
    assert res.returncode == 2 and "not a workspace link" in res.stderr and "Traceback" not in res.stderr
    res = run_cli("--workspace", ws.token, "jobs", "cancel", rid)
    assert res.returncode == 0 and jobs.info(rid, ws.root)["state"] == jobs.CANCELLED
    res = run_cli("--workspace", ws.token, "jobs", "delete", rid, "--json")
    assert res.returncode == 0 and jobs.list_runs(ws.root) == []
    made = json.loads(run_cli("workspaces", "new", "--json").stdout)
    assert workspaces.from_token(made["token"]).id == made["workspace"]
    shown = json.loads(run_cli("--workspace", made["token"], "workspaces", "show", "--json").stdout)
    assert shown["datasets"] == 0 and shown["limits"]["queued"] == 3


def test_a_write_error_names_the_folder_inside_the_workspace_only(private, monkeypatch):
    from core import runs
    ws = workspaces.create()
    rid = jobs.create_run(CFG, root=ws.root)

    def full(path, write, durable=True):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(runs, "atomic_write", full)
    with pytest.raises(UserError) as e:
        jobs.folder(rid, ws.root).write_results({})
    assert str(e.value).count(f"runs/{rid}") == 1 and str(private) not in str(e.value)


# ------------------------------------------------------------------------------------------- the pages
ROOT = Path(__file__).resolve().parent.parent


def visit(page: str, ws: str | None = None, run: str | None = None, lang: str = "en"):
    """A visitor: a new browser session opening ``page`` with ``?ws=`` (and ``?run=``) in the address."""
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["lang"] = lang
    if ws is not None:
        at.query_params["ws"] = ws
    at.run()
    # what the first run (the home page) showed: the sidebar and a once-only warning (AppTest's tree after
    # switch_page has no sidebar)
    at.first = texts(at) + "\n" + "\n".join(w.value for w in at.warning) + "\n" + "\n".join(
        c.value for kind in ("caption", "code") for c in getattr(at.sidebar, kind))
    if run is not None:
        at.query_params["run"] = run
    at.switch_page(page)
    at.run()
    assert not at.exception
    return at


def texts(at) -> str:
    parts = [e.value for kind in ("markdown", "caption", "info", "warning", "error", "code", "selectbox")
             for e in getattr(at, kind) if hasattr(e, "value") and isinstance(e.value, str)]
    parts += [str(o) for s in at.selectbox for o in s.options]
    return "\n".join(parts)


def test_two_visitors_see_only_their_own_datasets_and_runs(private, colors):
    first = visit("pages/data.py")  # a first visit makes a workspace and puts its token in the address
    token = first.query_params["ws"][0] if isinstance(first.query_params["ws"], list) else first.query_params["ws"]
    a = workspaces.from_token(token)
    ds = open_dataset(colors, root=a.root, name="alices-photos")
    rid = jobs.create_run({**CFG, "data": ds.id}, root=a.root)
    jobs.cancel(rid, a.root)  # listed, and no page's job manager trains it
    again = visit("pages/data.py", ws=token)  # a refresh or a bookmark: the same workspace
    assert "alices-photos" in texts(again) and token in again.first  # the sidebar shows the private link
    assert f"CNNLAB_WORKSPACE={token} python -m core" in again.first and "Whoever has this link" in again.first
    other = visit("pages/data.py")
    assert "alices-photos" not in texts(other) and other.info  # "no datasets stored yet"
    assert len(workspaces.all_workspaces()) == 3
    theirs = visit("pages/finetune.py", run=rid)  # a visitor who got hold of a's run id
    assert rid not in [str(o) for s in theirs.selectbox for o in s.options]
    assert any("There is no run" in w.value for w in theirs.warning)
    assert jobs.info(rid, a.root)["state"] == jobs.CANCELLED
    mine = visit("pages/finetune.py", ws=token, run=rid)
    assert mine.selectbox(key="finetune_run").value == rid


def test_a_bad_or_foreign_token_gets_a_sentence_and_a_fresh_empty_workspace(private, colors):
    a = workspaces.create()
    open_dataset(colors, root=a.root, name="alices-photos")
    for bad, says in (("../" + a.root.name, "not a workspace link"),
                      (workspaces.new_token(), "No workspace on this server has that link")):
        at = visit("pages/data.py", ws=bad)
        assert says in at.first and "A new private workspace was made for you" in at.first
        assert "alices-photos" not in texts(at) and bad not in texts(at) + at.first
    assert len(workspaces.all_workspaces()) == 4


def test_the_path_source_is_absent_unless_the_operator_lists_folders(private, colors, monkeypatch):
    at = visit("pages/data.py")
    assert at.radio(key="data_source").options == ["Upload a zip", "Demo set"]
    monkeypatch.setenv("CNNLAB_SERVER_FOLDERS", str(Path(colors).parent))
    at = visit("pages/data.py")
    at.radio(key="data_source").set_value("path").run()
    at.text_input(key="data_path").input("/etc").run()
    at.button(key="data_ingest").click().run()
    assert not at.exception and len(at.error) == 1 and "not inside a folder this server shares" in at.error[0].value
    at.text_input(key="data_path").input(colors).run()
    at.button(key="data_ingest").click().run()
    assert not at.exception and not at.error and at.selectbox(key="data_pick").value


def test_login_mode_gives_each_signed_in_user_a_workspace(private, colors, monkeypatch):
    """Streamlit's st.login needs an identity provider (OIDC) and Authlib: the signed-in user is stood in for."""
    import ui
    monkeypatch.setenv("CNNLAB_WORKSPACES", "login")
    monkeypatch.setattr(ui, "signed_in_user", lambda: None)
    at = visit("pages/data.py")
    assert any("Sign in" in i.value for i in at.info) and not at.selectbox
    alice = workspaces.for_user("alice@example.com")
    open_dataset(colors, root=alice.root, name="alices-photos")
    monkeypatch.setattr(ui, "signed_in_user", lambda: "alice@example.com")
    assert "alices-photos" in texts(visit("pages/data.py"))
    monkeypatch.setattr(ui, "signed_in_user", lambda: "bob@example.com")
    assert "alices-photos" not in texts(visit("pages/data.py"))


def test_the_classroom_shares_datasets_and_finished_runs_read_only(private, colors, monkeypatch):
    teacher = workspaces.create()
    ds = open_dataset(colors, root=teacher.root, name="class-set")
    rid = jobs.create_run({**CFG, "data": ds.id}, root=teacher.root)
    jobs.folder(rid, teacher.root).update_status(state=jobs.DONE)
    monkeypatch.setenv("CNNLAB_TEACHER_WORKSPACE", teacher.token)
    at = visit("pages/data.py")
    assert at.selectbox(key="data_shared_pick").value == ds.id
    at.button(key="data_copy").click().run()
    assert not at.exception and at.selectbox(key="data_pick").value == ds.id  # now the visitor's own copy
    mine = workspaces.from_token(at.query_params["ws"][0] if isinstance(at.query_params["ws"], list)
                                 else at.query_params["ws"])
    assert [i.id for i in list_datasets(mine.root)] == [ds.id]
    page = visit("pages/finetune.py", ws=mine.token)
    assert page.selectbox(key="finetune_run").value == "c:" + rid
    assert not [b for b in page.button if b.key in (f"resume-{rid}", f"delete-{rid}")]  # read-only


def listed_finished_run(root: Path) -> str:
    """A run that lists as finished (an ended status, a resolved config, export files), not one that loads."""
    rid = jobs.create_run(CFG, root=root)
    jobs.cancel(rid, root)
    f = jobs.folder(rid, root)
    f.write_config({**CFG, "resolved": {"head": {"path": "fc"}, "image_size": 32}})
    f.export_dir.mkdir()
    for name in ("model.safetensors", "config.json"):
        (f.export_dir / name).write_text("{}")
    return rid


def test_the_inside_page_lists_only_the_workspaces_finished_runs(private):
    from core.inside import change
    a, b = workspaces.create(), workspaces.create()
    rid = listed_finished_run(a.root)
    assert [r["id"] for r in change.finished_runs(a.root)] == [rid] and change.finished_runs(b.root) == []
    at = visit("pages/inside.py", ws=b.token)
    assert not at.exception and rid not in texts(at)


def test_runs_from_before_workspaces_belong_to_the_default_workspace_where_they_are(private):
    """The default workspace is the data directory itself: nothing moves, so a worker still writing by path
    keeps writing, and summaries keep paths that are still true."""
    import shutil
    src = Path(__file__).parent / "fixtures" / "runs_v1"
    for d in src.iterdir():
        if d.is_dir():
            shutil.copytree(d, private / "runs" / d.name)
    old = sorted(d.name for d in src.iterdir() if d.is_dir())
    assert sorted(r["id"] for r in jobs.list_runs(workspaces.default().root)) == old
    fresh = workspaces.create()
    assert jobs.list_runs(fresh.root) == []
    res = run_cli("jobs", "list", "--json")  # the CLI without --workspace: the default workspace
    assert res.returncode == 0 and all(rid in res.stdout for rid in old)
    assert run_cli("--workspace", fresh.token, "jobs", "show", old[0]).returncode == 2


def test_the_classrooms_finished_runs_are_listed_read_only_on_the_inside_page(private, monkeypatch):
    from core.inside import change
    teacher = workspaces.create()
    rid = listed_finished_run(teacher.root)
    monkeypatch.setenv("CNNLAB_TEACHER_WORKSPACE", teacher.token)
    visitor = workspaces.create()
    assert change.finished_runs(visitor.root) == []
    at = visit("pages/inside.py", ws=visitor.token)
    assert not at.exception
    [option] = at.selectbox(key="inside_filters_run").options   # shown by their labels
    assert option.startswith("🏫 " + rid + " · ResNet-18")
