"""Receptive fields: the analytical recurrence against hand computations and against the gradient footprint."""
import pytest
import torch
from torch import nn

from core.errors import UserError
from core.receptive_field import (Axis, Field, effective_field, gradient_footprint, module_fields,
                                  stack_fields)


def _materialise(module: nn.Module) -> nn.Module:
    """Random weights for a meta-built module (much faster than the constructors' own initialisers for the
    huge fully connected layers; the values do not matter for a footprint, only that they are not zero)."""
    torch.manual_seed(0)
    module = module.to_empty(device="cpu")
    with torch.no_grad():
        for p in module.parameters():
            p.normal_(0, 0.1)
        for name, b in module.named_buffers():
            if b.is_floating_point():
                b.fill_(1.0 if name.endswith("running_var") else 0.0)
    return module.eval()


def _torchvision(name):
    from torchvision.models import get_model
    kw = dict(aux_logits=False, init_weights=False) if name in ("googlenet", "inception_v3") else {}
    with torch.device("meta"):
        return get_model(name, weights=None, **kw).eval()


def _timm(name):
    import timm
    with torch.device("meta"):
        return timm.create_model(name, pretrained=False).eval()


# ------------------------------------------------------------------------------------- hand computed
def test_three_3x3_convs_see_7x7_with_27_instead_of_49_c2_weights():
    s = stack_fields(3, kernel=3, stride=1, dilation=1, channels=64)
    assert [r["receptive_field"] for r in s["rows"]] == [3, 5, 7]
    assert s["receptive_field"] == 7 and s["effective_stride"] == 1
    assert s["stack_params"] == 3 * 9 * 64 * 64 == 110_592
    assert s["single_params"] == 49 * 64 * 64 == 200_704
    assert s["ratio"] == pytest.approx(49 / 27)


def test_stride_and_dilation_in_the_stack():
    # stride 2: every later layer steps twice as far: 3, 3 + 2·2 = 7, 7 + 2·4 = 15
    s = stack_fields(3, kernel=3, stride=2)
    assert [r["receptive_field"] for r in s["rows"]] == [3, 7, 15]
    assert [r["effective_stride"] for r in s["rows"]] == [2, 4, 8]
    # dilation 2 spreads a 3-tap kernel over 5 pixels: 5, 9, 13
    d = stack_fields(3, kernel=3, dilation=2)
    assert [r["receptive_field"] for r in d["rows"]] == [5, 9, 13]
    with pytest.raises(UserError, match="at least 1"):
        stack_fields(0)


def test_axis_recurrence_matches_alexnet_conv1_and_pool():
    a = Axis().layer(11, 4, 2)            # conv1: 11×11, stride 4, padding 2
    assert (a.size, a.stride, a.padding) == (11, 4, 2)
    b = a.layer(3, 2, 0)                  # max-pool 3×3 stride 2
    assert (b.size, b.stride) == (11 + 2 * 4, 8)
    f = Field(b, b)
    assert f.box(1, 1) == (-2 + 8, -2 + 8 + 18, -2 + 8, -2 + 8 + 18)
    assert f.box(0, 0, 10, 10) == (0, 9, 0, 9)


# ---------------------------------------------------------------------------------- gradient check
# (builder, model, module, input size, theoretical field if it lies fully inside the image)
CASES = [
    (_torchvision, "alexnet", "features", 227, 195),  # at 227 px the central cell's field fits
    (_torchvision, "vgg11", "features", 224, 150),
    (_torchvision, "vgg16", "features", 224, 212),
    (_torchvision, "resnet18", "layer2", 128, 99),       # residual additions and 1×1 stride-2 shortcuts
    (_torchvision, "resnet18", "layer4", 224, None),     # 435 px: larger than the image, compared clipped
    (_torchvision, "googlenet", "inception4a", 224, 107),  # Inception branches, ceil-mode pooling
    (_torchvision, "inception_v3", "Mixed_5d", 160, 127),  # Inception-v3 with functional pooling
    (_torchvision, "densenet121", "features.denseblock1", 96, 59),  # concatenations
    (_torchvision, "shufflenet_v2_x1_0", "stage2", 128, 63),  # split / view / transpose channel shuffle
    (_torchvision, "convnext_tiny", "features.1", 96, 76),  # permute to channels-last, LayerNorm, Linear
    (_torchvision, "mobilenet_v2", "features.7", 160, 75),
    (_timm, "tf_efficientnet_lite0", "blocks.2", 96, 67),  # TF "same" padding: asymmetric F.pad
]


@pytest.mark.parametrize("builder,name,module,size,expected", CASES,
                         ids=[f"{c[1]}-{c[2]}" for c in CASES])
def test_analytical_field_equals_gradient_footprint(builder, name, module, size, expected):
    model = builder(name)                       # on meta: the analytical pass allocates nothing
    field = module_fields(model, size)[module].field
    if module == "features":                    # AlexNet / VGG: only the convolutional part needs weights
        fp = gradient_footprint(_materialise(model.features), size)
    else:
        fp = gradient_footprint(_materialise(model), size, module)
    u, v = fp["cell"]
    top, bottom, left, right = field.box(u, v, size, size)
    assert fp["rows"] == (top, bottom) and fp["cols"] == (left, right), (field, fp)
    if expected is not None:
        assert field.size == expected
        assert bottom - top + 1 == expected and right - left + 1 == expected  # the whole field fits


def test_fields_on_the_meta_device_equal_those_on_cpu():
    meta = _torchvision("resnet18")
    cpu, met = module_fields(_materialise(_torchvision("resnet18")), 160), module_fields(meta, 160)
    for name in ("layer1", "layer2", "layer3", "layer4"):
        assert cpu[name].field == met[name].field


def test_squeeze_excitation_and_attention_are_flagged_global():
    mb = module_fields(_torchvision("mobilenet_v3_small"), 96)
    assert mb["features"].global_context and mb["features"].field is not None
    lite = module_fields(_timm("tf_efficientnet_lite0"), 96)
    assert not lite["blocks"].global_context  # the Lite models drop squeeze-and-excitation
    v = module_fields(_torchvision("vit_b_16"), 224)
    assert v["conv_proj"].field.size == 16 and v["conv_proj"].field.stride == 16
    assert v["encoder"].field is None and v["encoder"].global_context


def test_effective_field_is_smaller_than_theoretical_and_leaves_model_as_found():
    model = _materialise(_torchvision("resnet18"))
    model.train()
    flags = [p.requires_grad for p in model.parameters()]
    torch.manual_seed(1)
    x = torch.randn(3, 224, 224)
    out = effective_field(model, x, "layer3", (7, 7))
    field = module_fields(model, 224)["layer3"].field
    assert out["heat"].shape == (224, 224) and out["heat"].max() == pytest.approx(1.0)
    assert out["shape"] == (256, 14, 14)
    assert 0 < out["mass_side"] < field.size  # 90 % of the gradient sits in a much smaller square
    assert model.training and [p.requires_grad for p in model.parameters()] == flags
    with pytest.raises(UserError, match="outside"):
        effective_field(model, x, "layer3", (20, 0))


def test_gradient_footprint_rejects_a_non_spatial_layer():
    model = nn.Sequential(nn.Conv2d(3, 4, 3), nn.Flatten())
    with pytest.raises(UserError, match="spatial"):
        gradient_footprint(model, 16, "1")
