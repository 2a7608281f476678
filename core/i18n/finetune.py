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
    "finetune.fig.wd": {"en": "weight decay", "pt": "weight decay"},
    "finetune.fig.no_wd": {"en": "no weight decay", "pt": "sem weight decay"},
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
        "pt": "Early stopping após a época {epoch}: a perda de validação não melhora há {patience} época(s); "
              "a melhor época foi a {best}."},
    "finetune.msg.resumed": {"en": "Resumed after epoch {epoch} of {epochs}.",
                             "pt": "Retomado após a época {epoch} de {epochs}."},
    "finetune.msg.random_weights": {
        "en": "No pretrained weights for {model} are available offline; this run starts from random "
              "initialisation, so nothing is transferred.",
        "pt": "Não há pesos pré-treinados de {model} disponíveis offline; esta execução começa com "
              "inicialização aleatória, então nada é transferido."},
    "finetune.msg.probe_no_aug": {
        "en": "Augmentation is off for the linear probe: backbone features are computed once per image and "
              "cached, so a feature cannot be re-augmented.",
        "pt": "A data augmentation fica desligada no classificador linear (linear probe): as características da "
              "rede base são calculadas uma vez por imagem e guardadas, então não podem ser aumentadas de novo."},
    "finetune.strategy.linear_probe": {"en": "Feature extraction (linear probe)",
                                       "pt": "Feature extraction (classificador linear, linear probe)"},
    "finetune.strategy.partial": {"en": "Partial fine-tuning (last k stages)",
                                  "pt": "Fine-tuning parcial (últimos k estágios)"},
    "finetune.strategy.full": {"en": "Full fine-tuning with layer-wise learning-rate decay",
                               "pt": "Fine-tuning completo com taxas de aprendizado diferenciadas"},
    "finetune.strategy.scratch": {"en": "From scratch: the baseline (random weights, same budget)",
                                  "pt": "Modelo treinado do zero (baseline): pesos aleatórios, mesmo orçamento"},
    "finetune.phase.data": {"en": "preparing the data", "pt": "preparando os dados"},
    "finetune.phase.features": {"en": "computing backbone features (once)",
                                "pt": "calculando as características da rede base (uma vez)"},
    "finetune.phase.train": {"en": "training", "pt": "treinando"},
    "finetune.phase.val": {"en": "validating", "pt": "validando"},
    "finetune.phase.results": {"en": "evaluating the best epoch", "pt": "avaliando a melhor época"},
    # ------------------------------------------------------------------------------ page (pages/finetune.py)
    "finetune.page.intro": {
        "en": "Pick a dataset, a pretrained backbone and a strategy, then press **Start**. Training runs in the "
              "background on the server: you can change settings, switch pages or close the tab, and come back "
              "to the run from the list below.",
        "pt": "Escolha um conjunto de dados, uma rede base (backbone) pré-treinada e uma estratégia e clique em "
              "**Iniciar**. O "
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
        "pt": "Modelo treinado do zero (baseline): {model} começa de pesos aleatórios de propósito."},
    "finetune.page.strategy": {"en": "Strategy", "pt": "Estratégia"},
    "finetune.page.explain.linear_probe": {
        "en": "Feature extraction: the pretrained backbone stays frozen and only a new classification layer "
              "learns, from scratch. The backbone's features are computed once per image and cached, so every "
              "epoch after the first costs almost nothing. Works best when your images look like the photos the "
              "backbone was trained on.",
        "pt": "Feature extraction: a rede base pré-treinada fica congelada e só uma nova camada de classificação "
              "aprende, do zero. As características da rede base são calculadas uma vez por imagem e guardadas, "
              "então cada época depois da primeira quase não custa nada. Funciona melhor quando suas imagens se "
              "parecem com as fotos com que a rede base foi treinada."},
    "finetune.page.explain.partial": {
        "en": "The last k stages (the deepest, most task-specific features) train together with the head; the "
              "early stages keep their generic edges and textures. A middle ground when you have a few hundred "
              "images per class.",
        "pt": "Os últimos k estágios (as características mais profundas e específicas da tarefa) treinam junto "
              "com a camada de classificação; os primeiros estágios mantêm suas bordas e texturas genéricas. Um "
              "meio-termo quando você tem algumas centenas de imagens por classe."},
    "finetune.page.explain.full": {
        "en": "Every layer trains, with a low base rate (the course suggests 1e-4 to 1e-5) and rates that shrink "
              "towards the input: the last pretrained stage learns at the base rate, each stage below it at the "
              "decay factor times the rate of the stage above. Only the new classification layer learns faster "
              "(the head scale). The pretrained features are adjusted rather than erased.",
        "pt": "Todas as camadas treinam, com uma taxa base baixa (o curso sugere 1e-4 a 1e-5) e taxas que "
              "diminuem em direção à entrada: o último estágio pré-treinado aprende na taxa base, cada estágio "
              "abaixo dele no fator de decaimento vezes a taxa do estágio acima. Só a nova camada de "
              "classificação aprende mais rápido (a escala da camada nova). As características pré-treinadas são "
              "ajustadas, não apagadas."},
    "finetune.page.explain.scratch": {
        "en": "The same architecture with random weights and the same budget. This baseline shows whether "
              "transfer helped, or hurt (negative transfer).",
        "pt": "A mesma arquitetura com pesos aleatórios e o mesmo orçamento. Este modelo treinado do zero "
              "(baseline) mostra se a transferência ajudou ou atrapalhou (transferência negativa)."},
    "finetune.page.unfreeze": {"en": "Stages to train (k, counted from the head)",
                               "pt": "Estágios a treinar (k, contados a partir da saída)"},
    "finetune.page.unfreeze_help": {"en": "Trains: {stages}", "pt": "Treinam: {stages}"},
    "finetune.page.epochs": {"en": "Epochs", "pt": "Épocas"},
    "finetune.page.lr": {"en": "Learning rate", "pt": "Taxa de aprendizado"},
    "finetune.page.lr_auto": {"en": "strategy default ({lr})", "pt": "padrão da estratégia ({lr})"},
    "finetune.page.batch_size": {"en": "Batch size", "pt": "Tamanho do lote"},
    "finetune.page.image_size": {"en": "Input size (px)", "pt": "Tamanho da entrada (px)"},
    "finetune.page.size_auto": {"en": "automatic", "pt": "automático"},
    "finetune.page.size_cpu_note": {
        "en": "No GPU here: the default input is {size} px (instead of {native} px), so an epoch takes minutes, "
              "not hours.",
        "pt": "Sem GPU aqui: a entrada padrão é de {size} px (em vez de {native} px), para que uma época leve "
              "minutos, não horas."},
    "finetune.page.augment": {"en": "Data augmentation", "pt": "Data augmentation"},
    "finetune.page.augment.none": {"en": "none", "pt": "nenhum"},
    "finetune.page.augment.light": {"en": "light", "pt": "leve"},
    "finetune.page.augment.standard": {"en": "standard", "pt": "padrão"},
    "finetune.page.augment_help": {
        "en": "Light: a random crop keeping 50-100 % of the picture, and horizontal flips. Standard: a crop "
              "keeping 25-100 %, flips, and brightness, contrast and saturation changes of up to 40 %. Off for the "
              "linear probe, whose features are computed once.",
        "pt": "Leve: um recorte aleatório que mantém 50-100 % da imagem e espelhamento horizontal. Padrão: um "
              "recorte que mantém 25-100 %, espelhamento e variações de brilho, contraste e saturação de até "
              "40 %. Desligada no classificador linear (linear probe), cujas características são calculadas uma vez."},
    "finetune.page.label_smoothing": {"en": "Label smoothing", "pt": "Suavização de rótulos"},
    "finetune.page.head": {"en": "Classifier head", "pt": "Camada de classificação"},
    "finetune.page.head_hidden": {"en": "Hidden units (0 = a single linear layer)",
                                  "pt": "Unidades ocultas (0 = uma única camada linear)"},
    "finetune.page.head_dropout": {"en": "Dropout before the last layer", "pt": "Dropout antes da última camada"},
    "finetune.page.more": {"en": "More settings", "pt": "Mais opções"},
    "finetune.page.seed": {"en": "Seed", "pt": "Semente"},
    "finetune.page.weight_decay": {"en": "Weight decay", "pt": "Weight decay"},
    "finetune.page.patience": {"en": "Early-stopping patience (epochs)",
                               "pt": "Paciência do early stopping (épocas)"},
    "finetune.page.layer_decay": {"en": "Layer-wise decay factor (full fine-tuning)",
                                  "pt": "Fator de decaimento por estágio (fine-tuning completo)"},
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
    "finetune.page.state.failed": {"en": "failed", "pt": "com falha"},
    "finetune.page.state.cancelled": {"en": "cancelled", "pt": "cancelada"},
    "finetune.page.state.interrupted": {"en": "interrupted", "pt": "interrompida"},
    "finetune.page.state.diverged": {"en": "diverged", "pt": "divergente"},
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
    "finetune.page.stopped_early": {"en": "early stopping", "pt": "early stopping"},
    "finetune.page.train_time": {"en": "Training time", "pt": "Tempo de treino"},
    "finetune.page.wrong": {"en": "Validation images misclassified with the most confidence",
                            "pt": "Imagens de validação classificadas incorretamente com mais confiança"},
    "finetune.page.wrong_caption": {"en": "true: {true} · predicted: {pred} ({prob})",
                                    "pt": "real: {true} · previsto: {pred} ({prob})"},
    "finetune.page.no_wrong": {"en": "No validation image was misclassified.",
                               "pt": "Nenhuma imagem de validação foi classificada incorretamente."},
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
    "finetune.page.failed_line": {"en": "Final state: **{state}**. {message}",
                                  "pt": "Estado final: **{state}**. {message}"},
    "finetune.page.all_runs": {"en": "All runs", "pt": "Todas as execuções"},
    "finetune.page.col_state": {"en": "State", "pt": "Estado"},
    "finetune.page.col_val_acc": {"en": "Validation accuracy (best epoch)",
                                  "pt": "Acurácia de validação (melhor época)"},
    "finetune.page.col_test_acc": {"en": "Test accuracy", "pt": "Acurácia de teste"},
    "finetune.page.with_test": {"en": "test split {share:percent0}", "pt": "divisão de teste {share:percent0}"},
    "finetune.page.col_created": {"en": "Created", "pt": "Criada"},
    "finetune.page.preparing": {"en": "preparing", "pt": "preparando"},
    # ------------------------------------------------- "show the code": the generated script (core/finetune/codegen.py)
    "finetune.code.doc_title": {
        "en": "Run {run} of CNN Transfer Lab as a standalone script: {model}, {strategy}, on {dataset}.",
        "pt": "A execução {run} do CNN Transfer Lab como um script independente: {model}, {strategy}, em {dataset}."},
    "finetune.code.doc_what": {
        "en": "What the run did, in plain PyTorch: the pretrained weights, the freezing of its strategy, the new\n"
              "classification layer, AdamW with the run's own learning rate for each parameter group, warm-up and\n"
              "cosine schedule, early stopping on the validation loss, and the export of the best epoch.",
        "pt": "O que a execução fez, em PyTorch puro: os pesos pré-treinados, o congelamento da sua estratégia, a\n"
              "nova camada de classificação, AdamW com a taxa de aprendizado da própria execução para cada grupo de\n"
              "parâmetros, aquecimento e decaimento cosseno, early stopping na perda de validação e a exportação\n"
              "da melhor época."},
    "finetune.code.doc_data": {
        "en": "DATA_DIR holds one folder per class (python -m core data demo digits --out DATA_DIR writes one).",
        "pt": "DATA_DIR tem uma pasta por classe (python -m core data demo digits --out DATA_DIR cria uma)."},
    "finetune.code.doc_split": {
        "en": "The app split the dataset once, stratified, and kept it on the device; this script splits at random\n"
              "with the same seed and reads the images with ImageFolder, so its numbers differ a little.",
        "pt": "O app dividiu o conjunto uma vez, de forma estratificada, e o manteve no dispositivo; este script\n"
              "divide ao acaso com a mesma semente e lê as imagens com ImageFolder, então seus números diferem um\n"
              "pouco."},
    "finetune.code.doc_test": {
        "en": "The run also held out {test} test images; this script has no test split.",
        "pt": "A execução também separou {test} imagens de teste; este script não tem divisão de teste."},
    "finetune.code.c_settings": {"en": "The run's settings (config.json)",
                                 "pt": "As configurações da execução (config.json)"},
    "finetune.code.c_lr_set": {"en": "chosen for this run", "pt": "escolhida para esta execução"},
    "finetune.code.c_lr_default": {"en": "the strategy's default rate, {lr}", "pt": "a taxa padrão da estratégia, {lr}"},
    "finetune.code.c_layer_decay": {
        "en": "each stage learns this factor times the rate of the stage above it",
        "pt": "cada estágio aprende este fator vezes a taxa do estágio acima dele"},
    "finetune.code.c_head_scale": {
        "en": "only the new classification layer learns this much faster",
        "pt": "só a nova camada de classificação aprende tantas vezes mais rápido"},
    "finetune.code.c_patience": {
        "en": "early stopping after PATIENCE epochs without a better validation loss",
        "pt": "early stopping após PATIENCE épocas sem uma perda de validação melhor"},
    "finetune.code.c_stages": {
        "en": "The model's stages at this input size (the app's stages), input first: module names",
        "pt": "Os estágios do modelo neste tamanho de entrada (os estágios do app), da entrada à saída: nomes dos módulos"},
    "finetune.code.c_trained": {"en": "the last {k} stages and the head train",
                                "pt": "os últimos {k} estágios e a camada de classificação treinam"},
    "finetune.code.arg_data": {"en": "a folder with one folder per class", "pt": "uma pasta com uma pasta por classe"},
    "finetune.code.arg_random": {"en": "random weights instead of the pretrained ones (nothing is downloaded)",
                                 "pt": "pesos aleatórios em vez dos pré-treinados (nada é baixado)"},
    "finetune.code.arg_out": {"en": "where the model is saved", "pt": "onde o modelo é salvo"},
    "finetune.code.c_data": {
        "en": "Data: the model's own preprocessing (resize, centre crop, normalisation) at IMAGE_SIZE",
        "pt": "Dados: o pré-processamento do próprio modelo (redimensionar, recorte central, normalização) em IMAGE_SIZE"},
    "finetune.code.c_augment": {"en": "data augmentation ({preset}) on the training images only",
                                "pt": "data augmentation ({preset}) só nas imagens de treino"},
    "finetune.code.c_no_augment": {"en": "no data augmentation in this run", "pt": "sem data augmentation nesta execução"},
    "finetune.code.c_no_augment_probe": {
        "en": "no data augmentation: the app computes the frozen features once and caches them",
        "pt": "sem data augmentation: o app calcula as características congeladas uma vez e as guarda"},
    "finetune.code.c_model": {"en": "The model: pretrained weights, then a new classification layer",
                              "pt": "O modelo: pesos pré-treinados, depois uma nova camada de classificação"},
    "finetune.code.c_timm_package": {
        "en": "the app loaded ImageNet weights from an installed package; timm downloads its own from Hugging Face",
        "pt": "o app carregou pesos da ImageNet de um pacote instalado; o timm baixa os seus do Hugging Face"},
    "finetune.code.c_scratch": {"en": "the baseline: random weights on purpose",
                                "pt": "o modelo treinado do zero (baseline): pesos aleatórios de propósito"},
    "finetune.code.c_run_random": {
        "en": "note: this run found no pretrained weights offline and started from random ones (--random-init)",
        "pt": "atenção: esta execução não achou pesos pré-treinados offline e começou de pesos aleatórios (--random-init)"},
    "finetune.code.c_new_layer": {"en": "new, randomly initialised: {n} classes",
                                  "pt": "nova, inicializada ao acaso: {n} classes"},
    "finetune.code.c_new_prefix": {"en": "the names of its parameters start so",
                                   "pt": "os nomes dos seus parâmetros começam assim"},
    "finetune.code.c_stage_of": {"en": "The stage a parameter belongs to (parameters of no module: the first stage).",
                                 "pt": "O estágio a que um parâmetro pertence (parâmetros sem módulo: o primeiro estágio)."},
    "finetune.code.c_freeze_head": {
        "en": "Feature extraction: the whole pretrained network is frozen; only the new layer learns",
        "pt": "Feature extraction: toda a rede pré-treinada fica congelada; só a nova camada aprende"},
    "finetune.code.c_freeze_last_stages": {
        "en": "Selective freezing: only the stages in TRAINED learn; the early ones keep their pretrained weights",
        "pt": "Congelamento seletivo: só os estágios em TRAINED aprendem; os primeiros mantêm os pesos pré-treinados"},
    "finetune.code.c_freeze_all": {"en": "Every layer learns", "pt": "Todas as camadas aprendem"},
    "finetune.code.c_mode_probe": {
        "en": "The frozen network stays in evaluation mode (its batch-norm statistics do not move); the new layer trains.",
        "pt": "A rede congelada fica em modo de avaliação (suas estatísticas de batch norm não mudam); a nova camada treina."},
    "finetune.code.c_mode_partial": {
        "en": "Training mode, except the frozen stages: their batch-norm statistics stay as pretrained.",
        "pt": "Modo de treino, menos os estágios congelados: suas estatísticas de batch norm ficam como pré-treinadas."},
    "finetune.code.c_groups": {
        "en": "Parameter groups: one learning rate per stage (and weight decay or not), as in the run",
        "pt": "Grupos de parâmetros: uma taxa de aprendizado por estágio (com ou sem weight decay), como na execução"},
    "finetune.code.c_groups_run": {
        "en": "The run's own groups (results.json): at the schedule's peak each rate is BASE_LR × scale; the last "
              "column is the highest rate the run's steps reached",
        "pt": "Os grupos da própria execução (results.json): no pico do cronograma cada taxa é BASE_LR × escala; a "
              "última coluna é a maior taxa que os passos da execução atingiram"},
    "finetune.code.c_groups_head": {"en": "stage", "pt": "estágio"},
    "finetune.code.c_groups_params": {"en": "parameters", "pt": "parâmetros"},
    "finetune.code.c_groups_scale": {"en": "scale", "pt": "escala"},
    "finetune.code.c_groups_lr": {"en": "peak rate reached", "pt": "taxa máxima atingida"},
    "finetune.code.c_new_short": {"en": "new", "pt": "nova"},
    "finetune.code.c_no_decay": {"en": "biases and normalisation weights get no weight decay (timm's rule)",
                                 "pt": "vieses e pesos de normalização não têm weight decay (a regra do timm)"},
    "finetune.code.c_schedule": {"en": "the schedule counts images seen, as the run does",
                                 "pt": "o cronograma conta imagens vistas, como a execução"},
    "finetune.code.c_lr_factor": {
        "en": "Linear warm-up from 1 % of each rate, then cosine down to 1 % (timm's CosineLRScheduler in the app).",
        "pt": "Aquecimento linear a partir de 1 % de cada taxa, depois cosseno até 1 % (o CosineLRScheduler do timm no app)."},
    "finetune.code.c_loop": {"en": "Training, validation after every epoch, early stopping on the validation loss",
                             "pt": "Treino, validação a cada época, early stopping na perda de validação"},
    "finetune.code.c_batch_one": {"en": "a batch of one breaks batch norm in training mode",
                                  "pt": "um lote de uma imagem quebra o batch norm no modo de treino"},
    "finetune.code.c_best": {"en": "the best epoch is the one with the lowest validation loss",
                             "pt": "a melhor época é a de menor perda de validação"},
    "finetune.code.c_export": {"en": "Export: the best epoch's weights and what is needed to use them",
                               "pt": "Exportação: os pesos da melhor época e o necessário para usá-los"},
    # ------------------------------------------------ the page: learning rates, pitfalls, "show the code"
    "finetune.page.lr_title": {"en": "Learning rates in each strategy (layer-wise learning-rate decay)",
                               "pt": "Taxas de aprendizado em cada estratégia (taxas de aprendizado diferenciadas)"},
    "finetune.page.lr_explain": {
        "en": "The **base rate** is the one chosen in *{lr_label}* (or the strategy's default below). "
              "**Layer-wise decay** (full fine-tuning only): the last pretrained stage learns at the base rate and "
              "each stage below it at {decay} × the rate of the stage above, so the stem, next to the input, moves "
              "least. **Head scale** ({scale}, partial and full fine-tuning): only the new classification layer, "
              "the one the app adds with random weights, learns {scale} faster. Pretrained layers of the "
              "classifier (VGG's and AlexNet's FC6 and FC7) keep their stage's rate: {scale} faster, they would "
              "overwrite what they learned, while a new layer at 1e-4 barely moves in a few epochs. The "
              "chart in a finished run's results shows the rates read from its optimizer.",
        "pt": "A **taxa base** é a escolhida em *{lr_label}* (ou a padrão da estratégia, abaixo). **Decaimento "
              "por estágio** (só no fine-tuning completo): o último estágio pré-treinado aprende na taxa base e "
              "cada estágio abaixo dele em {decay} × a taxa do estágio acima, então o stem, junto à entrada, é o "
              "que menos muda. **Escala da camada nova** ({scale}, fine-tuning parcial e completo): só a nova "
              "camada de classificação, a que o app acrescenta com pesos aleatórios, aprende {scale} mais rápido. "
              "Camadas pré-treinadas do classificador (FC6 e FC7 da VGG e da AlexNet) mantêm a taxa do seu "
              "estágio: {scale} mais rápido, elas sobrescreveriam o que aprenderam, enquanto uma camada nova a "
              "1e-4 mal se mexe em poucas épocas. O gráfico nos resultados de uma execução concluída mostra as taxas "
              "lidas do seu otimizador."},
    "finetune.page.lr_col.strategy": {"en": "Strategy", "pt": "Estratégia"},
    "finetune.page.lr_col.base": {"en": "Default base rate", "pt": "Taxa base padrão"},
    "finetune.page.lr_col.stages": {"en": "Pretrained stages", "pt": "Estágios pré-treinados"},
    "finetune.page.lr_col.new": {"en": "New classification layer", "pt": "Nova camada de classificação"},
    "finetune.page.lr_col.lecture": {"en": "Within the lecture's 1e-5 to 1e-4?", "pt": "Dentro de 1e-5 a 1e-4 (aula)?"},
    "finetune.page.lr_stages.frozen": {"en": "frozen", "pt": "congelados"},
    "finetune.page.lr_stages.partial": {"en": "last k at the base rate, the others frozen",
                                        "pt": "os últimos k na taxa base, os outros congelados"},
    "finetune.page.lr_stages.decay": {"en": "base rate × {decay}ⁿ, n stages below the top",
                                      "pt": "taxa base × {decay}ⁿ, n estágios abaixo do topo"},
    "finetune.page.lr_stages.random": {"en": "random weights, all at the base rate",
                                       "pt": "pesos aleatórios, todos na taxa base"},
    "finetune.page.lr_new": {"en": "{rate} ({scale})", "pt": "{rate} ({scale})"},
    "finetune.page.lr_yes": {"en": "yes", "pt": "sim"},
    "finetune.page.lr_why.linear_probe": {
        "en": "no, higher: only the new layer learns, from random weights, and nothing pretrained moves",
        "pt": "não, maior: só a camada nova aprende, a partir de pesos aleatórios, e nada pré-treinado se mexe"},
    "finetune.page.lr_why.partial": {
        "en": "no, a little higher: only the last, most task-specific stages move; the early ones stay frozen",
        "pt": "não, um pouco maior: só os últimos estágios, os mais específicos da tarefa, se mexem; os primeiros "
              "ficam congelados"},
    "finetune.page.lr_why.full": {"en": "yes: every pretrained layer moves", "pt": "sim: toda camada pré-treinada se mexe"},
    "finetune.page.lr_why.scratch": {
        "en": "no, higher: random weights, nothing learned to protect (the baseline)",
        "pt": "não, maior: pesos aleatórios, nada aprendido a proteger (o baseline)"},
    "finetune.page.pitfalls_title": {"en": "Why transfer, and what can go wrong (pitfalls and mitigations)",
                                     "pt": "Por que transferir, e o que pode dar errado (armadilhas e mitigações)"},
    "finetune.page.pitfalls_why": {
        "en": "A network trained only on your labelled images needs many of them, generalises poorly beyond "
              "them, and, before CNNs, vision needed features designed by hand (feature engineering). A network "
              "pretrained on ImageNet brings features already learned: the edges, corners and textures of its "
              "first layers serve almost any domain, so a few hundred labelled images can be enough. Used "
              "carelessly, transfer can also hurt (negative transfer):",
        "pt": "Uma rede treinada só com as suas imagens rotuladas precisa de muitas delas, generaliza mal para além "
              "delas e, antes das CNNs, a visão precisava de características desenhadas à mão (engenharia de "
              "features). Uma rede pré-treinada na ImageNet traz características já aprendidas: as bordas, cantos "
              "e texturas das primeiras camadas servem para quase qualquer domínio, então algumas centenas de "
              "imagens rotuladas podem bastar. Usada sem cuidado, a transferência também pode atrapalhar "
              "(transferência negativa):"},
    "finetune.page.pitfalls_table": {
        "en": "| Pitfall | What you see | Mitigation, and where it is in this app |\n"
              "|---|---|---|\n"
              "| **Overfitting** on a small dataset | training accuracy keeps rising while validation stalls or "
              "falls (the two curves part) | low learning rates (*{lr}*; the lecture: 1e-4 to 1e-5) · dropout "
              "(*{dropout}*) · weight decay (*{more} → {wd}*) · data augmentation (*{augment}*) · early stopping "
              "(*{more} → {patience}*) |\n"
              "| **Catastrophic forgetting** | fine-tuning overwrites what the pretrained layers knew | selective "
              "freezing: *{probe}* freezes the whole backbone, *{partial}* all but the last k stages · low rates "
              "that decay towards the input (*{full}*) · elastic regularisation (EWC: each weight pulled back to "
              "its pretrained value, in proportion to its importance) is **not** in this app |\n"
              "| **Domain shift** (negative transfer) | source and target data too different: the transferred "
              "features do worse than learning from nothing | choose a backbone pretrained on data like yours and "
              "a related task · run *{scratch}* with the same budget: if it wins, transfer hurt (try it on the 8×8 "
              "digits demo, far from ImageNet's photos) |",
        "pt": "| Armadilha | O que se vê | Mitigação, e onde ela está neste app |\n"
              "|---|---|---|\n"
              "| **Overfitting** num conjunto pequeno | a acurácia de treino continua subindo enquanto a de "
              "validação para ou cai (as duas curvas se separam) | taxas de aprendizado baixas (*{lr}*; a aula: "
              "1e-4 a 1e-5) · dropout (*{dropout}*) · weight decay (*{more} → {wd}*) · data augmentation "
              "(*{augment}*) · early stopping (*{more} → {patience}*) |\n"
              "| **Esquecimento catastrófico** | o fine-tuning sobrescreve o que as camadas pré-treinadas sabiam | "
              "congelamento seletivo: *{probe}* congela toda a rede base, *{partial}* todos menos os últimos k "
              "estágios · taxas baixas que diminuem em direção à entrada (*{full}*) · a regularização elástica "
              "(EWC: cada peso puxado de volta ao valor pré-treinado, na proporção da sua importância) **não** "
              "está neste app |\n"
              "| **Deslocamento de domínio** (transferência negativa) | dados de origem e destino diferentes "
              "demais: as características transferidas se saem pior do que aprender do nada | escolha uma rede "
              "base pré-treinada com dados parecidos com os seus e uma tarefa relacionada · rode o *{scratch}* "
              "com o mesmo orçamento: se ele ganhar, a transferência atrapalhou (experimente no conjunto de "
              "dígitos 8×8, longe das fotos da ImageNet) |"},
    "finetune.page.code_title": {"en": "Show the code", "pt": "Mostrar o código"},
    "finetune.page.code_intro": {
        "en": "A short, standalone PyTorch script that does what this run did: the weights, the freezing of its "
              "strategy, the new layer, the parameter groups with the run's own rates, AdamW, the loop with early "
              "stopping and the export. `--random-init` runs it offline without the pretrained weights.",
        "pt": "Um script curto e independente em PyTorch que faz o que esta execução fez: os pesos, o "
              "congelamento da estratégia, a camada nova, os grupos de parâmetros com as taxas da própria "
              "execução, AdamW, o laço com early stopping e a exportação. `--random-init` roda sem os pesos "
              "pré-treinados, offline."},
    "finetune.page.code_download": {"en": "Download the script", "pt": "Baixar o script"},
    # several processes (torchrun, core/finetune/distributed.py)
    "finetune.msg.processes_changed": {
        "en": "Trained by {old:integer} process(es) so far and now by {new:integer}: the effective batch is now "
              "{batch:integer} and the learning rate {lr} (linear scaling with the number of processes).",
        "pt": "Treinada até aqui por {old:integer} processo(s) e agora por {new:integer}: o lote efetivo agora é "
              "{batch:integer} e a taxa de aprendizado {lr} (escala linear com o número de processos)."},
    "finetune.page.processes": {
        "en": "Trained by {n:integer} processes (DistributedDataParallel, one per device): the effective batch is "
              "{n:integer} times the batch size, and so is the learning rate.",
        "pt": "Treinada por {n:integer} processos (DistributedDataParallel, um por dispositivo): o lote efetivo é "
              "{n:integer} vezes o tamanho do lote, e a taxa de aprendizado também."},
}
