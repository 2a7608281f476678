"""The lecture's architecture cards: every number read off the real torchvision models (meta device), checked
against the hand computation or the published figure."""
import pytest

from core import architectures as arch
from core.architectures.cards import conv_output


def test_alexnet_card_against_the_hand_computation():
    c = arch.alexnet_card()
    assert (c["convs"], c["linears"], c["weight_layers"]) == (5, 3, 8)
    assert c["params"] == 61_100_840
    # the paper's conv1 on the lecture's 227 px input: (227 - 11) / 4 + 1 = 55, run on a meta tensor
    assert c["paper_conv1"]["formula"] == (227 - 11) / 4 + 1 == 55
    assert c["paper_conv1"]["out_shape"] == (96, 55, 55)
    assert c["paper_224_formula"] == pytest.approx(54.25)  # the paper's written 224 does not come out whole
    # torchvision's conv1: 64 filters, padding 2, so 224 gives 55 too and 227 gives 56
    assert (c["conv1"]["out"], c["conv1"]["kernel"], c["conv1"]["stride"], c["conv1"]["padding"]) == (64, 11, 4, 2)
    assert c["torchvision_conv1_out"] == {224: (64, 55, 55), 227: (64, 56, 56)}
    assert c["adaptive_pool"] == [6, 6] and c["min_input"] == 63
    assert [(p["kernel"], p["stride"]) for p in c["pools"]] == [(3, 2)] * 3 and c["overlapping_pools"] == 3
    assert [d["p"] for d in c["dropouts"]] == [0.5, 0.5]
    assert [d["name"] for d in c["dropouts"]] == ["classifier.0", "classifier.3"]
    assert c["relus"] == 7 and c["tanh_or_sigmoid"] == 0
    assert c["lrn_layers"] == 0  # torchvision's AlexNet has no local response normalisation
    assert (c["paper"]["gpus"], c["paper"]["gpu_memory_gb"], c["paper"]["conv1_filters"]) == (2, 3, 96)


def test_vgg_card_against_the_hand_computation():
    c = arch.vgg_card()
    assert c["params"] == 138_357_544
    fc = 25088 * 4096 + 4096 + 4096 * 4096 + 4096 + 4096 * 1000 + 1000
    assert c["classifier_params"] == fc == 123_642_856 and c["conv_params"] == 138_357_544 - fc
    assert c["classifier_share"] == pytest.approx(fc / 138_357_544) and 0.89 < c["classifier_share"] < 0.90
    assert c["first_fc_params"] == 25088 * 4096 + 4096
    assert (c["convs"], c["linears"], c["weight_layers"], c["vgg19_weight_layers"]) == (13, 3, 16, 19)
    assert c["conv_kinds"] == [(3, 1, 1)] and c["pool_kinds"] == [(2, 2)]
    assert c["features_shape"] == (512, 7, 7) and c["flat_features"] == 512 * 7 * 7 == 25_088
    assert (c["first_fc_in"], c["first_fc_out"]) == (25_088, 4096)
    s, C = c["stack"], c["stack"]["channels"]
    assert s["receptive_field"] == 7
    assert s["stack_params"] == 3 * (3 ** 2 * C ** 2) and s["single_params"] == 7 ** 2 * C ** 2
    assert s["ratio"] == pytest.approx(49 / 27)


def test_resnet_card_reads_the_stride_and_the_shortcut_from_the_model():
    c = arch.resnet_card()
    proj, ident, basic = c["projection"], c["identity"], c["basic"]
    # torchvision's Bottleneck ("ResNet V1.5"): the stride 2 in the 3x3, not in the first 1x1 as in the paper
    assert proj["type"] == "Bottleneck" and proj["stride_at"] == "conv2"
    assert [(x["kernel"], x["stride"]) for x in proj["main"]] == [(1, 1), (3, 2), (1, 1)]
    assert proj["in_shape"] == (256, 56, 56) and proj["out_shape"] == (512, 28, 28)
    sc = proj["shortcut"]
    assert (sc["kernel"], sc["stride"], sc["in"], sc["out"]) == (1, 2, 256, 512)
    assert sc["layers"] == ["Conv2d", "BatchNorm2d"]
    assert ident["shortcut"] is None and ident["in_shape"] == ident["out_shape"] == (512, 28, 28)
    assert basic["type"] == "BasicBlock" and basic["stride_at"] == "conv1" and basic["main"][0]["kernel"] == 3
    assert c["depths"] == {"resnet18": 18, "resnet50": 50, "resnet152": 152}
    w = c["weights"]
    assert (w["default"], w["v1"]) == ("ResNet50_Weights.IMAGENET1K_V2", "ResNet50_Weights.IMAGENET1K_V1")
    assert w["default_top1"] == pytest.approx(80.858) and w["v1_top1"] == pytest.approx(76.13)


