"""``python -m core``: JSON on stdout, one sentence and exit 2 on unusable input, never a traceback."""
import json

from conftest import run_cli

from core.zoo import CATALOG


def test_models_json_lists_catalog_with_offline_weights():
    res = run_cli("models", "--json")
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    rows = {r["name"]: r for r in data["models"]}
    assert set(CATALOG) <= set(rows)
    assert rows["tf_efficientnet_lite0"]["offline_weights"] == "package"
    assert rows["vgg16"]["offline_weights"] is None  # the test environment has empty caches
    assert data["default"] == "tf_efficientnet_lite0"


def test_classify_json(cat_photo, coffee_photo):
    res = run_cli("classify", "--model", "tf_efficientnet_lite0", cat_photo, coffee_photo, "--top", "3", "--json")
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert data["model"] == "tf_efficientnet_lite0"
    assert "package" in data["weights_source"]
    assert [r["image"] for r in data["results"]] == [str(cat_photo), str(coffee_photo)]
    top = data["results"][1]["top"]
    assert len(top) == 3 and set(top[0]) == {"index", "label", "prob"}
    assert top[0]["label"] == "espresso" and top[0]["prob"] > top[1]["prob"]


def test_classify_with_an_imagenet_shaped_weights_file(tmp_path, cat_photo):
    import torch
    from safetensors.torch import save_file

    from core.zoo import build_model
    torch.manual_seed(0)
    src = build_model("squeezenet1_1", pretrained=False).model
    path = tmp_path / "mine.safetensors"
    save_file({k: v.contiguous() for k, v in src.state_dict().items()}, str(path))
    res = run_cli("classify", "--model", "squeezenet1_1", "--weights", path, cat_photo, "--top", "2", "--json")
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert data["weights_source"] == "file (mine.safetensors)" and data["pretrained"]
    assert len(data["results"][0]["top"]) == 2


def _assert_one_sentence(res, *needles):
    assert res.returncode == 2
    assert "Traceback" not in res.stderr and res.stdout == ""
    lines = [l for l in res.stderr.splitlines() if l.strip()]
    assert len(lines) == 1, res.stderr
    for n in needles:
        assert n in lines[0]


def test_unknown_model_exit_2(cat_photo):
    _assert_one_sentence(run_cli("classify", "--model", "resnt50", cat_photo, "--json"), "resnet50")


def test_non_image_exit_2(tmp_path):
    bogus = tmp_path / "notes.jpg"
    bogus.write_text("this is text, not a picture")
    _assert_one_sentence(run_cli("classify", bogus, "--json"), "notes.jpg")


def test_missing_image_exit_2(tmp_path):
    _assert_one_sentence(run_cli("classify", tmp_path / "nope.png"), "nope.png")


def test_bad_weights_file_exit_2(tmp_path, cat_photo):
    bad = tmp_path / "w.safetensors"
    bad.write_bytes(b"\x00" * 64)
    _assert_one_sentence(run_cli("classify", "--weights", bad, cat_photo), "w.safetensors")


def test_bad_arguments_exit_2():
    res = run_cli("classify", "--top", "many", "x.png")
    assert res.returncode == 2 and "Traceback" not in res.stderr
