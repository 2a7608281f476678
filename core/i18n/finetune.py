"""Strings of the fine-tuning feature. Core section first (figures, progress messages); the page's own keys
are appended below in a separate section by the page's author."""

STRINGS = {
    # ---------------------------------------------------------------- core: figures (core/plots/finetune.py)
    "finetune.fig.loss": {"en": "Loss", "pt": "Perda"},
    "finetune.fig.accuracy": {"en": "Accuracy", "pt": "Acurácia"},
    "finetune.fig.epoch": {"en": "Epoch", "pt": "Época"},
    "finetune.fig.train": {"en": "training", "pt": "treino"},
    "finetune.fig.val": {"en": "validation", "pt": "validação"},
    "finetune.fig.confusion": {"en": "Confusion matrix (validation)", "pt": "Matriz de confusão (validação)"},
    "finetune.fig.predicted": {"en": "Predicted class", "pt": "Classe prevista"},
    "finetune.fig.true": {"en": "True class", "pt": "Classe verdadeira"},
    "finetune.fig.cm_hover": {"en": "true %{y}, predicted %{x}: %{z}", "pt": "verdadeira %{y}, prevista %{x}: %{z}"},
    "finetune.fig.per_class": {"en": "Precision and recall per class (validation)",
                               "pt": "Precisão e revocação por classe (validação)"},
    "finetune.fig.precision": {"en": "precision", "pt": "precisão"},
    "finetune.fig.recall": {"en": "recall", "pt": "revocação"},
    "finetune.fig.lr_groups": {"en": "Learning rate of each parameter group (peak, read from the optimizer)",
                               "pt": "Taxa de aprendizado de cada grupo de parâmetros (pico, lida do otimizador)"},
    "finetune.fig.group": {"en": "Stage · group", "pt": "Estágio · grupo"},
    "finetune.fig.lr": {"en": "Learning rate", "pt": "Taxa de aprendizado"},
    "finetune.fig.frozen": {"en": "frozen", "pt": "congelado"},
    "finetune.fig.wd": {"en": "weight decay", "pt": "decaimento de pesos"},
    "finetune.fig.no_wd": {"en": "no decay", "pt": "sem decaimento"},
    "finetune.fig.group_hover": {"en": "{params} parameters, learning rate {lr}",
                                 "pt": "{params} parâmetros, taxa de aprendizado {lr}"},
    # ------------------------------------------------- core: progress messages (event "code" + its fields)
    "finetune.msg.oom": {
        "en": "Out of GPU memory during {what} with a batch of {old}: the batch size is now {new}.",
        "pt": "Memória da GPU esgotada durante {what} com um lote de {old}: o tamanho do lote agora é {new}."},
    "finetune.msg.early_stop": {
        "en": "Early stop after epoch {epoch}: the validation loss has not improved for {patience} epoch(s); "
              "the best epoch was {best}.",
        "pt": "Parada antecipada após a época {epoch}: a perda de validação não melhora há {patience} época(s); "
              "a melhor época foi a {best}."},
    "finetune.msg.resumed": {"en": "Resumed after epoch {epoch} of {epochs}.",
                             "pt": "Retomado após a época {epoch} de {epochs}."},
    "finetune.msg.random_weights": {
        "en": "No pretrained weights for {model} are available offline; the '{strategy}' run starts from random "
              "initialisation, so nothing is transferred.",
        "pt": "Não há pesos pré-treinados de {model} disponíveis offline; a execução '{strategy}' começa com "
              "inicialização aleatória, então nada é transferido."},
    "finetune.msg.probe_no_aug": {
        "en": "Augmentation is off for the linear probe: backbone features are computed once per image and "
              "cached, so a feature cannot be re-augmented.",
        "pt": "O aumento de dados fica desligado na sonda linear: as características do backbone são calculadas "
              "uma vez por imagem e guardadas, então não podem ser aumentadas de novo."},
    "finetune.strategy.linear_probe": {"en": "Feature extraction (linear probe)",
                                       "pt": "Extração de características (sonda linear)"},
    "finetune.strategy.partial": {"en": "Partial fine-tuning (last k stages)",
                                  "pt": "Ajuste fino parcial (últimos k estágios)"},
    "finetune.strategy.full": {"en": "Full fine-tuning with layer-wise learning-rate decay",
                               "pt": "Ajuste fino completo com decaimento da taxa de aprendizado por camada"},
    "finetune.strategy.scratch": {"en": "From scratch (random initialisation, same budget)",
                                  "pt": "Do zero (inicialização aleatória, mesmo orçamento)"},
    "finetune.phase.data": {"en": "preparing the data", "pt": "preparando os dados"},
    "finetune.phase.features": {"en": "computing backbone features (once)",
                                "pt": "calculando as características do backbone (uma vez)"},
    "finetune.phase.train": {"en": "training", "pt": "treinando"},
    "finetune.phase.val": {"en": "validating", "pt": "validando"},
    "finetune.phase.results": {"en": "evaluating the best epoch", "pt": "avaliando a melhor época"},
    "finetune.what.training": {"en": "training", "pt": "o treino"},
    "finetune.what.validation": {"en": "validation", "pt": "a validação"},
    "finetune.what.feature extraction": {"en": "feature extraction", "pt": "a extração de características"},
    # ------------------------------------------------------------------------------ page (pages/finetune.py)
}
