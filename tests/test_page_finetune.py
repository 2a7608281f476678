"""The fine-tuning page through AppTest: both languages, Start goes to a real worker, reruns and new sessions
re-attach to the run instead of starting another, and the finished run shows its results."""
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from conftest import make_color_folder
from core import jobs

ROOT = Path(__file__).resolve().parent.parent
PAGE = "pages/finetune.py"


@pytest.fixture
def stored_tiny(data_dir, tmp_path, monkeypatch):
    """A stored 3-class dataset of 32 px pictures; workers get one thread each (two shared cores)."""
    from core.data import open_dataset
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    yield open_dataset(make_color_folder(tmp_path / "tiny", seed=1))
    jobs.close_all(terminate=True)


def open_page(lang="en", run=None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.query_params["lang"] = lang
    if run:
        at.query_params["run"] = run
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def texts(at) -> str:
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
                     + [w.value for w in at.warning] + [e.value for e in at.error])


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_page_without_runs_explains_and_shows_the_default_backbone(lang, data_dir):
    at = open_page(lang)
    assert at.selectbox(key="finetune_model").value == "tf_efficientnet_lite0"
    assert at.selectbox(key="finetune_data").value == "demo:digits"
    body = texts(at)
    assert ("No runs yet" if lang == "en" else "Nenhuma execução ainda") in body
    assert ("Runs are shared" if lang == "en" else "As execuções são compartilhadas") in body
    # the packaged Lite0 weights are real: no random-weights warning, the source is named
    assert not at.warning and ("installed package" if lang == "en" else "pacote instalado") in body
    at.radio(key="finetune_strategy").set_value("partial").run()
    assert not at.exception and not at.error
    k = at.slider(key="finetune_unfreeze")
    assert k.value == 2 and k.max >= 5  # Lite0's stages, counted from the head (the head itself always trains)
    assert ("head" if lang == "en" else "classificador") in texts(at)  # stage names in the page's language
    at.selectbox(key="finetune_model").set_value("vgg16").run()
    assert not at.exception and not at.error
    assert at.warning, "a model without offline weights must say it starts from random weights"


def test_start_from_the_page_reattaches_after_reruns_and_in_new_sessions(stored_tiny):
    at = open_page("en")
    at.selectbox(key="finetune_data").set_value(stored_tiny.id)
    at.selectbox(key="finetune_model").set_value("resnet18")
    at.radio(key="finetune_strategy").set_value("scratch").run()
    at.selectbox(key="finetune_size").set_value(32)
    at.slider(key="finetune_epochs").set_value(2)
    at.selectbox(key="finetune_batch").set_value(8)
    at.selectbox(key="finetune_augment").set_value("none").run()
    at.button(key="finetune_start").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    runs = jobs.list_runs()
    assert len(runs) == 1
    rid = runs[0]["id"]
    assert at.session_state["finetune_run"] == rid and at.query_params["run"] in (rid, [rid])
    assert runs[0]["model"] == "resnet18" and runs[0]["strategy"] == "scratch" and runs[0]["epochs"] == 2

    # Changing a widget and rerunning neither stops nor duplicates the run.
    at.slider(key="finetune_epochs").set_value(3).run()
    at.run()
    assert not at.exception and not at.error
    assert [r["id"] for r in jobs.list_runs()] == [rid]
    assert jobs.info(rid)["state"] in ("queued", "running", "done")
    assert rid in texts(at)

    # Switching to another page and back finds the same run.
    at.switch_page("pages/home.py").run()
    at.switch_page(PAGE).run()
    assert not at.exception and not at.error and at.session_state["finetune_run"] == rid

    # A refresh (a brand-new session) re-attaches from the run list, in Portuguese too.
    other = open_page("pt")
    assert other.session_state["finetune_run"] == rid
    assert f"Execução {rid}" in texts(other)

    deadline = time.monotonic() + 150
    while jobs.info(rid)["state"] in jobs.ACTIVE and time.monotonic() < deadline:
        time.sleep(0.3)
    row = jobs.info(rid)
    assert row["state"] == "done", (row["message"], jobs.worker_log_tail(rid))
    assert [r["id"] for r in jobs.list_runs()] == [rid]
    # the picker of the session that started it follows the run's state and names the dataset, not its id
    at.run()
    label = at.selectbox(key="finetune_run").options[0]
    assert "done" in label and stored_tiny.name in label and stored_tiny.id not in label, label
    assert not at.error and not at.exception

    for lang, best in (("en", "Validation accuracy at the best epoch"), ("pt", "Acurácia de validação na melhor época")):
        done = open_page(lang, run=rid)
        assert best in [m.label for m in done.metric]
        assert len(done.get("plotly_chart")) >= 4  # curves, confusion, per-class, learning rates
        assert done.get("download_button"), "the finished run offers its export"
        assert not done.error
    assert [r["id"] for r in jobs.list_runs()] == [rid]


