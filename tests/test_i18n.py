"""The translator never falls back to English on its own; every key built at run time exists in both languages;
numbers in messages are stored as numbers and written in the reader's locale."""
import ast
import re
import string
from pathlib import Path

import pytest

from core import i18n
from core.i18n import LANGUAGES, MissingTranslation, Translator, all_strings, t
from core.notices import Notice

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted([*(p for p in (ROOT / "core").rglob("*.py") if "i18n" not in p.parts),
                  *(ROOT / "pages").glob("*.py"), ROOT / "ui.py", ROOT / "app.py"])


# ------------------------------------------------------------------------------------- no silent fallback
def test_a_missing_key_a_missing_sentence_or_an_unknown_language_raise(monkeypatch):
    catalog = {"x.both": {"en": "Hello", "pt": "Olá"}, "x.english_only": {"en": "Only English"},
               "x.empty_pt": {"en": "Empty", "pt": ""}}
    monkeypatch.setattr(i18n, "all_strings", lambda: catalog)
    assert t("x.both", "pt") == "Olá" and Translator("pt")("x.both") == "Olá"
    with pytest.raises(KeyError):
        t("x.nowhere", "pt")
    for key in ("x.english_only", "x.empty_pt"):
        with pytest.raises(MissingTranslation, match=key):
            t(key, "pt")
        with pytest.raises(MissingTranslation):
            Translator("pt")(key)
        assert t(key, "en")  # English is not a fallback: it is asked for here
    with pytest.raises(MissingTranslation, match="'de'"):
        t("x.both", "de")
    # the reader's choice of language is normalised once, at the edge (sidebar, ?lang=): unknown means English
    assert Translator("de")("x.both") == "Hello"


def test_a_notice_with_a_known_key_never_shows_english_on_a_portuguese_page(monkeypatch):
    """Only a record written before keys existed (its key unknown) keeps the English it stored."""
    catalog = {"x.english_only": {"en": "Only English"}}
    monkeypatch.setattr(i18n, "all_strings", lambda: catalog)
    with pytest.raises(MissingTranslation):
        Notice("x.english_only").text("pt")
    assert Notice.legacy("Stored English.", "x.gone").text("pt") == "Stored English."
    assert Notice.legacy("Stored English.").text("pt") == "Stored English."


# ------------------------------------------------------------------------------------------- numbers
def _specs(text: str) -> list[tuple[str, str]]:
    return sorted((f, spec) for _, f, spec, _ in string.Formatter().parse(text) if f)


@pytest.mark.parametrize("key", sorted(k for k, v in all_strings().items() if ":" in v["en"] + v["pt"]))
def test_both_languages_write_each_number_the_same_way(key):
    entry = all_strings()[key]
    assert _specs(entry["en"]) == _specs(entry["pt"]), key


def test_number_formats_in_a_sentence_follow_the_language(monkeypatch):
    catalog = {"x.n": {"en": "{acc:percent} of {n:integer} ({r:times}, {x:decimal}, {m:compact})",
                       "pt": "{acc:percent} de {n:integer} ({r:times}, {x:decimal}, {m:compact})"}}
    monkeypatch.setattr(i18n, "all_strings", lambda: catalog)
    params = dict(acc=0.8412, n=27161264, r=1.8123, x=0.5, m=58_600_000)
    assert t("x.n", "en", **params) == "84.1% of 27,161,264 (1.81×, 0.50, 58.6 M)"
    assert t("x.n", "pt", **params) == "84,1 % de 27.161.264 (1,81×, 0,50, 58,6 M)"
    catalog["x.d"] = {"en": "{gb:decimal1} GB, {p:percent0}", "pt": "{gb:decimal1} GB, {p:percent0}"}
    assert t("x.d", "pt", gb=139.83, p=0.5) == "139,8 GB, 50 %" and t("x.d", "en", gb=80, p=0.5) == "80.0 GB, 50%"
    # text where a number is expected: a record written before numbers were stored as numbers, shown as stored
    assert t("x.n", "pt", acc="33.3%", n="7", r="2×", x="-", m="1 M") == "33.3% de 7 (2×, -, 1 M)"


