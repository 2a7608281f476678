STRINGS = {
    "app.title": {"en": "CNN Transfer Lab", "pt": "CNN Transfer Lab"},
    "app.tagline": {"en": "Compare CNNs, fine-tune one on your images, look inside.",
                    "pt": "Compare CNNs, faça o ajuste fino de uma com suas imagens, olhe por dentro."},
    "app.language": {"en": "Language", "pt": "Idioma"},
    "app.device": {"en": "Device", "pt": "Dispositivo"},
    "app.device_cuda": {"en": "GPU: {name} ({memory_gb} GB)", "pt": "GPU: {name} ({memory_gb} GB)"},
    "app.device_cpu": {"en": "CPU only, {threads} threads", "pt": "Apenas CPU, {threads} threads"},
    "app.versions": {"en": "torch {torch} · torchvision {torchvision} · timm {timm}",
                     "pt": "torch {torch} · torchvision {torchvision} · timm {timm}"},
    "app.section_learn": {"en": "Learn", "pt": "Aprender"},
    "app.section_do": {"en": "Do", "pt": "Fazer"},
    "page.home": {"en": "Home", "pt": "Início"},
    "page.architectures": {"en": "Architectures", "pt": "Arquiteturas"},
    "page.data": {"en": "Datasets", "pt": "Conjuntos de dados"},
    "page.finetune": {"en": "Fine-tuning", "pt": "Ajuste fino"},
    "common.random_weights": {
        "en": "No pretrained weights for {model} are available offline: it uses random initialisation, "
              "so nothing is transferred.",
        "pt": "Não há pesos pré-treinados de {model} disponíveis offline: o modelo usa inicialização "
              "aleatória, então nada é transferido."},
    "common.weights_source": {"en": "Weights: {source}", "pt": "Pesos: {source}"},
    "common.model": {"en": "Model", "pt": "Modelo"},
    "common.error": {"en": "Error: {msg}", "pt": "Erro: {msg}"},
}
