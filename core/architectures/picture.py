"""The receptive field on a picture: theoretical box and effective (gradient) field of one feature-map cell."""
from __future__ import annotations

from core import zoo
from core.errors import UserError

SAMPLE_IMAGES = ("chelsea", "coffee", "astronaut")


def sample_image(key: str):
    """One of scikit-image's bundled photographs as a PIL image (no download)."""
    from PIL import Image
    from skimage import data
    if key not in SAMPLE_IMAGES:
        raise UserError.of("architectures.unknown_sample", sample=str(key), choices=", ".join(SAMPLE_IMAGES))
    return Image.fromarray(getattr(data, key)()).convert("RGB")


def field_picture(built: zoo.BuiltModel, image, input_size: int, stage: dict, cell: tuple[int, int]) -> dict:
    """Theoretical and effective receptive field of one feature-map cell, drawn on ``image``.

    Args:
        built: the model as ``build_model`` made it (its preprocessing is used at ``input_size``).
        image: a PIL RGB image.
        stage: one entry of ``Profile.to_dict()["stages"]`` (a spatial stage).
        cell: (row, column) in that stage's feature map.

    Returns:
        ``image`` (the resized, centre-cropped input as uint8), ``heat`` (|gradient|, max 1), ``box`` (the
        theoretical field clipped to the image: top, bottom, left, right), ``receptive_field``,
        ``effective_stride``, ``erf_side`` (side of the square holding 90 % of the gradient), ``center``.
    """
    import numpy as np
    from torchvision.transforms import v2 as T

    from core.receptive_field import effective_field
    if stage.get("receptive_field") is None or len(stage.get("out_shape", ())) != 3:
        raise UserError.of("architectures.no_spatial_stage", stage=str(stage.get("name")))
    pre = built.preprocess.with_input_size(int(input_size))
    shown = T.Compose([T.Resize(pre.resize_size, antialias=True), T.CenterCrop(pre.input_size)])(image)
    x = pre.transform()(image)
    module = stage["modules"][-1]
    erf = effective_field(built.model, x, module, cell)
    rf, j = stage["receptive_field"], stage["effective_stride"]
    r0, c0 = stage["field_start"]
    top, left = r0 + cell[0] * j, c0 + cell[1] * j
    size = int(input_size)
    box = (max(top, 0), min(top + rf - 1, size - 1), max(left, 0), min(left + rf - 1, size - 1))
    return {"image": np.asarray(shown, dtype=np.uint8), "heat": erf["heat"], "box": box,
            "receptive_field": rf, "effective_stride": j, "erf_side": erf["mass_side"],
            "center": erf["center"], "feature_shape": erf["shape"], "clipped": rf > size}
