"""Errors for people, in their language: every UserError core raises has a catalog key, so a Portuguese page
shows it in Portuguese, while ``str(exc)`` (the CLI, the logs, the other tests) stays the English sentence."""
import ast
import string
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core import architectures, jobs, zoo
from core.data import DatasetRejected, open_dataset
from core.errors import UserError
from core.i18n import LANGUAGES
from core.i18n.errors import STRINGS as ERRORS
from tests.conftest import run_cli
from tests.test_data import good_entries, make_zip

ROOT = Path(__file__).resolve().parent.parent
CORE = sorted((ROOT / "core").rglob("*.py"))


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


# --------------------------------------------------------------------------------- (a) the source scan
def _error_classes(trees: dict) -> set[str]:
    """UserError and every class in core that derives from it (DatasetRejected, ImageRejected, Diverged ...)."""
    names, grew = {"UserError"}, True
    while grew:
        grew = False
        for tree in trees.values():
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef) and node.name not in names and any(
                        (b.id if isinstance(b, ast.Name) else getattr(b, "attr", None)) in names for b in node.bases):
                    names.add(node.name)
                    grew = True
    return names


def _called(func: ast.expr) -> str | None:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


class _Keys:
    """The literal keys an ``.of(...)`` key argument can take: a string, ``a if c else b``, ``{...}[x]`` or
    ``{...}.get(x, default)``, a local assigned one of these, or a parameter every caller passes one of these."""

    def __init__(self, tree: ast.Module):
        self.parent = {c: p for p in ast.walk(tree) for c in ast.iter_child_nodes(p)}
        self.tree = tree

    def _function(self, node):
        while node in self.parent:
            node = self.parent[node]
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                return node
        return None

    def __call__(self, node: ast.expr) -> set[str] | None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return {node.value}
        if isinstance(node, ast.IfExp):
            a, b = self(node.body), self(node.orelse)
            return None if a is None or b is None else a | b
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Dict):
            return self._values(node.value)
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get"
                and isinstance(node.func.value, ast.Dict) and len(node.args) == 2):
            a, b = self._values(node.func.value), self(node.args[1])
            return None if a is None or b is None else a | b
        if isinstance(node, ast.Name):
            return self._name(node)
        return None

    def _values(self, d: ast.Dict) -> set[str] | None:
        out = set()
        for v in d.values:
            got = self(v)
            if got is None:
                return None
            out |= got
        return out

    def _name(self, node: ast.Name) -> set[str] | None:
        fn = self._function(node)
        if fn is None:
            return None
        assigned = [a.value for a in ast.walk(fn) if isinstance(a, ast.Assign)
                    and any(isinstance(t, ast.Name) and t.id == node.id for t in a.targets)]
        if assigned:
            out = set()
            for value in assigned:
                got = self(value)
                if got is None:
                    return None
                out |= got
            return out
        params = [a.arg for a in fn.args.args]
        if node.id not in params:
            return None
        pos = params.index(node.id)
        calls = [c for c in ast.walk(self.tree) if isinstance(c, ast.Call) and _called(c.func) == fn.name]
        out = set()
        for c in calls:
            arg = c.args[pos] if pos < len(c.args) else next((k.value for k in c.keywords if k.arg == node.id), None)
            got = self(arg) if arg is not None else None
            if got is None:
                return None
            out |= got
        return out or None