def test_a_finished_runs_status_stores_its_accuracy_as_a_number_and_each_page_writes_it(data_dir, tmp_path,
                                                                                      monkeypatch):
    from conftest import make_color_folder
    from core import jobs
    from core.finetune import FinetuneConfig
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    rid, code = jobs.run_here(FinetuneConfig(data=make_color_folder(tmp_path / "tiny", per_class=4),
                                             model="resnet18", strategy="scratch", epochs=1, image_size=32,
                                             batch_size=8))
    try:
        assert code == 0
        record = jobs.folder(rid).status()["notice"]
        acc = record["params"]["acc"]
        assert record["key"] == "jobs.status.done" and isinstance(acc, float) and 0 <= acc <= 1
        notice = jobs.status_notice(jobs.info(rid))
        en, pt = f"{acc * 100:.1f}", f"{acc * 100:.1f}".replace(".", ",")
        assert str(notice).startswith(f"Finished: validation accuracy {en}% at the best epoch")
        assert notice.text("pt").startswith(f"Concluída: acurácia de validação de {pt} % na melhor época")
    finally:
        jobs.close_all(terminate=True)


def test_an_old_status_with_a_preformatted_accuracy_still_renders():
    old = Notice.restore({"key": "jobs.status.done", "params": {"acc": "33.3%"}})
    assert old.text("pt").startswith("Concluída: acurácia de validação de 33.3% na melhor época")
    assert str(old).startswith("Finished: validation accuracy 33.3% at the best epoch")


# ----------------------------------------------------------------------------- keys built at run time
FEATURES = sorted({k.split(".")[0] for k in all_strings()}, key=len, reverse=True)
KEY_START = re.compile(rf"^({'|'.join(FEATURES)})\.")


def built_keys() -> dict[str, list[str]]:
    """Every key a page or core builds at run time (an f-string or ``"prefix." + x`` that starts like a catalog
    key), as a pattern with ``{}`` for each value: ``"finetune.strategy.{}" -> ["pages/finetune.py:66", ...]``."""
    found: dict[str, list[str]] = {}
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
                pattern = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
            elif (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) and isinstance(node.left, ast.Constant)
                  and isinstance(node.left.value, str)):
                pattern = node.left.value + "{}"
            else:
                continue
            if KEY_START.match(pattern):
                found.setdefault(pattern, []).append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def _literals(path: str, pick) -> list[str]:
    """String constants that ``pick(node)`` returns from the nodes of a source file (the code's own values)."""
    out = []
    for node in ast.walk(ast.parse((ROOT / path).read_text(encoding="utf-8"))):
        picked = pick(node)
        for value in picked.elts if isinstance(picked, (ast.List, ast.Tuple)) else [picked]:
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                out.append(value.value)
    return sorted(set(out))


def _concepts(part):
    from core.concepts import CONCEPTS
    return [c.key for c in CONCEPTS] if part == "key" else [c.page for c in CONCEPTS if c.page]


def _strategies():
    from core.finetune.strategies import STRATEGIES
    return list(STRATEGIES)


def _states():
    from core.jobs import STATES
    return list(STATES)


def _weights_kinds():
    """Every kind a ``WeightsInfo(kind, ...)`` is made with, anywhere in core."""
    kinds = set()
    for path in (ROOT / "core").rglob("*.py"):
        kinds |= set(_literals(str(path.relative_to(ROOT)), lambda n: n.args[0] if isinstance(n, ast.Call) and
                               getattr(n.func, "id", None) == "WeightsInfo" and n.args else None))
    return sorted(kinds)


def _phases():
    """The phases the training loop reports (``phase=`` in an event, a ``"phase"`` entry, a ``phase`` argument's
    default, anywhere in core/finetune); "epoch" and "message" have sentences of their own (an epoch's accuracy, a
    notice), so the page never names them as a phase."""
    def pick(n):
        if isinstance(n, ast.Call):
            return next((k.value for k in n.keywords if k.arg == "phase"), None)
        if isinstance(n, ast.Dict):
            return next((v for k, v in zip(n.keys, n.values) if getattr(k, "value", None) == "phase"), None)
        if isinstance(n, ast.arguments):
            named = [a.arg for a in n.args][len(n.args) - len(n.defaults):]
            return next((d for a, d in zip(named, n.defaults) if a == "phase"), None)
        return None
    phases = {p for path in (ROOT / "core" / "finetune").glob("*.py") for p in _literals(str(path.relative_to(ROOT)), pick)}
    assert {"data", "features", "train", "val", "results"} <= phases
    return sorted(phases - {"epoch", "message"})


