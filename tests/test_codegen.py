"""“Show the code”: the generated script is valid Python, carries the run's own learning rates, and really trains
and saves: run for one epoch in a fresh process with the network forbidden, on a small generated folder."""
import ast
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import ROOT, make_color_folder, run_cli
from core.finetune import FinetuneConfig, fit
from core.finetune.codegen import run_script

NO_NETWORK = textwrap.dedent('''\
    import socket
    def _refuse(*args, **kwargs):
        raise OSError("network forbidden in this test")
    socket.socket.connect = _refuse
    socket.socket.connect_ex = _refuse
    socket.create_connection = _refuse
    socket.getaddrinfo = _refuse
''')


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> str:
    return make_color_folder(tmp_path_factory.mktemp("colours") / "data", per_class=10, seed=2)


def _run(folder, tmp_path_factory, **kw) -> Path:
    run_dir = tmp_path_factory.mktemp(kw["strategy"]) / "run"
    fit(FinetuneConfig(data=folder, epochs=1, batch_size=8, patience=2, **kw), run_dir)
    return run_dir


@pytest.fixture(scope="module")
def full_run(folder, tmp_path_factory) -> Path:
    return _run(folder, tmp_path_factory, model="resnet18", strategy="full", image_size=32, augment="standard",
                head_dropout=0.2)


@pytest.fixture(scope="module")
def probe_run(folder, tmp_path_factory) -> Path:
    return _run(folder, tmp_path_factory, model="tf_efficientnet_lite0", strategy="linear_probe", image_size=32)


def _execute(script: str, folder: str, tmp_path: Path) -> subprocess.CompletedProcess:
    """The script for one epoch in a fresh process whose sockets refuse to connect, with empty weight caches."""
    (tmp_path / "nonet").mkdir()
    (tmp_path / "nonet" / "sitecustomize.py").write_text(NO_NETWORK)
    path = tmp_path / "finetune_run.py"
    path.write_text(script, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "nonet"), "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1",
           "TORCH_HOME": str(tmp_path / "torch"), "HF_HOME": str(tmp_path / "hf")}
    return subprocess.run([sys.executable, str(path), folder, "--epochs", "1", "--random-init",
                           "--out", str(tmp_path / "out")], capture_output=True, text=True, timeout=300, env=env,
                          cwd=tmp_path)


def _printed_groups(stdout: str) -> dict:
    """(stage, new, decay) -> peak lr, from the script's own 'group ...' lines."""
    out = {}
    for line in stdout.splitlines():
        if line.startswith("group "):
            words = line.split()
            new = "(new)" in words
            stage = words[1]
            decay = float(words[words.index("decay") + 1])
            out[(stage, new, decay > 0)] = float(words[-1])
    return out


def _run_groups(run_dir: Path) -> dict:
    res = json.loads((run_dir / "results.json").read_text())
    lr = json.loads((run_dir / "config.json").read_text())["resolved"]["lr"]
    return {(g["stage"], g["new"], g["weight_decay"] > 0): lr * g["lr_scale"]
            for g in res["param_groups"] if not g["frozen"]}


