"""Inside the network: CKA's defining properties and the filter grid's pixels."""
import numpy as np
import pytest
import torch

from core.inside import filter_grid, first_conv, linear_cka
from core.inside.filters import relative_change


@pytest.fixture(scope="module")
def acts():
    rng = np.random.default_rng(0)
    return rng.normal(size=(400, 64)), rng


def test_cka_of_a_representation_with_itself_is_one(acts):
    x, _ = acts
    assert linear_cka(x, x) == pytest.approx(1.0, abs=1e-12)


def test_cka_ignores_orthogonal_transforms_and_isotropic_scaling(acts):
    x, rng = acts
    q, _ = np.linalg.qr(rng.normal(size=(64, 64)))
    assert linear_cka(x, 7.5 * x @ q) == pytest.approx(1.0, abs=1e-9)
    assert linear_cka(x, x + 3.0) == pytest.approx(1.0, abs=1e-12)  # columns are centred


def test_cka_is_low_for_independent_random_features_and_not_invariant_to_any_linear_map(acts):
    x, rng = acts
    assert linear_cka(x, rng.normal(size=(400, 64))) < 0.25
    stretch = np.diag(np.r_[np.full(8, 50.0), np.ones(56)])  # invertible, not orthogonal: CKA changes
    assert linear_cka(x, x @ stretch) < 0.9


def test_cka_gram_form_for_wide_features_equals_the_feature_form():
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=(30, 20)), rng.normal(size=(30, 20))
    wide_y = np.concatenate([y, np.zeros((30, 100))], axis=1)  # same values, wider than n: Gram path
    assert linear_cka(x, wide_y) == pytest.approx(linear_cka(x, y), rel=1e-10)
    with pytest.raises(ValueError, match="same examples"):
        linear_cka(x, y[:10])
    assert linear_cka(x, np.ones((30, 4))) == 0.0


