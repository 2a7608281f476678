STRINGS = {
    "page.saliency": {"en": "Try it and see why", "pt": "Experimente e veja por quê"},

    # ------------------------------------------------------------------------------------------------ figures
    "saliency.fig.probabilities": {"en": "Class probabilities", "pt": "Probabilidades das classes"},
    "saliency.fig.intact": {"en": "trained model", "pt": "modelo treinado"},
    "saliency.fig.randomised": {"en": "down to {stage} random · ρ {rho}",
                                "pt": "até {stage} aleatório · ρ {rho}"},
    "saliency.fig.flag_line": {"en": "flag above this", "pt": "alerta acima disto"},
    "saliency.fig.rank_title": {"en": "How much each map still resembles the trained model's",
                                "pt": "Quanto cada mapa ainda se parece com o do modelo treinado"},
    "saliency.fig.rank_axis": {"en": "Spearman ρ with the original map", "pt": "ρ de Spearman com o mapa original"},
    "saliency.fig.randomised_axis": {"en": "randomised from the head down to", "pt": "aleatorizado da cabeça até"},
    "saliency.fig.deletion_title": {"en": "Deletion: the class probability as pixels are hidden",
                                    "pt": "Remoção: a probabilidade da classe conforme os pixels são escondidos"},
    "saliency.fig.deletion_x": {"en": "pixels hidden", "pt": "pixels escondidos"},
    "saliency.fig.deletion_y": {"en": "probability of the class", "pt": "probabilidade da classe"},
    "saliency.fig.deletion_most": {"en": "{method}, most important first (area {area})",
                                   "pt": "{method}, mais importantes primeiro (área {area})"},
    "saliency.fig.deletion_least": {"en": "{method}, least important first (area {area})",
                                    "pt": "{method}, menos importantes primeiro (área {area})"},

    # ------------------------------------------------------------------------------------------ method names
    "saliency.method.saliency": {"en": "Saliency", "pt": "Saliency (gradiente)"},
    "saliency.method.ig": {"en": "Integrated Gradients", "pt": "Integrated Gradients"},
    "saliency.method.smoothgrad": {"en": "SmoothGrad", "pt": "SmoothGrad"},
    "saliency.method.gradcam": {"en": "Grad-CAM", "pt": "Grad-CAM"},
    "saliency.method.occlusion": {"en": "Occlusion", "pt": "Oclusão"},
    "saliency.baseline.black": {"en": "black image", "pt": "imagem preta"},
    "saliency.baseline.blur": {"en": "blurred image", "pt": "imagem borrada"},
    "saliency.baseline.noise": {"en": "random noise", "pt": "ruído aleatório"},

    # ---------------------------------------------------------------------------------------------------- page
    "saliency.page.intro": {
        "en": "Point a model at a picture, see what it answers, and ask **why**: an attribution map colours the "
              "pixels by how much they pushed the model towards the class it explains (bright: a lot, dark: "
              "hardly). The maps are computed with [Captum](https://captum.ai), on the picture exactly as the "
              "model saw it, after its resize and centre crop.",
        "pt": "Aponte um modelo para uma imagem, veja o que ele responde e pergunte **por quê**: um mapa de "
              "atribuição colore os pixels conforme o quanto empurraram o modelo para a classe explicada (claro: "
              "muito; escuro: quase nada). Os mapas são calculados com o [Captum](https://captum.ai), sobre a "
              "imagem exatamente como o modelo a viu, depois do redimensionamento e do recorte central."},
    "saliency.page.source": {"en": "Explain", "pt": "Explicar"},
    "saliency.page.source.pretrained": {"en": "A pretrained model (ImageNet's 1000 classes)",
                                        "pt": "Um modelo pré-treinado (as 1000 classes da ImageNet)"},
    "saliency.page.source.run": {"en": "A finished fine-tuning run (its own classes)",
                                 "pt": "Uma execução de ajuste fino concluída (as classes dela)"},
    "saliency.page.run": {"en": "Run", "pt": "Execução"},
    "saliency.page.run_option": {"en": "{run} · {model} · {data}", "pt": "{run} · {model} · {data}"},
    "saliency.page.no_runs": {
        "en": "No finished runs yet: fine-tune a model on the **Fine-tuning** page, then explain its predictions "
              "here. Meanwhile, try a pretrained model.",
        "pt": "Nenhuma execução concluída ainda: faça um ajuste fino na página **Ajuste fino** e depois explique "
              "as previsões aqui. Enquanto isso, experimente um modelo pré-treinado."},
    "saliency.page.samples": {"en": "Sample photos", "pt": "Fotos de exemplo"},
    "saliency.page.sample.chelsea": {"en": "cat (Chelsea)", "pt": "gato (Chelsea)"},
    "saliency.page.sample.coffee": {"en": "coffee cup", "pt": "xícara de café"},
    "saliency.page.sample.astronaut": {"en": "astronaut", "pt": "astronauta"},
    "saliency.page.upload": {"en": "…or your own pictures", "pt": "…ou suas próprias imagens"},
    "saliency.page.no_images": {"en": "Choose a sample photo or upload a picture to begin.",
                                "pt": "Escolha uma foto de exemplo ou envie uma imagem para começar."},
    "saliency.page.too_many": {"en": "Only the first {n:integer} pictures are used.",
                               "pt": "Só as primeiras {n:integer} imagens são usadas."},
    "saliency.page.skipped": {"en": "Skipped {name}: {reason}", "pt": "Ignorada {name}: {reason}"},
    "saliency.page.predictions": {"en": "What the model says", "pt": "O que o modelo diz"},
    "saliency.page.table_hint": {"en": "Click a row to explain that picture below.",
                                 "pt": "Clique numa linha para explicar essa imagem abaixo."},
    "saliency.page.col.image": {"en": "picture", "pt": "imagem"},
    "saliency.page.col.name": {"en": "file", "pt": "arquivo"},
    "saliency.page.col.label": {"en": "predicted class", "pt": "classe prevista"},
    "saliency.page.col.prob": {"en": "probability", "pt": "probabilidade"},
    "saliency.page.col.second": {"en": "runner-up", "pt": "segunda opção"},
    "saliency.page.explain_which": {"en": "Picture to explain", "pt": "Imagem a explicar"},
    "saliency.page.seen": {"en": "as the model saw it ({size} px)", "pt": "como o modelo a viu ({size} px)"},
    "saliency.page.answer": {"en": "**{label}** with probability {prob:percent}.",
                             "pt": "**{label}** com probabilidade {prob:percent}."},
    "saliency.page.target": {"en": "Class to explain", "pt": "Classe a explicar"},
    "saliency.page.target_option": {"en": "{label} ({prob:percent})", "pt": "{label} ({prob:percent})"},
    "saliency.page.tab.methods": {"en": "Methods side by side", "pt": "Métodos lado a lado"},
    "saliency.page.tab.compare": {"en": "Before and after fine-tuning", "pt": "Antes e depois do ajuste fino"},
    "saliency.page.tab.sanity": {"en": "Sanity check", "pt": "Teste de sanidade"},
    "saliency.page.tab.faithful": {"en": "Faithfulness", "pt": "Fidelidade"},
    "saliency.page.methods": {"en": "Methods", "pt": "Métodos"},
    "saliency.page.method": {"en": "Method", "pt": "Método"},
    "saliency.page.opacity": {"en": "Map opacity", "pt": "Opacidade do mapa"},
    "saliency.page.view": {"en": "Show", "pt": "Mostrar"},
    "saliency.page.view.overlay": {"en": "map over the picture", "pt": "mapa sobre a imagem"},
    "saliency.page.view.heatmap": {"en": "map alone", "pt": "só o mapa"},
    "saliency.page.settings": {"en": "Method settings", "pt": "Ajustes dos métodos"},
    "saliency.page.steps": {"en": "Integrated Gradients: steps", "pt": "Integrated Gradients: passos"},
    "saliency.page.baseline": {"en": "Integrated Gradients: baseline (the picture that means 'nothing')",
                               "pt": "Integrated Gradients: linha de base (a imagem que significa 'nada')"},
    "saliency.page.samples_n": {"en": "SmoothGrad: noisy copies", "pt": "SmoothGrad: cópias com ruído"},
    "saliency.page.noise": {"en": "SmoothGrad: noise level", "pt": "SmoothGrad: nível de ruído"},
    "saliency.page.stage": {"en": "Grad-CAM: stage", "pt": "Grad-CAM: estágio"},
    "saliency.page.window": {"en": "Occlusion: square side (px)", "pt": "Oclusão: lado do quadrado (px)"},
    "saliency.page.stride": {"en": "Occlusion: stride (px)", "pt": "Oclusão: passo (px)"},
    "saliency.page.panel": {"en": "{method} · {seconds:decimal2} s", "pt": "{method} · {seconds:decimal2} s"},
    "saliency.page.delta": {
        "en": "Integrated Gradients: the attributions add up to f(picture) − f(baseline) up to a convergence "
              "delta of {delta:decimal3} logits with {steps:integer} steps. More steps make it smaller.",
        "pt": "Integrated Gradients: as atribuições somam f(imagem) − f(linha de base) a menos de um delta de "
              "convergência de {delta:decimal3} logits com {steps:integer} passos. Mais passos o reduzem."},
    "saliency.page.channels_note": {
        "en": "Pixel methods (Saliency, Integrated Gradients, SmoothGrad) give a value per pixel and colour "
              "channel; the map adds up the three channels' absolute values. Grad-CAM's map is coarse (one "
              "value per cell of its stage, {cells}), smoothly enlarged to the picture. Occlusion shows how much "
              "the class's score falls when a black square hides each region.",
        "pt": "Os métodos de pixel (Saliency, Integrated Gradients, SmoothGrad) dão um valor por pixel e canal "
              "de cor; o mapa soma os valores absolutos dos três canais. O mapa do Grad-CAM é grosso (um valor "
              "por célula do estágio, {cells}), ampliado suavemente até o tamanho da imagem. A oclusão mostra "
              "quanto a pontuação da classe cai quando um quadrado preto esconde cada região."},
    "saliency.page.what_methods": {"en": "What each method computes", "pt": "O que cada método calcula"},
    "saliency.page.what_methods_body": {
        "en": "- **Saliency**: how strongly each pixel's change would change the class score (the gradient). "
              "Fast, sharp, noisy.\n"
              "- **Integrated Gradients**: gradients averaged along a straight path from a baseline picture to "
              "this one, times the difference. The attributions add up to the score's change (completeness), "
              "up to the convergence delta shown.\n"
              "- **SmoothGrad**: the gradient averaged over noisy copies of the picture: less speckle.\n"
              "- **Grad-CAM**: a convolutional stage's feature maps, each weighted by its average gradient: "
              "coarse, but it follows objects, and it is the one most tied to what the network learned.\n"
              "- **Occlusion**: hide a square, look at the score, move on. No gradients at all, hundreds of "
              "forward passes.",
        "pt": "- **Saliency**: o quanto a mudança de cada pixel mudaria a pontuação da classe (o gradiente). "
              "Rápido, nítido, ruidoso.\n"
              "- **Integrated Gradients**: gradientes médios ao longo de um caminho reto de uma imagem de "
              "referência até esta, vezes a diferença. As atribuições somam a mudança da pontuação "
              "(completude), a menos do delta de convergência mostrado.\n"
              "- **SmoothGrad**: o gradiente médio sobre cópias da imagem com ruído: menos granulado.\n"
              "- **Grad-CAM**: os mapas de ativação de um estágio convolucional, cada um ponderado pelo seu "
              "gradiente médio: grosso, mas segue os objetos, e é o mais ligado ao que a rede aprendeu.\n"
              "- **Oclusão**: esconda um quadrado, veja a pontuação, siga em frente. Nenhum gradiente, centenas "
              "de passagens pela rede."},
    "saliency.page.slow_method": {
        "en": "{method} needs {n:integer} passes through the model (about {seconds:decimal0} s here).",
        "pt": "{method} precisa de {n:integer} passagens pelo modelo (cerca de {seconds:decimal0} s aqui)."},
    "saliency.page.compute": {"en": "Compute {method}", "pt": "Calcular {method}"},
    "saliency.page.run_check": {"en": "Run the sanity check", "pt": "Rodar o teste de sanidade"},
    "saliency.page.run_deletion": {"en": "Draw the deletion curves", "pt": "Traçar as curvas de remoção"},
    "saliency.page.cancel": {"en": "Cancel", "pt": "Cancelar"},
    "saliency.page.cancelled": {"en": "Cancelled; nothing was kept.", "pt": "Cancelado; nada foi guardado."},
    "saliency.page.working": {"en": "{what}: {done:percent0}", "pt": "{what}: {done:percent0}"},
    "saliency.page.vit_gradcam": {
        "en": "Grad-CAM is left out: {model} has no convolutional stage.",
        "pt": "O Grad-CAM ficou de fora: {model} não tem estágio convolucional."},
    "saliency.page.compare_intro": {
        "en": "The same method on the pretrained network and on the fine-tuned run, on the same picture. Each "
              "side explains **its own** answer: an ImageNet class before, one of the run's classes after, so "
              "the maps show what each model looked at to decide.",
        "pt": "O mesmo método na rede pré-treinada e na execução ajustada, sobre a mesma imagem. Cada lado "
              "explica **a própria** resposta: uma classe da ImageNet antes, uma das classes da execução "
              "depois; os mapas mostram para onde cada modelo olhou para decidir."},
    "saliency.page.compare_pick_run": {"en": "Fine-tuned run to compare", "pt": "Execução ajustada a comparar"},
    "saliency.page.before": {"en": "Before ({model}, ImageNet): {label}, {prob:percent}",
                             "pt": "Antes ({model}, ImageNet): {label}, {prob:percent}"},
    "saliency.page.after": {"en": "After (run {run}): {label}, {prob:percent}",
                            "pt": "Depois (execução {run}): {label}, {prob:percent}"},
    "saliency.page.spearman": {"en": "Rank correlation (Spearman)", "pt": "Correlação de postos (Spearman)"},
    "saliency.page.spearman_help": {
        "en": "1: the two maps order the pixels the same way; 0: unrelated; negative: opposite.",
        "pt": "1: os dois mapas ordenam os pixels do mesmo jeito; 0: sem relação; negativo: o oposto."},
    "saliency.page.overlap": {"en": "Top {share:percent0} overlap", "pt": "Sobreposição dos {share:percent0} principais"},
    "saliency.page.overlap_help": {
        "en": "Of the most important pixels before, the share that are also among the most important after.",
        "pt": "Dos pixels mais importantes antes, a fração que também está entre os mais importantes depois."},
    "saliency.page.compare_read": {
        "en": "Similar maps mean fine-tuning kept looking at the same places and changed what it concludes "
              "from them; different maps mean it learned to look elsewhere.",
        "pt": "Mapas parecidos indicam que o ajuste fino continuou olhando para os mesmos lugares e mudou o "
              "que conclui deles; mapas diferentes indicam que aprendeu a olhar para outro lugar."},
    "saliency.page.sanity_intro": {
        "en": "A map that explains the model must change when the model does. Here the trained weights are "
              "replaced by random ones, stage by stage from the output down, and each new map is compared with "
              "the original (Adebayo et al., *Sanity Checks for Saliency Maps*, 2018). The explained class "
              "stays the same throughout.",
        "pt": "Um mapa que explica o modelo precisa mudar quando o modelo muda. Aqui os pesos treinados são "
              "trocados por pesos aleatórios, estágio por estágio, da saída para a entrada, e cada novo mapa é "
              "comparado com o original (Adebayo et al., *Sanity Checks for Saliency Maps*, 2018). A classe "
              "explicada é a mesma do começo ao fim."},
    "saliency.page.flagged": {
        "en": "{method}: with every layer random, its map still correlates {rho:decimal2} with the original. "
              "It shows the picture's own structure (edges, contrast) more than what the model learned; do not "
              "read it as the model's reasons.",
        "pt": "{method}: com todas as camadas aleatórias, o mapa ainda tem correlação {rho:decimal2} com o "
              "original. Ele mostra a estrutura da própria imagem (bordas, contraste) mais do que o que o "
              "modelo aprendeu; não o leia como as razões do modelo."},
    "saliency.page.passed": {
        "en": "{method}: its map falls to a correlation of {rho:decimal2} once the network is random; it depends "
              "on what the model learned.",
        "pt": "{method}: o mapa cai para uma correlação de {rho:decimal2} quando a rede fica aleatória; ele "
              "depende do que o modelo aprendeu."},
    "saliency.page.faithful_intro": {
        "en": "Hide the pixels a map calls most important first (painted black), and watch the class "
              "probability: a faithful map makes it fall fast (a small area under the solid line) and fall "
              "slowly when the least important go first (the dotted line).",
        "pt": "Esconda primeiro os pixels que um mapa considera mais importantes (pintados de preto) e observe a "
              "probabilidade da classe: um mapa fiel a faz cair rápido (área pequena sob a linha cheia) e cair "
              "devagar quando os menos importantes saem primeiro (a linha pontilhada)."},
    "saliency.page.col.method": {"en": "method", "pt": "método"},
    "saliency.page.col.area": {"en": "area, most important first ↓", "pt": "área, mais importantes primeiro ↓"},
    "saliency.page.col.reverse": {"en": "area, least important first ↑", "pt": "área, menos importantes primeiro ↑"},
    "saliency.page.col.gap": {"en": "gap ↑", "pt": "diferença ↑"},
    "saliency.page.pick_methods": {"en": "Pick at least one method.", "pt": "Escolha pelo menos um método."},
}
