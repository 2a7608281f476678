"""Architecture profiles: exact against torchvision's published numbers, hand-checked layers, CLI and page."""
import json
from pathlib import Path

import pytest
import torch
import torchvision
from torch import nn
from torchvision.models import get_model, get_model_weights, list_models

from core import architectures as arch
from core.architectures.meta import MetaTracker
from core.receptive_field import FieldTracker
from core.errors import UserError
from tests.conftest import run_cli

ROOT = Path(__file__).resolve().parent.parent


def _published_construction(name: str):
    """The model as torchvision's published figures count it, on the meta device, and its default input size.

    Inception-v3's published 27,161,264 parameters include its auxiliary head (built here with it); GoogLeNet's
    published 6,624,904 exclude its two auxiliary heads (built here without them). ViT weights at other
    resolutions (ViT-H/14 SWAG: 518 px) need ``image_size``.
    """
    w = get_model_weights(name).DEFAULT
    size = int(w.transforms().crop_size[0])
    kw = {"num_classes": len(w.meta["categories"])}
    if name == "inception_v3":
        kw.update(aux_logits=True, init_weights=False)
    elif name == "googlenet":
        kw.update(aux_logits=False, init_weights=False)
    elif name.startswith("vit_"):
        kw["image_size"] = int(w.meta["min_size"][0])

    def build(device):
        with torch.device(device):
            return get_model(name, weights=None, **kw)
    return arch.build_on_meta(build, name).eval(), size, w  # RegNet's constructor needs real tensors


@pytest.mark.parametrize("name", list_models(module=torchvision.models))
def test_params_and_macs_equal_torchvision_published(name):
    model, size, w = _published_construction(name)
    prof = arch.profile_module(model, size)
    assert next(model.parameters()).device.type == "meta"  # no weights were allocated
    assert prof.params == w.meta["num_params"]
    assert round(prof.macs / 1e9, 3) == pytest.approx(w.meta["_ops"], abs=1e-9)
    assert prof.flops == 2 * prof.macs
    assert sum(s.params for s in prof.stages) == prof.params


def test_what_the_published_counts_include():
    # The catalog drops auxiliary heads (as fine-tuning does): Inception-v3 is then 23,834,568, not 27,161,264.
    inc = arch.profile("inception_v3")
    assert inc.params == 23_834_568 and inc.published["params"] == 27_161_264
    assert "auxiliary" in inc.note
    # GoogLeNet with its auxiliary heads built has 13,004,888: the published 6,624,904 leave them out.
    with torch.device("meta"):
        g = get_model("googlenet", weights=None, aux_logits=True, init_weights=False).eval()
    assert sum(p.numel() for p in g.parameters()) == 13_004_888
    assert arch.profile("googlenet").params == 6_624_904


def test_vgg16_keeps_most_parameters_in_the_classifier():
    p = arch.profile("vgg16")
    assert p.params == 138_357_544
    # 25088·4096 + 4096 + 4096·4096 + 4096 + 4096·1000 + 1000
    assert p.classifier_params == 123_642_856
    assert 0.89 < p.classifier_share < 0.90
    assert (p.receptive_field, p.effective_stride, p.effective_padding) == (212, 32, 90)
    assert p.depth == 16
    assert p.top1 == pytest.approx(71.592) and "VGG16_Weights" in p.top1_source


def test_alexnet_layer_table_and_conv1_facts():
    p = arch.profile("alexnet")
    conv1 = p.first_conv
    # torchvision's AlexNet is the one-GPU variant: 64 filters (the 2012 paper had 96), 11×11, stride 4
    assert (conv1.name, conv1.type, conv1.kernel, conv1.stride, conv1.padding) == ("features.0", "Conv2d", "11×11", "4", "2")
    assert conv1.channels == 64 and conv1.out_shape == (64, 55, 55)
    assert conv1.params == 64 * 3 * 11 * 11 + 64
    assert conv1.macs == 64 * 3 * 11 * 11 * 55 * 55
    assert (conv1.receptive_field, conv1.effective_stride) == (11, 4)
    pool1 = next(r for r in p.layers if r.name == "features.2")
    assert (pool1.kernel, pool1.stride, pool1.receptive_field, pool1.effective_stride) == ("3×3", "2", 19, 8)
    assert sum(r.params for r in p.layers) == p.params
    assert sum(r.macs for r in p.layers) == p.macs
    assert p.receptive_field == 195 and p.depth == 8


