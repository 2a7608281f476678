"""The home page: what the app is for, how to use it, and the map of the course's ideas (core/concepts.py)."""

STRINGS = {
    "home.title": {"en": "CNN Transfer Lab", "pt": "CNN Transfer Lab"},
    "home.intro": {
        "en": "A laboratory for transfer learning with convolutional networks, following the course. **Compare** "
              "classic and modern architectures by their numbers, **store** a small labelled image set of your "
              "own (or a demo set), and **fine-tune** a pretrained backbone on it with the strategies the lecture "
              "teaches: watch the curves, read the script that does the same, download the model. Then **look "
              "inside** the network: its learned filters, its feature maps, and which stages fine-tuning changed. "
              "Everything runs on this server: on its GPU when there is one, otherwise on the CPU.",
        "pt": "Um laboratório de aprendizado por transferência (transfer learning) com redes convolucionais, que "
              "acompanha o curso. **Compare** arquiteturas clássicas e modernas pelos números, **guarde** um "
              "pequeno conjunto de imagens rotuladas seu (ou um conjunto de demonstração) e faça o **ajuste fino "
              "(fine-tuning)** de uma rede base (backbone) pré-treinada com as estratégias vistas em aula: "
              "acompanhe as curvas, leia o script que faz o mesmo e baixe o modelo. Depois, **olhe por dentro** da "
              "rede: os filtros aprendidos, os mapas de características e quais estágios o ajuste fino mudou. Tudo "
              "roda neste servidor: na GPU, quando houver; senão, na CPU."},
    "home.how_title": {"en": "How to use it", "pt": "Como usar"},
    "home.how": {
        "en": "1. **Architectures**: pick a few networks and compare parameters, FLOPs, receptive field and speed; "
              "read the AlexNet, VGG and ResNet cards and the lecture's code, run on the real models.\n"
              "2. **Datasets**: upload a zip with one folder per class (or take a demo set) and read its report "
              "before training.\n"
              "3. **Fine-tuning**: choose a backbone and a strategy, press Start, watch the curves, compare with "
              "the from-scratch baseline, download the model.\n"
              "4. **Inside the network**: see the first layer's filters, the feature maps of an image, which "
              "stages a run changed and which stages transfer.",
        "pt": "1. **Arquiteturas**: escolha algumas redes e compare parâmetros, FLOPs, campo receptivo e "
              "velocidade; leia os cartões da AlexNet, da VGG e da ResNet e o código da aula executado nos "
              "modelos reais.\n"
              "2. **Conjuntos de dados**: envie um zip com uma pasta por classe (ou use um conjunto de "
              "demonstração) e leia o relatório antes de treinar.\n"
              "3. **Ajuste fino**: escolha uma rede base e uma estratégia, clique em Iniciar, acompanhe as curvas, "
              "compare com o modelo treinado do zero (baseline) e baixe o modelo.\n"
              "4. **Por dentro da rede**: veja os filtros da primeira camada, os mapas de características de uma "
              "imagem, quais estágios uma execução mudou e quais estágios transferem."},
    "home.map_title": {"en": "The ideas, and where to see them", "pt": "As ideias, e onde vê-las"},
    "home.map_caption": {
        "en": "The link under a card (➡️) opens the page where the idea happens; a card without one is an idea "
              "this app defines but has no example of.",
        "pt": "O link embaixo de cada cartão (➡️) abre a página onde a ideia acontece; um cartão sem link é uma "
              "ideia que este app define, mas da qual não tem exemplo."},
    "home.group.why": {"en": "Why transfer learning", "pt": "Por que transferir o aprendizado"},
    "home.group.kinds": {"en": "Kinds of transfer", "pt": "Tipos de transferência"},
    "home.group.pitfalls": {"en": "Pitfalls", "pt": "Armadilhas"},
    "home.group.techniques": {"en": "Techniques", "pt": "Técnicas"},
    # --------------------------------------------------------------------------------------------- why
    "home.idea.scarce_labels.title": {"en": "Labelled data is scarce", "pt": "Dados rotulados são escassos"},
    "home.idea.scarce_labels.body": {
        "en": "Labelling images takes time and, in fields such as medicine, experts. A few hundred labelled "
              "images cannot set millions of weights from nothing; features learned from ImageNet's 1.2 million "
              "photos can be reused.",
        "pt": "Rotular imagens leva tempo e, em áreas como a saúde, exige especialistas. Algumas centenas de "
              "imagens rotuladas não bastam para ajustar milhões de pesos a partir do nada; as características "
              "aprendidas com 1,2 milhão de fotos da ImageNet podem ser reaproveitadas."},
    "home.idea.limited_generalisation.title": {"en": "Limited generalisation",
                                               "pt": "Generalização limitada"},
    "home.idea.limited_generalisation.body": {
        "en": "A network trained only on one small dataset learns that dataset, and does worse on images it has "
              "never seen. Compare a pretrained backbone with the from-scratch baseline on the same images: the "
              "validation accuracy measures how well each generalises.",
        "pt": "Uma rede treinada só com um conjunto pequeno aprende esse conjunto e se sai pior em imagens que "
              "nunca viu. Compare uma rede base pré-treinada com o modelo treinado do zero (baseline) nas mesmas "
              "imagens: a acurácia de validação mede quanto cada um generaliza."},
    "home.idea.feature_engineering.title": {"en": "Feature engineering is costly",
                                            "pt": "Engenharia de features é cara"},
    "home.idea.feature_engineering.body": {
        "en": "Before CNNs, someone with expertise had to design the features (edges, corners, histograms) for "
              "every new problem. A pretrained network is a ready-made feature extractor: feature extraction "
              "trains only a linear classifier (linear probe) on what it computes.",
        "pt": "Antes das CNNs, alguém com conhecimento especializado precisava projetar as features (bordas, "
              "cantos, histogramas) para cada problema novo. Uma rede pré-treinada já é um extrator de "
              "características pronto: a extração de características (feature extraction) treina só um "
              "classificador linear (linear probe) sobre o que ela calcula."},
    "home.idea.universal_features.title": {"en": "Low-level features are universal",
                                           "pt": "Features de baixo nível são universais"},
    "home.idea.universal_features.body": {
        "en": "The first convolutional layers (conv1, conv2) learn edges, corners and blobs, useful in almost any "
              "domain, even one far from the photos they were trained on (natural images to medical images). "
              "Deeper layers are more specific to the source task: that is why the early ones are the last to be "
              "unfrozen. See the first layer's filters, pretrained against random.",
        "pt": "As primeiras camadas convolucionais (conv1, conv2) aprendem bordas, cantos e manchas, úteis em "
              "quase qualquer domínio, mesmo longe das fotos em que foram treinadas (de imagens naturais a "
              "imagens médicas). As camadas mais profundas são mais específicas da tarefa de origem: por isso "
              "as iniciais são as últimas a descongelar. Veja os filtros da primeira camada, pré-treinados e "
              "aleatórios."},
    "home.idea.costly_training.title": {"en": "Training is costly", "pt": "Treinar é caro"},
    "home.idea.costly_training.body": {
        "en": "ResNet-50 costs about 4 GMACs per image, and training it on ImageNet takes days on several GPUs. "
              "Reusing it costs minutes.",
        "pt": "A ResNet-50 custa cerca de 4 GMACs por imagem, e treiná-la na ImageNet leva dias em várias GPUs. "
              "Reaproveitá-la leva minutos."},
    # ------------------------------------------------------------------------------------------- kinds
    "home.idea.inductive.title": {"en": "Inductive transfer", "pt": "Transferência indutiva"},
    "home.idea.inductive.body": {
        "en": "The source and target tasks differ, and the input need not be the same kind either (the lecture: "
              "pretrain for image classification, adapt to object detection); with labels in the target task it "
              "is supervised. Every run here that starts from pretrained weights is one: an ImageNet classifier "
              "(1,000 classes) becomes a classifier of your classes. On the 8×8 digits demo the domain changes "
              "too: inductive transfer with domain shift.",
        "pt": "As tarefas de origem e de destino são diferentes, e a entrada também pode mudar (na aula: "
              "pré-treinar para classificação de imagens e adaptar para detecção de objetos); com rótulos na "
              "tarefa de destino, ela é supervisionada. Toda execução deste app que parte de pesos pré-treinados "
              "é uma: um classificador da ImageNet (1.000 classes) vira um classificador das suas classes. No "
              "conjunto de dígitos 8×8, o domínio também muda: transferência indutiva com deslocamento de "
              "domínio."},
    "home.idea.transductive.title": {"en": "Transductive transfer (domain adaptation)",
                                     "pt": "Transferência transdutiva (adaptação de domínio)"},
    "home.idea.transductive.body": {
        "en": "The same task in a different domain (another distribution of the data): the lecture's car "
              "classifier, trained on street photos and adapted to satellite photos. Every run here learns a new "
              "task, so the app has no example of this one.",
        "pt": "A mesma tarefa em outro domínio (outra distribuição dos dados): o classificador de carros da aula, "
              "treinado com fotos de rua e adaptado para fotos de satélite. Toda execução aqui aprende uma "
              "tarefa nova, então o app não tem exemplo deste tipo."},
    "home.idea.unsupervised.title": {"en": "Unsupervised transfer", "pt": "Transferência não supervisionada"},
    "home.idea.unsupervised.body": {
        "en": "The tasks differ and the target task has no labels: the transfer relies on the structure of the "
              "data, for instance grouping the target images by the features of a pretrained network. The app "
              "always trains with labels, so it has no example of this one.",
        "pt": "As tarefas são diferentes e a tarefa de destino não tem rótulos: a transferência se apoia na "
              "estrutura dos dados, por exemplo agrupando as imagens de destino pelas características de uma "
              "rede pré-treinada. O app sempre treina com rótulos, então não tem exemplo deste tipo."},
    # ---------------------------------------------------------------------------------------- pitfalls
    "home.idea.overfitting.title": {"en": "Overfitting on small sets", "pt": "Overfitting em conjuntos pequenos"},
    "home.idea.overfitting.body": {
        "en": "The model adapts too closely to the few target examples: training accuracy climbs while "
              "validation stalls. Mitigate with very low learning rates (1e-4 to 1e-5), dropout and weight decay, "
              "data augmentation, and few epochs with early stopping.",
        "pt": "O modelo se adapta demais aos poucos exemplos de destino: a acurácia de treino sobe enquanto a de "
              "validação estaciona. Mitigue com taxas de aprendizado bem baixas (1e-4 a 1e-5), dropout e weight "
              "decay, data augmentation e poucas épocas com early stopping."},
    "home.idea.forgetting.title": {"en": "Catastrophic forgetting", "pt": "Esquecimento catastrófico"},
    "home.idea.forgetting.body": {
        "en": "Fine-tuning overwrites what the backbone learned on the source task: put the ImageNet classifier "
              "back on a fine-tuned backbone and see how much it still knows. Mitigate by freezing the early "
              "layers selectively and keeping the rates low; elastic regularisation, the lecture's advanced "
              "remedy, is not in this app.",
        "pt": "O ajuste fino sobrescreve o que a rede base aprendeu na tarefa de origem: recoloque o "
              "classificador da ImageNet numa rede base ajustada e veja quanto ela ainda sabe. Mitigue congelando "
              "seletivamente as camadas iniciais e mantendo as taxas baixas; a regularização elástica, a técnica "
              "avançada citada na aula, não está neste app."},
    "home.idea.negative_transfer.title": {"en": "Domain shift (negative transfer)",
                                          "pt": "Deslocamento de domínio (transferência negativa)"},
    "home.idea.negative_transfer.body": {
        "en": "When the source and target domains are too different, the transferred knowledge hurts: the "
              "pretrained model does worse than the same network from random weights. Prefer similar data and "
              "related tasks, and compare with the from-scratch baseline trained on the same budget.",
        "pt": "Quando os domínios de origem e de destino são diferentes demais, o conhecimento transferido "
              "atrapalha: o modelo pré-treinado se sai pior que a mesma rede com pesos aleatórios. Prefira dados "
              "parecidos e tarefas relacionadas, e compare com o modelo treinado do zero (baseline) com o mesmo "
              "orçamento."},
    # -------------------------------------------------------------------------------------- techniques
    "home.idea.freezing.title": {"en": "Freezing layers (feature extraction)",
                                 "pt": "Congelar camadas (extração de características)"},
    "home.idea.freezing.body": {
        "en": "The backbone stays frozen, keeping its universal features, and only a new classification layer "
              "learns, from scratch (the linear probe). Partial fine-tuning also unfreezes the last stages, the "
              "most specific to the source task.",
        "pt": "A rede base fica congelada, preservando as características universais, e só uma nova camada de "
              "classificação aprende, do zero (o classificador linear). O fine-tuning parcial também descongela "
              "os últimos estágios, os mais específicos da tarefa de origem."},
    "home.idea.layer_decay.title": {"en": "Layer-wise learning-rate decay",
                                    "pt": "Taxas de aprendizado diferenciadas (layer-wise learning rate decay)"},
    "home.idea.layer_decay.body": {
        "en": "Every layer trains, at rates that shrink towards the input: the last pretrained stage learns at "
              "the base rate, each stage below it at a fraction of the one above, so general early filters move "
              "least. Only the new classification layer learns faster.",
        "pt": "Todas as camadas treinam, com taxas que diminuem em direção à entrada: o último estágio "
              "pré-treinado aprende na taxa base e cada estágio abaixo dele numa fração da taxa do estágio de "
              "cima, então os filtros iniciais, mais gerais, são os que menos mudam. Só a nova camada de "
              "classificação aprende mais rápido."},
    "home.idea.early_stopping.title": {"en": "Few epochs, early stopping", "pt": "Poucas épocas, early stopping"},
    "home.idea.early_stopping.body": {
        "en": "A new task usually needs only 2 to 10 epochs. Stop when the validation loss stops improving and "
              "keep the best epoch's weights.",
        "pt": "Uma tarefa nova costuma precisar de só 2 a 10 épocas. Pare quando a perda de validação deixar de "
              "melhorar e guarde os pesos da melhor época."},
    "home.idea.receptive_field.title": {"en": "Receptive field and 3×3 stacks", "pt": "Campo receptivo e pilhas 3×3"},
    "home.idea.receptive_field.body": {
        "en": "Three stacked 3×3 convolutions (stride 1) see a 7×7 window of the input, like one 7×7 layer, with "
              "27C² weights instead of 49C² and two more ReLUs; deeper stages see more of the image.",
        "pt": "Três convoluções 3×3 empilhadas (stride 1) enxergam uma janela 7×7 da entrada, como uma única "
              "camada 7×7, com 27C² pesos em vez de 49C² e duas ReLUs a mais; estágios mais profundos enxergam "
              "mais da imagem."},
}
