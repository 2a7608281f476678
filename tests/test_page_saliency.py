"""The saliency page ("Try it and see why") through AppTest, in English and Portuguese: a pretrained model's
answer and maps, several pictures as a table, occlusion on request, the sanity check and the deletion
curves, a finished run before and after fine-tuning, and one sentence for a model with no weights offline."""
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from conftest import data_dir_with_a_run, page_texts as texts
from conftest import open_page as open_app_page

ROOT = Path(__file__).resolve().parent.parent
PAGE = "pages/saliency.py"


def open_page(lang: str) -> AppTest:
    return open_app_page(PAGE, lang)


def ok(at) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    """A data directory holding one finished partial run of Lite0 (48 px, 15 pictures of three colours)."""
    with data_dir_with_a_run(tmp_path_factory.mktemp("saliency_page")) as rid:
        yield rid


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_a_pretrained_model_answers_and_three_maps_are_drawn(lang, data_dir):
    at = open_page(lang)
    ok(at)
    body = texts(at)
    assert at.title[0].value == ("Try it and see why" if lang == "en" else "Experimente e veja por quê")
    # Lite0 on scikit-image's cat: a cat class first (tiger cat / Egyptian cat)
    answer = next(m.value for m in at.markdown if m.value.startswith("**"))
    assert "cat" in answer and ("probability" in answer if lang == "en" else "probabilidade" in answer)
    assert ("convergence delta" if lang == "en" else "delta de convergência") in body
    assert len(at.get("plotly_chart")) == 2  # the probabilities and the maps (picture + 3 methods)
    # the opacity slider redraws from the session's results: nothing is recomputed
    kept = dict(at.session_state["saliency_results"])
    at.slider(key="saliency_opacity").set_value(0.3).run()
    ok(at)
    assert dict(at.session_state["saliency_results"]).keys() == kept.keys()
    assert all(at.session_state["saliency_results"][k] is kept[k] for k in kept)


def test_several_pictures_make_a_table_of_predictions_matching_core(data_dir):
    from core.architectures import sample_image
    from core.saliency import predictions, pretrained_subject
    at = open_page("en")
    at.multiselect(key="saliency_samples").set_value(["chelsea", "coffee"]).run()
    ok(at)
    table = at.dataframe[0].value
    expected = predictions(pretrained_subject("tf_efficientnet_lite0"),
                           [sample_image("chelsea"), sample_image("coffee")], top=2)
    assert list(table["predicted class"]) == [row[0]["label"] for row in expected]
    assert table["predicted class"][1] == "espresso"


def test_occlusion_waits_for_its_button_then_draws(data_dir):
    at = open_page("en")
    at.multiselect(key="saliency_methods").set_value(["gradcam", "occlusion"]).run()
    ok(at)
    assert "Occlusion needs 170 passes through the model" in texts(at)
    before = len(at.session_state["saliency_results"])
    at.button(key="saliency_ask_occlusion").click().run()
    ok(at)
    assert len(at.session_state["saliency_results"]) == before + 1
    assert "saliency_pending" not in at.session_state


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_sanity_check_and_deletion_curves_run_on_request(lang, data_dir):
    at = open_page(lang)
    at.button(key="saliency_ask_sanity").click().run()
    ok(at)
    passed = [s.value for s in at.success]
    assert len(passed) == 2  # Saliency and Grad-CAM both change once the network is random
    assert all(("falls to a correlation" if lang == "en" else "cai para uma correlação") in p for p in passed)
    at.button(key="saliency_ask_deletion").click().run()
    ok(at)
    table = at.dataframe[-1].value
    assert len(table) == 3 and table.iloc[:, 1].between(0, 1).all()


def test_a_model_without_offline_weights_gets_one_sentence(data_dir):
    at = open_page("pt")
    at.selectbox(key="saliency_model").set_value("resnet18").run()
    assert not at.exception
    assert len(at.error) == 1
    assert "ResNet-18 não tem pesos da ImageNet disponíveis aqui" in at.error[0].value
    assert "EfficientNet-Lite0" in at.error[0].value


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_a_finished_run_explains_its_own_classes_and_compares_with_before(lang, finished):
    at = open_page(lang)
    at.radio(key="saliency_source").set_value("run").run()
    ok(at)
    answer = next(m.value for m in at.markdown if m.value.startswith("**"))
    assert answer.split("**")[1] in ("red", "green", "blue")
    metric_labels = [m.label for m in at.metric]
    assert ("Rank correlation (Spearman)" if lang == "en" else "Correlação de postos (Spearman)") in metric_labels
    rho = float(at.metric[0].value.replace(",", "."))
    assert -1 <= rho <= 1