def test_depth_counts_weight_layers_on_the_longest_path():
    assert arch.profile("resnet50").depth == 50      # projection shortcuts are on a shorter path
    assert arch.profile("googlenet").depth == 22     # "22 layers deep" in the paper
    assert arch.profile("densenet121").depth == 121


def test_activation_memory_counts_each_output_once():
    p = arch.profile("vgg11", 32)
    # conv outputs (ReLU is in place, so it adds nothing), pool outputs, classifier outputs; float32
    convs = [64 * 32 * 32, 128 * 16 * 16, 256 * 8 * 8, 256 * 8 * 8, 512 * 4 * 4, 512 * 4 * 4, 512 * 2 * 2, 512 * 2 * 2]
    pools = [64 * 16 * 16, 128 * 8 * 8, 256 * 4 * 4, 512 * 2 * 2, 512 * 1 * 1]
    head = [512 * 7 * 7, 4096, 4096, 1000]   # adaptive pool and the three Linear layers (eval dropout is a no-op)
    assert p.activation_bytes == 4 * (sum(convs) + sum(pools) + sum(head))


def test_timm_model_and_regnet_build_without_allocating_weights():
    lite = arch.profile("tf_efficientnet_lite0")
    assert lite.params == 4_652_008 and lite.counted_on == "meta"
    assert lite.top1 == pytest.approx(74.83) and "timm results" in lite.top1_source
    assert not lite.global_context
    reg = arch.profile("regnet_y_400mf")  # its constructor needs real tensors; parameters moved to meta
    assert reg.params == 4_344_144 and reg.counted_on == "meta" and reg.global_context


def test_vit_has_no_local_field():
    p = arch.profile("vit_b_16")
    assert p.receptive_field is None and p.global_context
    assert p.stages[0].receptive_field == 16 and p.stages[0].effective_stride == 16


