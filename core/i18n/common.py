STRINGS = {
    "app.title": {"en": "CNN Transfer Lab", "pt": "CNN Transfer Lab"},
    "app.tagline": {"en": "Compare CNNs, fine-tune a pretrained backbone on your images, look inside.",
                    "pt": "Compare CNNs, faça o ajuste fino de uma rede base pré-treinada com suas imagens e "
                          "veja a rede por dentro."},
    "app.language": {"en": "Language", "pt": "Idioma"},
    "app.device": {"en": "Device", "pt": "Dispositivo"},
    "app.device_cuda": {"en": "GPU: {name} ({memory_gb:decimal1} GB)", "pt": "GPU: {name} ({memory_gb:decimal1} GB)"},
    "app.device_cpu": {"en": "CPU only, {cores} cores", "pt": "Apenas CPU, {cores} núcleos"},
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
        "pt": "Não há pesos pré-treinados de {model} disponíveis neste servidor sem acesso à internet: o modelo "
              "usa inicialização aleatória, então nada é transferido."},
    "common.weights_source": {"en": "Weights: {source}", "pt": "Pesos: {source}"},
    "common.weights_kind.file": {"en": "your file", "pt": "seu arquivo"},
    "common.weights_kind.cache": {"en": "local cache", "pt": "cache local"},
    "common.weights_kind.package": {"en": "installed package", "pt": "pacote instalado"},
    "common.weights_kind.download": {"en": "downloaded", "pt": "baixados"},
    "common.weights_kind.random": {"en": "random initialisation", "pt": "inicialização aleatória"},
    "common.model": {"en": "Model", "pt": "Modelo"},
    "common.unexpected": {
        "en": "Something went wrong on our side ({kind}), not with what you entered: try again, and if it happens "
              "again tell whoever runs this server, whose log has the details.",
        "pt": "Algo deu errado do nosso lado ({kind}), não com o que você informou: tente de novo e, se voltar a "
              "acontecer, avise quem mantém este servidor, cujo log tem os detalhes."},
}