def _skip_codes():
    """The kinds of skipped files: ImageRejected codes (core/images.py, core/data/ingest.py), the codes ingest
    gives ``skipped_entry`` and its ``(code, Notice)`` reasons."""
    codes = set()
    for path in ("core/images.py", "core/data/ingest.py"):
        codes |= set(_literals(path, lambda n: next((k.value for k in n.keywords if k.arg == "code"), None)
                               if isinstance(n, ast.Call) else None))
    codes |= set(_literals("core/data/ingest.py", lambda n: n.args[1] if isinstance(n, ast.Call) and
                           getattr(n.func, "id", None) == "skipped_entry" and len(n.args) > 1 else None))
    codes |= set(_literals("core/data/ingest.py", lambda n: n.elts[0] if isinstance(n, ast.Tuple) and len(n.elts) == 2
                           and isinstance(n.elts[1], ast.Call) and getattr(n.elts[1].func, "attr", None) == "of"
                           else None))
    assert {"empty", "format", "root", "symlink", "macos", "system", "hidden", "archive"} <= codes
    return sorted(codes)


def _codegen():
    """The comment keys of the generated script: ``c("c_...")`` calls, and ``c("c_freeze_" + strategy.trains)``."""
    from core.finetune.strategies import STRATEGIES
    keys = _literals("core/finetune/codegen.py", lambda n: n.args[0] if isinstance(n, ast.Call) and
                     getattr(n.func, "id", None) == "c" and n.args else None)
    return keys + sorted({"c_freeze_" + s.trains for s in STRATEGIES.values()})


def _inside(table):
    from core.inside import change, filters, probe
    return {"normalise": filters.NORMALISE, "modes": change.MODES, "kinds": probe.KINDS,
            "sources": ("pretrained", "init")}[table]


def _data(table):
    from core.data import DEMOS
    from core.plots.data import SPLIT_COLOURS
    return {"demos": list(DEMOS), "splits": list(SPLIT_COLOURS)}[table]


def _legacy_progress_codes():
    """Codes of progress notices written before keys (core/jobs/store.py maps them to ``finetune.msg.<code>``):
    the out-of-memory table's, and those the committed old runs hold. An old code without a sentence shows the
    English it stored, by design."""
    import json
    from core.jobs.store import _LEGACY_OOM
    stored = {n["code"] for f in (ROOT / "tests" / "fixtures" / "runs_v1").glob("*/progress.json")
              for n in json.loads(f.read_text()).get("notices", []) if n.get("code") and n["code"] != "oom"}
    return sorted(stored | {f"oom.{v}" for v in _LEGACY_OOM.values()})


def _finetune_config(name):
    import core.finetune.config as config
    return list(getattr(config, name))


# pattern -> the values it can take, read from the code that builds it
ENUMERATED = {
    "home.idea.{}.title": lambda: _concepts("key"),
    "home.idea.{}.body": lambda: _concepts("key"),
    "home.group.{}": lambda: __import__("core.concepts", fromlist=["GROUPS"]).GROUPS,
    "page.{}": lambda: _concepts("page"),
    "common.weights_kind.{}": _weights_kinds,
    "finetune.strategy.{}": _strategies,
    "finetune.page.explain.{}": _strategies,
    "finetune.page.lr_why.{}": _strategies,
    "finetune.page.state.{}": _states,
    "finetune.page.augment.{}": lambda: _finetune_config("AUGMENTS"),
    "finetune.phase.{}": _phases,
    "finetune.fig.{}": lambda: ["train", "val", "precision", "recall"],  # core/plots/finetune.py's two loops
    "finetune.code.{}": _codegen,
    "finetune.msg.{}": lambda: _legacy_progress_codes(),
    "jobs.status.{}": lambda: sorted(__import__("core.jobs.store", fromlist=["_LEGACY_STATUS"])._LEGACY_STATUS),
    "data.source.{}": lambda: _literals("pages/data.py", lambda n: n.args[1] if isinstance(n, ast.Call) and
                                        getattr(n.func, "attr", None) == "radio" and len(n.args) > 1 and any(
                                            k.arg == "key" and getattr(k.value, "value", None) == "data_source"
                                            for k in n.keywords) else None),
    "data.demo.{}": lambda: _data("demos"),
    "data.demo.{}.about": lambda: _data("demos"),
    "data.demo.{}.name": lambda: _data("demos"),
    "data.stat.{}": lambda: ["min", "median", "mean", "max"],  # pages/data.py's size table
    "data.split.{}": lambda: _data("splits"),
    "data.skip.{}": _skip_codes,
    "architectures.rfimg_sample.{}": lambda: [*__import__("core.architectures.picture",
                                                          fromlist=["SAMPLE_IMAGES"]).SAMPLE_IMAGES, "upload"],
    "inside.page.normalise.{}": lambda: _inside("normalise"),
    "inside.page.cka_mode.{}": lambda: _inside("modes"),
    "inside.fig.probe_{}": lambda: _inside("kinds"),
    "inside.weights.{}": lambda: _inside("kinds"),
    "inside.ref.unrecorded.{}": lambda: _inside("sources"),
    "inside.ref.accepted.{}": lambda: _inside("sources"),
    "inside.ref.verified.{}": lambda: _inside("sources"),
    "inside.ref.mismatch.{}": lambda: _inside("sources"),
    "saliency.method.{}": lambda: __import__("core.saliency", fromlist=["METHODS"]).METHODS,
    "saliency.baseline.{}": lambda: __import__("core.saliency", fromlist=["BASELINES"]).BASELINES,
    "saliency.page.sample.{}": lambda: __import__("core.architectures.picture", fromlist=["SAMPLE_IMAGES"]).SAMPLE_IMAGES,
    "saliency.page.source.{}": lambda: ["pretrained", "run"],   # pages/saliency.py's first radio
    "saliency.page.view.{}": lambda: ["overlay", "heatmap"],    # pages/saliency.py's view radio
}
# built keys that are looked up only after checking they exist (else the code shows something else)
GUARDED = {"zoo.label.{}": "the catalog's own label", "data.warn.{}": "an old report's code without a sentence"}
# built keys whose values another test enumerates (it runs the lecture's checks, which this file need not)
ELSEWHERE = {p: "tests/test_cards.py::test_every_key_built_at_run_time_exists" for p in (
    "architectures.code.{}.title", "architectures.code.comment.{}", "finetune.page.lr_stages.{}")}


