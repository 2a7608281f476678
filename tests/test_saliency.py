"""Saliency: each Captum method against a hand computation or a peer, the trust checks, and the CLI twin.

Tiny CNNs built here (32 px, seeded) carry the exact comparisons; EfficientNet-Lite0 with its bundled ImageNet
weights (offline) carries the ones that need a real model: Grad-CAM against pytorch-grad-cam, the
randomisation check, the deletion curve, before/after fine-tuning and the CLI.
"""
import json
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image
from torch import nn

from conftest import make_color_folder, run_cli
from core.errors import UserError
from core.saliency import (METHODS, Cancelled, SaliencySettings, Subject, before_after, deletion_curve, display,
                           explain, randomisation_check, run_subject, seen, similarity, spearman, top_overlap)
from core.saliency.methods import attribute, baseline, gradcam_layer
from core.saliency.subject import private_copy
from core.saliency.trust import align
from core.zoo import Preprocess

LITE0 = "tf_efficientnet_lite0"
SIZE = 32
FAST = {"ig": {"steps": 8}, "smoothgrad": {"samples": 4}, "occlusion": {"window": 16, "stride": 8}}


# -------------------------------------------------------------------------------------------- fixtures
class Tiny(nn.Module):
    """Two conv stages (32 and 16 px) and a linear head; ``bn`` adds a BatchNorm (state that a forward in
    training mode would change)."""

    def __init__(self, classes: int = 4, bn: bool = False):
        super().__init__()
        layers = [nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8) if bn else nn.Identity(), nn.ReLU(),
                  nn.Conv2d(8, 8, 3, stride=2, padding=1), nn.ReLU()]
        self.features = nn.Sequential(*layers)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(8, classes)

    def forward(self, x):
        return self.fc(self.pool(self.features(x)).flatten(1))


def tiny_subject(seed: int = 0, bn: bool = False) -> Subject:
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = Tiny(bn=bn).eval()
    return Subject("pretrained", f"tiny:{seed}", "tiny", model, Preprocess(SIZE, SIZE), ("a", "b", "c", "d"))


def noise_image(seed: int = 0, side: int = SIZE) -> Image.Image:
    rng = np.random.default_rng(seed)
    return Image.fromarray(rng.integers(0, 256, (side, side, 3), dtype=np.uint8))


