"""The lecture's code run as written: the warnings and errors a student gets are PyTorch's own, word for word,
and the corrected code runs. Nothing is downloaded (the suite is offline; the weights request is recorded)."""
import pytest
import torch

from core.architectures import lecture


def _runs(check):
    return {r["call"]: r for r in check["runs"]}, {r["call"]: r for r in check["fixed_runs"]}


def test_pretrained_true_warns_and_maps_to_the_v1_weights():
    check = lecture.check_pretrained()
    old, new = _runs(check)
    alex = old["alexnet = models.alexnet(pretrained=True)"]
    assert alex["ok"] and alex["weights"] == [{"weights": "AlexNet_Weights.IMAGENET1K_V1",
                                               "file": "alexnet-owt-7be5be79.pth"}]
    assert alex["warnings"][0] == ("UserWarning: The parameter 'pretrained' is deprecated since 0.13 and may be "
                                   "removed in the future, please use 'weights' instead.")
    assert "equivalent to passing `weights=AlexNet_Weights.IMAGENET1K_V1`" in alex["warnings"][1]
    assert alex["first_conv_filters"] == 64 and alex["params"] == 61_100_840
    vgg = old["model = models.vgg16(pretrained=True)"]
    assert vgg["weights"][0]["weights"] == "VGG16_Weights.IMAGENET1K_V1" and vgg["params"] == 138_357_544
    # pretrained=True gives ResNet-50's V1 weights; DEFAULT is V2, another file
    assert old["resnet = models.resnet50(pretrained=True)"]["weights"][0]["weights"] == "ResNet50_Weights.IMAGENET1K_V1"
    assert len(new) == 4
    for call, run in new.items():
        assert run["ok"] and run["warnings"] == [], call
    assert new["resnet = models.resnet50(weights=ResNet50_Weights.IMAGENET1K_V1)"]["weights"] == \
        old["resnet = models.resnet50(pretrained=True)"]["weights"]
    assert new["resnet_v2 = models.resnet50(weights=ResNet50_Weights.DEFAULT)"]["weights"][0]["weights"] == \
        "ResNet50_Weights.IMAGENET1K_V2"


def test_the_lecture_head_cannot_take_vgg16_features():
    check = lecture.check_vgg_head()
    run, fixed = check["runs"][0], check["fixed_runs"][0]
    assert run["features"] == (25_088,) and not run["ok"]
    assert run["error"] == "RuntimeError: mat1 and mat2 shapes cannot be multiplied (1x25088 and 512x128)"
    assert run["ends_with_sigmoid"]  # one output + Sigmoid: a binary classifier
    assert run["trainable"] == 512 * 128 + 128 + 128 * 1 + 1
    assert fixed["ok"] and fixed["shape"] == (5,) and not fixed["ends_with_sigmoid"]
    assert fixed["trainable"] == 25_088 * 128 + 128 + 128 * 5 + 5  # only the new head trains


def test_reslayer_fails_where_the_shape_changes_and_the_fix_runs():
    check = lecture.check_reslayer()
    old, new = _runs(check)
    assert old["ResLayer(64, 64, 3)(x)"]["ok"] and old["ResLayer(64, 64, 3)(x)"]["shape"] == (64, 56, 56)
    # padding = kernel_size - 2: 3 for a 5x5 (needs 2), 5 for a 7x7 (needs 3): the branch grows by 2 and 4 px
    assert old["ResLayer(64, 64, 5)(x)"]["padding"] == 3 and old["ResLayer(64, 64, 7)(x)"]["padding"] == 5
    assert old["ResLayer(64, 64, 5)(x)"]["error"] == ("RuntimeError: The size of tensor a (58) must match the size "
                                                      "of tensor b (56) at non-singleton dimension 3")
    assert "tensor a (60) must match the size of tensor b (56)" in old["ResLayer(64, 64, 7)(x)"]["error"]
    assert "tensor a (128) must match the size of tensor b (64) at non-singleton dimension 1" in \
        old["ResLayer(64, 128, 3)(x)"]["error"]
    assert "tensor a (28) must match the size of tensor b (56)" in old["ResLayer(64, 64, 3, stride=2)(x)"]["error"]
    assert {c: r["shape"] for c, r in new.items()} == {
        "ResLayer(64, 64, 3)(x)": (64, 56, 56), "ResLayer(64, 64, 5)(x)": (64, 56, 56),
        "ResLayer(64, 64, 7)(x)": (64, 56, 56), "ResLayer(64, 128, 3)(x)": (128, 56, 56),
        "ResLayer(64, 64, 3, stride=2)(x)": (64, 28, 28)}
    assert [r["padding"] for r in check["fixed_runs"]] == [1, 2, 3, 1, 1]


def test_the_stand_in_serves_only_the_checking_thread_and_leaves_torchvision_as_it_was(monkeypatch):
    import threading
    import torchvision.models._api as api
    from torchvision.models import AlexNet_Weights
    downloads = []  # the real method's download, recorded instead of made (the suite has no network)
    monkeypatch.setattr(api, "load_state_dict_from_url", lambda url, *a, **k: downloads.append(url) or {})
    before = api.WeightsEnum.get_state_dict
    stand_in = lecture._StandIn()
    with stand_in.installed():
        sd = AlexNet_Weights.IMAGENET1K_V1.get_state_dict(progress=False)
        other = threading.Thread(target=lambda: AlexNet_Weights.IMAGENET1K_V1.get_state_dict(progress=False))
        other.start()
        other.join()
    assert sd["features.0.weight"].shape == (64, 3, 11, 11) and sd["features.0.weight"].is_meta
    assert stand_in.asked == [{"weights": "AlexNet_Weights.IMAGENET1K_V1", "file": "alexnet-owt-7be5be79.pth"}]
    assert downloads == [AlexNet_Weights.IMAGENET1K_V1.url]  # the other thread went to the real method
    assert api.WeightsEnum.get_state_dict is before


def test_checks_carry_the_code_they_ran():
    checks = lecture.lecture_checks()
    assert [c["key"] for c in checks] == ["pretrained", "vgg_head", "reslayer"]
    for c in checks:
        compile(c["code"], "lecture", "exec") and compile(c["fixed_code"], "fixed", "exec")
        assert c["torchvision"]
    assert "padding = kernel_size - 2" in checks[2]["code"] and "kernel_size // 2" in checks[2]["fixed_code"]
    assert "nn.Linear(512, 128)" in checks[1]["code"] and "nn.Linear(512 * 7 * 7, 128)" in checks[1]["fixed_code"]