def test_every_key_built_at_run_time_has_its_values_listed_here():
    """A new f-string key needs its values in ENUMERATED (read from the code's tables), so the next test sees it."""
    unknown = {p: where for p, where in built_keys().items()
               if p not in ENUMERATED and p not in GUARDED and p not in ELSEWHERE}
    assert unknown == {}


@pytest.mark.parametrize("pattern", sorted(built_keys()))
def test_every_value_of_a_built_key_has_a_sentence_in_both_languages(pattern):
    if pattern in GUARDED:
        pytest.skip(f"looked up only if it exists; otherwise {GUARDED[pattern]}")
    if pattern in ELSEWHERE:
        pytest.skip(f"enumerated in {ELSEWHERE[pattern]}")
    values = list(ENUMERATED[pattern]())
    assert values, pattern
    missing = [pattern.format(v) for v in values if pattern.format(v) not in all_strings()
               or any(not all_strings()[pattern.format(v)].get(lang) for lang in LANGUAGES)]
    assert missing == [], f"{pattern} is built in {built_keys().get(pattern)}"


# ------------------------------------------------------------------------------ names that are data
def test_our_demo_sets_read_in_the_pages_language_while_what_is_stored_stays(data_dir):
    """Class names and dataset names are data (runs, exports and the CLI keep them); a page translates only
    what it shows, and only where the names are ours (the demo sets), never a person's own folders."""
    from streamlit.testing.v1 import AppTest
    from core import data
    ds = data.open_dataset("demo:faces")
    assert ds.classes == ["face", "not_face"] and ds.name == data.DEMOS["faces"]  # stored as built
    assert [data.shown_class(ds.name, c, "pt") for c in ds.classes] == ["rosto", "não rosto"]
    assert data.shown_name(ds.name, "pt") == "Rostos e não rostos (subconjunto LFW do scikit-image)"
    assert data.shown_class("my faces", "face", "pt") == "face" and data.shown_name("my faces", "pt") == "my faces"
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.query_params["lang"] = "pt"
    at.run()
    at.switch_page("pages/data.py").run()
    assert not at.exception and not at.error, [e.value for e in [*at.exception, *at.error]]
    shown = "\n".join([m.value for m in at.markdown] + list(at.selectbox(key="data_pick").options))
    assert "**rosto — 100 imagens**" in shown and "**não rosto — 100 imagens**" in shown
    assert "Rostos e não rostos" in shown and "Faces vs. not faces" not in shown and "not_face" not in shown
    assert data.open_dataset(ds.id).classes == ["face", "not_face"]  # showing changed nothing stored
