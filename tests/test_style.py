"""House rules that a test can hold: core/ has no Streamlit, every string exists in both languages."""
import ast
import re
import string
from pathlib import Path

import pytest

from core.i18n import LANGUAGES, all_strings, t

ROOT = Path(__file__).resolve().parent.parent


def test_core_never_imports_streamlit():
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "core").rglob("*.py")
                 if re.search(r"^\s*(import streamlit|from streamlit)", p.read_text(encoding="utf-8"), re.M)]
    assert offenders == []


def _fields(text):
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


@pytest.mark.parametrize("key", sorted(all_strings()))
def test_every_string_in_every_language(key):
    entry = all_strings()[key]
    assert set(entry) == set(LANGUAGES), key
    assert all(entry[l].strip() for l in LANGUAGES), key
    assert _fields(entry["en"]) == _fields(entry["pt"]), key


def test_pages_use_only_known_keys():
    keys = set(all_strings())
    used = set()
    for p in [ROOT / "app.py", ROOT / "ui.py", *sorted((ROOT / "pages").glob("*.py"))]:
        used |= set(re.findall(r"""_\(\s*["']([a-z_]+\.[a-zA-Z0-9_.]*[a-zA-Z0-9_])["']\s*[,)]""", p.read_text(encoding="utf-8")))
    assert used, "no translated strings found in pages"
    assert sorted(used - keys) == []


def test_translation_differs_from_english():
    assert t("page.finetune", "pt") == "Ajuste fino" and t("page.finetune", "en") == "Fine-tuning"


def test_every_page_goes_through_the_router():
    """A deep link on a fresh server would otherwise run the page without app.py (see ui.routed)."""
    for p in sorted((ROOT / "pages").glob("*.py")):
        assert f'routed("pages/{p.name}")' in p.read_text(encoding="utf-8"), p.name


def routed_pages() -> set[str]:
    """The page files app.py's router navigates to (its PAGES table), read from the source without running it."""
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    table = next(node.value for node in ast.walk(tree) if isinstance(node, ast.Assign)
                 and any(isinstance(t, ast.Name) and t.id == "PAGES" for t in node.targets))
    return {path for items in ast.literal_eval(table).values() for path, *_ in items}


def test_concept_map_links_to_existing_pages():
    """A card links only to a page the router has (the home page promises nothing that is not there); an idea
    that no page shows has no link at all."""
    from core.concepts import CONCEPTS, GROUPS
    pages = routed_pages()
    assert "pages/home.py" in pages and "pages/finetune.py" in pages  # the table was read
    assert all(c.group in GROUPS for c in CONCEPTS)
    linked = [c for c in CONCEPTS if c.page is not None]
    assert sorted(c.key for c in linked if f"pages/{c.page}.py" not in pages) == []
    assert all((ROOT / "pages" / f"{c.page}.py").exists() for c in linked)
    unlinked = {c.key for c in CONCEPTS if c.page is None}
    assert {"transductive", "unsupervised"} <= unlinked  # every run here learns a new, labelled task


def test_only_core_runs_spells_the_run_folders_file_names():
    """One owner per file format: everyone else asks core.runs (RunFolder) for a run's files."""
    names = re.compile(r"""["'](job\.json|status\.json|progress\.json|metrics\.jsonl|checkpoint\.pt|"""
                       r"""best\.safetensors|results\.json|summary\.json)["']""")
    files = [*(ROOT / "core").rglob("*.py"), *(ROOT / "pages").glob("*.py"), ROOT / "ui.py", ROOT / "app.py"]
    offenders = sorted(str(p.relative_to(ROOT)) for p in files
                       if p != ROOT / "core" / "runs.py" and "i18n" not in p.parts
                       and names.search(p.read_text(encoding="utf-8")))
    assert offenders == []


def test_training_never_imports_the_job_manager():
    """Data flows one way: jobs imports finetune; finetune (and data, zoo, runs) never import jobs or the CLI."""
    pattern = re.compile(r"^\s*(from core(\.jobs| import jobs)|import core\.jobs|from core\.cli|import core\.cli)", re.M)
    lower = [*(ROOT / "core" / "finetune").rglob("*.py"), *(ROOT / "core" / "data").rglob("*.py"),
             *(ROOT / "core" / "zoo").rglob("*.py"), ROOT / "core" / "runs.py", ROOT / "core" / "notices.py"]
    assert sorted(str(p.relative_to(ROOT)) for p in lower if pattern.search(p.read_text(encoding="utf-8"))) == []