@pytest.fixture(scope="module", autouse=True)
def one_thread():
    """One torch thread: nothing here measures speed, and on shared busy cores two threads spin-wait on each
    other (measured: 59 s of CPU for this file with two, 13 s with one, at a load average of 7)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def lite0():
    from core.saliency import pretrained_subject
    return pretrained_subject(LITE0)


@pytest.fixture(scope="module")
def chelsea():
    from core.architectures import sample_image
    return sample_image("chelsea")


# ------------------------------------------------------------------------------------- 1. Saliency
def test_saliency_is_the_absolute_input_gradient_of_a_manual_backward():
    sub, img = tiny_subject(), noise_image()
    _, x = seen(sub, img)
    for target in (None, 2):
        exp = explain(sub, img, SaliencySettings(method="saliency", target=target))
        model = Tiny()
        model.load_state_dict(sub.model.state_dict())
        xg = x.clone().requires_grad_(True)
        logits = model(xg)
        t = int(logits.argmax()) if target is None else target
        logits[0, t].backward()
        expected = xg.grad[0].abs().sum(0).numpy()
        assert exp.target == t and exp.map.shape == (SIZE, SIZE) and exp.map.dtype == np.float32
        np.testing.assert_allclose(exp.map, expected, rtol=1e-4, atol=1e-7 * expected.max())
        assert exp.logit == pytest.approx(float(logits[0, t].detach()), abs=1e-5)
        assert exp.score == pytest.approx(float(logits.detach().softmax(-1)[0, t]), abs=1e-5)


# ---------------------------------------------------------------------------- 2. Integrated Gradients
def test_black_baseline_is_normalised_zero_pixels_not_the_zero_tensor():
    sub = tiny_subject()
    u8, _ = seen(sub, noise_image())
    base = baseline("black", u8, sub)
    mean, std = torch.tensor(sub.preprocess.mean), torch.tensor(sub.preprocess.std)
    assert base.shape == (1, 3, SIZE, SIZE)
    torch.testing.assert_close(base[0, :, 5, 7], -mean / std)
    assert base.abs().min() > 1.5   # ImageNet's -mean/std is about -2: far from the zero tensor


def test_integrated_gradients_completeness_and_its_reported_delta():
    from captum.attr import IntegratedGradients
    sub, img = tiny_subject(1), noise_image(1)
    with torch.no_grad():
        sub.model.fc.weight.mul_(20)         # logits that move by more than a rounding error along the path
    u8, x = seen(sub, img)
    base = baseline("black", u8, sub)
    model = private_copy(sub.model)
    deltas = {}
    for steps in (256, 3):
        exp = explain(sub, img, SaliencySettings(method="ig", steps=steps, batch=64))
        attr = IntegratedGradients(model).attribute(x.clone().requires_grad_(True), baselines=base,
                                                     target=exp.target, n_steps=steps, internal_batch_size=64)
        with torch.no_grad():
            gain = float(model(x)[0, exp.target] - model(base)[0, exp.target])   # f(x) - f(baseline), logits
        total = float(attr.detach().sum())                                      # the signed attributions
        assert abs(gain) > 0.05                                                 # something to be complete about
        assert exp.convergence_delta == pytest.approx(total - gain, abs=1e-4), steps
        np.testing.assert_allclose(exp.map, attr[0].detach().abs().sum(0).numpy(), rtol=1e-3, atol=1e-6)
        deltas[steps] = exp.convergence_delta
        if steps == 256:
            assert total == pytest.approx(gain, rel=0.01, abs=1e-3)            # completeness
    assert abs(deltas[256]) < 0.01 * abs(gain) + 1e-3 and abs(deltas[3]) > 10 * abs(deltas[256]) + 1e-3
    for m in ("saliency", "gradcam", "smoothgrad"):
        assert explain(sub, img, SaliencySettings(method=m, **FAST.get(m, {}))).convergence_delta is None


# --------------------------------------------------------------------------------------- 3. Grad-CAM
def test_gradcam_matches_a_hand_computation_on_a_tiny_cnn():
    sub, img = tiny_subject(2), noise_image(2)
    _, x = seen(sub, img)
    model = sub.model
    name, layer = gradcam_layer(model, SIZE, None)
    assert name == "stage2" and layer is model.features[4]
    acts = model.features(x)                      # A: the last stage's maps [1, 8, 16, 16]
    logits = model.fc(model.pool(acts).flatten(1))
    for t in range(4):
        grads, = torch.autograd.grad(logits[0, t], acts, retain_graph=True)
        w = grads.mean((2, 3), keepdim=True)
        cam = torch.relu((w * acts).sum(1, keepdim=True))
        if cam.max() > 0:
            break
    expected = nn.functional.interpolate(cam, (SIZE, SIZE), mode="bilinear", align_corners=False)[0, 0]
    expected = expected.detach().numpy()
    assert expected.max() > 0
    exp = explain(sub, img, SaliencySettings(method="gradcam", target=t))
    assert exp.stage == "stage2" and exp.map.shape == (SIZE, SIZE)
    np.testing.assert_allclose(exp.map, expected, rtol=1e-4, atol=1e-6 * expected.max())


def test_gradcam_agrees_with_pytorch_grad_cam_on_lite0(lite0, chelsea):
    """Compared as normalised maps (pytorch-grad-cam min-max scales and resizes with cv2): Spearman > 0.999 and
    every pixel within 1e-3."""
    import copy

    from pytorch_grad_cam import GradCAM
    from pytorch_grad_cam.utils.model_targets import ClassifierOutputTarget
    exp = explain(lite0, chelsea, SaliencySettings(method="gradcam"))
    assert exp.stage == "stage5" and exp.target_label in ("tiger cat", "Egyptian cat", "tabby")
    peer = copy.deepcopy(lite0.model).eval()
    for p in peer.parameters():
        p.requires_grad_(True)
    _, layer = gradcam_layer(peer, lite0.input_size, None)
    _, x = seen(lite0, chelsea)
    with GradCAM(model=peer, target_layers=[layer]) as cam:
        theirs = cam(input_tensor=x, targets=[ClassifierOutputTarget(exp.target)])[0]
    ours = (exp.map - exp.map.min()) / (exp.map.max() - exp.map.min())
    assert theirs.shape == ours.shape == (224, 224)
    assert spearman(ours, theirs) > 0.999
    assert np.abs(ours - theirs).max() < 1e-3


# ------------------------------------------------------------------------------------ 4. randomisation
@pytest.mark.parametrize("method", ["saliency", "gradcam"])
def test_randomisation_check_destroys_gradient_and_gradcam_maps(lite0, chelsea, method):
    seen_fracs = []
    res = randomisation_check(lite0, chelsea, SaliencySettings(method=method), on_progress=seen_fracs.append)
    names = [s["stage"] for s in res["steps"]]
    assert names == ["head", "stage5", "stage4", "stage3", "stage2", "stem"]
    assert res["final_spearman"] == res["steps"][-1]["spearman"]
    assert res["final_spearman"] < 0.5 and res["final_spearman"] < res["steps"][0]["spearman"] - 0.1
    assert res["flagged"] is False and res["signed"] is False
    assert all(s["map"].shape == (224, 224) and 0 <= s["top_overlap"] <= 1 for s in res["steps"])
    assert res["original"].target == explain(lite0, chelsea, SaliencySettings(method=method)).target
    assert seen_fracs == sorted(seen_fracs) and seen_fracs[-1] == pytest.approx(1.0)


# ------------------------------------------------------------------------- 5. the shared model untouched
def _model_state(model: nn.Module) -> dict:
    return {"state": {k: v.detach().clone() for k, v in model.state_dict().items()},
            "training": {n: m.training for n, m in model.named_modules()},
            "grad": {n: p.requires_grad for n, p in model.named_parameters()},
            "hooks": {n: [list(getattr(m, d).items()) for d in ("_forward_hooks", "_forward_pre_hooks",
                                                                 "_backward_hooks", "_backward_pre_hooks")]
                      for n, m in model.named_modules()},
            "param_grads": [p.grad is None for p in model.parameters()]}


def test_attribution_leaves_the_shared_model_as_it_found_it():
    from torch.nn.modules import module as torch_module
    sub, img = tiny_subject(3, bn=True), noise_image(3)
    model = sub.model
    model.train()                                   # a mode and flags attribution must not "fix"
    model.features[0].weight.requires_grad_(False)
    model.features[3].register_forward_hook(lambda *a: None)
    model.fc.register_forward_pre_hook(lambda *a: None)
    before = _model_state(model)
    n_global = len(torch_module._global_forward_hooks), len(torch_module._global_backward_hooks)
    for method in METHODS:
        settings = SaliencySettings(method=method, **FAST.get(method, {}))
        exp = explain(sub, img, settings)
        after = _model_state(model)
        for k in ("training", "grad", "hooks", "param_grads"):
            assert after[k] == before[k], (method, k)
        for k, v in before["state"].items():
            assert torch.equal(after["state"][k], v), (method, k)   # bit-equal, BatchNorm statistics included
        randomisation_check(sub, img, settings)
        deletion_curve(sub, img, exp.map, exp.target, steps=4)
        after = _model_state(model)
        for k in ("training", "grad", "hooks", "param_grads"):
            assert after[k] == before[k], (method, "trust", k)
        for k, v in before["state"].items():
            assert torch.equal(after["state"][k], v), (method, "trust", k)
    assert (len(torch_module._global_forward_hooks), len(torch_module._global_backward_hooks)) == n_global


# ------------------------------------------------------------------------- 6. flat and NaN-bearing input
def test_a_constant_image_gives_a_finite_map_for_every_method(lite0):
    grey = Image.new("RGB", (300, 200), (128, 128, 128))
    settings = {"ig": {"steps": 4}, "occlusion": {"window": 112, "stride": 112}, "smoothgrad": {"samples": 2}}
    for method in METHODS:
        exp = explain(lite0, grey, SaliencySettings(method=method, **settings.get(method, {})))
        assert exp.map.shape == (224, 224) and np.isfinite(exp.map).all(), method
        shown = display(exp.map, signed=method == "occlusion")
        assert np.isfinite(shown).all() and shown.min() >= 0 and shown.max() <= 1, method


def test_a_nan_bearing_input_gives_a_finite_map_for_every_method():
    sub, img = tiny_subject(4), noise_image(4)
    u8, x = seen(sub, img)
    x[0, :, 3:6, 3:6] = float("nan")
    for method in METHODS:
        exp = attribute(sub, u8, x, SaliencySettings(method=method, target=1, **FAST.get(method, {})),
                        private_copy(sub.model))
        assert exp.map.shape == (SIZE, SIZE) and np.isfinite(exp.map).all(), method
        assert np.isfinite(display(exp.map)).all(), method


def test_display_of_a_flat_map_is_zeros_never_nan():
    for flat in (np.zeros((8, 8)), np.full((8, 8), 5.0), np.full((8, 8), -2.0), np.full((8, 8), np.nan)):
        for signed in (False, True):
            shown = display(flat, signed)
            assert shown.dtype == np.float32 and np.isfinite(shown).all()
            assert (shown == 0).all(), (flat[0, 0], signed, shown[0, 0])
    hot = np.zeros((20, 20))
    hot[0, 0], hot[10:, :] = 1000.0, 1.0         # one hot pixel saturates; the rest is not darkened to nothing
    shown = display(hot)
    assert shown[0, 0] == 1.0 and shown[19, 19] == 1.0 and shown[0, 5] == 0.0


# -------------------------------------------------------------------------------------- 7. deletion
def test_deletion_curve_of_gradcam_on_coffee_falls_faster_than_its_reverse(lite0):
    from core.architectures import sample_image
    coffee = sample_image("coffee")
    exp = explain(lite0, coffee, SaliencySettings(method="gradcam"))
    assert exp.target_label == "espresso"
    fracs = []
    res = deletion_curve(lite0, coffee, exp.map, exp.target, steps=10, on_progress=fracs.append)
    assert res["fractions"] == pytest.approx(np.linspace(0, 1, 11).tolist())
    assert len(res["scores"]) == len(res["reverse_scores"]) == 11
    assert res["scores"][0] == res["reverse_scores"][0] == pytest.approx(exp.score, abs=1e-4)
    assert res["scores"][-1] == pytest.approx(res["reverse_scores"][-1], abs=1e-6)   # both: all pixels hidden
    assert 0 <= res["area"] <= 1 and 0 <= res["reverse_area"] <= 1
    assert res["area"] < res["reverse_area"] and res["gap"] == pytest.approx(res["reverse_area"] - res["area"],
                                                                             abs=2e-4)
    assert fracs == sorted(fracs) and fracs[-1] == 1.0
    with pytest.raises(ValueError, match="input size"):
        deletion_curve(lite0, coffee, exp.map[:100], exp.target)
    calls = []
    with pytest.raises(Cancelled):
        deletion_curve(lite0, coffee, exp.map, exp.target, steps=10, batch=4,
                       should_stop=lambda: calls.append(1) or len(calls) > 1)
    assert len(calls) == 2


# ------------------------------------------------------------------------------------ 8. similarity
def test_similarity_measures_on_known_maps():
    rng = np.random.default_rng(0)
    a = rng.random((16, 16))
    assert spearman(a, a) == pytest.approx(1.0) and spearman(a, -a) == pytest.approx(-1.0)
    assert spearman(a, np.zeros_like(a)) == 0.0
    assert top_overlap(a, a) == 1.0 and top_overlap(a, -a) == 0.0
    assert similarity(a, a) == {"spearman": 1.0, "top_overlap": 1.0}


def test_align_crops_the_wider_map_to_the_narrower_view():
    wide = np.arange(64, dtype=np.float32).reshape(8, 8)      # sees the whole central square
    narrow = np.arange(16, dtype=np.float32).reshape(4, 4)    # sees its central half
    a, b = align(wide, 1.0, narrow, 0.5)
    assert a.shape == b.shape == (4, 4)
    np.testing.assert_array_equal(a, wide[2:6, 2:6])
    np.testing.assert_array_equal(b, narrow)
    b2, a2 = align(narrow, 0.5, wide, 1.0)                    # the order of the arguments does not matter
    np.testing.assert_array_equal(a2, wide[2:6, 2:6])
    np.testing.assert_array_equal(b2, narrow)
    # Lite0 at 224 px sees 224/256 = 0.875 of the square; a 48 px run of it 48/54 = 0.889, a little more:
    # the run's map loses round(48 * 0.875 / 0.889) = 47 of its 48 rows, Lite0's map is resized to 47
    run_map = np.arange(48 * 48, dtype=np.float32).reshape(48, 48)
    c, d = align(np.ones((224, 224)), 0.875, run_map, 48 / 54)
    assert c.shape == d.shape == (47, 47) and np.allclose(c, 1)
    np.testing.assert_array_equal(d, run_map[:47, :47])


# ------------------------------------------------------------------------------------ 9. before/after
@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    """Lite0 fine-tuned for 1 epoch at 48 px on 15 coloured-noise pictures (3 classes)."""
    from core.finetune import FinetuneConfig, fit
    root = tmp_path_factory.mktemp("saliency_run")
    colors = make_color_folder(root / "colors", per_class=5)
    with pytest.MonkeyPatch.context() as mp:   # its own data directory: a test here deletes the dataset
        mp.setenv("CNNLAB_DATA_DIR", str(root / "data"))
        fit(FinetuneConfig(data=colors, model=LITE0, strategy="linear_probe", epochs=1, image_size=48,
                           batch_size=8, augment="none"), root / "run")
        yield root / "run"


def test_before_after_each_side_explains_its_own_prediction(tiny_run, lite0, chelsea):
    from core.zoo import imagenet_labels
    run = run_subject(tiny_run)
    assert set(run.labels) == {"red", "green", "blue"} and run.kind == "run"
    fracs = []
    res = before_after(run, chelsea, SaliencySettings(method="gradcam", target=999), on_progress=fracs.append)
    before, after = res["before"], res["after"]
    assert 0 <= before.target < 1000 and before.target_label == imagenet_labels()[before.target]
    assert before.target == explain(lite0, chelsea, SaliencySettings(method="gradcam")).target   # not 999
    assert 0 <= after.target < 3 and after.target_label == run.labels[after.target]
    assert before.map.shape == (224, 224) and after.map.shape == (48, 48)
    assert -1 <= res["spearman"] <= 1 and 0 <= res["top_overlap"] <= 1
    assert fracs == sorted(fracs) and fracs[-1] == pytest.approx(1.0)


def test_a_run_whose_dataset_was_deleted_still_explains(tiny_run, tmp_path, chelsea):
    import shutil

    from core.data import delete_dataset
    from core.runs import RunFolder
    run_dir = tmp_path / "run"
    shutil.copytree(tiny_run, run_dir)
    ds_id = RunFolder(run_dir).config()["resolved"]["dataset"]["id"]
    delete_dataset(ds_id)
    from core.data import open_dataset
    with pytest.raises(UserError):
        open_dataset(ds_id)
    run = run_subject(run_dir)
    exp = explain(run, chelsea, SaliencySettings(method="saliency"))
    assert exp.target_label in ("red", "green", "blue") and np.isfinite(exp.map).all() and exp.map.max() > 0


# ------------------------------------------------------------------------------------------- 10. CLI
def _one_sentence(err: str) -> str:
    text = err.strip()
    assert len(text.splitlines()) == 1 and "Traceback" not in text and text.endswith("."), err
    return text


def test_cli_saliency_json_png_and_array(lite0, cat_photo, tmp_path):
    png, npy = tmp_path / "cat.png", tmp_path / "cat.npy"
    r = run_cli("saliency", "--model", LITE0, "--image", cat_photo, "--method", "gradcam", "--out", png,
                "--save-array", npy, "--json")
    assert r.returncode == 0, r.stderr
    res = json.loads(r.stdout)
    assert {"method", "target", "target_label", "score", "convergence_delta", "seconds"} <= set(res)
    assert res["method"] == "gradcam" and res["convergence_delta"] is None and res["stage"] == "stage5"
    arr = np.load(npy)
    assert arr.dtype == np.float32 and arr.shape == (lite0.input_size, lite0.input_size)
    with Image.open(png) as im:
        assert im.format == "PNG" and im.size[1] == lite0.input_size
    direct = explain(lite0, Image.open(cat_photo), SaliencySettings(method="gradcam"))
    np.testing.assert_allclose(arr, direct.map, rtol=1e-5, atol=1e-7)
    classify = json.loads(run_cli("classify", cat_photo, "--model", LITE0, "--json").stdout)
    top = classify["results"][0]["top"][0]
    assert (res["target"], res["target_label"]) == (top["index"], top["label"])
    assert res["score"] == pytest.approx(top["prob"], abs=1e-4)


def test_cli_integrated_gradients_reports_the_convergence_delta(lite0, cat_photo):
    r = run_cli("saliency", "--model", LITE0, "--image", cat_photo, "--method", "ig", "--steps", "8",
                "--target", "285", "--json")
    assert r.returncode == 0, r.stderr
    res = json.loads(r.stdout)
    direct = explain(lite0, Image.open(cat_photo), SaliencySettings(method="ig", steps=8, target=285))
    assert res["target"] == 285 and res["target_label"] == "Egyptian cat"
    assert res["convergence_delta"] == pytest.approx(direct.convergence_delta, abs=1e-4)
    assert res["score"] == pytest.approx(direct.score, abs=1e-6) and res["seconds"] > 0


def _bomb_png(path: Path, width: int = 10_000, height: int = 10_000) -> Path:
    """A PNG whose header declares width × height pixels (here 100 MP), with almost no data behind it."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64))
                     + chunk(b"IEND", b""))
    return path