def test_v2_weights_are_flagged_wherever_a_top1_is_shown():
    """Every catalog model whose default weights are torchvision's V2 (a 2021 recipe) carries its V1 top-1."""
    from core.zoo import CATALOG
    flagged = {n for n, e in CATALOG.items() if arch.weights_versions(e)}
    assert flagged == {"resnet50", "resnet101", "resnet152", "mobilenet_v2", "mobilenet_v3_large", "regnet_y_400mf"}
    row = arch.profile("resnet50", 64).to_dict(layers=False)
    assert row["top1"] == pytest.approx(80.858) and row["weights_versions"]["v1_top1"] == pytest.approx(76.13)
    assert arch.profile("resnet18", 64).weights_versions is None


def test_conv_output_formula():
    assert conv_output(227, 11, 4) == 55 and conv_output(224, 11, 4, 2) == 55.25 and conv_output(56, 3, 2, 1) == 28.5


def test_residual_picture_draws_the_model_blocks():
    from core.plots.architectures import residual_blocks
    c = arch.resnet_card()
    fig = residual_blocks([c["projection"], c["identity"]], "pt")
    texts = " ".join(a.text for a in fig.layout.annotations)
    assert "3×3 conv, 128→128<br><b>stride 2</b>" in texts and "1×1 conv, 256→512<br><b>stride 2</b>, BN" in texts
    assert "atalho com projeção" in texts and "identidade: x" in texts and "512×28×28" in texts


@pytest.mark.parametrize("value, en, pt", [(3e-3, "3e-3", "3e-3"), (1e-4, "1e-4", "1e-4"), (2.5e-5, "2.5e-5", "2,5e-5"),
                                           (9.79e-4, "9.8e-4", "9,8e-4")])
def test_learning_rates_are_written_as_people_write_them(value, en, pt):
    from core.plots.finetune import rate
    assert rate(value, "en") == en and rate(value, "pt") == pt


def test_stage_names_in_the_page_language():
    from core.plots.architectures import stage_label
    assert [stage_label(n, "pt") for n in ("stem", "stage3", "head", "blocks")] == ["stem", "estágio 3", "classificador",
                                                                                  "blocks"]
    assert stage_label("stage3", "en") == "stage 3"


def test_every_key_built_at_run_time_exists():
    """Keys the pages and the code generator build with f-strings, over every value they can take."""
    import re
    from core.architectures import lecture
    from core.finetune import AUGMENTS, STRATEGIES
    from core.finetune.strategies import ALL, HEAD, LAST_STAGES
    from core.i18n import LANGUAGES, all_strings
    from core.zoo import CATALOG
    markers = set(re.findall(r"# @(\w+)", lecture.PRETRAINED_FIXED + lecture.HEAD_FIXED + lecture.RES_FIXED))
    keys = ([f"architectures.code.{c['key']}.title" for c in lecture.lecture_checks()]
            + [f"architectures.code.comment.{m}" for m in markers]
            + [f"finetune.page.lr_stages.{k}" for k in ("frozen", "partial", "decay", "random")]
            + [f"finetune.page.lr_why.{s}" for s in STRATEGIES] + [f"finetune.strategy.{s}" for s in STRATEGIES]
            + [f"finetune.code.c_freeze_{k}" for k in (HEAD, LAST_STAGES, ALL)]
            + [f"finetune.page.augment.{a}" for a in AUGMENTS]
            + [e.note for e in CATALOG.values() if e.note])
    assert markers and not [k for k in keys if k not in all_strings() or set(all_strings()[k]) != set(LANGUAGES)]
