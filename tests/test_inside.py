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
