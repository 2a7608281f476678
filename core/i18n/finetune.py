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
    "finetune.fig.new_layer": {"en": "new layer", "pt": "camada nova"},
    "finetune.fig.wd": {"en": "weight decay", "pt": "decaimento de pesos"},
    "finetune.fig.no_wd": {"en": "no decay", "pt": "sem decaimento"},
    "finetune.fig.group_hover": {"en": "{params} parameters, learning rate {lr}",
                                 "pt": "{params} parâmetros, taxa de aprendizado {lr}"},
    # ------------------------------------------------- core: progress messages (event "code" + its fields)
    "finetune.msg.oom.training": {
        "en": "Out of GPU memory during training with a batch of {old}: the batch size is now {new}.",
        "pt": "Memória da GPU esgotada durante o treino com um lote de {old}: o tamanho do lote agora é {new}."},
    "finetune.msg.oom.validation": {
        "en": "Out of GPU memory during validation with a batch of {old}: the batch size is now {new}.",
        "pt": "Memória da GPU esgotada durante a validação com um lote de {old}: o tamanho do lote agora é {new}."},
    "finetune.msg.oom.features": {
        "en": "Out of GPU memory during feature extraction with a batch of {old}: the batch size is now {new}.",
        "pt": "Memória da GPU esgotada durante a extração de características com um lote de {old}: o tamanho do "
              "lote agora é {new}."},
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
    # ------------------------------------------------------------------------------ page (pages/finetune.py)
    "finetune.page.intro": {
        "en": "Pick a dataset, a pretrained backbone and a strategy, then press **Start**. Training runs in the "
              "background on the server: you can change settings, switch pages or close the tab, and come back "
              "to the run from the list below.",
        "pt": "Escolha um conjunto de dados, uma rede pré-treinada e uma estratégia e clique em **Iniciar**. O "
              "treino roda em segundo plano no servidor: você pode mudar as opções, trocar de página ou fechar "
              "a aba e voltar à execução pela lista abaixo."},
    "finetune.page.shared_note": {
        "en": "Runs are shared: everyone using this server sees every run and can cancel or resume it, as on a "
              "shared lab machine. One run trains per device at a time; the others wait in a queue.",
        "pt": "As execuções são compartilhadas: todos que usam este servidor veem todas as execuções e podem "
              "cancelá-las ou retomá-las, como numa máquina de laboratório compartilhada. Treina-se uma execução "
              "por dispositivo de cada vez; as outras esperam numa fila."},
    "finetune.page.new_run": {"en": "New run", "pt": "Nova execução"},
    "finetune.page.data": {"en": "Dataset", "pt": "Conjunto de dados"},
    "finetune.page.data_help": {
        "en": "Stored datasets come from the Datasets page; the two demo sets are always there.",
        "pt": "Os conjuntos guardados vêm da página Conjuntos de dados; os dois conjuntos de demonstração "
              "estão sempre disponíveis."},
    "finetune.page.demo_digits": {"en": "Demo: digits (10 classes, 8×8 scans)",
                                  "pt": "Demonstração: dígitos (10 classes, 8×8)"},
    "finetune.page.demo_faces": {"en": "Demo: faces vs. not faces", "pt": "Demonstração: rostos e não rostos"},
    "finetune.page.dataset_option": {"en": "{name} ({images} images, {classes} classes)",
                                     "pt": "{name} ({images} imagens, {classes} classes)"},
    "finetune.page.model": {"en": "Backbone", "pt": "Rede base"},
    "finetune.page.scratch_weights": {
        "en": "From scratch: {model} starts from random weights on purpose.",
        "pt": "Do zero: {model} começa de pesos aleatórios de propósito."},
    "finetune.page.strategy": {"en": "Strategy", "pt": "Estratégia"},
    "finetune.page.explain.linear_probe": {
        "en": "The pretrained backbone stays frozen and only a new classifier head learns. The backbone's "
              "features are computed once per image and cached, so every epoch after the first costs almost "
              "nothing. Works best when your images look like the photos the backbone was trained on.",
        "pt": "A rede pré-treinada fica congelada e só uma nova camada de classificação aprende. As "
              "características da rede são calculadas uma vez por imagem e guardadas, então cada época depois "
              "da primeira quase não custa nada. Funciona melhor quando suas imagens se parecem com as fotos "
              "com que a rede foi treinada."},
    "finetune.page.explain.partial": {
        "en": "The last k stages (the deepest, most task-specific features) train together with the head; the "
              "early stages keep their generic edges and textures. A middle ground when you have a few hundred "
              "images per class.",
        "pt": "Os últimos k estágios (as características mais profundas e específicas da tarefa) treinam junto "
              "com a camada de classificação; os primeiros estágios mantêm suas bordas e texturas genéricas. Um "
              "meio-termo quando você tem algumas centenas de imagens por classe."},
    "finetune.page.explain.full": {
        "en": "Every layer trains, but learning rates shrink towards the input (each stage gets the decay "
              "factor times the rate of the stage above), with a low base rate (the course suggests 1e-4 to "
              "1e-5), so the pretrained features are adjusted rather than erased.",
        "pt": "Todas as camadas treinam, mas as taxas de aprendizado diminuem em direção à entrada (cada "
              "estágio recebe o fator de decaimento vezes a taxa do estágio acima), com uma taxa base baixa (o "
              "curso sugere 1e-4 a 1e-5), para que as características pré-treinadas sejam ajustadas e não "
              "apagadas."},
    "finetune.page.explain.scratch": {
        "en": "The same architecture with random weights and the same budget. This baseline shows whether "
              "transfer helped, or hurt (negative transfer).",
        "pt": "A mesma arquitetura com pesos aleatórios e o mesmo orçamento. Esta linha de base mostra se a "
              "transferência ajudou ou atrapalhou (transferência negativa)."},
    "finetune.page.unfreeze": {"en": "Stages to train (k, counted from the head)",
                               "pt": "Estágios a treinar (k, contados a partir da saída)"},
    "finetune.page.unfreeze_help": {"en": "Trains: {stages}", "pt": "Treinam: {stages}"},
    "finetune.page.epochs": {"en": "Epochs", "pt": "Épocas"},
    "finetune.page.lr": {"en": "Learning rate", "pt": "Taxa de aprendizado"},
    "finetune.page.lr_auto": {"en": "strategy default", "pt": "padrão da estratégia"},
    "finetune.page.batch_size": {"en": "Batch size", "pt": "Tamanho do lote"},
    "finetune.page.image_size": {"en": "Input size (px)", "pt": "Tamanho da entrada (px)"},
    "finetune.page.size_auto": {"en": "automatic", "pt": "automático"},
    "finetune.page.size_cpu_note": {
        "en": "No GPU here: the default input is {size} px (instead of {native} px), so an epoch takes minutes, "
              "not hours.",
        "pt": "Sem GPU aqui: a entrada padrão é de {size} px (em vez de {native} px), para que uma época leve "
              "minutos, não horas."},
    "finetune.page.augment": {"en": "Augmentation", "pt": "Aumento de dados"},
    "finetune.page.augment.none": {"en": "none", "pt": "nenhum"},
    "finetune.page.augment.light": {"en": "light", "pt": "leve"},
    "finetune.page.augment.standard": {"en": "standard", "pt": "padrão"},
    "finetune.page.augment_help": {
        "en": "Light: a random crop keeping 50-100 % of the picture, and horizontal flips. Standard: a crop "
              "keeping 25-100 %, flips, and brightness, contrast and saturation changes of up to 40 %. Off for the "
              "linear probe, whose features are computed once.",
        "pt": "Leve: um recorte aleatório que mantém 50-100 % da imagem e espelhamento horizontal. Padrão: um "
              "recorte que mantém 25-100 %, espelhamento e variações de brilho, contraste e saturação de até "
              "40 %. Desligado na sonda linear, cujas características são calculadas uma vez."},
    "finetune.page.label_smoothing": {"en": "Label smoothing", "pt": "Suavização de rótulos"},
    "finetune.page.head": {"en": "Classifier head", "pt": "Camada de classificação"},
    "finetune.page.head_hidden": {"en": "Hidden units (0 = a single linear layer)",
                                  "pt": "Unidades ocultas (0 = uma única camada linear)"},
    "finetune.page.head_dropout": {"en": "Dropout before the last layer", "pt": "Dropout antes da última camada"},
    "finetune.page.more": {"en": "More settings", "pt": "Mais opções"},
    "finetune.page.seed": {"en": "Seed", "pt": "Semente"},
    "finetune.page.weight_decay": {"en": "Weight decay", "pt": "Decaimento de pesos"},
    "finetune.page.patience": {"en": "Early-stopping patience (epochs)",
                               "pt": "Paciência da parada antecipada (épocas)"},
    "finetune.page.layer_decay": {"en": "Layer-wise LR decay factor", "pt": "Fator de decaimento da LR por camada"},
    "finetune.page.estimate": {"en": "Estimate time per epoch", "pt": "Estimar o tempo por época"},
    "finetune.page.estimating": {"en": "Timing a few batches on {device}...",
                                 "pt": "Medindo alguns lotes em {device}..."},
    "finetune.page.estimate_result": {
        "en": "First epoch about **{first}**, each later one about **{later}** on {device} ({images} training "
              "images): about **{total}** for {epochs} epochs. Measured on {batches} batches just now; other work "
              "on the server changes it.",
        "pt": "Primeira época cerca de **{first}**, cada uma das seguintes cerca de **{later}** em {device} "
              "({images} imagens de treino): cerca de **{total}** para {epochs} épocas. Medido agora em {batches} "
              "lotes; outras tarefas no servidor mudam isso."},
    "finetune.page.start": {"en": "Start", "pt": "Iniciar"},
    "finetune.page.started": {"en": "Run {run} queued.", "pt": "Execução {run} na fila."},
    "finetune.page.runs": {"en": "Runs", "pt": "Execuções"},
    "finetune.page.no_runs": {"en": "No runs yet: start one above.",
                              "pt": "Nenhuma execução ainda: inicie uma acima."},
    "finetune.page.pick_run": {"en": "Run to show", "pt": "Execução a mostrar"},
    "finetune.page.run_option": {"en": "{when} · {state} · {model} · {strategy} · {data}",
                                 "pt": "{when} · {state} · {model} · {strategy} · {data}"},
    "finetune.page.bad_run": {"en": "The address names a run that is not here ({msg}); showing the list instead.",
                              "pt": "O endereço indica uma execução que não está aqui ({msg}); mostrando a "
                                    "lista."},
    "finetune.page.state.queued": {"en": "queued", "pt": "na fila"},
    "finetune.page.state.running": {"en": "running", "pt": "treinando"},
    "finetune.page.state.done": {"en": "done", "pt": "concluída"},
    "finetune.page.state.failed": {"en": "failed", "pt": "falhou"},
    "finetune.page.state.cancelled": {"en": "cancelled", "pt": "cancelada"},
    "finetune.page.state.interrupted": {"en": "interrupted", "pt": "interrompida"},
    "finetune.page.state.diverged": {"en": "diverged", "pt": "divergiu"},
    "finetune.page.status_line": {"en": "Run {run}: **{state}** on {device} · started {started} · {elapsed}",
                                  "pt": "Execução {run}: **{state}** em {device} · início {started} · {elapsed}"},
    "finetune.page.queued_status": {"en": "Run {run}: **{state}** since {since}",
                                    "pt": "Execução {run}: **{state}** desde {since}"},
    "finetune.page.queued_line": {
        "en": "Waiting in the queue: position {pos} ({ahead} run(s) ahead of it; one run trains per device at a "
              "time).",
        "pt": "Esperando na fila: posição {pos} ({ahead} execução(ões) à frente; uma execução treina por "
              "dispositivo de cada vez)."},
    "finetune.page.where": {"en": "epoch {epoch}/{epochs}, batch {step}/{steps}",
                            "pt": "época {epoch}/{epochs}, lote {step}/{steps}"},
    "finetune.page.epoch_done": {"en": "epoch {epoch}/{epochs} done: validation accuracy {acc}",
                                 "pt": "época {epoch}/{epochs} concluída: acurácia de validação {acc}"},
    "finetune.page.eta": {"en": "{text} · about {eta} left", "pt": "{text} · faltam cerca de {eta}"},
    "finetune.page.loss_now": {"en": "current batch loss {loss}", "pt": "perda do lote atual {loss}"},
    "finetune.page.no_heartbeat": {
        "en": "The worker has not reported for {seconds} s; it may be stuck or very busy.",
        "pt": "O processo de treino não dá sinal há {seconds} s; pode estar travado ou muito ocupado."},
    "finetune.page.cancel": {"en": "Cancel run", "pt": "Cancelar execução"},
    "finetune.page.cancel_sent": {"en": "Cancel requested: the run stops after the current batch.",
                                  "pt": "Cancelamento pedido: a execução para depois do lote atual."},
    "finetune.page.resume": {"en": "Resume from the last checkpoint", "pt": "Retomar do último checkpoint"},
    "finetune.page.waiting_curves": {"en": "The curves appear after the first epoch.",
                                     "pt": "As curvas aparecem depois da primeira época."},
    "finetune.page.results": {"en": "Results", "pt": "Resultados"},
    "finetune.page.best": {"en": "Validation accuracy at the best epoch",
                           "pt": "Acurácia de validação na melhor época"},
    "finetune.page.best_help": {
        "en": "The best epoch is the one with the lowest validation loss, and its weights are the ones exported; "
              "this is that epoch's accuracy, not the highest accuracy of any epoch.",
        "pt": "A melhor época é a de menor perda de validação, e são os pesos dela que se exportam; esta é a "
              "acurácia dessa época, não a maior acurácia de todas as épocas."},
    "finetune.page.test_acc": {"en": "Test accuracy", "pt": "Acurácia de teste"},
    "finetune.page.test_acc_help": {
        "en": "Measured once, at the end, on images that neither trained the model nor chose its best epoch: "
              "the honest estimate of how it will do on new images.",
        "pt": "Medida uma vez, no fim, em imagens que não treinaram o modelo nem escolheram a melhor época: a "
              "estimativa honesta de como ele vai se sair com imagens novas."},
    "finetune.page.no_test_split": {
        "en": "This dataset has no test split, so there is no test accuracy. The validation accuracy chose the "
              "best epoch and is a little optimistic; store the dataset with a test split on the Datasets page "
              "for an untouched measurement.",
        "pt": "Este conjunto de dados não tem divisão de teste, então não há acurácia de teste. A acurácia de "
              "validação escolheu a melhor época e é um pouco otimista; guarde o conjunto com uma divisão de "
              "teste na página Conjuntos de dados para uma medida intocada."},
    "finetune.page.best_epoch": {"en": "Best epoch", "pt": "Melhor época"},
    "finetune.page.epochs_run": {"en": "Epochs run", "pt": "Épocas executadas"},
    "finetune.page.stopped_early": {"en": "stopped early", "pt": "parada antecipada"},
    "finetune.page.train_time": {"en": "Training time", "pt": "Tempo de treino"},
    "finetune.page.wrong": {"en": "Most confidently wrong validation images",
                            "pt": "Imagens de validação erradas com mais confiança"},
    "finetune.page.wrong_caption": {"en": "true: {true} · predicted: {pred} ({prob})",
                                    "pt": "real: {true} · previsto: {pred} ({prob})"},
    "finetune.page.no_wrong": {"en": "No validation image was misclassified.",
                               "pt": "Nenhuma imagem de validação foi classificada errado."},
    "finetune.page.params": {"en": "Trainable and frozen parameters", "pt": "Parâmetros treináveis e congelados"},
    "finetune.page.params_line": {
        "en": "{trainable} of {total} parameters trained ({share}); {frozen} stayed frozen.",
        "pt": "{trainable} de {total} parâmetros treinados ({share}); {frozen} ficaram congelados."},
    "finetune.page.groups_caption": {
        "en": "Read from the real optimizer at the end of training; frozen groups are grey.",
        "pt": "Lida do otimizador real no fim do treino; grupos congelados estão em cinza."},
    "finetune.page.download": {"en": "Download the model (model.safetensors + config.json)",
                               "pt": "Baixar o modelo (model.safetensors + config.json)"},
    "finetune.page.download_help": {
        "en": "Loads with timm.create_model(name, num_classes=n) and load_state_dict; config.json has the class "
              "names and the preprocessing.",
        "pt": "Carrega com timm.create_model(name, num_classes=n) e load_state_dict; o config.json tem os "
              "nomes das classes e o pré-processamento."},
    "finetune.page.failed_line": {"en": "The run ended as **{state}**: {message}",
                                  "pt": "A execução terminou como **{state}**: {message}"},
    "finetune.page.all_runs": {"en": "All runs", "pt": "Todas as execuções"},
    "finetune.page.col_state": {"en": "State", "pt": "Estado"},
    "finetune.page.col_val_acc": {"en": "Validation accuracy (best epoch)",
                                  "pt": "Acurácia de validação (melhor época)"},
    "finetune.page.col_test_acc": {"en": "Test accuracy", "pt": "Acurácia de teste"},
    "finetune.page.col_created": {"en": "Created", "pt": "Criada"},
    "finetune.page.preparing": {"en": "preparing", "pt": "preparando"},
}