def test_cli_errors_are_one_sentence_with_exit_code_2(lite0, cat_photo, tmp_path):
    from core.images import MAX_PIXELS
    cases = {
        "Class 1000": ["--image", cat_photo, "--target", "1000"],
        "window": ["--image", cat_photo, "--method", "occlusion", "--window", "300"],
        "stride": ["--image", cat_photo, "--method", "occlusion", "--window", "32", "--stride", "40"],
        "steps": ["--image", cat_photo, "--method", "ig", "--steps", "1"],
    }
    junk = tmp_path / "junk.png"
    junk.write_bytes(b"this is not a picture at all" * 10)
    cases["junk.png"] = ["--image", junk]
    bomb = _bomb_png(tmp_path / "bomb.png")
    assert 10_000 * 10_000 > MAX_PIXELS
    cases["bomb.png"] = ["--image", bomb]
    for needle, args in cases.items():
        r = run_cli("saliency", "--model", LITE0, *args, "--json")
        assert r.returncode == 2 and r.stdout == "", (needle, r)
        assert needle in _one_sentence(r.stderr), (needle, r.stderr)


def test_cli_gradcam_on_a_vision_transformer_says_it_needs_a_convolutional_stage(monkeypatch, cat_photo):
    import core.saliency
    from core.zoo import build_model, get_entry, preprocess_for
    vit = build_model("vit_b_16", pretrained=False).model.eval()   # random weights: the point is the shape
    subject = Subject("pretrained", "model:vit_b_16", "vit_b_16", vit, preprocess_for(get_entry("vit_b_16")),
                      tuple(str(i) for i in range(1000)))
    import timm
    tiny_vit = timm.create_model("vit_tiny_patch16_224", pretrained=False, img_size=32, num_classes=3).eval()
    with pytest.raises(UserError, match="convolutional stage"):
        gradcam_layer(tiny_vit, 32, None)          # timm's ViT: every stage outputs tokens
    # torchvision's ViT: its patch embedding (conv_proj) outputs a 768×14×14 map, but that is the input cut
    # into patches, before any attention: it must not pass for the convolutional stage Grad-CAM needs
    with pytest.raises(UserError, match="convolutional stage"):
        gradcam_layer(vit, 224, None)
    monkeypatch.setattr(core.saliency, "pretrained_subject", lambda name: subject)
    r = run_cli("saliency", "--model", "vit_b_16", "--image", cat_photo, "--method", "gradcam", "--json")
    assert r.returncode == 2 and "convolutional stage" in _one_sentence(r.stderr)


def test_cli_a_model_without_offline_weights_names_the_ones_that_have_them(cat_photo):
    from core.zoo import get_entry, weights_available_offline
    assert not weights_available_offline("resnet18")
    r = run_cli("saliency", "--model", "resnet18", "--image", cat_photo, "--json")
    assert r.returncode == 2
    assert get_entry(LITE0).label in _one_sentence(r.stderr)


# --------------------------------------------------------------------------- 11. occlusion progress, cancel
def test_occlusion_progress_is_monotonic_ends_at_one_and_cancels():
    sub, img = tiny_subject(5), noise_image(5)
    settings = SaliencySettings(method="occlusion", window=8, stride=4, batch=4)   # 7×7 windows, 13 batches
    fracs = []
    exp = explain(sub, img, settings, on_progress=fracs.append)
    assert exp.forwards == 1 + 1 + 49 and exp.map.shape == (SIZE, SIZE)
    assert fracs == sorted(fracs) and fracs[-1] == 1.0 and len(fracs) > 10
    for k in (1, 5):
        asked = []
        with pytest.raises(Cancelled):
            explain(sub, img, settings, should_stop=lambda: asked.append(1) or len(asked) > k)
        assert len(asked) == k + 1      # stopped at the first question answered yes, not later