def test_a_guessed_or_broken_run_address_is_explained_not_raised(stored_tiny):
    from core.finetune import FinetuneConfig
    rid = jobs.start(FinetuneConfig(data=stored_tiny.id, model="resnet18", strategy="scratch", epochs=1,
                                    image_size=32))
    jobs.cancel(rid)  # stays in the list without costing a worker
    at = open_page("en", run="../../etc/passwd")
    assert "not a run id" in texts(at)
    assert at.session_state["finetune_run"] == rid  # falls back to the run list
    assert "Cancelled before it ran" in texts(at)
    at = open_page("pt", run="20260101-120000-abcdef")
    assert "Não existe a execução 20260101-120000-abcdef" in texts(at)  # jobs' UserError, in the page's language
    assert "Cancelada antes de rodar" in texts(at)  # jobs' status message, translated through its code


def test_finished_run_shows_its_code_and_the_page_explains_rates_and_pitfalls(stored_tiny):
    """The learning-rate table reads each strategy's default and the head scale; the pitfalls tie each mitigation
    to a setting; a finished run shows the script that does what it did, in the page's language."""
    from core.finetune import FinetuneConfig
    rid, code = jobs.run_here(FinetuneConfig(data=stored_tiny.id, model="resnet18", strategy="partial", epochs=1,
                                             image_size=32, batch_size=8, unfreeze=1))
    assert code == 0
    for lang, words in (("en", ("is **not** in this app", "Dropout before the last layer", "only the new classification layer")),
                        ("pt", ("**não** está neste app", "Dropout antes da última camada", "só a nova camada de classificação"))):
        at = open_page(lang, run=rid)
        assert not at.error and not at.exception, [e.value for e in [*at.error, *at.exception]]
        body = texts(at)
        for w in words:
            assert w in body, w
        rates = next(tb.value for tb in at.table if len(tb.value) == 4)
        assert list(rates.iloc[:, 1]) == ["3e-3", "3e-4", "1e-4", "1e-3"]  # STRATEGIES' default base rates
        assert list(rates.iloc[:, 3]) == ["3e-3 (1×)", "3e-3 (10×)", "1e-3 (10×)", "1e-3 (1×)"]
        script = next(c.value for c in at.code if "torch.optim.AdamW" in c.value)
        compile(script, "finetune.py", "exec")
        assert "TRAINED = ['stage4', 'head']" in script and "HEAD_LR_SCALE = 10" in script
        assert ("# Selective freezing" if lang == "en" else "# Congelamento seletivo") in script
        script_button = [b.proto for b in at.get("download_button") if b.proto.url.endswith(".py")]
        assert [b.label for b in script_button] == ["Download the script" if lang == "en" else "Baixar o script"]
        labels = [o for o in at.selectbox(key="finetune_lr").options]
        assert labels[0] == ("strategy default (3e-3)" if lang == "en" else "padrão da estratégia (3e-3)")


def test_a_dataset_with_a_test_split_is_offered_and_its_run_shows_test_accuracy(data_dir):
    from core.data import open_dataset
    ds = open_dataset("demo:faces", test_fraction=0.1)
    at = open_page("pt")
    option = at.selectbox(key="finetune_data")  # AppTest lists the labels the user sees
    assert any(o.startswith("Rostos e não rostos") and o.endswith("divisão de teste 10 %") for o in option.options)
    from core.finetune import FinetuneConfig
    rid, code = jobs.run_here(FinetuneConfig(data=ds.id, strategy="linear_probe", epochs=1, image_size=32))
    assert code == 0 and isinstance(jobs.summary(rid)["test_acc"], float)
    done = open_page("pt", run=rid)
    metrics = {m.label: m.value for m in done.metric}
    assert metrics["Acurácia de teste"].endswith("%") and metrics["Acurácia de teste"] != "-"
    assert not any("não tem divisão de teste" in c.value for c in done.caption)