def test_full_run_script_trains_and_saves_offline_with_the_runs_rates(full_run, folder, tmp_path):
    script = run_script(full_run, "en")
    ast.parse(script)
    assert "models.resnet18(weights=None if args.random_init else models.ResNet18_Weights.IMAGENET1K_V1)" in script
    assert "model.fc = nn.Sequential(nn.Dropout(0.2), nn.Linear(512, 3))" in script
    assert "LAYER_DECAY = 0.75" in script and "HEAD_LR_SCALE = 10" in script
    assert "torch.optim.AdamW" in script and "PATIENCE" in script and "save_file(" in script
    done = _execute(script, folder, tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    printed = _printed_groups(done.stdout)
    expected = _run_groups(full_run)
    assert printed.keys() == expected.keys()
    for key, lr in expected.items():
        assert printed[key] == pytest.approx(lr, rel=1e-3), key
    # only the new layer runs at the head scale: ten times its stage's rate, the pretrained layers at theirs
    assert printed[("head", True, True)] == pytest.approx(10 * printed[("head", False, True)], rel=1e-3)
    assert "epoch 1:" in done.stdout and "saved" in done.stdout
    from safetensors.torch import load_file
    from torchvision.models import resnet18
    from torch import nn
    model = resnet18(num_classes=1000)
    model.fc = nn.Sequential(nn.Dropout(0.2), nn.Linear(512, 3))
    model.load_state_dict(load_file(str(tmp_path / "out" / "model.safetensors")), strict=True)
    cfg = json.loads((tmp_path / "out" / "config.json").read_text())
    assert cfg["class_names"] == ["blue", "green", "red"] and cfg["architecture"] == "resnet18"


def test_probe_script_freezes_everything_but_the_new_layer_and_runs(probe_run, folder, tmp_path):
    script = run_script(probe_run, "pt")
    ast.parse(script)
    assert "timm.create_model(MODEL, pretrained=not args.random_init)" in script
    assert "p.requires_grad = name.startswith(NEW)" in script and "model.classifier = nn.Linear(1280, 3)" in script
    assert "train_tf = eval_tf" in script and "LAYER_DECAY" not in script and "HEAD_LR_SCALE" not in script
    assert "# Feature extraction: toda a rede pré-treinada fica congelada" in script  # comments in the page's language
    done = _execute(script, folder, tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    printed = _printed_groups(done.stdout)
    assert printed == pytest.approx(_run_groups(probe_run))
    assert set(printed) == {("head", True, True), ("head", True, False)}
    assert (tmp_path / "out" / "model.safetensors").is_file()


@pytest.mark.parametrize("model, strategy, expect", [
    ("vgg16", "partial", ["TRAINED = ", "model.classifier[6] = nn.Linear(4096, 3)",
                          "model.get_submodule(m).eval()", "HEAD_LR_SCALE = 10"]),
    ("resnet50", "scratch", ["models.resnet50(weights=None)", "scale = 1.0"]),
    ("googlenet", "full", ["aux_logits=False", "GoogLeNet_Weights.IMAGENET1K_V1"]),
    ("squeezenet1_1", "linear_probe", ["model.classifier[1] = nn.Conv2d(512, 3, 1)"]),
])
def test_every_strategy_generates_valid_python(model, strategy, expect, tmp_path):
    """Pure generation from plain values: a config.json as a run writes it, the stages, the weights name."""
    from core.architectures import skeleton
    from core.finetune.codegen import script
    from core.zoo import get_entry, model_stages, torchvision_weights
    from core.finetune.head import head_spec
    m = skeleton(get_entry(model))
    stages = [{"name": s.name, "modules": list(s.modules)} for s in model_stages(m, 64)]
    cfg = json.loads(json.dumps(FinetuneConfig(data="x", model=model, strategy=strategy).__dict__))
    frozen = [s["name"] for s in stages[:-2]] if strategy == "partial" else []
    cfg["resolved"] = {"lr": 3e-4, "augment": "light", "image_size": 64, "frozen_stages": frozen, "pretrained": True,
                       "head": head_spec(m, 3, 0, 0.0), "weights_source": "download",
                       "preprocess": {"input_size": 64, "resize_size": 73, "mean": [0.5] * 3, "std": [0.5] * 3,
                                      "interpolation": "bilinear"},
                       "dataset": {"name": "x", "train": 24, "val": 6, "test": 0}}
    text = script({**cfg, "library": "torchvision"}, None, stages, str(torchvision_weights(model)), "r", "en")
    ast.parse(text)
    for line in expect:
        assert line in text, line


def test_cli_prints_and_writes_the_script(full_run, tmp_path, monkeypatch):
    import core.cli
    if "code" not in core.cli.COMMAND_MODULES:
        monkeypatch.setattr(core.cli, "COMMAND_MODULES", (*core.cli.COMMAND_MODULES, "code"))
    res = run_cli("code", "--run", str(full_run))
    assert res.returncode == 0, res.stderr
    assert res.stdout.startswith('"""Run ') and "optimizer = torch.optim.AdamW" in res.stdout
    out = tmp_path / "s.py"
    res = run_cli("code", "--run", str(full_run), "--lang", "pt", "--out", str(out), "--json")
    assert res.returncode == 0 and json.loads(res.stdout)["out"] == str(out)
    assert out.read_text(encoding="utf-8") == run_script(full_run, "pt")
    bad = run_cli("code", "--run", "not-a-run")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_an_unfinished_run_has_no_code_yet(tmp_path):
    from core.errors import UserError
    with pytest.raises(UserError, match="holds no exported model"):
        run_script(tmp_path)
