STRINGS = {
    "page.inside": {"en": "Inside the network", "pt": "Por dentro da rede"},

    # ------------------------------------------------------------------ notices of core.inside (references, data)
    "inside.ref.verified.pretrained": {
        "en": "Reference: the pretrained weights this run started from ({weights}), checked by their sha256 "
              "({sha}…).",
        "pt": "Referência: os pesos pré-treinados dos quais esta execução partiu ({weights}), conferidos pelo "
              "sha256 ({sha}…)."},
    "inside.ref.verified.init": {
        "en": "This run started from random initialisation, so it has no pretrained reference: it is compared "
              "with that very initialisation (seed {seed}), rebuilt and checked by its sha256 ({sha}…).",
        "pt": "Esta execução partiu de inicialização aleatória, então não tem referência pré-treinada: ela é "
              "comparada com essa mesma inicialização (semente {seed}), reconstruída e conferida pelo sha256 "
              "({sha}…)."},
    "inside.ref.unrecorded.pretrained": {
        "en": "Run {run} was made before runs recorded the weights they start from, so its reference cannot be "
              "verified. It can be compared with the pretrained weights available now only if you accept that "
              "they may differ from the ones it started from.",
        "pt": "A execução {run} foi feita antes de as execuções registrarem os pesos de que partem, então a "
              "referência dela não pode ser verificada. Ela só pode ser comparada com os pesos pré-treinados "
              "disponíveis agora se você aceitar que eles podem ser diferentes daqueles de que ela partiu."},
    "inside.ref.unrecorded.init": {
        "en": "Run {run} was made before runs recorded the weights they start from, and it started from random "
              "initialisation: that initialisation can be rebuilt from seed {seed}, but not verified. Compare "
              "with it only if you accept that.",
        "pt": "A execução {run} foi feita antes de as execuções registrarem os pesos de que partem, e partiu de "
              "inicialização aleatória: essa inicialização pode ser reconstruída com a semente {seed}, mas não "
              "verificada. Compare com ela só se você aceitar isso."},
    "inside.ref.accepted.pretrained": {
        "en": "Reference: the pretrained weights available now ({weights}), accepted by you. Run {run} did not "
              "record the weights it started from, so this cannot be verified.",
        "pt": "Referência: os pesos pré-treinados disponíveis agora ({weights}), aceitos por você. A execução "
              "{run} não registrou os pesos de que partiu, então isso não pode ser verificado."},
    "inside.ref.accepted.init": {
        "en": "Reference: a random initialisation rebuilt from seed {seed}, accepted by you. Run {run} did not "
              "record the weights it started from, so this cannot be verified.",
        "pt": "Referência: uma inicialização aleatória reconstruída com a semente {seed}, aceita por você. A "
              "execução {run} não registrou os pesos de que partiu, então isso não pode ser verificado."},
    "inside.ref.mismatch.pretrained": {
        "en": "The pretrained weights available now ({weights}, sha256 {found}…) are not the ones run {run} "
              "started from (sha256 {expected}…), e.g. a newer cache: nothing is compared, rather than against "
              "the wrong reference.",
        "pt": "Os pesos pré-treinados disponíveis agora ({weights}, sha256 {found}…) não são aqueles de que a "
              "execução {run} partiu (sha256 {expected}…), por exemplo um cache mais novo: nada é comparado, em "
              "vez de comparar com a referência errada."},
    "inside.ref.mismatch.init": {
        "en": "Rebuilding run {run}'s random initialisation (seed {seed}) gives other weights (sha256 {found}…, "
              "recorded {expected}…), e.g. other library versions: nothing is compared, rather than against the "
              "wrong reference.",
        "pt": "Reconstruir a inicialização aleatória da execução {run} (semente {seed}) dá outros pesos (sha256 "
              "{found}…, registrado {expected}…), por exemplo outras versões das bibliotecas: nada é comparado, "
              "em vez de comparar com a referência errada."},
    "inside.ref.unavailable": {
        "en": "Run {run} started from pretrained weights of {model}, which are not available now (offline and "
              "in no cache): nothing is compared.",
        "pt": "A execução {run} partiu de pesos pré-treinados da {model}, que não estão disponíveis agora "
              "(offline e em nenhum cache): nada é comparado."},
    "inside.data_gone": {
        "en": "The dataset of this run ({name}, {id}) was deleted: CKA and the probe need its images, so only the "
              "weight change is shown.",
        "pt": "O conjunto de dados desta execução ({name}, {id}) foi apagado: o CKA e a sonda precisam das "
              "imagens dele, então só a mudança dos pesos é mostrada."},
    "inside.no_val": {
        "en": "The dataset {name} has no validation images: CKA is not measured.",
        "pt": "O conjunto de dados {name} não tem imagens de validação: o CKA não é medido."},
    "inside.progress.cka": {"en": "CKA: {done} of {total} validation images",
                            "pt": "CKA: {done} de {total} imagens de validação"},
    "inside.progress.features": {"en": "Features, {weights} weights: {done} of {total} images",
                                 "pt": "Características, pesos {weights}: {done} de {total} imagens"},
    "inside.progress.cached": {"en": "Features, {weights} weights: read from the cache",
                               "pt": "Características, pesos {weights}: lidas do cache"},
    "inside.progress.fit": {"en": "Logistic regression for {stage}, {weights} weights",
                            "pt": "Regressão logística para {stage}, pesos {weights}"},
    "inside.weights.pretrained": {"en": "pretrained", "pt": "pré-treinados"},
    "inside.weights.random": {"en": "random", "pt": "aleatórios"},
    "inside.probe.no_pretrained": {
        "en": "No pretrained weights for {model} are available offline: only the random-initialisation curve is "
              "measured.",
        "pt": "Não há pesos pré-treinados da {model} disponíveis offline: só a curva da inicialização aleatória "
              "é medida."},
    "inside.filters.no_pretrained": {
        "en": "No pretrained weights for {model} are available here (offline and in no cache): only its random "
              "initialisation is shown.",
        "pt": "Não há pesos pré-treinados da {model} disponíveis aqui (offline e em nenhum cache): só a "
              "inicialização aleatória dela é mostrada."},
    "inside.photos.views": {
        "en": "{photos} natural photos ship with scikit-image here ({names}); {views} deterministic views of them "
              "(mirrored, centre crops) make {total}.",
        "pt": "{photos} fotos naturais vêm com o scikit-image aqui ({names}); {views} vistas determinísticas delas "
              "(espelhadas, recortes centrais) completam {total}."},
    "inside.photos.enough": {
        "en": "{photos} natural photos: {names}.",
        "pt": "{photos} fotos naturais: {names}."},
    # ------------------------------------------------------------------------------ figures (core/plots/inside.py)
    "inside.fig.filter_hover": {
        "en": "filter #{index}<br>norm {norm} · mean {mean} · std {std}<br>min {min} · max {max}",
        "pt": "filtro #{index}<br>norma {norm} · média {mean} · desvio {std}<br>mín. {min} · máx. {max}"},
    "inside.fig.change_hover": {"en": "relative change {change}", "pt": "mudança relativa {change}"},
    "inside.fig.filter_bar_hover": {"en": "filter %{x}: %{y:.3%}", "pt": "filtro %{x}: %{y:.3%}"},
    "inside.fig.filter_change_title": {"en": "Relative change of each filter, ‖W_ft − W_ref‖ / ‖W_ref‖",
                                       "pt": "Mudança relativa de cada filtro, ‖W_ft − W_ref‖ / ‖W_ref‖"},
    "inside.fig.relative_change": {"en": "Relative change", "pt": "Mudança relativa"},
    "inside.fig.channel_title": {"en": "#{index} (mean {mean})", "pt": "#{index} (média {mean})"},
    "inside.fig.map_hover": {"en": "channel {index}, cell (%{{y}}, %{{x}}): %{{z:.2f}}",
                             "pt": "canal {index}, célula (%{{y}}, %{{x}}): %{{z:.2f}}"},
    "inside.fig.peak_hover": {"en": "activation %{customdata:.2f}", "pt": "ativação %{customdata:.2f}"},
    "inside.fig.field": {"en": "receptive field of the strongest cell", "pt": "campo receptivo da célula mais forte"},
    "inside.fig.peak_cell": {"en": "strongest cell", "pt": "célula mais forte"},
    "inside.fig.change_title": {"en": "Relative weight change against the starting weights",
                                "pt": "Mudança relativa dos pesos em relação aos pesos iniciais"},
    "inside.fig.cka_title": {"en": "Linear CKA between starting and fine-tuned activations (1 = same representation)",
                             "pt": "CKA linear entre as ativações iniciais e as ajustadas (1 = mesma representação)"},
    "inside.fig.frozen": {"en": "(frozen)", "pt": "(congelado)"},
    "inside.fig.stage": {"en": "Stage (input → output)", "pt": "Estágio (entrada → saída)"},
    "inside.fig.stage_depth": {"en": "Stage, from the input (left) to the deepest (right)",
                               "pt": "Estágio, da entrada (esquerda) ao mais profundo (direita)"},
    "inside.fig.probe_pretrained": {"en": "pretrained weights", "pt": "pesos pré-treinados"},
    "inside.fig.probe_random": {"en": "random initialisation", "pt": "inicialização aleatória"},
    "inside.fig.dims": {"en": "features", "pt": "características"},
    "inside.fig.chance": {"en": "chance ({chance})", "pt": "acaso ({chance})"},
    "inside.fig.probe_acc": {"en": "Accuracy ({folds}-fold cross-validation)",
                             "pt": "Acurácia (validação cruzada em {folds} partes)"},
    "inside.fig.probe_title": {"en": "Linear probe per stage: {model} on {data}, {size} px",
                               "pt": "Sonda linear por estágio: {model} em {data}, {size} px"},

    # ------------------------------------------------------------------------------------- the page (pages/inside.py)
    "inside.page.intro": {
        "en": "The lecture says the early layers of a CNN learn **universal features** (edges, colour blobs, "
              "textures) that transfer to almost any images, while the late layers are specific to the task they "
              "were trained for and change most when fine-tuning. This page shows it on real networks and on your "
              "own runs: what the first layer learned, what a stage responds to, which stages a run changed, which "
              "stages' features still work on your data, and how much of ImageNet a fine-tuned backbone forgot.",
        "pt": "A aula diz que as primeiras camadas de uma CNN aprendem **características universais** (bordas, "
              "manchas de cor, texturas) que servem para quase qualquer imagem, enquanto as últimas camadas são "
              "específicas da tarefa em que foram treinadas e são as que mais mudam no ajuste fino (fine-tuning). "
              "Esta página mostra isso em redes reais e nas suas próprias execuções: o que a primeira camada "
              "aprendeu, a que um estágio responde, quais estágios uma execução mudou, quais estágios ainda dão "
              "características úteis para os seus dados e quanto da ImageNet uma rede base (backbone) ajustada "
              "esqueceu."},
    "inside.page.tab.filters": {"en": "Learned filters", "pt": "Filtros aprendidos"},
    "inside.page.tab.maps": {"en": "Feature maps", "pt": "Mapas de características"},
    "inside.page.tab.change": {"en": "Which stages changed", "pt": "Quais estágios mudaram"},
    "inside.page.tab.probe": {"en": "Which stages transfer", "pt": "Quais estágios transferem"},
    "inside.page.tab.forgetting": {"en": "Forgetting", "pt": "Esquecimento"},
    "inside.page.filters_intro": {
        "en": "Each tile is one filter of the **first convolution**: its weights over the three colour channels, "
              "drawn as a small colour picture. Pretrained filters are oriented edges and colour blobs; randomly "
              "initialised ones are noise. Hover over a tile for the filter's index and statistics; zoom in: "
              "every weight stays one sharp square.",
        "pt": "Cada quadradinho é um filtro da **primeira convolução**: seus pesos sobre os três canais de cor, "
              "desenhados como uma pequena imagem colorida. Filtros pré-treinados são bordas orientadas e manchas "
              "de cor; os inicializados aleatoriamente são ruído. Passe o mouse sobre um quadradinho para ver o "
              "índice e as estatísticas do filtro; aproxime o zoom: cada peso continua um quadrado nítido."},
    "inside.page.normalise": {"en": "Brightness scale", "pt": "Escala de brilho"},
    "inside.page.normalise.per_filter": {"en": "per filter", "pt": "por filtro"},
    "inside.page.normalise.shared": {"en": "shared by the layer", "pt": "comum à camada"},
    "inside.page.normalise_help": {
        "en": "Per filter: each tile uses its own full range, so every filter's shape shows, even a weak one. "
              "Shared: one scale for the whole layer (zero is mid-grey), so strong and weak filters show as such.",
        "pt": "Por filtro: cada quadradinho usa sua própria faixa completa, então o formato de todo filtro "
              "aparece, mesmo de um fraco. Comum: uma escala para a camada inteira (zero é cinza médio), então "
              "filtros fortes e fracos aparecem como tais."},
    "inside.page.filters_layer": {
        "en": "{model}: first convolution `{layer}`, weights {shape} ({count} filters), strongest first.",
        "pt": "{model}: primeira convolução `{layer}`, pesos {shape} ({count} filtros), os mais fortes primeiro."},
    "inside.page.pretrained": {"en": "Pretrained (ImageNet)", "pt": "Pré-treinados (ImageNet)"},
    "inside.page.random": {"en": "Random initialisation", "pt": "Inicialização aleatória"},
    "inside.page.no_pretrained": {
        "en": "No pretrained weights for {model} are available here (offline and in no cache): only its random "
              "initialisation is shown. Models with real weights here: {models}. With a network, AlexNet's 64 "
              "filters of 11×11 show learned edges best.",
        "pt": "Não há pesos pré-treinados da {model} disponíveis aqui (offline e em nenhum cache): só a "
              "inicialização aleatória dela é mostrada. Modelos com pesos reais aqui: {models}. Com rede, os 64 "
              "filtros 11×11 da AlexNet mostram melhor as bordas aprendidas."},
    "inside.page.filters_limited": {"en": "The {shown} strongest of {count} filters are drawn.",
                                    "pt": "Os {shown} filtros mais fortes de {count} são desenhados."},
    "inside.page.filters_caption": {
        "en": "Small kernels (3×3, as in VGG and EfficientNet) leave little room for a picture: their edges and "
              "colour pairs show best with the per-filter scale. Larger first kernels (AlexNet 11×11, ResNet 7×7) "
              "look like the Gabor-like detectors the lecture describes.",
        "pt": "Núcleos pequenos (3×3, como na VGG e na EfficientNet) deixam pouco espaço para uma imagem: suas "
              "bordas e pares de cores aparecem melhor com a escala por filtro. Núcleos iniciais maiores (AlexNet "
              "11×11, ResNet 7×7) parecem os detectores do tipo Gabor que a aula descreve."},
    "inside.page.run_filters_title": {"en": "Before and after fine-tuning", "pt": "Antes e depois do ajuste fino"},
    "inside.page.no_runs": {
        "en": "No finished runs yet: train one on the Fine-tuning page (or `python -m core train`), then come "
              "back.",
        "pt": "Nenhuma execução concluída ainda: treine uma na página Ajuste fino (ou `python -m core train`) e "
              "volte aqui."},
    "inside.page.run": {"en": "Run", "pt": "Execução"},
    "inside.page.runs": {"en": "Runs (one line each)", "pt": "Execuções (uma linha cada)"},
    "inside.page.run_option": {"en": "{run} · {model} · {strategy} · {data} · {size} px",
                               "pt": "{run} · {model} · {strategy} · {data} · {size} px"},
    "inside.page.accept": {"en": "Compare run {run} with this reference anyway",
                           "pt": "Comparar a execução {run} com esta referência mesmo assim"},
    "inside.page.before_pretrained": {"en": "Starting weights (pretrained)", "pt": "Pesos iniciais (pré-treinados)"},
    "inside.page.before_init": {"en": "Starting weights (its random initialisation)",
                                "pt": "Pesos iniciais (sua inicialização aleatória)"},
    "inside.page.after": {"en": "After fine-tuning (same order: most changed first)",
                          "pt": "Depois do ajuste fino (mesma ordem: os que mais mudaram primeiro)"},
    "inside.page.filters_unchanged": {
        "en": "Not one first-layer weight changed: this run kept its first stage frozen, as feature extraction "
              "does.",
        "pt": "Nenhum peso da primeira camada mudou: esta execução manteve o primeiro estágio congelado, como faz a "
              "extração de características (feature extraction)."},
    "inside.page.maps_intro": {
        "en": "What one stage computes for one image: each channel is a map of how strongly a learned pattern is "
              "present at each place. Pick a channel to see where it responds most, and the square of input "
              "pixels that cell can see (its receptive field, computed as on the Architectures page).",
        "pt": "O que um estágio calcula para uma imagem: cada canal é um mapa de quão forte um padrão aprendido "
              "aparece em cada lugar. Escolha um canal para ver onde ele responde mais, e o quadrado de pixels da "
              "entrada que essa célula enxerga (seu campo receptivo, calculado como na página Arquiteturas)."},
    "inside.page.image": {"en": "Image", "pt": "Imagem"},
    "inside.page.upload": {"en": "Your image", "pt": "Sua imagem"},
    "inside.page.stage": {"en": "Stage", "pt": "Estágio"},
    "inside.page.channel": {"en": "Channel (most active first)", "pt": "Canal (os mais ativos primeiro)"},
    "inside.page.channel_option": {"en": "#{index} (mean {mean})", "pt": "#{index} (média {mean})"},
    "inside.page.peak": {
        "en": "Channel {channel} responds most at cell ({row}, {col}) with {value}. That cell sees a square of "
              "{rf}×{rf} input pixels; neighbouring cells are {stride} pixels apart (input {size}×{size}).",
        "pt": "O canal {channel} responde mais na célula ({row}, {col}), com {value}. Essa célula enxerga um "
              "quadrado de {rf}×{rf} pixels da entrada; células vizinhas ficam a {stride} pixels uma da outra "
              "(entrada {size}×{size})."},
    "inside.page.peak_clipped": {
        "en": "The field ({rf} px) is larger than the {size} px input: the square is cut at the image's border.",
        "pt": "O campo ({rf} px) é maior que a entrada de {size} px: o quadrado é cortado na borda da imagem."},
    "inside.page.maps_shape": {
        "en": "Output of {stage}: {c} channels of {h}×{w}; the {top} most active (largest mean) are shown, each "
              "on its own colour scale.",
        "pt": "Saída ({stage}): {c} canais de {h}×{w}; os {top} mais ativos (maior média) aparecem, cada um na sua "
              "própria escala de cor."},
    "inside.page.change_intro": {
        "en": "For each finished run, per stage: how far fine-tuning moved the weights from the ones the run "
              "started from (‖W_ft − W_ref‖ / ‖W_ref‖; the new head is not compared), and how similar the "
              "representations stayed (linear CKA on the run's validation images). Frozen stages show exactly 0 "
              "and CKA 1. Pick runs with different strategies to see what each did to the network.",
        "pt": "Para cada execução concluída, por estágio: quanto o ajuste fino (fine-tuning) afastou os pesos "
              "daqueles de que a execução partiu (‖W_ft − W_ref‖ / ‖W_ref‖; a nova camada de classificação não é comparada) e "
              "quão parecidas as representações ficaram (CKA linear nas imagens de validação da execução). "
              "Estágios congelados mostram exatamente 0 e CKA 1. Escolha execuções com estratégias diferentes "
              "para ver o que cada uma fez com a rede."},
    "inside.page.short.linear_probe": {"en": "feature extraction", "pt": "extração de características"},
    "inside.page.short.partial": {"en": "partial", "pt": "parcial"},
    "inside.page.short.full": {"en": "full", "pt": "completo"},
    "inside.page.short.scratch": {"en": "from scratch", "pt": "do zero"},
    "inside.page.cka_toggle": {"en": "Also measure CKA (forward passes through both networks)",
                               "pt": "Medir também o CKA (passagens pelas duas redes)"},
    "inside.page.cka_help": {
        "en": "Up to 300 validation images through both networks: seconds for small models at small sizes on a "
              "CPU, longer for large ones. Results are kept.",
        "pt": "Até 300 imagens de validação pelas duas redes: segundos para modelos pequenos em tamanhos pequenos "
              "na CPU, mais para os grandes. Os resultados ficam guardados."},
    "inside.page.cka_mode": {"en": "Activations compared", "pt": "Ativações comparadas"},
    "inside.page.cka_mode.flatten": {"en": "whole maps", "pt": "mapas inteiros"},
    "inside.page.cka_mode.pool": {"en": "pooled per channel", "pt": "média por canal"},
    "inside.page.computing": {"en": "Comparing run {run} with its starting weights …",
                              "pt": "Comparando a execução {run} com seus pesos iniciais …"},
    "inside.page.change_caption": {
        "en": "Expect the lecture's picture: early stages change least and keep CKA near 1; late stages move "
              "most. A run from scratch changes every stage from its own random start.",
        "pt": "Espere o quadro da aula: os primeiros estágios mudam menos e mantêm o CKA perto de 1; os últimos "
              "são os que mais se movem. Uma execução do zero muda todos os estágios a partir do seu próprio "
              "início aleatório."},
    "inside.page.col.run": {"en": "Run", "pt": "Execução"},
    "inside.page.col.stage": {"en": "Stage", "pt": "Estágio"},
    "inside.page.col.params": {"en": "Parameters", "pt": "Parâmetros"},
    "inside.page.col.change": {"en": "Relative change", "pt": "Mudança relativa"},
    "inside.page.col.cka": {"en": "CKA", "pt": "CKA"},
    "inside.page.col.frozen": {"en": "Frozen", "pt": "Congelado"},
    "inside.page.col.dims": {"en": "Features", "pt": "Características"},
    "inside.page.col.pretrained": {"en": "Pretrained", "pt": "Pré-treinados"},
    "inside.page.col.random": {"en": "Random", "pt": "Aleatórios"},
    "inside.page.col.photo": {"en": "Photo", "pt": "Foto"},
    "inside.page.col.before": {"en": "Pretrained model (top 3)", "pt": "Modelo pré-treinado (top 3)"},
    "inside.page.col.after": {"en": "Fine-tuned backbone + ImageNet classifier (top 3)",
                              "pt": "Rede base ajustada + classificador da ImageNet (top 3)"},
    "inside.page.col.same": {"en": "Same top-1", "pt": "Mesmo top-1"},
    "inside.page.probe_intro": {
        "en": "A **linear probe** per stage: the backbone stays frozen, each stage's output is averaged over space "
              "(one number per channel) and a logistic regression learns your classes from it, scored by "
              "cross-validation. Done for the pretrained weights and for a random initialisation of the same "
              "network, it measures the lecture's claim. On natural photos the pretrained curve rises with depth "
              "and stays well above the random one; under **domain shift** (the digits demo: 8×8 scans, nothing "
              "like ImageNet) late stages may stop helping and random features can do as well.",
        "pt": "Uma **sonda linear** por estágio: a rede base (backbone) fica congelada, a saída de cada estágio "
              "vira uma média espacial (um número por canal) e uma regressão logística aprende as suas classes a "
              "partir dela, avaliada por validação cruzada. Feito com os pesos pré-treinados e com uma "
              "inicialização aleatória da mesma rede, isso mede a afirmação da aula. Em fotos naturais a curva "
              "pré-treinada sobe com a profundidade e fica bem acima da aleatória; com **deslocamento de domínio** "
              "(a demonstração de dígitos: digitalizações 8×8, nada parecidas com a ImageNet) os últimos estágios "
              "podem deixar de ajudar e características aleatórias podem ir tão bem quanto."},
    "inside.page.dataset": {"en": "Dataset", "pt": "Conjunto de dados"},
    "inside.page.size": {"en": "Input size (px)", "pt": "Tamanho da entrada (px)"},
    "inside.page.probe_random_only": {
        "en": "No pretrained weights for {model} are available here: the probe measures only its random "
              "initialisation.",
        "pt": "Não há pesos pré-treinados da {model} disponíveis aqui: a sonda mede só a inicialização "
              "aleatória dela."},
    "inside.page.probe_run": {"en": "Run the probe", "pt": "Rodar a sonda"},
    "inside.page.probe_starting": {"en": "Starting …", "pt": "Começando …"},
    "inside.page.probe_hint": {
        "en": "Press the button: the features of every image are computed once per dataset, model, weights and "
              "size (about half a minute for the digits demo with EfficientNet-Lite0 at 96 px on a CPU) and kept "
              "beside the dataset, so the next time takes seconds.",
        "pt": "Aperte o botão: as características de cada imagem são calculadas uma vez por conjunto de dados, "
              "modelo, pesos e tamanho (cerca de meio minuto para a demonstração de dígitos com a "
              "EfficientNet-Lite0 em 96 px na CPU) e guardadas junto ao conjunto, então da próxima vez leva "
              "segundos."},
    "inside.page.probe_caption": {
        "en": "{images} images (training and validation; the test split is never used), {folds}-fold "
              "cross-validation; bars: the folds' standard deviation.",
        "pt": "{images} imagens (treino e validação; a divisão de teste nunca é usada), validação cruzada em "
              "{folds} partes; barras: desvio padrão entre as partes."},
    "inside.page.probe_cached": {"en": "Features read from the cache beside the dataset.",
                                 "pt": "Características lidas do cache junto ao conjunto de dados."},
    "inside.page.forgetting_intro": {
        "en": "**Catastrophic forgetting**, made visible: the run's new head comes off and the original ImageNet "
              "classifier goes back on its fine-tuned backbone (for VGG, AlexNet and MobileNetV3 the whole "
              "pretrained classifier, fully connected layers included). If the backbone kept what it knew, it "
              "still names natural photos as the pretrained model does.",
        "pt": "**Esquecimento catastrófico**, à vista: a nova camada de classificação da execução sai e o classificador original da "
              "ImageNet volta para a rede base (backbone) ajustada (na VGG, AlexNet e MobileNetV3, o "
              "classificador pré-treinado inteiro, camadas totalmente conectadas incluídas). Se a rede base "
              "guardou o que sabia, ela ainda nomeia fotos naturais como o modelo pré-treinado."},
    "inside.page.no_pretrained_runs": {
        "en": "No finished run started from pretrained weights yet: a run from scratch never had an ImageNet "
              "classifier to forget.",
        "pt": "Nenhuma execução concluída partiu de pesos pré-treinados ainda: uma execução do zero nunca teve um "
              "classificador da ImageNet para esquecer."},
    "inside.page.own_photos": {"en": "Add your own photos (optional)", "pt": "Adicione suas próprias fotos (opcional)"},
    "inside.page.own_added": {"en": "Plus {count} of your own.", "pt": "Mais {count} suas."},
    "inside.page.agreement": {"en": "Top-1 agreement with the pretrained model",
                              "pt": "Concordância de top-1 com o modelo pré-treinado"},
    "inside.page.agreement_help": {
        "en": "The share of the {count} photos on which both name the same ImageNet class first.",
        "pt": "A fração das {count} fotos em que os dois põem a mesma classe da ImageNet em primeiro."},
    "inside.page.agreement_bn": {"en": "With pretrained BN statistics", "pt": "Com estatísticas de BN originais"},
    "inside.page.agreement_bn_help": {
        "en": "Training re-estimates each batch-norm layer's running mean and variance on your images. Putting the "
              "pretrained ones back, with the fine-tuned weights kept, shows how much of the forgetting is in those "
              "statistics and how much in the weights.",
        "pt": "O treino reestima a média e a variância de cada camada de batch norm com as suas imagens. "
              "Recolocar as pré-treinadas, mantendo os pesos ajustados, mostra quanto do esquecimento está nessas "
              "estatísticas e quanto nos pesos."},
    "inside.page.top5_overlap": {"en": "Top-5 classes in common", "pt": "Classes top-5 em comum"},
    "inside.page.forgetting_same": {
        "en": "This run changed no backbone weight (feature extraction), so nothing was forgotten: both models "
              "are the same network here. Photos at {size} px, the model's own ImageNet size.",
        "pt": "Esta execução não mudou nenhum peso da rede base (extração de características, feature "
              "extraction), então nada foi esquecido: os dois modelos são a mesma rede aqui. Fotos em {size} px, "
              "o tamanho da ImageNet do próprio modelo."},
    "inside.page.forgetting_moved": {
        "en": "Every photo where the two disagree is ImageNet knowledge the fine-tuning overwrote (weights, and "
              "batch-norm statistics adapted to your images). Photos at {size} px, the model's own ImageNet size.",
        "pt": "Cada foto em que os dois discordam é conhecimento da ImageNet que o ajuste fino sobrescreveu (pesos "
              "e estatísticas de batch norm adaptadas às suas imagens). Fotos em {size} px, o tamanho da ImageNet "
              "do próprio modelo."},
}
