STRINGS = {
    "architectures.title": {"en": "Architectures side by side", "pt": "Arquiteturas lado a lado"},
    "architectures.intro": {
        "en": "Pick a few networks and an input size. Every number below is computed from the model itself, "
              "built on PyTorch's *meta* device (no weights in memory): parameters, **MACs** (multiply-"
              "accumulates; **FLOPs = 2 × MACs**), the **receptive field** (the side of the square of input "
              "pixels that one cell of a feature map can see: 195 means 195×195), depth and activation memory. "
              "ImageNet top-1 comes from the weights' metadata.",
        "pt": "Escolha algumas redes e um tamanho de entrada. Cada número abaixo é calculado a partir do próprio "
              "modelo, construído no dispositivo *meta* do PyTorch (sem pesos na memória): parâmetros, **MACs** "
              "(multiplicações-acumulações; **FLOPs = 2 × MACs**), o **campo receptivo** (o lado do quadrado de "
              "pixels da entrada que uma célula de um mapa de características enxerga: 195 quer dizer 195×195), "
              "profundidade e memória de ativações. A acurácia top-1 na ImageNet vem dos metadados dos pesos."},
    "architectures.models": {"en": "Models", "pt": "Modelos"},
    "architectures.size": {"en": "Input size (pixels)", "pt": "Tamanho da entrada (pixels)"},
    "architectures.size_help": {
        "en": "Square input side. Each model's own training size is used for its published accuracy.",
        "pt": "Lado da entrada quadrada. A acurácia publicada de cada modelo vale para o seu próprio tamanho de treino."},
    "architectures.pick_one": {"en": "Pick at least one model.", "pt": "Escolha pelo menos um modelo."},
    "architectures.table_title": {"en": "Comparison", "pt": "Comparação"},
    "architectures.table_help": {
        "en": "Click a column header to sort. The receptive field is at the last feature map (before global "
              "pooling); “+ global” marks models whose cells also see a global summary (squeeze-and-excitation "
              "gates, attention).",
        "pt": "Clique no cabeçalho de uma coluna para ordenar. O campo receptivo é o do último mapa de "
              "características (antes do pooling global); “+ global” marca modelos cujas células também veem um "
              "resumo global (blocos SE, atenção)."},
    "architectures.col.model": {"en": "Model", "pt": "Modelo"},
    "architectures.col.year": {"en": "Year", "pt": "Ano"},
    "architectures.col.params": {"en": "Params (M)", "pt": "Parâmetros (M)"},
    "architectures.col.classifier": {"en": "In classifier", "pt": "No classificador"},
    "architectures.col.gmacs": {"en": "GMACs", "pt": "GMACs"},
    "architectures.col.gflops": {"en": "GFLOPs", "pt": "GFLOPs"},
    "architectures.col.depth": {"en": "Depth", "pt": "Profundidade"},
    "architectures.col.rf": {"en": "Receptive field (px)", "pt": "Campo receptivo (px)"},
    "architectures.col.stride": {"en": "Effective stride", "pt": "Stride efetivo"},
    "architectures.col.padding": {"en": "Effective padding", "pt": "Padding efetivo"},
    "architectures.col.global": {"en": "+ global", "pt": "+ global"},
    "architectures.col.act": {"en": "Activations (MB/img)", "pt": "Ativações (MB/img)"},
    "architectures.col.top1": {"en": "ImageNet top-1 (%)", "pt": "Top-1 ImageNet (%)"},
    "architectures.col.source": {"en": "Top-1 source", "pt": "Fonte do top-1"},
    "architectures.col.note": {"en": "Note", "pt": "Observação"},
    "architectures.col.depth_help": {
        "en": "Weight layers (convolutions and linear layers) on the longest path from input to output.",
        "pt": "Camadas com pesos (convoluções e camadas lineares) no caminho mais longo da entrada à saída."},
    "architectures.col.act_help": {
        "en": "Sum of all layer outputs for one image in float32: roughly what training keeps for backpropagation.",
        "pt": "Soma das saídas de todas as camadas para uma imagem em float32: aproximadamente o que o treino "
              "guarda para a retropropagação."},
    "architectures.flops_unavailable": {"en": "FLOPs unavailable for {model}: {reason}",
                                        "pt": "FLOPs indisponíveis para {model}: {reason}"},
    "architectures.model_error": {"en": "{model}: {error}", "pt": "{model}: {error}"},
    "architectures.classifier_fact": {
        "en": "{model} keeps {share} of its {total} parameters in the classifier ({head}); its convolutional part "
              "holds only {rest}.",
        "pt": "A {model} guarda {share} dos seus {total} parâmetros no classificador ({head}); a parte "
              "convolucional tem apenas {rest}."},
    "architectures.published": {
        "en": "torchvision publishes {params} parameters and {gmacs} GMACs for {model} at {size} px.",
        "pt": "O torchvision publica {params} parâmetros e {gmacs} GMACs para {model} em {size} px."},
    "architectures.tab.efficiency": {"en": "Accuracy vs cost", "pt": "Acurácia × custo"},
    "architectures.tab.stages": {"en": "Parameters per stage", "pt": "Parâmetros por estágio"},
    "architectures.tab.fields": {"en": "Receptive field per stage", "pt": "Campo receptivo por estágio"},
    "architectures.no_top1": {
        "en": "Not plotted (no published top-1 or no MAC count): {models}.",
        "pt": "Fora do gráfico (sem top-1 publicado ou sem contagem de MACs): {models}."},
    "architectures.latency_title": {"en": "Measured latency", "pt": "Latência medida"},
    "architectures.latency_toggle": {"en": "Measure latency on {device} (batch 1 and 32)",
                                     "pt": "Medir a latência em {device} (lote 1 e 32)"},
    "architectures.latency_help": {
        "en": "One warm-up pass, then the median of up to 3 timed passes per batch size; random weights (speed "
              "does not depend on them). On a CPU this takes up to about 20 s per model; results are kept.",
        "pt": "Uma passagem de aquecimento e depois a mediana de até 3 passagens cronometradas por tamanho de lote; "
              "pesos aleatórios (a velocidade não depende deles). Na CPU isso leva até uns 20 s por modelo; os "
              "resultados ficam guardados."},
    "architectures.latency_running": {"en": "Timing {model} ...", "pt": "Cronometrando {model} ..."},
    "architectures.col.batch1": {"en": "Batch 1 (ms)", "pt": "Lote 1 (ms)"},
    "architectures.col.batch32": {"en": "Batch 32 (ms)", "pt": "Lote 32 (ms)"},
    "architectures.col.throughput": {"en": "Images/s (batch 32)", "pt": "Imagens/s (lote 32)"},
    "architectures.col.repeats": {"en": "Timed runs", "pt": "Execuções cronometradas"},
    "architectures.layers_title": {"en": "Layer by layer", "pt": "Camada por camada"},
    "architectures.layers_model": {"en": "Model for the layer table", "pt": "Modelo da tabela de camadas"},
    "architectures.conv1": {
        "en": "First convolution of {model}: **{filters} filters of {kernel}**, stride {stride}, padding {padding}; "
              "each output pixel already sees {rf}×{rf} input pixels.",
        "pt": "Primeira convolução da {model}: **{filters} filtros de {kernel}**, stride {stride}, padding "
              "{padding}; cada pixel de saída já enxerga {rf}×{rf} pixels da entrada."},
    "architectures.alexnet_note": {
        "en": "The 2012 paper's AlexNet had 96 filters of 11×11 with stride 4, split across two GPUs; torchvision "
              "implements the single-GPU variant from Krizhevsky's “One weird trick” (2014), which has 64.",
        "pt": "A AlexNet do artigo de 2012 tinha 96 filtros de 11×11 com stride 4, divididos entre duas GPUs; o "
              "torchvision implementa a variante de uma GPU do “One weird trick” de Krizhevsky (2014), que tem 64."},
    "architectures.col.name": {"en": "Layer", "pt": "Camada"},
    "architectures.col.type": {"en": "Type", "pt": "Tipo"},
    "architectures.col.kernel": {"en": "Kernel", "pt": "Kernel"},
    "architectures.col.lstride": {"en": "Stride", "pt": "Stride"},
    "architectures.col.lpadding": {"en": "Padding", "pt": "Padding"},
    "architectures.col.shape": {"en": "Output shape", "pt": "Forma da saída"},
    "architectures.col.lparams": {"en": "Params", "pt": "Parâmetros"},
    "architectures.col.macs": {"en": "MACs", "pt": "MACs"},
    "architectures.stage": {"en": "Stage", "pt": "Estágio"},
    "architectures.rfimg_title": {"en": "Receptive field on an image", "pt": "Campo receptivo sobre uma imagem"},
    "architectures.rfimg_intro": {
        "en": "Choose a stage and one cell of its feature map. The **square** is the theoretical receptive field: "
              "every pixel inside can change that cell. The **heat map** is the effective receptive field, the "
              "magnitude of the gradient of that cell with respect to each input pixel: in practice the cell depends "
              "mostly on a much smaller region near the centre (Luo et al., 2016).",
        "pt": "Escolha um estágio e uma célula do seu mapa de características. O **quadrado** é o campo receptivo "
              "teórico: qualquer pixel dentro dele pode mudar aquela célula. O **mapa de calor** é o campo "
              "receptivo efetivo, a magnitude do gradiente daquela célula em relação a cada pixel da entrada: na "
              "prática a célula depende sobretudo de uma região bem menor perto do centro (Luo et al., 2016)."},
    "architectures.rfimg_model": {"en": "Model", "pt": "Modelo"},
    "architectures.rfimg_stage": {"en": "Stage", "pt": "Estágio"},
    "architectures.rfimg_row": {"en": "Cell row", "pt": "Linha da célula"},
    "architectures.rfimg_col": {"en": "Cell column", "pt": "Coluna da célula"},
    "architectures.rfimg_source": {"en": "Image", "pt": "Imagem"},
    "architectures.rfimg_upload": {"en": "Upload an image", "pt": "Envie uma imagem"},
    "architectures.rfimg_sample.chelsea": {"en": "Sample: cat (Chelsea)", "pt": "Exemplo: gato (Chelsea)"},
    "architectures.rfimg_sample.coffee": {"en": "Sample: coffee cup", "pt": "Exemplo: xícara de café"},
    "architectures.rfimg_sample.astronaut": {"en": "Sample: astronaut", "pt": "Exemplo: astronauta"},
    "architectures.rfimg_sample.upload": {"en": "My own image", "pt": "Minha própria imagem"},
    "architectures.rfimg_no_stage": {"en": "{model} has no spatial stage at this input size.",
                                     "pt": "A {model} não tem estágio espacial neste tamanho de entrada."},
    "architectures.rfimg_result": {
        "en": "Theoretical field: **{rf}×{rf} px** (stride {stride}){clipped}. 90% of the gradient lies within a "
              "**{erf}×{erf} px** square: the effective field's side is {ratio} of the theoretical one.",
        "pt": "Campo teórico: **{rf}×{rf} px** (stride {stride}){clipped}. 90 % do gradiente está num quadrado de "
              "**{erf}×{erf} px**: o lado do campo efetivo é {ratio} do lado teórico."},
    "architectures.rfimg_clipped": {"en": ", larger than the {size} px image", "pt": ", maior que a imagem de {size} px"},
    "architectures.rfimg_global": {
        "en": "This stage also sees a global summary of the image (SE blocks or attention), so "
              "strictly every pixel can change it; the square shows the convolutional field.",
        "pt": "Este estágio também vê um resumo global da imagem (blocos SE ou atenção), então a "
              "rigor qualquer pixel pode alterá-lo; o quadrado mostra o campo convolucional."},
    "architectures.stack_title": {"en": "Why stacks of 3×3?", "pt": "Por que pilhas de 3×3?"},
    "architectures.stack_intro": {
        "en": "VGG replaced large kernels by stacks of 3×3 convolutions. Each layer widens the field's side by "
              "(k − 1) × (the product of the strides of all earlier layers) pixels; a stride multiplies the step "
              "of every later layer, and dilation d spreads a k-tap kernel over d·(k − 1) + 1 pixels.",
        "pt": "A VGG trocou kernels grandes por pilhas de convoluções 3×3. Cada camada aumenta o lado do campo "
              "em (k − 1) × (o produto dos strides de todas as camadas anteriores) pixels; um stride multiplica o "
              "passo de todas as camadas seguintes, e a dilatação d espalha um kernel de k pontos por "
              "d·(k − 1) + 1 pixels."},
    "architectures.stack_layers": {"en": "Layers", "pt": "Camadas"},
    "architectures.stack_kernel": {"en": "Kernel", "pt": "Kernel"},
    "architectures.stack_stride": {"en": "Stride", "pt": "Stride"},
    "architectures.stack_dilation": {"en": "Dilation", "pt": "Dilatação"},
    "architectures.stack_channels": {"en": "Channels C", "pt": "Canais C"},
    "architectures.stack_result": {
        "en": "{layers} × {kernel}×{kernel} (stride {stride}, dilation {dilation}) see **{rf}×{rf}** pixels with "
              "{layers}·({kernel}²C²) = **{stack}** weights and {layers} nonlinearities. One {rf}×{rf} layer "
              "would need {rf}²C² = **{single}** weights ({ratio}) and only one nonlinearity.",
        "pt": "{layers} × {kernel}×{kernel} (stride {stride}, dilatação {dilation}) enxergam **{rf}×{rf}** pixels "
              "com {layers}·({kernel}²C²) = **{stack}** pesos e {layers} não linearidades. Uma única camada "
              "{rf}×{rf} precisaria de {rf}²C² = **{single}** pesos ({ratio}) e só uma não linearidade."},
    "architectures.col.layer": {"en": "Layer", "pt": "Camada"},
    "architectures.col.cum_params": {"en": "Weights so far", "pt": "Pesos acumulados"},
    # plots
    "architectures.plot.gmacs": {"en": "GMACs per image (log scale)", "pt": "GMACs por imagem (escala log)"},
    "architectures.plot.top1": {"en": "ImageNet top-1 (%)", "pt": "Top-1 ImageNet (%)"},
    "architectures.plot.bubble_title": {"en": "Accuracy against cost (bubble area = parameters)",
                                        "pt": "Acurácia contra custo (área da bolha = parâmetros)"},
    "architectures.plot.params_m": {"en": "Parameters (millions)", "pt": "Parâmetros (milhões)"},
    "architectures.plot.stages_title": {"en": "Where the parameters live", "pt": "Onde ficam os parâmetros"},
    "architectures.plot.stage_index": {"en": "Stage (input side first)", "pt": "Estágio (a partir da entrada)"},
    "architectures.plot.rf": {"en": "Receptive field (px)", "pt": "Campo receptivo (px)"},
    "architectures.plot.stride": {"en": "Effective stride (px)", "pt": "Stride efetivo (px)"},
    "architectures.plot.fields_title": {"en": "Receptive field and effective stride at each stage output",
                                        "pt": "Campo receptivo e stride efetivo na saída de cada estágio"},
    "architectures.plot.input_size": {"en": "input size", "pt": "tamanho da entrada"},
    "architectures.plot.theoretical": {"en": "theoretical field", "pt": "campo teórico"},
    "architectures.plot.effective": {"en": "90 % of the gradient", "pt": "90 % do gradiente"},
    "architectures.plot.gradient": {"en": "|gradient|", "pt": "|gradiente|"},
    "architectures.plot.stack_title": {"en": "Weights: stack against one big kernel",
                                       "pt": "Pesos: pilha contra um kernel grande"},
    "architectures.plot.stack": {"en": "stack", "pt": "pilha"},
    "architectures.plot.single": {"en": "one layer", "pt": "uma camada"},
    "architectures.plot.weights": {"en": "Weights (× C²)", "pt": "Pesos (× C²)"},
    "architectures.plot.projection": {"en": "projection shortcut", "pt": "atalho com projeção"},
    "architectures.plot.identity": {"en": "identity: x", "pt": "identidade: x"},
    "architectures.plot.identity_block": {"en": "identity shortcut", "pt": "atalho identidade"},
    "architectures.plot.stem": {"en": "stem", "pt": "stem"},
    "architectures.plot.stage": {"en": "stage {n}", "pt": "estágio {n}"},
    "architectures.plot.head": {"en": "head", "pt": "classificador"},
    "architectures.plot.hover_params": {"en": "{params} parameters", "pt": "{params} parâmetros"},
    "architectures.plot.hover_v2": {"en": "V2 weights (2021 recipe); V1: {v1}",
                                    "pt": "pesos V2 (receita de 2021); V1: {v1}"},
    # where a top-1 comes from (core/architectures/published.py)
    "architectures.top1_src.torchvision": {"en": "torchvision weights metadata ({weights})",
                                           "pt": "metadados dos pesos do torchvision ({weights})"},
    "architectures.top1_src.torchvision_none": {
        "en": "torchvision publishes no ImageNet-1K accuracy for these weights",
        "pt": "o torchvision não publica acurácia na ImageNet-1K para estes pesos"},
    "architectures.top1_src.timm_cfg": {"en": "timm pretrained config ({model})",
                                        "pt": "configuração pré-treinada do timm ({model})"},
    "architectures.top1_src.timm_results": {"en": "timm results table {table}, {tag}",
                                            "pt": "tabela de resultados do timm {table}, {tag}"},
    "architectures.top1_src.timm_none": {"en": "timm's pretrained config carries no accuracy for this model",
                                         "pt": "a configuração pré-treinada do timm não traz acurácia para este modelo"},
    "architectures.top1_src.not_catalog": {"en": "not a catalog model", "pt": "não é um modelo do catálogo"},
    "architectures.v2_note": {
        "en": "Top-1 of the V2 weights, from torchvision's 2021 training recipe, not the paper's; the original "
              "recipe's V1 weights score {v1}.",
        "pt": "Top-1 dos pesos V2, da receita de treino de 2021 do torchvision, não a do artigo; os pesos V1 da "
              "receita original chegam a {v1}."},
    "architectures.v2_caption": {
        "en": "The year is the paper's; a top-1 marked V2 comes from weights trained in 2021 with a newer recipe "
              "(longer training, stronger augmentation and regularisation): {models}.",
        "pt": "O ano é o do artigo; um top-1 marcado como V2 vem de pesos treinados em 2021 com uma receita "
              "mais nova (treino mais longo, data augmentation e regularização mais fortes): {models}."},
    "architectures.v2_item": {"en": "{model} {top1} (V1: {v1})", "pt": "{model} {top1} (V1: {v1})"},
    # ------------------------------------------------------------------- the lecture's architectures (cards)
    "architectures.cards_title": {"en": "The lecture's architectures, on the real models",
                                  "pt": "As arquiteturas da aula, nos modelos reais"},
    "architectures.cards_intro": {
        "en": "What the course teaches about AlexNet, VGG and ResNet, next to what torchvision's models (built on "
              "the meta device) show. Figures that only the papers can give are marked *(paper)*.",
        "pt": "O que o curso ensina sobre AlexNet, VGG e ResNet, ao lado do que os modelos do torchvision "
              "(construídos no dispositivo meta) mostram. Números que só os artigos podem dar estão marcados "
              "*(artigo)*."},
    "architectures.tab.code": {"en": "The lecture's code, checked", "pt": "O código da aula, conferido"},
    "architectures.card.alexnet.layers": {
        "en": "**{layers} weight layers**: torchvision's AlexNet has {convs} convolutions and {linears} fully "
              "connected layers, {params} parameters in all.",
        "pt": "**{layers} camadas com pesos**: a AlexNet do torchvision tem {convs} convoluções e {linears} "
              "camadas totalmente conectadas, {params} parâmetros ao todo."},
    "architectures.card.alexnet.input": {
        "en": "**Input 227×227×3 and conv1** *(paper)*: {filters} filters of {k}×{k}, stride {s}, no padding. "
              "(227 − {k}) / {s} + 1 = {formula}, and that layer run on a 227 px meta tensor outputs "
              "**{h}×{w}×{c}**. The paper itself writes 224, where (224 − {k}) / {s} + 1 = {f224} is not whole: "
              "227 is the size that makes the arithmetic work.",
        "pt": "**Entrada 227×227×3 e conv1** *(artigo)*: {filters} filtros de {k}×{k}, stride {s}, sem padding. "
              "(227 − {k}) / {s} + 1 = {formula}, e essa camada, rodada num tensor meta de 227 px, produz "
              "**{h}×{w}×{c}**. O próprio artigo escreve 224, e (224 − {k}) / {s} + 1 = {f224} não é inteiro: 227 "
              "é o tamanho que fecha a conta."},
    "architectures.card.alexnet.torchvision": {
        "en": "**torchvision's conv1**: {filters} filters (not 96: torchvision follows the one-GPU variant of "
              "Krizhevsky's “One weird trick”, 2014), {k}×{k}, stride {s}, **padding {p}**: a 224 px image also "
              "gives {h224}×{w224} (a 227 px one would give {h227}×{w227}). An adaptive average pool fixes the "
              "classifier's input at {pool}, so any image from {min} px up runs.",
        "pt": "**conv1 do torchvision**: {filters} filtros (não 96: o torchvision segue a variante de uma GPU do "
              "“One weird trick” de Krizhevsky, 2014), {k}×{k}, stride {s}, **padding {p}**: uma imagem de 224 px "
              "também dá {h224}×{w224} (uma de 227 px daria {h227}×{w227}). Um pooling médio adaptativo fixa a "
              "entrada do classificador em {pool}, então qualquer imagem a partir de {min} px funciona."},
    "architectures.card.alexnet.gpus": {
        "en": "**Two GPUs with {memory} GB ({gpu})** *(paper)*: the network did not fit in one card's memory, so "
              "its filters were split between the two, and some layers saw only the half on their own GPU. "
              "torchvision's single-GPU model has no such split.",
        "pt": "**Duas GPUs de {memory} GB ({gpu})** *(artigo)*: a rede não cabia na memória de uma placa, então "
              "seus filtros foram divididos entre as duas, e algumas camadas só viam a metade da própria GPU. O "
              "modelo de uma GPU do torchvision não tem essa divisão."},
    "architectures.card.alexnet.relu": {
        "en": "**ReLU**: {relus} ReLU layers in the model (after each convolution and after FC6 and FC7); "
              "{tanh} tanh or sigmoid.",
        "pt": "**ReLU**: {relus} camadas ReLU no modelo (depois de cada convolução e de FC6 e FC7); {tanh} tanh "
              "ou sigmoide."},
    "architectures.card.alexnet.pool": {
        "en": "**Overlapping max pooling**: {count} max-pooling layers of {k}×{k} with stride {s}. The stride is "
              "smaller than the window, so neighbouring windows share pixels.",
        "pt": "**Max pooling sobreposto**: {count} camadas de max pooling {k}×{k} com stride {s}. O stride é menor "
              "que a janela, então janelas vizinhas compartilham pixels."},
    "architectures.card.alexnet.dropout": {
        "en": "**Dropout**: p = {p} before FC6 and before FC7 ({names}), read from the model; it fights "
              "overfitting in the layers that hold most of the parameters.",
        "pt": "**Dropout**: p = {p} antes de FC6 e antes de FC7 ({names}), lido do modelo; combate o overfitting "
              "nas camadas que concentram a maior parte dos parâmetros."},
    "architectures.card.alexnet.lrn": {
        "en": "**LRN** *(paper)*: local response normalisation after conv1 and conv2. torchvision's AlexNet has "
              "**none** ({count} LocalResponseNorm layers): its weights were trained without it.",
        "pt": "**LRN** *(artigo)*: normalização local de resposta depois de conv1 e conv2. A AlexNet do "
              "torchvision **não tem** nenhuma ({count} camadas LocalResponseNorm): seus pesos foram treinados "
              "sem ela."},
    "architectures.card.vgg.convs": {
        "en": "**Only 3×3 convolutions**: all {convs} convolutions of VGG-16 are {k}×{k} with stride {s} and "
              "padding {p}; every max pooling is {pk}×{pk} with stride {ps}. {convs} convolutions + {linears} FC = "
              "**{layers} weight layers** (VGG-19: {layers19}).",
        "pt": "**Só convoluções 3×3**: as {convs} convoluções da VGG-16 são {k}×{k} com stride {s} e padding {p}; "
              "todo max pooling é {pk}×{pk} com stride {ps}. {convs} convoluções + {linears} FC = **{layers} "
              "camadas com pesos** (VGG-19: {layers19})."},
    "architectures.card.vgg.stack": {
        "en": "**Three 3×3 see as much as one 7×7**: with C = {c} channels, three 3×3 layers see {rf}×{rf} pixels "
              "with 3·(3²C²) = {stack} weights and three ReLUs; one {rf}×{rf} layer needs {rf}²C² = {single} "
              "weights ({ratio}) and one ReLU. Try other kernels, strides and depths in the "
              "[calculator below](#stack).",
        "pt": "**Três 3×3 enxergam o mesmo que uma 7×7**: com C = {c} canais, três camadas 3×3 enxergam "
              "{rf}×{rf} pixels com 3·(3²C²) = {stack} pesos e três ReLUs; uma camada {rf}×{rf} precisa de "
              "{rf}²C² = {single} pesos ({ratio}) e uma ReLU. Experimente outros kernels, strides e "
              "profundidades na [calculadora abaixo](#stack)."},
    "architectures.card.vgg.params": {
        "en": "**138 M parameters**: counted on the meta device, VGG-16 has **{params}**. The classifier holds "
              "{classifier} of them ({share}); the {convs} convolutions only {conv}. The first FC layer alone: "
              "{fc1}.",
        "pt": "**138 M de parâmetros**: contados no dispositivo meta, a VGG-16 tem **{params}**. O classificador "
              "guarda {classifier} deles ({share}); as {convs} convoluções, só {conv}. Só a primeira camada FC: "
              "{fc1}."},
    "architectures.card.vgg.features": {
        "en": "**The 25,088 features**: for a 224 px image the convolutional part (with its adaptive pool) hands "
              "the classifier {c}×{h}×{w} = **{flat}** numbers, and the first Linear takes in_features = {fc_in} "
              "(→ {fc_out}). A new head after nn.Flatten() must take {flat}: the lecture's Linear(512, 128) "
              "cannot (see “{tab}”).",
        "pt": "**As 25.088 características**: para uma imagem de 224 px, a parte convolucional (com seu pooling "
              "adaptativo) entrega ao classificador {c}×{h}×{w} = **{flat}** números, e a primeira Linear recebe "
              "in_features = {fc_in} (→ {fc_out}). Uma nova camada de classificação depois de nn.Flatten() precisa receber {flat}: "
              "a Linear(512, 128) da aula não consegue (veja “{tab}”)."},
    "architectures.card.resnet.degradation": {
        "en": "**The degradation problem** *(paper, figure {figure})*: on {dataset}, a plain {deep}-layer network "
              "had a *higher training error* than a {shallow}-layer one. Overfitting would lower the training "
              "error; this is an optimisation problem: the deeper network cannot even find the shallower one's "
              "solution (its extra layers as identities).",
        "pt": "**O problema de degradação** *(artigo, figura {figure})*: no {dataset}, uma rede simples de {deep} "
              "camadas tinha *erro de treino maior* que uma de {shallow}. Overfitting baixaria o erro de treino; "
              "isto é um problema de otimização: a rede mais funda não consegue nem achar a solução da mais rasa "
              "(suas camadas extras como identidades)."},
    "architectures.card.resnet.skip": {
        "en": "**Skip connection**: a block computes F(x) and outputs ReLU(F(x) + x). When the extra layers have "
              "nothing to add, F only has to go to zero, which is easy to learn; and the gradient reaches earlier "
              "layers through the + unchanged.",
        "pt": "**Conexão residual (skip connection)**: um bloco calcula F(x) e devolve ReLU(F(x) + x). Quando as "
              "camadas extras não têm nada a acrescentar, F só precisa ir a zero, o que é fácil de aprender; e o "
              "gradiente chega às camadas anteriores pelo + sem alteração."},
    "architectures.card.resnet.projection": {
        "en": "**When the shape changes**: the first block of a stage halves the side and changes the channels "
              "({shape_in} → {shape_out}), so x no longer has F(x)'s shape. torchvision's `{name}.downsample` "
              "projects it with a {k}×{k} convolution {cin}→{cout}, stride {s}, then batch norm (the drawing's "
              "left block); the other blocks add x itself (right).",
        "pt": "**Quando a forma muda**: o primeiro bloco de um estágio reduz o lado à metade e muda os canais "
              "({shape_in} → {shape_out}), então x já não tem a forma de F(x). O `{name}.downsample` do "
              "torchvision o projeta com uma convolução {k}×{k} {cin}→{cout}, stride {s}, seguida de batch norm "
              "(bloco da esquerda no desenho); os outros blocos somam o próprio x (direita)."},
    "architectures.card.resnet.stride": {
        "en": "**Where the stride 2 sits**: in torchvision's {block} (ResNet-50 and deeper) it is in **{conv}**, "
              "the {k}×{k} convolution; the paper puts it in the first 1×1 (conv1). This variant is known as "
              "“ResNet V1.5”. In ResNet-18/34's {basic} it is in {basic_conv}, a {basic_k}×{basic_k}.",
        "pt": "**Onde fica o stride 2**: no {block} do torchvision (ResNet-50 e maiores) ele está em **{conv}**, a "
              "convolução {k}×{k}; o artigo o coloca na primeira 1×1 (conv1). Essa variante é conhecida como "
              "“ResNet V1.5”. No {basic} das ResNet-18/34 ele está em {basic_conv}, uma {basic_k}×{basic_k}."},
    "architectures.card.resnet.depth": {
        "en": "**Depth**: weight layers on the main path, counted in the models: ResNet-18 {d18}, ResNet-50 "
              "{d50}, ResNet-152 {d152} (the 152 layers of the lecture).",
        "pt": "**Profundidade**: camadas com pesos no caminho principal, contadas nos modelos: ResNet-18 {d18}, "
              "ResNet-50 {d50}, ResNet-152 {d152} (as 152 camadas da aula)."},
    "architectures.card.resnet.weights": {
        "en": "**Which weights**: torchvision's default for ResNet-50, `{default}`, reaches {top1} top-1 with its "
              "2021 training recipe; the original recipe's `{v1}` reaches {v1_top1}. The year 2015 is the "
              "architecture's: {top1} is not the paper's number.",
        "pt": "**Quais pesos**: o padrão do torchvision para a ResNet-50, `{default}`, chega a {top1} de top-1 com "
              "a receita de treino de 2021; o `{v1}` da receita original chega a {v1_top1}. O ano de 2015 é o da "
              "arquitetura: {top1} não é o número do artigo."},
    "architectures.card.resnet.picture": {
        "en": "Two blocks of torchvision's ResNet-50, drawn from the model: the stride-2 layer in orange.",
        "pt": "Dois blocos da ResNet-50 do torchvision, desenhados a partir do modelo: a camada com stride 2 em "
              "laranja."},
    # ------------------------------------------------------------------------- the lecture's code, checked
    "architectures.code_intro": {
        "en": "Each snippet from the lecture runs here as written, on torchvision {version} (models on the meta "
              "device; nothing is downloaded: the request for weights is recorded instead). First, what a "
              "student gets; below it, the corrected code, run the same way.",
        "pt": "Cada trecho da aula roda aqui como está escrito, no torchvision {version} (modelos no dispositivo "
              "meta; nada é baixado: o pedido de pesos é registrado em vez disso). Primeiro, o que um aluno "
              "obtém; logo abaixo, o código corrigido, rodado do mesmo jeito."},
    "architectures.code.lecture": {"en": "In the lecture", "pt": "Na aula"},
    "architectures.code.fixed": {"en": "Corrected", "pt": "Corrigido"},
    "architectures.code.what": {"en": "What happens", "pt": "O que acontece"},
    "architectures.code.pretrained.title": {"en": "Loading a pretrained model: `pretrained=True`",
                                            "pt": "Carregar um modelo pré-treinado: `pretrained=True`"},
    "architectures.code.pretrained.explain": {
        "en": "`pretrained=True` is deprecated since torchvision 0.13. It still runs, with the two warnings below "
              "(word for word), and loads the **V1** weights. Name the weights instead. Beware of `DEFAULT`: for "
              "ResNet-50 it means `{default}` (another file, a 2021 recipe), so `pretrained=True` and "
              "`weights=...DEFAULT` give different models.",
        "pt": "`pretrained=True` está obsoleto desde o torchvision 0.13. Ainda roda, com os dois avisos abaixo "
              "(palavra por palavra), e carrega os pesos **V1**. Dê o nome dos pesos. Cuidado com `DEFAULT`: para "
              "a ResNet-50 ele quer dizer `{default}` (outro arquivo, uma receita de 2021), então "
              "`pretrained=True` e `weights=...DEFAULT` dão modelos diferentes."},
    "architectures.code.loads": {"en": "loads `{weights}` (file {file})", "pt": "carrega `{weights}` (arquivo {file})"},
    "architectures.code.no_warning": {"en": "no warning", "pt": "nenhum aviso"},
    "architectures.code.vgg_head.title": {"en": "The fine-tuning head on VGG-16", "pt": "A nova camada de classificação na VGG-16"},
    "architectures.code.vgg_head.explain": {
        "en": "VGG-16's convolutional part hands the classifier {features} numbers (512×7×7); the lecture's head "
              "starts with Linear(512, 128), so the first forward pass fails (the error below is PyTorch's own: "
              "the convolutional part ran on the meta device, the new head on the CPU, as on a student's "
              "machine). Also, one output followed by Sigmoid is a **binary** classifier, trained with "
              "nn.BCELoss (or, without the Sigmoid, nn.BCEWithLogitsLoss). For n classes use n outputs and "
              "nn.CrossEntropyLoss, as this app does. The corrected head trains {trainable} parameters.",
        "pt": "A parte convolucional da VGG-16 entrega ao classificador {features} números (512×7×7); a camada de "
              "classificação da aula começa com Linear(512, 128), então a primeira passagem já falha (o erro abaixo é o do próprio "
              "PyTorch: a parte convolucional rodou no dispositivo meta, a nova camada de classificação na CPU, como na máquina de "
              "um aluno). Além disso, uma saída seguida de Sigmoid é um classificador **binário**, treinado com "
              "nn.BCELoss (ou, sem a Sigmoid, nn.BCEWithLogitsLoss). Para n classes use n saídas e "
              "nn.CrossEntropyLoss, como este app faz. A versão corrigida treina {trainable} parâmetros."},
    "architectures.code.output": {"en": "output {shape}", "pt": "saída {shape}"},
    "architectures.code.reslayer.title": {"en": "`ResLayer`: padding and the shortcut", "pt": "`ResLayer`: padding e o atalho"},
    "architectures.code.reslayer.explain": {
        "en": "`padding = kernel_size - 2` keeps the size only for 3×3 (padding 1). A 5×5 needs 2 and gets 3, a "
              "7×7 needs 3 and gets 5: the branch comes out larger than x and the sum fails. And `+ x` needs "
              "F(x) and x of the same shape, so with stride 2 or another channel count it fails even for 3×3. "
              "The fix: `padding = kernel_size // 2` (odd kernels) and a 1×1 projection shortcut when the shape "
              "changes, ResNet's own answer. Each call below runs on a {c}×{h}×{w} input, the size of ResNet's "
              "first stage. (ResNet's real block also has batch norm and puts the ReLU after the sum: see the "
              "ResNet tab.)",
        "pt": "`padding = kernel_size - 2` mantém o tamanho só para 3×3 (padding 1). Um 5×5 precisa de 2 e recebe "
              "3, um 7×7 precisa de 3 e recebe 5: o ramo sai maior que x e a soma falha. E `+ x` exige F(x) e x "
              "com a mesma forma, então com stride 2 ou outro número de canais falha até com 3×3. A correção: "
              "`padding = kernel_size // 2` (kernels ímpares) e um atalho com projeção 1×1 quando a forma muda, "
              "a própria resposta da ResNet. Cada chamada abaixo roda numa entrada {c}×{h}×{w}, o tamanho do "
              "primeiro estágio da ResNet. (O bloco real da ResNet também tem batch norm e aplica a ReLU depois "
              "da soma: veja a aba ResNet.)"},
    "architectures.cpu_threads": {"en": "CPU ({threads} threads)", "pt": "CPU ({threads} linhas de execução)"},
    "architectures.plot.cell_hover": {"en": "row %{y}, column %{x}<br>|gradient| %{z:.3f}",
                                      "pt": "linha %{y}, coluna %{x}<br>|gradiente| %{z:.3f}"},
    # comments of the corrected lecture code (core/architectures/lecture.py)
    "architectures.code.comment.weights_by_name": {
        "en": "weights by name: the files pretrained=True loads, without the warnings",
        "pt": "pesos pelo nome: os arquivos que pretrained=True carrega, sem os avisos"},
    "architectures.code.comment.default_weights": {
        "en": "DEFAULT: the best weights this torchvision has (ResNet-50: IMAGENET1K_V2)",
        "pt": "DEFAULT: os melhores pesos deste torchvision (ResNet-50: IMAGENET1K_V2)"},
    "architectures.code.comment.features": {"en": "512 maps of 7×7 = 25,088 features",
                                             "pt": "512 mapas de 7×7 = 25.088 características"},
    "architectures.code.comment.logits": {"en": "one logit per class; CrossEntropyLoss applies the softmax",
                                           "pt": "um logit por classe; a CrossEntropyLoss aplica a softmax"},
    "architectures.code.comment.keep_fc": {
        "en": "or keep the pretrained FC6 and FC7 and replace only the last layer:",
        "pt": "ou mantenha FC6 e FC7 pré-treinadas e troque só a última camada:"},
    "architectures.code.comment.padding": {"en": "same size for odd kernels: 1, 2, 3 for 3×3, 5×5, 7×7",
                                            "pt": "mesmo tamanho para kernels ímpares: 1, 2, 3 para 3×3, 5×5, 7×7"},
    "architectures.code.comment.projection": {
        "en": "when the shape changes (channels, stride 2), a 1×1 projection brings x to it",
        "pt": "quando a forma muda (canais, stride 2), uma projeção 1×1 leva x até ela"},
    "architectures.code.same_warnings": {"en": "the same {n} deprecation warnings", "pt": "os mesmos {n} avisos de obsolescência"},
}