def _scan(paths=CORE) -> tuple[list[str], set[str]]:
    """(problems, keys used) over every error raised in ``paths`` (core/*.py)."""
    trees = {p: ast.parse(p.read_text(encoding="utf-8"), filename=str(p)) for p in paths}
    classes = _error_classes(trees)
    problems, used = [], set()
    for path, tree in trees.items():
        keys = _Keys(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            where = f"{path.name}:{node.lineno}"
            if _called(node.func) in classes:
                problems.append(f"{where}: {_called(node.func)}(...) built from a bare message; use .of(key, ...)")
            if not (isinstance(node.func, ast.Attribute) and node.func.attr == "of"
                    and _called(node.func.value) in classes):
                continue
            got = keys(node.args[0]) if node.args else None
            if got is None:
                problems.append(f"{where}: the key of .of(...) is not a literal this test can follow")
                continue
            given = {k.arg for k in node.keywords}
            for key in sorted(got):
                used.add(key)
                if key not in ERRORS:
                    problems.append(f"{where}: {key!r} is not in core/i18n/errors.py")
                elif None not in given and _fields(ERRORS[key]["en"]) - given:
                    problems.append(f"{where}: {key!r} needs {sorted(_fields(ERRORS[key]['en']) - given)}")
    return problems, used


def test_every_error_core_raises_goes_through_the_catalog():
    problems, used = _scan()
    assert problems == []
    assert used, "the scan found no errors at all"


def test_every_catalog_sentence_is_raised_somewhere():
    _, used = _scan()
    assert sorted(set(ERRORS) - used) == []


def test_the_scan_catches_bare_messages_unknown_keys_and_missing_params(tmp_path):
    """The scan is real: each of these is reported, once."""
    bad = tmp_path / "bad.py"
    bad.write_text("from core.errors import UserError\n"
                   "class Mine(UserError):\n    pass\n"
                   "def f(x):\n    raise Mine(f'{x} is wrong.')\n"
                   "def g():\n    raise UserError.of('zoo.no_such_sentence')\n"
                   "def h(name):\n    raise UserError.of('zoo.unknown_model', name=name)\n"
                   "def k(key):\n    raise Mine.of(key)\n")
    problems, _ = _scan([bad])
    assert len(problems) == 4, problems
    assert "bad.py:5: Mine(...) built from a bare message; use .of(key, ...)" in problems
    assert "bad.py:7: 'zoo.no_such_sentence' is not in core/i18n/errors.py" in problems
    assert "bad.py:9: 'zoo.unknown_model' needs ['hint']" in problems
    assert "bad.py:11: the key of .of(...) is not a literal this test can follow" in problems


# --------------------------------------------------------------------------------- (b) the catalog
@pytest.mark.parametrize("key", sorted(ERRORS))
def test_every_sentence_in_both_languages_with_the_same_placeholders(key):
    entry = ERRORS[key]
    assert set(entry) == set(LANGUAGES)
    assert all(entry[lang].strip().endswith((".", ")")) for lang in LANGUAGES), key
    assert _fields(entry["en"]) == _fields(entry["pt"]), key
    assert not _fields(entry["en"]) & {"key", "lang"}, "t(key, lang, **params) would take these itself"
    assert entry["pt"] != entry["en"], f"{key} is not translated"
    assert key.split(".")[0] in {"zoo", "data", "images", "finetune", "jobs", "architectures", "receptive_field",
                                   "inside", "saliency"}


# ------------------------------------------------------------------------------- (c) real failures
def test_unknown_model_in_portuguese_names_the_closest_models():
    with pytest.raises(UserError, match=r"Unknown model 'resnet55'\. Closest catalog names: .*resnet50") as err:
        zoo.get_entry("resnet55")
    exc = err.value
    assert exc.key == "zoo.unknown_model" and exc.text("en") == str(exc)
    pt = exc.text("pt")
    assert pt.startswith("Modelo desconhecido 'resnet55'. Nomes mais próximos no catálogo: ") and "resnet50" in pt


def test_input_too_small_for_alexnet_in_portuguese():
    with pytest.raises(UserError, match="AlexNet needs an input of at least 63 px; 32 px is too small") as err:
        architectures.profile("alexnet", 32)
    assert err.value.text("pt") == ("AlexNet precisa de uma entrada de pelo menos 63 px; 32 px é pequeno demais "
                                    "(as camadas reduzem a imagem a nada).")
    # a comparison row keeps the key, so the page can translate it too
    row = architectures.profile_or_error("alexnet", 32)
    assert UserError.restore(row["error"], row["error_i18n"]).text("pt") == err.value.text("pt")
    assert row["error"] == str(err.value)


def test_bad_uploads_in_portuguese(data_dir, tmp_path):
    one_class = make_zip(tmp_path / "one.zip", good_entries(("cat",)))
    with pytest.raises(DatasetRejected, match=r"only 1 class folder \('cat'\)") as err:
        open_dataset(str(one_class))
    assert err.value.text("pt") == ("O conjunto de dados tem só 1 pasta de classe ('cat'); crie uma pasta por "
                                    "classe, pelo menos 2.")
    not_zip = tmp_path / "notes.zip"
    not_zip.write_text("nope")
    with pytest.raises(DatasetRejected, match="'notes.zip' is not a zip archive") as err:
        open_dataset(str(not_zip))
    assert err.value.text("pt") == "'notes.zip' não é um arquivo zip; envie um .zip com uma pasta por classe."


def test_an_image_rejection_keeps_its_kind_and_translates():
    from core.images import ImageRejected, open_rgb
    with pytest.raises(ImageRejected, match=r"^cat/x\.png: the file is empty\.$") as err:
        open_rgb(b"", name="cat/x.png")
    assert err.value.code == "empty" and err.value.text("pt") == "cat/x.png: o arquivo está vazio."


def test_only_an_error_saved_without_a_known_key_stays_in_english():
    """A record written before keys (or whose key is gone) keeps the English it stored; a keyed error never
    silently turns English: a language the app does not have, or a sentence nobody translated, raises."""
    from core.i18n import MissingTranslation
    assert UserError("Plain English.").text("pt") == "Plain English."
    exc = UserError.of("jobs.no_export", run="20260101-120000-abcdef")
    assert str(exc) == "Run 20260101-120000-abcdef has no exported model; only a run that finished has one."
    assert exc.text("pt") == "A execução 20260101-120000-abcdef não tem modelo exportado; só uma execução concluída tem um."
    assert UserError.restore(str(exc), {"key": "no.such.key", "params": {}}).text("pt") == str(exc)
    assert UserError.restore(str(exc), None).key is None
    with pytest.raises(MissingTranslation):
        exc.text("de")


def test_a_failed_run_keeps_its_error_key_for_the_page_and_the_cli(data_dir):
    from core.finetune import FinetuneConfig
    from core.notices import Notice
    cfg = FinetuneConfig(data="demo:nope", model="resnet18", strategy="scratch", epochs=1, image_size=32)
    rid, code = jobs.run_here(cfg)
    row = jobs.info(rid)
    assert code == 2 and row["state"] == jobs.FAILED
    assert row["message"] == "Unknown demo set 'nope'; choose one of: demo:digits, demo:faces."  # the CLI's text
    assert row["notice"]["key"] == "data.unknown_demo"
    assert "message" not in jobs.folder(rid).status()  # what is stored is the key and its params, not English
    assert Notice.restore(row["notice"]).text("pt") == (
        "Conjunto de demonstração desconhecido 'nope'; escolha um destes: demo:digits, demo:faces.")
    # python -m core train raises the run's error again, key included
    res = run_cli("train", "--data", "demo:nope", "--model", "resnet18", "--strategy", "scratch", "--epochs", "1",
                  "--image-size", "32")
    assert res.returncode == 2 and res.stderr.strip() == row["message"]


# ----------------------------------------------------------------------------------- (d) the pages
def _page(page: str, lang: str, **query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.query_params["lang"] = lang
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_architectures_page_shows_the_size_error_in_portuguese():
    at = _page("pages/architectures.py", "pt")
    at.multiselect(key="arch_models").set_value(["alexnet", "squeezenet1_1"]).run()
    at.number_input(key="arch_size").set_value(32).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]  # a model that cannot take 32 px is a warning in its row
    warnings = [w.value for w in at.warning]
    assert any("AlexNet precisa de uma entrada de pelo menos 63 px" in w for w in warnings), warnings
    assert not any("needs an input" in w for w in warnings), warnings
    note = at.dataframe[0].value.iloc[0, -1]
    assert "pelo menos 63 px" in note, note


def test_data_page_shows_a_rejected_upload_in_portuguese(data_dir, tmp_path):
    bad = tmp_path / "bad.zip"
    bad.write_text("nope")
    at = _page("pages/data.py", "pt")
    at.radio(key="data_source").set_value("path").run()
    at.text_input(key="data_path").input(str(bad)).run()
    at.button(key="data_ingest").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == ["'bad.zip' não é um arquivo zip; envie um .zip com uma pasta por classe."]


def test_finetune_page_shows_a_failed_runs_error_in_portuguese(data_dir):
    from core.finetune import FinetuneConfig
    rid, _ = jobs.run_here(FinetuneConfig(data="demo:nope", model="resnet18", strategy="scratch", epochs=1,
                                          image_size=32))
    try:
        at = _page("pages/finetune.py", "pt", run=rid)
        assert not at.error, [e.value for e in at.error]  # the run failed, the page did not
        warnings = [w.value for w in at.warning]
        assert any("Conjunto de demonstração desconhecido 'nope'" in w for w in warnings), warnings
        assert not any("Unknown demo set" in w for w in warnings), warnings
    finally:
        jobs.close_all(terminate=True)
