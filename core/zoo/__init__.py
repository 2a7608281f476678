"""The model zoo: the catalog, the one model factory, weight resolution, preprocessing and stages.

``build_model`` is the only place a model is made. It says where the weights came from, in this order:
a safetensors file the user supplies; the local torch-hub / Hugging Face caches (never the network when
offline); weights shipped inside installed packages (EfficientNet-Lite0/1/2); a download when the network
is there and allowed; otherwise random initialisation, reported as such.

Where things are: ``catalog`` (entries, names), ``preprocess`` (each model's recipe), ``weights`` (sources,
loading with every tensor checked), ``classifier`` (the head), ``build`` (the factory), ``stages``,
``imagenet`` (class names, top-k). Import from ``core.zoo``; the modules are its inside.
"""
from core.zoo.build import BuiltModel, build_model, construct
from core.zoo.catalog import CATALOG, DEFAULT_MODEL, ModelEntry, get_entry, list_entries, timm_pretrained_cfg
from core.zoo.classifier import classifier_in_features, classifier_path, num_outputs, set_classifier
from core.zoo.imagenet import classify, imagenet_labels
from core.zoo.preprocess import IMAGENET_MEAN, IMAGENET_STD, Preprocess, preprocess_for
from core.zoo.stages import Stage, model_stages, stage_of_parameter
from core.zoo.weights import (PACKAGED_WEIGHTS, WeightsInfo, load_weights_file, torchvision_weights,
                              weights_available_offline)

__all__ = [
    "CATALOG", "DEFAULT_MODEL", "ModelEntry", "get_entry", "list_entries", "timm_pretrained_cfg",
    "IMAGENET_MEAN", "IMAGENET_STD", "Preprocess", "preprocess_for",
    "PACKAGED_WEIGHTS", "WeightsInfo", "load_weights_file", "torchvision_weights", "weights_available_offline",
    "classifier_in_features", "classifier_path", "num_outputs", "set_classifier",
    "BuiltModel", "build_model", "construct",
    "Stage", "model_stages", "stage_of_parameter",
    "classify", "imagenet_labels",
]