def test_filter_grid_of_a_known_tensor_has_the_expected_pixels():
    w = torch.zeros(4, 3, 2, 2)
    w[0, 0] = 1.0                   # a pure red filter
    w[1, 2, 0, 0] = -3.0            # strongest (norm 3): one dark-blue pixel
    w[2] = torch.tensor([0.0, 1.0]).view(1, 1, 2).expand(3, 2, 2)   # a vertical edge, grey
    grid = filter_grid(w, normalise="per_filter", sort_by_norm=True, cols=2)
    assert grid.image.shape == (2 * 3 - 1, 2 * 3 - 1, 3) and grid.shape == (4, 3, 2, 2)
    assert grid.order[0] == 1 and grid.tile_at(0, 0) == 1 and grid.tile_at(5, 5) is None
    tile = lambda pos: grid.image[(pos // 2) * 3:(pos // 2) * 3 + 2, (pos % 2) * 3:(pos % 2) * 3 + 2]  # noqa: E731
    red = tile(grid.order.index(0))
    assert (red[..., 0] == 255).all() and (red[..., 1:] == 0).all()
    edge = tile(grid.order.index(2))
    assert (edge[:, 0] == 0).all() and (edge[:, 1] == 255).all()
    assert (grid.image[2, :] == 255).all()  # the white gap between rows
    shared = filter_grid(w, normalise="shared", sort_by_norm=False, cols=2)
    assert shared.image[0, 0].tolist() == [170, 128, 128]  # +1 in a layer whose largest |w| is 3: 1/6 + 0.5
    assert (shared.image[3:5, 3:5] == 128).all()           # the all-zero filter is mid-grey


def test_first_conv_and_relative_change():
    from core.zoo import build_model
    model = build_model("tf_efficientnet_lite0", pretrained=False).model
    name, conv = first_conv(model)
    assert name == "conv_stem" and tuple(conv.weight.shape) == (32, 3, 3, 3)
    after = conv.weight.detach().clone()
    after[5] *= 1.5
    change = relative_change(conv.weight, after)
    assert change[5] == pytest.approx(0.5) and sum(change) == pytest.approx(0.5)


# ------------------------------------------------------------------------------- runs and their reference
import json  # noqa: E402
import shutil  # noqa: E402
from pathlib import Path  # noqa: E402

from conftest import make_color_folder, run_cli  # noqa: E402

FIXTURE_RUN = Path(__file__).parent / "fixtures" / "runs_v1" / "20261130-041307-de2e05"
LITE0 = "tf_efficientnet_lite0"


def _train(folder, out: Path, strategy: str, **kw) -> Path:
    from core.finetune import FinetuneConfig, fit
    fit(FinetuneConfig(data=str(folder), model=LITE0, strategy=strategy, epochs=1, image_size=48, batch_size=8,
                       augment="none", **kw), out)
    return out


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """A linear-probe, a partial (last 2 stages) and a from-scratch run of Lite0 at 48 px on 15 small pictures."""
    root = tmp_path_factory.mktemp("inside_runs")
    colors = make_color_folder(root / "colors", per_class=5)
    return {s: _train(colors, root / s, s) for s in ("linear_probe", "partial", "scratch")}


def _copy_run(src: Path, dst: Path, edit=None) -> Path:
    from core.runs import RunFolder
    shutil.copytree(src, dst)
    if edit is not None:
        cfg = RunFolder(dst).config()
        edit(cfg["resolved"])
        RunFolder(dst).write_config(cfg)
    return dst


def test_a_linear_probe_run_changes_no_backbone_stage(runs):
    from core.inside.change import run_change
    res = run_change(runs["linear_probe"])
    assert res["reference"]["status"] == "verified" and res["reference"]["source"] == "pretrained"
    names = [s["name"] for s in res["stages"]]
    assert names == ["stem", "stage2", "stage3", "stage4", "stage5"]  # Lite0's backbone; its new head is not compared
    for s in res["stages"]:
        assert s["relative_change"] == 0.0 and s["cka"] == 1.0 and s["frozen"], s
    assert res["cka_images"] == 0, "identical stages need no forward pass"


def test_a_partial_run_changes_only_the_stages_it_unfroze(runs):
    from core.inside.change import run_change
    res = run_change(runs["partial"], max_images=40)
    frozen = set(res["frozen_stages"])
    assert frozen == {"stem", "stage2", "stage3"}
    for s in res["stages"]:
        if s["name"] in frozen:
            assert s["relative_change"] == 0.0 and s["cka"] == 1.0, s
        else:
            assert s["relative_change"] > 0.0 and 0.0 <= s["cka"] < 1.0 and s["grid"], s
    assert res["cka_images"] == 3  # the run's validation split, all of it
    pooled = run_change(runs["partial"], mode="pool")
    assert [s["cka"] == 1.0 for s in pooled["stages"]] == [True, True, True, False, False]
    assert all(0.0 <= s["cka"] <= 1.0 and not s["grid"] for s in pooled["stages"])


def test_a_scratch_run_is_compared_with_its_own_initialisation(runs):
    from core.inside.change import run_change
    res = run_change(runs["scratch"], cka=False)
    ref = res["reference"]
    assert ref["status"] == "verified" and ref["source"] == "init", ref  # the seed's draw, rebuilt to the byte
    assert "random initialisation" in ref["text"] and "seed 0" in ref["text"]
    assert all(s["relative_change"] > 0 and not s["frozen"] for s in res["stages"])


def test_a_run_without_start_weights_is_compared_only_when_accepted(runs, tmp_path):
    from core.inside.change import run_change
    old = _copy_run(runs["partial"], tmp_path / "old", lambda r: r.pop("start_weights"))
    res = run_change(old)
    assert res["reference"]["status"] == "unrecorded" and res["stages"] == []
    assert "cannot be verified" in res["reference"]["text"]
    ok = run_change(old, accept_unverified=True, cka=False)
    assert ok["reference"]["status"] == "accepted" and "accepted by you" in ok["reference"]["text"]
    assert [s["relative_change"] == 0.0 for s in ok["stages"]] == [True, True, True, False, False]
    cli = run_cli("filters", "--run", old, "--json")
    assert cli.returncode == 2 and "--accept-current-weights" in cli.stderr and not cli.stdout
    # a run written by the code before runs recorded their start (ShuffleNet, random init, linear probe)
    assert run_change(FIXTURE_RUN)["reference"]["status"] == "unrecorded"
    fixture = run_change(FIXTURE_RUN, accept_unverified=True, cka=False)
    assert fixture["reference"]["source"] == "init"
    assert all(s["relative_change"] == 0.0 for s in fixture["stages"])  # its seed rebuilt the same draw


def test_another_reference_is_refused_not_compared(runs, tmp_path):
    from core.inside.change import run_change
    other = _copy_run(runs["partial"], tmp_path / "other",
                      lambda r: r["start_weights"].update(sha256="0" * 64))
    res = run_change(other)
    assert res["reference"]["status"] == "mismatch" and res["stages"] == []
    assert "rather than against the wrong reference" in res["reference"]["text"]


def test_a_deleted_dataset_keeps_the_weight_change_and_says_the_data_is_gone(runs, tmp_path):
    from core.data import delete_dataset, open_dataset
    doomed = open_dataset(make_color_folder(tmp_path / "few", per_class=2, seed=3))
    # a copy of the partial run whose dataset is this one, which is then deleted for real
    run = _copy_run(runs["partial"], tmp_path / "run", lambda r: r["dataset"].update(id=doomed.id))
    delete_dataset(doomed.id)
    res = run_cli("filters", "--run", run, "--json")
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert [s["cka"] for s in out["stages"]] == [1.0, 1.0, 1.0, None, None]  # frozen stages need no data
    assert out["stages"][-1]["relative_change"] > 0
    assert res.stderr.count("\n") == 1 and "was deleted" in res.stderr and out["notes"] == [res.stderr.strip()]


def test_cli_filters_json(runs, tmp_path):
    res = run_cli("filters", "--model", LITE0, "--json", "--out", tmp_path / "f.png")
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["layer"] == "conv_stem" and out["shape"] == [32, 3, 3, 3] and out["pretrained"] is True
    from PIL import Image
    assert Image.open(out["out"]).size[0] > 2 * Image.open(out["out"]).size[1]  # pretrained beside random
    res = run_cli("filters", "--run", runs["partial"], "--json", "--no-cka")
    out = json.loads(res.stdout)
    assert res.returncode == 0 and {"layer", "shape", "filters", "stages"} <= set(out)
    assert len(out["filters"]) == 32 and set(out["filters"][0]) == {"index", "relative_change"}
    assert all(f["relative_change"] == 0.0 for f in out["filters"])  # the stem was frozen
    assert {"name", "relative_change", "cka"} <= set(out["stages"][0])
    assert out["stages"][0]["relative_change"] == 0.0 and out["stages"][0]["cka"] == 1.0


# ----------------------------------------------------------------------------------------------- the probe
@pytest.fixture(scope="module")
def digits_subset(tmp_path_factory):
    """The digits demo, 4 images of each of its 10 classes, as a stored dataset."""
    from core.data import open_dataset, write_demo
    root = tmp_path_factory.mktemp("digits")
    write_demo("digits", root / "all")
    for d in sorted((root / "all").iterdir()):
        (root / "subset" / d.name).mkdir(parents=True)
        for f in sorted(d.iterdir())[:4]:
            shutil.copy(f, root / "subset" / d.name / f.name)
    return open_dataset(str(root / "subset"))


def test_the_probe_measures_every_stage_for_both_weights_and_reuses_its_features(digits_subset, monkeypatch):
    from core.inside import probe
    res = probe.probe_stages(digits_subset.id, LITE0, image_size=64, folds=3)
    assert [s["name"] for s in res["stages"]] == ["stem", "stage2", "stage3", "stage4", "stage5"]
    for s in res["stages"]:
        assert 0.0 <= s["pretrained_acc"] <= 1.0 and 0.0 <= s["random_acc"] <= 1.0, s
    assert res["images"] == 40 and res["folds"] == 3 and not any(f["cached"] for f in res["features"].values())
    assert Path(res["features"]["pretrained"]["path"]).parent == digits_subset.dir / "features"

    def no_forward(*a, **k):
        raise AssertionError("the cached features were computed again")
    monkeypatch.setattr(probe, "run", no_forward)
    seen = []
    again = probe.probe_stages(digits_subset.id, LITE0, image_size=64, folds=3, progress=lambda f, n: seen.append(f))
    assert all(f["cached"] for f in again["features"].values())
    assert again["stages"] == res["stages"] and seen[-1] == 1.0
    cli = run_cli("probe-stages", "--data", digits_subset.id, "--model", LITE0, "--image-size", "64", "--folds",
                  "2", "--json")
    assert cli.returncode == 0, cli.stderr
    assert [set(s) >= {"name", "pretrained_acc", "random_acc"} for s in json.loads(cli.stdout)["stages"]] == [True] * 5


# ------------------------------------------------------------------------------ feature maps and forgetting
def test_feature_maps_find_the_strongest_cell_and_its_field():
    from core.architectures import sample_image
    from core.errors import UserError
    from core.inside.featuremaps import feature_maps
    from core.zoo import build_model
    built = build_model(LITE0)
    res = feature_maps(built, sample_image("chelsea"), 96, "stage3", top=4)
    c, h, w = res["shape"]
    assert (c, h, w) == (40, 12, 12) and res["maps"].shape == (4, 12, 12) and res["image"].shape == (96, 96, 3)
    means = [ch["mean"] for ch in res["channels"]]
    assert means == sorted(means, reverse=True) and res["channel"] == res["channels"][0]["index"]
    p = res["peak"]
    assert p["value"] == pytest.approx(float(res["channel_map"].max()))
    top, bottom, left, right = res["box"]  # the cell's field contains the input pixels it stands for
    assert top <= p["row"] * 8 + 4 <= bottom and left <= p["col"] * 8 + 4 <= right and res["effective_stride"] == 8
    with pytest.raises(UserError, match="choose a channel from 0 to 39"):
        feature_maps(built, sample_image("chelsea"), 96, "stage3", channel=40)
    with pytest.raises(UserError, match="no stage 'stage9'"):
        feature_maps(built, sample_image("chelsea"), 96, "stage9")


def test_natural_photos_are_at_least_a_dozen_and_deterministic():
    import numpy as np
    from core.inside.forgetting import MIN_PHOTOS, natural_photos
    photos, info = natural_photos()
    again, _ = natural_photos()
    assert len(photos) >= MIN_PHOTOS and info["total"] == len(photos) == info["photos"] + info["views"]
    assert "chelsea" in info["names"] and "coffee" in info["names"]
    assert all(np.array_equal(np.asarray(a[1]), np.asarray(b[1])) for a, b in zip(photos, again))


def test_forgetting_a_frozen_backbone_forgets_nothing(runs):
    from core.errors import UserError
    from core.inside.forgetting import forgetting, natural_photos
    photos = natural_photos()[0][:3]
    res = forgetting(runs["linear_probe"], photos=photos)
    assert res["identical_backbone"] and res["agreement"] == 1.0 and len(res["rows"]) == 3
    chelsea = next(r for r in res["rows"] if r["photo"] == "chelsea")
    assert "cat" in chelsea["pretrained"][0]["label"]  # the pretrained classifier really is back on
    with pytest.raises(UserError, match="never had an ImageNet classifier"):
        forgetting(runs["scratch"])


def test_filters_of_a_model_without_offline_weights_say_so_and_grids_keep_an_order():
    from core.inside.filters import model_first_conv
    fc = model_first_conv("resnet18", False)
    assert fc.layer == "conv1" and tuple(fc.weight.shape) == (64, 3, 7, 7) and not fc.weights.pretrained
    assert model_first_conv("resnet18", False) is fc  # cached per model
    grid = filter_grid(fc.weight, order=[5, 3, 1], limit=2)
    assert grid.order == [5, 3] and grid.image.shape == (7, 15, 3)