class _NeedsRealTensors(nn.Module):
    """Data-dependent code (``.numpy()``) cannot run on the meta device."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)
        self.fc = nn.Linear(8, 10)

    def forward(self, x):
        y = self.conv(x)
        scale = float(y.abs().detach().numpy().max() + 1.0)
        return self.fc((y / scale).mean((2, 3)))


def test_a_model_that_fails_on_meta_is_counted_on_cpu():
    with torch.device("meta"):
        meta = _NeedsRealTensors()
    p = arch.profile_module(meta, 16, cpu_fallback=_NeedsRealTensors)
    assert p.counted_on == "cpu"
    assert p.macs == 8 * 3 * 9 * 16 * 16 + 8 * 10
    assert p.params == 8 * 3 * 9 + 8 + 8 * 10 + 10


def test_bad_input_gets_one_sentence():
    with pytest.raises(UserError, match="Closest catalog names: resnet50"):
        arch.profile("resnet55")
    with pytest.raises(UserError, match="at least 63 px; 32 px is too small"):
        arch.profile("alexnet", 32)
    assert arch.min_input_size("alexnet") == 63
    with pytest.raises(UserError, match="use 224 px"):
        arch.profile("vit_b_16", 256)
    rows = arch.compare(["alexnet", "resnet18"], 32)  # one failure does not stop the table
    assert "63 px" in rows[0]["error"] and rows[0]["params"] == 61_100_840
    assert "error" not in rows[1] and rows[1]["macs"] > 0


def test_latency_is_measured():
    r = arch.measure_latency("squeezenet1_1", 64, batch_sizes=(1, 2), repeats=2, budget_s=5, device="cpu")
    assert set(r["batches"]) == {"1", "2"}
    for b in r["batches"].values():
        assert b["median_ms"] > 0 and 1 <= b["repeats"] <= 2 and b["images_per_s"] > 0
    with pytest.raises(UserError, match="at least 63 px"):
        arch.measure_latency("alexnet", 32, device="cpu")


def test_field_picture_on_a_sample_photo():
    from core.zoo import build_model
    built = build_model("tf_efficientnet_lite0", pretrained=False)
    prof = arch.profile("tf_efficientnet_lite0", 128).to_dict()
    stage = next(s for s in prof["stages"] if s["name"] == "stage3")
    c, h, w = stage["out_shape"]
    pic = arch.field_picture(built, arch.sample_image("coffee"), 128, stage, (h // 2, w // 2))
    assert pic["image"].shape == (128, 128, 3) and pic["heat"].shape == (128, 128)
    top, bottom, left, right = pic["box"]
    assert bottom - top + 1 == min(stage["receptive_field"], 128)
    assert 0 < pic["erf_side"] < stage["receptive_field"]
    with pytest.raises(UserError, match="sample"):
        arch.sample_image("nope")


# ------------------------------------------------------------------------------------------------ CLI
def test_cli_profile_json_keys():
    res = run_cli("profile", "resnet18", "--size", "160", "--json")
    assert res.returncode == 0, res.stderr
    d = json.loads(res.stdout)
    for key in ("model", "input_size", "params", "trainable_params", "macs", "flops", "receptive_field",
                "effective_stride", "effective_padding", "stages", "top1", "top1_source"):
        assert key in d, key
    assert d["model"] == "resnet18" and d["input_size"] == [3, 160, 160]
    assert d["params"] == 11_689_512 and d["flops"] == 2 * d["macs"]
    assert (d["receptive_field"], d["effective_stride"], d["effective_padding"]) == (435, 32, 217)
    for s in d["stages"]:
        assert {"name", "out_shape", "receptive_field", "effective_stride", "params", "macs"} <= set(s)
    assert d["top1"] == pytest.approx(69.758)


def test_cli_errors_exit_2_with_one_sentence():
    bad = run_cli("profile", "resnt50", "--json")
    assert bad.returncode == 2 and "resnet50" in bad.stderr and "Traceback" not in bad.stderr
    small = run_cli("profile", "alexnet", "--size", "32")
    assert small.returncode == 2 and "at least 63 px" in small.stderr and "Traceback" not in small.stderr


# ----------------------------------------------------------------------------------------------- page
@pytest.mark.parametrize("lang", ["en", "pt"])
def test_page_renders_in_both_languages(lang):
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.query_params["lang"] = lang
    at.run()
    at.switch_page("pages/architectures.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    title = {"en": "Architectures side by side", "pt": "Arquiteturas lado a lado"}[lang]
    assert at.title[0].value == title
    assert len(at.dataframe) >= 3  # comparison, layer table, 3×3 stack
    # a size too small for AlexNet: a sentence with the smallest size, and the other models still render
    at.number_input(key="arch_size").set_value(32).run()
    assert not at.exception and not at.error, [e.value for e in [*at.exception, *at.error]]
    assert any("63 px" in w.value for w in at.warning)
    assert len(at.dataframe[0].value) == 5


def test_page_latency_table_for_a_small_model_is_measured_once(monkeypatch):
    import streamlit as st
    from streamlit.testing.v1 import AppTest
    st.cache_data.clear()  # a measurement cached by an earlier test would hide the one this test counts
    calls = []
    measure = arch.measure_latency
    monkeypatch.setattr(arch, "measure_latency", lambda *a, **k: calls.append(a) or measure(*a, **k))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.run()
    at.switch_page("pages/architectures.py").run()
    at.multiselect(key="arch_models").set_value(["squeezenet1_1"]).run()
    at.number_input(key="arch_size").set_value(72).run()
    at.toggle(key="arch_latency").set_value(True).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    lat = at.dataframe[1].value  # comparison, then latency
    assert list(lat.iloc[0])[0] == "SqueezeNet 1.1" and lat.iloc[0, 1] > 0 and lat.iloc[0, 2] > 0
    at.run()  # a rerun shows the cached numbers: the page's cache is the only one
    assert calls == [("squeezenet1_1", 72)] and at.dataframe[1].value.equals(lat)


def test_compare_keeps_the_order_and_a_row_for_every_name():
    names = ["resnet18", "tf_efficientnet_lite0", "alexnet", "no_such_model"]
    rows = arch.compare(names, 64)
    assert [r["model"] for r in rows] == names
    assert rows[1]["params"] == 4_652_008 and "Unknown model" in rows[3]["error"]
    assert rows == [arch.profile_or_error(n, 64, layers=False) for n in names]


@pytest.mark.parametrize("name, size", [("mobilenet_v3_small", 64), ("tf_efficientnet_lite0", 64),
                                        ("convnext_tiny", 64), ("vit_b_16", 224), ("densenet121", 64),
                                        ("alexnet", 96), ("resnet18", 64)])
def test_meta_shortcuts_change_nothing(name, size, monkeypatch):
    """The profiler computes activations, normalisations, dropout and element-wise arithmetic on meta tensors as
    shapes only; with every call run through torch's own meta kernels the whole profile is the same."""
    fast = arch.profile(name, size).to_dict()
    monkeypatch.setattr(MetaTracker, "compute", FieldTracker.compute)
    assert arch.profile(name, size).to_dict() == fast


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_page_shows_the_lecture_cards_and_checks_its_code(lang):
    """The cards' numbers in the page's language, the V2 recipe wherever a year meets a top-1, and the lecture's
    code with PyTorch's own errors beside the corrected code."""
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.query_params["lang"] = lang
    at.run()
    at.switch_page("pages/architectures.py").run()
    assert not at.exception and not at.error, [e.value for e in [*at.exception, *at.error]]
    body = "\n".join(m.value for m in [*at.markdown, *at.caption])
    en = lang == "en"
    for text in ("**55×55×96**", "(227 − 11) / 4 + 1 = 55", "**conv2**", "ResNet50_Weights.IMAGENET1K_V1",
                 "138,357,544" if en else "138.357.544", "**25,088**" if en else "**25.088**",
                 "89.4%" if en else "89,4 %", "1.81×" if en else "1,81×", "76.1%" if en else "76,1 %",
                 "(paper)" if en else "(artigo)", "LocalResponseNorm", "[calculator below](#stack)" if en
                 else "[calculadora abaixo](#stack)"):
        assert text in body, text
    codes = [c.value for c in at.code]
    assert "RuntimeError: mat1 and mat2 shapes cannot be multiplied (1x25088 and 512x128)" in codes
    assert any(c.startswith("UserWarning: The parameter 'pretrained' is deprecated") for c in codes)
    assert any("The size of tensor a (58) must match the size of tensor b (56)" in c for c in codes)
    assert any("padding = kernel_size // 2" in c for c in codes)
    # the comparison table: sources and notes in the page's language, V2 weights flagged next to the year
    table = at.dataframe[0].value
    notes = dict(zip(table.iloc[:, 0], table.iloc[:, -1]))
    assert ("2021 training recipe" if en else "receita de treino de 2021") in notes["ResNet-50"]
    sources = " ".join(table.iloc[:, -2])
    assert ("torchvision weights metadata" if en else "metadados dos pesos do torchvision") in sources
    if not en:
        assert "weights metadata" not in sources and "tabela de resultados do timm" in sources
