"""Fine-tuning core: strategies, layer-wise decay groups, the fit loop's guarantees, export and CLI.

Runs are tiny (a generated 3-class set of 36 images, 32-48 px, 1-3 epochs) so the whole file stays within a
few minutes on two shared cores. The evidence test uses the real demo:faces set and the packaged Lite0 weights.
"""
import errno
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from conftest import ROOT, run_cli
from core.errors import UserError
from core import finetune as ft
from core.finetune import Cancelled, Diverged, FinetuneConfig, fit
from core.finetune import loop
from core.finetune.augment import augment_batch
from core.finetune.head import head_spec, install_head
from core.finetune.param_groups import describe_groups, make_optimizer
from core.notices import Notice

SUMMARY_KEYS = {"best_val_acc", "best_epoch", "epochs_run", "stopped_early", "train_seconds", "epoch_seconds",
                "trainable_params", "total_params", "weights_source", "run_dir", "status"}


# -------------------------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def tiny_data(tmp_path_factory) -> str:
    """Three classes of 12 generated 40x40 pictures: a red disc, a green square, blue stripes, on noise."""
    from PIL import Image
    rng = np.random.default_rng(0)
    root = tmp_path_factory.mktemp("tiny") / "shapes"
    yy, xx = np.mgrid[:40, :40]
    masks = {"disc": (yy - 20) ** 2 + (xx - 20) ** 2 < 144, "square": (abs(yy - 20) < 10) & (abs(xx - 20) < 10),
             "stripes": (xx // 5) % 2 == 0}
    colours = {"disc": (220, 60, 60), "square": (60, 200, 60), "stripes": (60, 60, 220)}
    for name, mask in masks.items():
        (root / name).mkdir(parents=True)
        for i in range(12):
            a = (rng.random((40, 40, 3)) * 60).astype(np.uint8)
            a[mask] = np.clip(np.array(colours[name]) + rng.integers(-30, 30, 3), 0, 255)
            Image.fromarray(a).save(root / name / f"{i}.png")
    return str(root)


def _cfg(data, **kw) -> FinetuneConfig:
    base = dict(data=data, model="resnet18", strategy="full", epochs=2, image_size=32, batch_size=8,
                augment="standard", seed=3, patience=0)
    base.update(kw)
    return FinetuneConfig(**base)


@pytest.fixture(scope="module")
def probe_run(tiny_data, tmp_path_factory):
    run_dir = tmp_path_factory.mktemp("probe") / "run"
    events = []
    cfg = FinetuneConfig(data=tiny_data, model="tf_efficientnet_lite0", strategy="linear_probe", epochs=3,
                         image_size=48, batch_size=8, patience=0)
    summary = fit(cfg, run_dir, on_progress=events.append)
    return run_dir, summary, events, cfg


@pytest.fixture(scope="module")
def full_runs(tiny_data, tmp_path_factory):
    """The same seeded full fine-tuning (ResNet-18, random init offline, standard augmentation) twice."""
    out = []
    for i in range(2):
        run_dir = tmp_path_factory.mktemp(f"full{i}") / "run"
        out.append((run_dir, fit(_cfg(tiny_data), run_dir)))
    return out


def _rows(run_dir: Path) -> list[dict]:
    return [json.loads(line) for line in (run_dir / "metrics.jsonl").read_text().splitlines()]


def _notice_key(event: dict):
    return (event.get("notice") or {}).get("key") if event.get("phase") == "message" else None


def _no_seconds(rows):
    return [{k: v for k, v in r.items() if k != "epoch_seconds"} for r in rows]


# ---------------------------------------------------------------------------------------------- config
@pytest.mark.parametrize("kw, words", [
    (dict(strategy="bogus"), "strategy"), (dict(epochs=0), "epochs"), (dict(image_size=8), "image size"),
    (dict(lr=-1.0), "learning rate"), (dict(layer_decay=1.5), "layer decay"), (dict(augment="heavy"), "augmentation"),
    (dict(model="resnet19"), "Unknown model"), (dict(head_dropout=1.0), "dropout"), (dict(data=" "), "dataset"),
    (dict(batch_size=0), "batch size"), (dict(device="tpu"), "device"), (dict(warmup_epochs=9.0), "Warm-up"),
])
def test_config_rejects_bad_values_with_a_sentence(kw, words):
    with pytest.raises(UserError, match=words):
        FinetuneConfig(**{"data": "demo:digits", **kw})


def test_config_defaults_and_round_trip():
    cfg = FinetuneConfig(data="demo:digits")
    assert cfg.strategy == "linear_probe" and cfg.model == "tf_efficientnet_lite0"
    from dataclasses import asdict
    assert FinetuneConfig.from_dict({**asdict(cfg), "extra": 1}) == cfg
    assert ft.default_lr("full") <= 1e-4 < ft.default_lr("linear_probe")
    assert ft.default_image_size("tf_efficientnet_lite0", "cpu") == 128
    assert ft.default_image_size("tf_efficientnet_lite0", "cuda") == 224


# ------------------------------------------------------------------------------- layer-wise decay groups
@pytest.mark.parametrize("name", ["tf_efficientnet_lite0", "resnet18"])
def test_layer_decay_gives_each_stage_its_own_rate(name):
    from timm.optim import create_optimizer_v2
    from timm.scheduler import CosineLRScheduler
    from core.zoo import build_model, model_stages
    model = build_model(name, num_classes=3, pretrained=False).model
    stages = model_stages(model, 64)
    opt = make_optimizer(model, stages, lr=1e-3, weight_decay=0.05, layer_decay=0.5)
    rows = describe_groups(model, opt, stages)
    by_stage = {}
    for r in rows:
        by_stage.setdefault(r["stage_index"], set()).add(r["lr"])
    assert all(len(v) == 1 for v in by_stage.values())  # decay / no-decay groups of a stage share the rate
    lrs = [by_stage[i].pop() for i in sorted(by_stage)]
    assert len(lrs) == len(stages)  # every stage (stem ... head) got a group
    assert lrs[-1] == pytest.approx(1e-3)  # the head trains at the base rate
    for lower, upper in zip(lrs, lrs[1:]):
        assert lower == pytest.approx(upper * 0.5)  # each stage towards the input: one more factor of decay
    # the scheduler (timm's, as used by fit) keeps the same scales: not applied twice
    sched = CosineLRScheduler(opt, t_initial=100, t_in_epochs=False)
    sched.step_update(0)
    assert [g["lr"] for g in opt.param_groups] == pytest.approx([1e-3 * g["lr_scale"] for g in opt.param_groups])
    if name == "resnet18":  # the trap this matcher fixes: timm alone gives a torchvision model one rate
        plain = build_model(name, num_classes=3, pretrained=False).model
        scales = {g["lr_scale"] for g in create_optimizer_v2(plain, "adamw", lr=1e-3, layer_decay=0.5).param_groups}
        assert scales == {1.0}


def test_new_head_learns_faster_than_the_decayed_backbone():
    from core.zoo import build_model, model_stages
    model = build_model("resnet18", num_classes=3, pretrained=False).model
    stages = model_stages(model, 64)
    opt = make_optimizer(model, stages, lr=1e-4, weight_decay=0.05, layer_decay=0.5, head_lr_scale=10,
                         new_params={"fc.weight", "fc.bias"})
    rows = {r["stage_index"]: r["lr"] for r in describe_groups(model, opt, stages)}
    assert rows[stages[-1].index] == pytest.approx(1e-3)          # head: 10 x base
    assert rows[stages[-2].index] == pytest.approx(1e-4 * 0.5)    # last backbone stage: one decay step
    assert rows[stages[0].index] == pytest.approx(1e-4 * 0.5 ** (len(stages) - 1))


def _groups_on_meta(name: str, layer_decay: float):
    """The optimizer groups full fine-tuning gives ``name`` with a new 3-class head (built on the meta device)."""
    from core.finetune.head import head_parameter_names
    from core.finetune.param_groups import param_groups
    from core.zoo import construct, get_entry, model_stages, stage_of_parameter
    model = construct(get_entry(name), device="meta")
    spec = head_spec(model, 3, hidden=0, dropout=0.0)
    install_head(model, spec)
    model = model.to("meta")
    stages = model_stages(model, 224)
    new = head_parameter_names(spec, model)
    groups = param_groups(model, stages, 0.05, layer_decay=layer_decay, head_lr_scale=10.0, new_params=new)
    names = {id(p): n for n, p in model.named_parameters()}
    return groups, names, new, stages, stage_of_parameter(stages)


# the new layer only: 4096->3 (VGG, AlexNet), 1024->3 (MobileNetV3-Small), 512->3 (ResNet-18), 768->3 (ConvNeXt, ViT)
@pytest.mark.parametrize("name, new_count", [("vgg11", 4096 * 3 + 3), ("vgg16", 4096 * 3 + 3), ("alexnet", 4096 * 3 + 3),
                                             ("mobilenet_v3_small", 1024 * 3 + 3), ("resnet18", 512 * 3 + 3),
                                             ("convnext_tiny", 768 * 3 + 3), ("vit_b_16", 768 * 3 + 3)])
def test_only_the_new_layer_gets_the_head_rate(name, new_count):
    groups, names, new, stages, lookup = _groups_on_meta(name, layer_decay=0.5)
    fast = [names[id(p)] for g in groups if g["lr_scale"] > 1 for p in g["params"]]
    assert sorted(fast) == sorted(new) and sum(p.numel() for g in groups if g["lr_scale"] > 1
                                               for p in g["params"]) == new_count
    head = stages[-1].index
    # timm numbers the stages that have parameters (a stage of pooling only has no rate of its own)
    rank = {idx: r for r, idx in enumerate(sorted({lookup(n) for n in names.values()}))}
    for g in groups:
        stage = {lookup(names[id(p)]) for p in g["params"]}
        assert len(stage) == 1
        expected = 0.5 ** (rank[head] - rank[stage.pop()]) * (10.0 if g.get("new") else 1.0)
        assert g["lr_scale"] == pytest.approx(expected)  # pretrained classifier layers: their stage's rate
    # pretrained parameters in the head stage (VGG's FC6/FC7, ConvNeXt's final norm) train at the base rate
    pretrained_head = [names[id(p)] for g in groups if not g.get("new") for p in g["params"]
                       if lookup(names[id(p)]) == head]
    if name in ("vgg11", "vgg16", "alexnet", "mobilenet_v3_small", "convnext_tiny"):
        assert pretrained_head, "the classifier's pretrained layers are in the head stage"
    if name == "convnext_tiny":
        assert "classifier.0.weight" in pretrained_head  # the final LayerNorm: pretrained, not 10x
    if name == "vit_b_16":  # the class token belongs to the input, not to the head
        assert lookup("class_token") == stages[0].index


def test_partial_mobilenet_trains_its_pretrained_classifier_layer_at_the_stage_rate(tiny_data, tmp_path):
    fit(FinetuneConfig(data=tiny_data, model="mobilenet_v3_small", strategy="partial", unfreeze=1, epochs=1,
                       image_size=32, batch_size=8, lr=1e-4, warmup_epochs=0.0), tmp_path / "run")
    groups = json.loads((tmp_path / "run" / "results.json").read_text())["param_groups"]
    new = [g for g in groups if g["new"]]
    assert sum(g["params"] for g in new) == 1024 * 3 + 3 and all(g["lr"] == pytest.approx(1e-3) for g in new)
    pretrained_head = [g for g in groups if g["stage"] == "head" and not g["new"] and not g["frozen"]]
    assert sum(g["params"] for g in pretrained_head) >= 576 * 1024 + 1024  # classifier.0, a pretrained Linear
    # partial has no layer decay: every pretrained group that trains, head stage included, is at the base rate
    assert all(g["lr"] == pytest.approx(1e-4) for g in groups if not g["new"] and not g["frozen"])
    from core.plots.finetune import NEW_COLOUR, lr_groups_figure
    bars = lr_groups_figure(groups, "pt").data[0]
    new_bars = [x for x, c in zip(bars.x, bars.marker.color) if c == NEW_COLOUR]
    assert len(new_bars) == len(new) and all(x.startswith("classificador (camada nova) ·") for x in new_bars)
    assert any(x.startswith("classificador ·") for x in bars.x)  # the pretrained classifier layers: bars of their own


def test_head_option_fits_the_backbone_feature_size():
    from core.zoo import build_model
    for name, width in (("resnet18", 512), ("tf_efficientnet_lite0", 1280), ("squeezenet1_1", 512)):
        model = build_model(name, num_classes=4, pretrained=False).model
        spec = head_spec(model, 4, hidden=32, dropout=0.3)
        head = install_head(model, spec)
        assert spec["in_features"] == width
        first = head[0]
        assert (first.in_features if hasattr(first, "in_features") else first.in_channels) == width
        assert model.eval()(torch.zeros(2, 3, 64, 64)).shape == (2, 4)


def test_augment_presets():
    g = torch.Generator().manual_seed(0)
    x = torch.randint(0, 256, (4, 3, 40, 40), dtype=torch.uint8)
    none = augment_batch(x, 32, "none", g)
    assert torch.equal(none, x[..., 4:36, 4:36].float() / 255)
    for preset in ("light", "standard"):
        a = augment_batch(x, 32, preset, torch.Generator().manual_seed(1))
        b = augment_batch(x, 32, preset, torch.Generator().manual_seed(1))
        assert a.shape == (4, 3, 32, 32) and torch.equal(a, b)
        assert 0 <= a.min() and a.max() <= 1 and not torch.allclose(a, none)


# ------------------------------------------------------------------------------------------ the probe
def test_probe_writes_the_run_folder(probe_run):
    run_dir, summary, events, cfg = probe_run
    assert SUMMARY_KEYS <= set(summary)
    for name in ("config.json", "metrics.jsonl", "checkpoint.pt", "best.safetensors", "results.json",
                 "export/model.safetensors", "export/config.json"):
        assert (run_dir / name).is_file(), name
    rows = _rows(run_dir)
    assert [r["epoch"] for r in rows] == [1, 2, 3]
    assert set(rows[0]) >= {"epoch", "train_loss", "train_acc", "val_loss", "val_acc", "lr", "epoch_seconds"}
    assert summary["epoch_seconds"] == [r["epoch_seconds"] for r in rows]
    saved = json.loads((run_dir / "config.json").read_text())
    assert saved["strategy"] == "linear_probe" and saved["resolved"]["image_size"] == 48
    assert saved["resolved"]["augment"] == "none" and saved["resolved"]["notes"]  # the probe says so
    assert summary["pretrained"] and "package" in summary["weights_source"]
    # the backbone ran only in the first epoch: features are cached
    feature_epochs = {e["epoch"] for e in events if e.get("phase") == "features"}
    assert feature_epochs == {1}
    assert any(_notice_key(e) == "finetune.msg.probe_no_aug" for e in events)
    assert all(0 <= e.get("eta_s", 0) for e in events)


def test_probe_results_and_frozen_backbone(probe_run):
    from safetensors.torch import load_file
    from core.zoo import build_model
    run_dir, summary, _, _ = probe_run
    res = json.loads((run_dir / "results.json").read_text())
    cm = np.array(res["confusion_matrix"])
    assert cm.shape == (3, 3) and cm.sum() == json.loads((run_dir / "config.json").read_text())["resolved"]["dataset"]["val"]
    assert np.trace(cm) / cm.sum() == pytest.approx(res["val_acc"])
    assert [r["class"] for r in res["per_class"]] == res["classes"] == ["disc", "square", "stripes"]
    for m in res["confident_mistakes"]:
        assert m["true"] != m["predicted"] and 0 < m["prob"] <= 1 and isinstance(m["index"], int)
    groups = res["param_groups"]
    trainable = [g for g in groups if not g["frozen"]]
    assert {g["stage"] for g in trainable} == {"head"} and all(g["lr"] > 0 for g in trainable)
    assert {g["stage"] for g in groups if g["frozen"]} == {s["name"] for s in res["stages"][:-1]}
    assert summary["trainable_params"] == 1280 * 3 + 3 == sum(g["params"] for g in trainable)
    assert summary["total_params"] == summary["trainable_params"] + sum(g["params"] for g in groups if g["frozen"])
    # frozen means frozen: every backbone tensor (batch-norm statistics included) equals the pretrained one
    exported = load_file(str(run_dir / "export" / "model.safetensors"))
    pretrained = build_model("tf_efficientnet_lite0", num_classes=3).model.state_dict()
    changed = {k for k in pretrained if not torch.equal(pretrained[k], exported[k])}
    assert changed == {"classifier.weight", "classifier.bias"}


def test_export_reloads_in_a_fresh_process_with_identical_logits(probe_run, cat_photo, coffee_photo):
    from core.images import open_rgb
    run_dir = probe_run[0]
    images = [open_rgb(cat_photo), open_rgb(coffee_photo)]
    here = ft.predict_logits(run_dir, images)
    code = f"""
import json, sys, timm, torch
from safetensors.torch import load_file
from PIL import Image
from core.images import fit_square, open_rgb
from core.zoo import Preprocess
cfg = json.load(open({str(run_dir / 'export' / 'config.json')!r}))
model = timm.create_model(cfg["architecture"], num_classes=cfg["num_classes"])
model.load_state_dict(load_file({str(run_dir / 'export' / 'model.safetensors')!r}))
p = cfg["preprocess"]
tf = Preprocess(p["input_size"], p["resize_size"], tuple(p["mean"]), tuple(p["std"]), p["interpolation"]).transform()
side = p["dataset_side"]  # as in training: first the dataset's square, then the model's resize and crop
x = torch.stack([tf(Image.fromarray(fit_square(open_rgb(f), side))) for f in {[str(cat_photo), str(coffee_photo)]!r}])
with torch.inference_mode():
    print(json.dumps(model.eval()(x).tolist()))
"""
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    there = torch.tensor(json.loads(out.stdout.strip().splitlines()[-1]))
    assert torch.equal(there, here)


def test_predict_cli(probe_run, cat_photo):
    run_dir = probe_run[0]
    res = run_cli("predict", "--run", run_dir, cat_photo, "--json")
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    top = out["results"][0]["top"]
    assert [t["label"] for t in top] and {t["label"] for t in top} <= {"disc", "square", "stripes"}
    assert sum(t["prob"] for t in top) == pytest.approx(1, abs=1e-4)
    assert top == ft.predict(run_dir, [__import__("core.images").images.open_rgb(cat_photo)])[0]
    bad = run_cli("predict", "--run", run_dir.parent, cat_photo)
    assert bad.returncode == 2 and "no exported model" in bad.stderr and "Traceback" not in bad.stderr


def test_figures(probe_run):
    from core.plots import finetune as figs
    run_dir, summary, _, _ = probe_run
    res = json.loads((run_dir / "results.json").read_text())
    for lang in ("en", "pt"):
        curves = figs.curves_figure(_rows(run_dir), lang, best_epoch=summary["best_epoch"])
        assert len(curves.data) == 4 and list(curves.data[0].x) == [1, 2, 3]
        cm = figs.confusion_figure(res["confusion_matrix"], res["classes"], lang)
        assert np.array(cm.data[0].z).sum() == np.array(res["confusion_matrix"]).sum()
        lr = figs.lr_groups_figure(res["param_groups"], lang)
        colours = list(lr.data[0].marker.color)
        assert colours.count(figs.FROZEN_COLOUR) == sum(g["frozen"] for g in res["param_groups"]) > 0
        assert figs.per_class_figure(res["per_class"], lang).data[0].y is not None
    assert "congelado" in json.dumps(figs.lr_groups_figure(res["param_groups"], "pt").to_dict())


# ----------------------------------------------------------------------------- partial: the last k stages
def test_partial_trains_only_the_last_k_stages(tiny_data, tmp_path):
    from safetensors.torch import load_file
    from core.zoo import build_model, model_stages, stage_of_parameter
    run_dir = tmp_path / "run"
    summary = fit(FinetuneConfig(data=tiny_data, strategy="partial", unfreeze=1, epochs=1, image_size=32,
                                 batch_size=8, augment="light"), run_dir)
    res = json.loads((run_dir / "results.json").read_text())
    names = [s["name"] for s in res["stages"]]
    assert [s["name"] for s in res["stages"] if not s["frozen"]] == names[-2:]  # last stage + head
    model = build_model("tf_efficientnet_lite0", num_classes=3).model
    lookup = stage_of_parameter(model_stages(model, 32))
    pre, post = model.state_dict(), load_file(str(run_dir / "export" / "model.safetensors"))
    trained_stages = {lookup(k) for k in pre if not torch.equal(pre[k], post[k])}
    assert trained_stages == {len(names) - 2, len(names) - 1}
    assert 0 < summary["trainable_params"] < summary["total_params"]
    with pytest.raises(UserError, match="stages below the head"):
        fit(FinetuneConfig(data=tiny_data, strategy="partial", unfreeze=50, epochs=1, image_size=32), tmp_path / "r2")


# ------------------------------------------------------------------- full: determinism, resume, export
def test_seeded_cpu_runs_repeat_exactly(full_runs):
    (a_dir, a), (b_dir, b) = full_runs
    assert _no_seconds(_rows(a_dir)) == _no_seconds(_rows(b_dir))
    assert a["best_val_acc"] == b["best_val_acc"]
    res = json.loads((a_dir / "results.json").read_text())
    lrs = {g["stage"]: g["lr"] for g in res["param_groups"]}
    assert len(set(lrs.values())) == len(lrs) == len(res["stages"]) >= 5  # torchvision ResNet-18: a rate per stage
    assert "random initialisation" in str(Notice.restore(a["notices"][0]))  # no torchvision weights offline


def test_resume_after_cancel_finishes_like_an_uninterrupted_run(tiny_data, full_runs, tmp_path):
    run_dir = tmp_path / "run"
    cfg = _cfg(tiny_data)
    epochs_done = []

    def should_stop():
        return len(epochs_done) >= 1  # cancel as soon as the second epoch starts

    with pytest.raises(Cancelled):
        fit(cfg, run_dir, on_progress=lambda e: e.get("phase") == "epoch" and epochs_done.append(e["epoch"]),
            should_stop=should_stop)
    ckpt = torch.load(run_dir / "checkpoint.pt", weights_only=True)
    assert ckpt["epoch"] == 1 and len(_rows(run_dir)) == 1
    assert not (run_dir / "export").exists() and not (run_dir / "results.json").exists()
    events = []
    summary = fit(cfg, run_dir, on_progress=events.append, resume=True)
    assert any(_notice_key(e) == "finetune.msg.resumed" for e in events)
    assert summary["epochs_run"] == 2 and (run_dir / "export" / "model.safetensors").is_file()
    assert _no_seconds(_rows(run_dir)) == _no_seconds(_rows(full_runs[0][0]))  # same as never interrupted
    with pytest.raises(UserError, match="different configuration"):
        fit(_cfg(tiny_data, seed=4), run_dir, resume=True)


def test_torchvision_export_loads_with_get_model(full_runs):
    import torchvision
    from safetensors.torch import load_file
    run_dir = full_runs[0][0]
    conf = json.loads((run_dir / "export" / "config.json").read_text())
    assert conf["architecture"] == "resnet18" and conf["class_names"] == ["disc", "square", "stripes"]
    assert conf["preprocess"]["input_size"] == 32 and len(conf["preprocess"]["mean"]) == 3
    model = torchvision.models.get_model("resnet18", num_classes=3)
    model.load_state_dict(load_file(str(run_dir / "export" / "model.safetensors")))  # strict: keys match
    x = torch.rand(2, 3, 32, 32)
    with torch.inference_mode():
        mine = ft.load_export(run_dir)[0](x)
        assert torch.equal(model.eval()(x), mine)


def test_train_cli_json_and_errors(tiny_data, tmp_path, capsys):
    from core.cli import main
    out = tmp_path / "cli-run"
    res = run_cli("train", "--data", tiny_data, "--model", "resnet18", "--strategy", "scratch", "--epochs", "1",
                  "--image-size", "32", "--batch-size", "8", "--out", out, "--json")
    assert res.returncode == 0, res.stderr
    summary = json.loads(res.stdout)
    assert SUMMARY_KEYS <= set(summary) and summary["run_dir"] == str(out)
    assert isinstance(summary["epoch_seconds"], list) and summary["weights_source"].startswith("random")
    assert main(["train", "--data", tiny_data, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "not empty" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


# ----------------------------------------------------------------------------- failures stay clean
def test_nan_in_a_batch_stops_with_diverged(tiny_data, tmp_path, monkeypatch):
    real = loop.augment_batch
    calls = []

    def poisoned(x, size, preset, gen):
        calls.append(1)
        out = real(x, size, preset, gen)
        return out * float("nan") if len(calls) == 2 else out

    monkeypatch.setattr(loop, "augment_batch", poisoned)
    run_dir = tmp_path / "run"
    with pytest.raises(Diverged, match="diverged at epoch 1, step 2"):
        fit(_cfg(tiny_data, epochs=1), run_dir)
    assert len(calls) == 2  # stopped within the step
    assert not (run_dir / "export").exists() and not (run_dir / "best.safetensors").exists()


def test_huge_learning_rate_diverges_and_exports_nothing(tiny_data, tmp_path):
    run_dir = tmp_path / "run"
    with pytest.raises(Diverged, match="diverged"):
        fit(_cfg(tiny_data, lr=1e3, epochs=2, augment="none"), run_dir)
    assert not (run_dir / "export").exists() and not (run_dir / "results.json").exists()


def test_cuda_out_of_memory_halves_the_batch(tiny_data, tmp_path, monkeypatch):
    real = loop.train_step

    def limited(model, x, y, *args):
        if x.shape[0] > 4:
            raise torch.cuda.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")
        return real(model, x, y, *args)

    monkeypatch.setattr(loop, "train_step", limited)
    events = []
    summary = fit(_cfg(tiny_data, epochs=1, batch_size=16), tmp_path / "run", on_progress=events.append)
    notes = [Notice.restore(e["notice"]) for e in events if _notice_key(e) == "finetune.msg.oom.training"]
    assert [(n.params["old"], n.params["new"]) for n in notes] == [(16, 8), (8, 4)]
    assert "batch size is now 4" in str(notes[-1]) and "lote agora é 4" in notes[-1].text("pt")
    assert summary["batch_size"] == 4 and _rows(tmp_path / "run")[0]["batch_size"] == 4

    def always(*args):
        raise torch.cuda.OutOfMemoryError("CUDA out of memory")

    monkeypatch.setattr(loop, "train_step", always)
    with pytest.raises(UserError, match="ran out of memory .* batch of 1"):
        fit(_cfg(tiny_data, epochs=1, batch_size=2), tmp_path / "run2")


def test_disk_full_keeps_the_last_checkpoint(tiny_data, tmp_path, monkeypatch):
    real_save = torch.save
    saves = []

    def full_disk(obj, f, *a, **k):
        saves.append(1)
        if len(saves) >= 2:
            f.write(b"partial checkpoint bytes")
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_save(obj, f, *a, **k)

    monkeypatch.setattr(torch, "save", full_disk)
    run_dir = tmp_path / "run"
    with pytest.raises(UserError, match="disk is full"):
        fit(_cfg(tiny_data, epochs=2, augment="none"), run_dir)
    monkeypatch.setattr(torch, "save", real_save)
    assert torch.load(run_dir / "checkpoint.pt", weights_only=True)["epoch"] == 1
    assert not [p for p in run_dir.iterdir() if p.name.endswith(".tmp")]
    assert len(_rows(run_dir)) == 1
    summary = fit(_cfg(tiny_data, epochs=2, augment="none"), run_dir, resume=True)  # space is back
    assert summary["epochs_run"] == 2


def test_export_refuses_pickles_and_wrong_tensors(probe_run, tmp_path):
    import shutil
    from safetensors.torch import save_file
    src = probe_run[0] / "export"
    dst = tmp_path / "export"
    shutil.copytree(src, dst)
    (dst / "model.safetensors").write_bytes(b"\x80\x04not a safetensors file")
    with pytest.raises(UserError, match="cannot be read"):
        ft.load_export(dst)
    save_file({"classifier.weight": torch.zeros(3, 7)}, str(dst / "model.safetensors"))
    with pytest.raises(UserError, match="do not fit"):
        ft.load_export(dst)


def test_estimate_epoch_seconds(tiny_data):
    probe = ft.estimate_epoch_seconds(FinetuneConfig(data=tiny_data, image_size=32, batch_size=8), batches=1)
    assert probe["first_epoch_seconds"] > probe["later_epoch_seconds"] >= 0
    assert probe["device"] == "cpu" and probe["image_size"] == 32
    full = ft.estimate_epoch_seconds(_cfg(tiny_data), batches=2)
    assert full["seconds_per_step"] > 0 and full["steps_per_epoch"] == 4  # 29 or 30 training images / 8
    assert full["epoch_seconds"] == pytest.approx(full["later_epoch_seconds"])


# ------------------------------------------------------------------------ evidence of real transfer
def test_pretrained_probe_beats_scratch_on_faces(tmp_path):
    """Same small budget (3 epochs at 64 px): frozen ImageNet features vs the same network from nothing."""
    budget = dict(data="demo:faces", model="tf_efficientnet_lite0", epochs=3, image_size=64, batch_size=32,
                  patience=0, seed=0)
    probe = fit(FinetuneConfig(strategy="linear_probe", **budget), tmp_path / "probe")
    scratch = fit(FinetuneConfig(strategy="scratch", **budget), tmp_path / "scratch")
    assert probe["pretrained"] and not scratch["pretrained"]
    assert probe["best_val_acc"] >= 0.85
    assert probe["best_val_acc"] >= scratch["best_val_acc"] + 0.2


# -------------------------------------------------------------------------------------- early stopping
@pytest.fixture(scope="module")
def noise_data(tmp_path_factory) -> str:
    """Three classes of random-noise pictures: a linear probe fits the training images and stops improving on
    validation after a couple of epochs."""
    from PIL import Image
    root = tmp_path_factory.mktemp("noise") / "noise"
    rng = np.random.default_rng(5)
    for c in ("a", "b", "c"):
        (root / c).mkdir(parents=True)
        for i in range(12):
            Image.fromarray(rng.integers(0, 256, (32, 32, 3), dtype=np.uint8)).save(root / c / f"{i}.png")
    return str(root)


def test_early_stopping_stops_after_patience_and_exports_the_best_epoch(noise_data, tmp_path):
    from safetensors.torch import load_file
    run_dir = tmp_path / "run"
    events = []
    summary = fit(FinetuneConfig(data=noise_data, strategy="linear_probe", epochs=15, image_size=32, batch_size=8,
                                 lr=0.05, patience=2, warmup_epochs=0.0), run_dir, on_progress=events.append)
    rows = _rows(run_dir)
    losses = [r["val_loss"] for r in rows]
    best = int(np.argmin(losses)) + 1
    assert summary["stopped_early"] and summary["best_epoch"] == best
    assert summary["epochs_run"] == len(rows) == best + 2 < 15  # patience 2: two epochs without improvement
    assert all(v >= losses[best - 1] for v in losses[best:])
    assert summary["best_val_acc"] == pytest.approx(rows[best - 1]["val_acc"])
    stop = [Notice.restore(e["notice"]) for e in events if _notice_key(e) == "finetune.msg.early_stop"]
    assert len(stop) == 1 and stop[0].params == {"epoch": best + 2, "patience": 2, "best": best}
    # the export holds the best epoch's weights, not the last epoch's
    exported = load_file(str(run_dir / "export" / "model.safetensors"))
    best_weights = load_file(str(run_dir / "best.safetensors"))
    last = torch.load(run_dir / "checkpoint.pt", weights_only=True)
    assert last["epoch"] == best + 2
    assert all(torch.equal(exported[k], best_weights[k]) for k in exported)
    assert not torch.equal(exported["classifier.weight"], last["model"]["classifier.weight"])
    # results.json was evaluated with those weights: its accuracy is the best epoch's
    assert json.loads((run_dir / "results.json").read_text())["val_acc"] == pytest.approx(rows[best - 1]["val_acc"])


def test_without_patience_every_epoch_runs(noise_data, tmp_path):
    summary = fit(FinetuneConfig(data=noise_data, strategy="linear_probe", epochs=6, image_size=32, batch_size=8,
                                 lr=0.05, patience=0), tmp_path / "run")
    assert summary["epochs_run"] == 6 and not summary["stopped_early"]


def test_a_checkpoint_with_other_parameter_groups_is_one_sentence(noise_data, tmp_path):
    cfg = FinetuneConfig(data=noise_data, strategy="linear_probe", epochs=2, image_size=32, batch_size=8)
    run_dir = tmp_path / "run"
    with pytest.raises(Cancelled):
        fit(cfg, run_dir, on_progress=lambda e: None, should_stop=lambda: (run_dir / "checkpoint.pt").exists())
    ckpt = torch.load(run_dir / "checkpoint.pt", weights_only=True)
    ckpt["optimizer"]["param_groups"].append(dict(ckpt["optimizer"]["param_groups"][0], params=[]))
    torch.save(ckpt, run_dir / "checkpoint.pt")
    with pytest.raises(UserError, match="other parameter groups"):
        fit(cfg, run_dir, resume=True)


# ------------------------------------------------------------------ the export predicts like training
def test_export_predicts_the_validation_images_like_the_trained_model(tmp_path, monkeypatch):
    """Digits written as a folder (8x8 originals, the hardest case for resampling): the export, given the
    original files or the stored images, reproduces the trained model's predictions on the validation split."""
    from PIL import Image
    from safetensors.torch import load_file
    from core.data import open_dataset, write_demo
    from core.finetune import predict_logits
    from core.finetune.loop import Progress, Trainer
    monkeypatch.setenv("CNNLAB_DATA_DIR", str(tmp_path / "data"))
    folder = tmp_path / "digits"
    write_demo("digits", folder)
    cfg = FinetuneConfig(data=str(folder), strategy="linear_probe", epochs=3, image_size=64, patience=0)
    run_dir = tmp_path / "run"
    fit(cfg, run_dir)
    results = json.loads((run_dir / "results.json").read_text())
    ds = open_dataset(cfg.data)
    trained = Trainer(cfg, Progress(None, None))  # the training-side view: cache -> device -> resize -> crop
    trained.model.load_state_dict(load_file(str(run_dir / "best.safetensors")))
    _, acc, logits = trained.evaluate(trained.val)
    assert acc == pytest.approx(results["val_acc"], abs=1e-6)
    val = ds.split["val"]
    y = torch.as_tensor(np.asarray(ds.labels)[val])
    originals = [Image.open(folder / ds.files[i]).convert("RGB") for i in val]
    stored = [Image.fromarray(ds.images[i]) for i in val]
    for images in (originals, stored):
        exported = predict_logits(run_dir, images)
        agree = (exported.argmax(1) == logits.argmax(1)).float().mean().item()
        assert agree >= 0.98
        correct = int((exported.argmax(1) == y).sum())
        assert abs(correct - round(results["val_acc"] * len(val))) <= 1
        assert (exported - logits).abs().max().item() < 1e-3  # measured: 2.6e-5 (float32 rounding)
