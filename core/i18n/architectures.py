STRINGS = {
    "architectures.title": {"en": "Architectures side by side", "pt": "Arquiteturas lado a lado"},
    "architectures.intro": {
        "en": "Pick a few networks and an input size. Every number below is computed from the model itself, "
              "built on PyTorch's *meta* device (no weights in memory): parameters, **MACs** (multiply-"
              "accumulates; **FLOPs = 2 × MACs**), the **receptive field** (how many input pixels one cell of a "
              "feature map can see), depth and activation memory. ImageNet top-1 comes from the weights' metadata.",
        "pt": "Escolha algumas redes e um tamanho de entrada. Cada número abaixo é calculado a partir do próprio "
              "modelo, construído no dispositivo *meta* do PyTorch (sem pesos na memória): parâmetros, **MACs** "
              "(multiplicações-acumulações; **FLOPs = 2 × MACs**), o **campo receptivo** (quantos pixels da "
              "entrada uma célula de um mapa de características enxerga), profundidade e memória de ativações. "
              "A acurácia top-1 na ImageNet vem dos metadados dos pesos."},
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
              "resumo global (portas squeeze-and-excitation, atenção)."},
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
        "pt": "Uma passada de aquecimento e depois a mediana de até 3 passadas cronometradas por tamanho de lote; "
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
              "size of the gradient of that cell with respect to each input pixel: in practice the cell depends "
              "mostly on a much smaller region near the centre (Luo et al., 2016).",
        "pt": "Escolha um estágio e uma célula do seu mapa de características. O **quadrado** é o campo receptivo "
              "teórico: qualquer pixel dentro dele pode mudar aquela célula. O **mapa de calor** é o campo "
              "receptivo efetivo, o tamanho do gradiente daquela célula em relação a cada pixel da entrada: na "
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
        "en": "Theoretical field: **{rf} px** (stride {stride}){clipped}. 90 % of the gradient lies within a "
              "**{erf} px** square: the effective field is {ratio} of the theoretical side.",
        "pt": "Campo teórico: **{rf} px** (stride {stride}){clipped}. 90 % do gradiente está num quadrado de "
              "**{erf} px**: o campo efetivo é {ratio} do lado teórico."},
    "architectures.rfimg_clipped": {"en": ", larger than the {size} px image", "pt": ", maior que a imagem de {size} px"},
    "architectures.rfimg_global": {
        "en": "This stage also sees a global summary of the image (squeeze-and-excitation or attention), so "
              "strictly every pixel can change it; the square shows the convolutional field.",
        "pt": "Este estágio também vê um resumo global da imagem (squeeze-and-excitation ou atenção), então a "
              "rigor qualquer pixel pode alterá-lo; o quadrado mostra o campo convolucional."},
    "architectures.stack_title": {"en": "Why stacks of 3×3?", "pt": "Por que pilhas de 3×3?"},
    "architectures.stack_intro": {
        "en": "VGG replaced large kernels by stacks of 3×3 convolutions. Each layer adds (k − 1) × (current "
              "stride) pixels to the field; a stride multiplies the step of every later layer, and dilation d "
              "spreads a k-tap kernel over d·(k − 1) + 1 pixels.",
        "pt": "A VGG trocou kernels grandes por pilhas de convoluções 3×3. Cada camada soma (k − 1) × (stride "
              "acumulado) pixels ao campo; um stride multiplica o passo de todas as camadas seguintes, e a "
              "dilatação d espalha um kernel de k pontos por d·(k − 1) + 1 pixels."},
    "architectures.stack_layers": {"en": "Layers", "pt": "Camadas"},
    "architectures.stack_kernel": {"en": "Kernel", "pt": "Kernel"},
    "architectures.stack_stride": {"en": "Stride", "pt": "Stride"},
    "architectures.stack_dilation": {"en": "Dilation", "pt": "Dilatação"},
    "architectures.stack_channels": {"en": "Channels C", "pt": "Canais C"},
    "architectures.stack_result": {
        "en": "{layers} × {kernel}×{kernel} (stride {stride}, dilation {dilation}) see **{rf}×{rf}** pixels with "
              "{layers}·({kernel}²C²) = **{stack}** weights and {layers} nonlinearities. One {rf}×{rf} layer "
              "would need {rf}²C² = **{single}** weights ({ratio:.2f}×) and only one nonlinearity.",
        "pt": "{layers} × {kernel}×{kernel} (stride {stride}, dilatação {dilation}) enxergam **{rf}×{rf}** pixels "
              "com {layers}·({kernel}²C²) = **{stack}** pesos e {layers} não linearidades. Uma única camada "
              "{rf}×{rf} precisaria de {rf}²C² = **{single}** pesos ({ratio:.2f}×) e só uma não linearidade."},
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
}
