"""The inside page through AppTest, in English and Portuguese: with no runs it explains; with a finished run it
draws the filters before and after, the per-stage change and CKA, the probe (its button and progress) and
the forgetting check, with no error and no exception."""
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from conftest import data_dir_with_a_run, page_texts as texts
from conftest import open_page as open_app_page

ROOT = Path(__file__).resolve().parent.parent
PAGE = "pages/inside.py"
OLD_RUN = ROOT / "tests" / "fixtures" / "runs_v1" / "20261130-041307-de2e05"


def open_page(lang: str) -> AppTest:
    return open_app_page(PAGE, lang)


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    """A data directory holding one finished partial run of Lite0 (48 px, 15 pictures), listed like the page's."""
    root = tmp_path_factory.mktemp("inside_page")
    with data_dir_with_a_run(root) as rid:
        # a run written before runs recorded their starting weights (tests/fixtures/runs_v1), listed beside it
        shutil.copytree(OLD_RUN, root / "data" / "runs" / OLD_RUN.name)
        yield rid


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_without_runs_the_page_shows_filters_and_maps_and_explains(lang, data_dir):
    at = open_page(lang)
    assert not at.error
    body = texts(at)
    assert ("No finished runs yet" if lang == "en" else "Nenhuma execução concluída ainda") in body
    assert ("first convolution `conv_stem`" if lang == "en" else "primeira convolução `conv_stem`") in body
    assert len(at.get("plotly_chart")) >= 3  # filter grids, the peak on the image, the maps
    at.radio(key="inside_normalise").set_value("shared").run()
    at.selectbox(key="inside_filters_model").set_value("resnet18").run()
    assert not at.exception and not at.error
    assert at.warning, "a model without offline weights must say it shows random initialisation only"


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_a_finished_run_shows_its_change_probe_and_forgetting(lang, finished):
    at = open_page(lang)
    assert not at.error, [e.value for e in at.error]
    assert at.selectbox(key="inside_filters_run").value == finished
    assert at.multiselect(key="inside_change_runs").value == [finished, OLD_RUN.name]
    # the old run: its reference cannot be verified, so it is compared only once the person accepts it
    unverified = "but not verified" if lang == "en" else "mas não verificada"
    assert any(unverified in w.value and OLD_RUN.name in w.value for w in at.warning)
    assert OLD_RUN.name not in str([c.proto.spec for c in at.get("plotly_chart")])
    at.checkbox(key=f"inside_accept_change_{OLD_RUN.name}").check()
    at.toggle(key="inside_cka").set_value(True).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    body = texts(at)
    assert ("checked by their sha256" if lang == "en" else "conferidos pelo sha256") in body
    assert ("accepted by you" if lang == "en" else "aceita por você") in body
    assert OLD_RUN.name in str([c.proto.spec for c in at.get("plotly_chart")])  # now a line of its own
    table = next(df.value for df in at.dataframe if len(df.value) == 9)  # a row per compared stage of both runs
    frame = table[table.iloc[:, 0].str.startswith(finished)]
    assert len(frame) == 5 and all(table.iloc[5:, 3].str.startswith("0"))  # the old linear probe changed nothing
    frozen = frame.iloc[:, -1].tolist()
    assert frozen == ["✓", "✓", "✓", "", ""]
    assert frame.iloc[0, 4] == ("1.0000" if lang == "en" else "1,0000")  # the frozen stem: CKA exactly 1
    if lang == "en":
        from core import jobs
        at.selectbox(key="inside_probe_data").set_value(jobs.config(finished)["resolved"]["dataset"]["id"])
        at.selectbox(key="inside_probe_size").set_value(64)
        at.button(key="inside_probe_run").click().run(timeout=240)
        assert not at.exception and not at.error, [e.value for e in at.error]
        assert "Linear probe per stage" in str([c.proto.spec for c in at.get("plotly_chart")])
    assert any(m.label.startswith("Top-1" if lang == "en" else "Concordância") for m in at.metric)
