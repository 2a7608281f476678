STRINGS = {
    "home.title": {"en": "CNN Transfer Lab", "pt": "CNN Transfer Lab"},
    "home.intro": {
        "en": "A laboratory for transfer learning with convolutional networks. **Compare** classic and modern "
              "architectures by the numbers, **fine-tune** a pretrained backbone on a small image set of your "
              "own with the strategies the course teaches, and **look inside** to see what changed. Everything "
              "runs on this server: on its GPU when there is one, otherwise on the CPU.",
        "pt": "Um laboratório de aprendizado por transferência com redes convolucionais. **Compare** "
              "arquiteturas clássicas e modernas pelos números, faça o **ajuste fino** de um backbone "
              "pré-treinado com um pequeno conjunto de imagens seu, usando as estratégias ensinadas no curso, e "
              "**olhe por dentro** para ver o que mudou. Tudo roda neste servidor: na GPU quando houver, senão na CPU."},
    "home.how_title": {"en": "How to use it", "pt": "Como usar"},
    "home.how": {
        "en": "1. **Architectures**: pick a few networks and compare parameters, FLOPs, receptive field and speed.\n"
              "2. **Datasets**: upload a zip with one folder per class (or take a built-in demo set) and read its report.\n"
              "3. **Fine-tuning**: choose a backbone and a strategy, press Start, watch the curves, download the model.",
        "pt": "1. **Arquiteturas**: escolha algumas redes e compare parâmetros, FLOPs, campo receptivo e velocidade.\n"
              "2. **Conjuntos de dados**: envie um zip com uma pasta por classe (ou use um conjunto de demonstração) e leia o relatório.\n"
              "3. **Ajuste fino**: escolha um backbone e uma estratégia, clique em Iniciar, acompanhe as curvas e baixe o modelo."},
    "home.map_title": {"en": "The ideas, and where to see them", "pt": "As ideias, e onde vê-las"},
    "home.group.why": {"en": "Why transfer learning", "pt": "Por que transferir aprendizado"},
    "home.group.kinds": {"en": "Kinds of transfer", "pt": "Tipos de transferência"},
    "home.group.pitfalls": {"en": "Pitfalls", "pt": "Armadilhas"},
    "home.group.techniques": {"en": "Techniques", "pt": "Técnicas"},
    "home.see_it": {"en": "See it: {page}", "pt": "Veja: {page}"},
    "home.idea.scarce_labels.title": {"en": "Labelled data is scarce", "pt": "Dados rotulados são escassos"},
    "home.idea.scarce_labels.body": {
        "en": "A few hundred labelled images cannot train millions of weights from nothing; features learned on "
              "ImageNet's 1.2 million images can be reused.",
        "pt": "Algumas centenas de imagens rotuladas não treinam milhões de pesos do zero; as características "
              "aprendidas com 1,2 milhão de imagens da ImageNet podem ser reaproveitadas."},
    "home.idea.costly_training.title": {"en": "Training is costly", "pt": "Treinar é caro"},
    "home.idea.costly_training.body": {
        "en": "ResNet-50 costs about 4 GMACs per image; training it on ImageNet takes days of GPU time. Reusing it "
              "costs minutes.",
        "pt": "A ResNet-50 custa cerca de 4 GMACs por imagem; treiná-la na ImageNet leva dias de GPU. "
              "Reaproveitá-la leva minutos."},
    "home.idea.inductive.title": {"en": "Inductive transfer", "pt": "Transferência indutiva"},
    "home.idea.inductive.body": {
        "en": "Same kind of input, a new task with its own labels: fine-tuning an ImageNet backbone for your classes.",
        "pt": "Mesmo tipo de entrada, uma nova tarefa com rótulos próprios: ajustar um backbone da ImageNet às suas classes."},
    "home.idea.transductive.title": {"en": "Transductive transfer (domain adaptation)",
                                     "pt": "Transferência transdutiva (adaptação de domínio)"},
    "home.idea.transductive.body": {
        "en": "Same task, a different input distribution: photos versus 8×8 scanned digits. The farther the "
              "domain, the less the source features help.",
        "pt": "Mesma tarefa, outra distribuição de entrada: fotos versus dígitos 8×8 digitalizados. Quanto mais "
              "distante o domínio, menos as características de origem ajudam."},
    "home.idea.unsupervised.title": {"en": "Unsupervised transfer", "pt": "Transferência não supervisionada"},
    "home.idea.unsupervised.body": {
        "en": "No labels in either domain: reuse learned representations, e.g. as features for clustering.",
        "pt": "Sem rótulos em nenhum domínio: reaproveitar representações aprendidas, por exemplo como "
              "características para agrupamento."},
    "home.idea.overfitting.title": {"en": "Overfitting on small sets", "pt": "Sobreajuste em conjuntos pequenos"},
    "home.idea.overfitting.body": {
        "en": "Training accuracy climbs while validation stalls. Mitigate with frozen layers, augmentation, "
              "few epochs and early stopping.",
        "pt": "A acurácia de treino sobe enquanto a de validação estaciona. Mitigue com camadas congeladas, "
              "aumento de dados, poucas épocas e parada antecipada."},
    "home.idea.forgetting.title": {"en": "Catastrophic forgetting", "pt": "Esquecimento catastrófico"},
    "home.idea.forgetting.body": {
        "en": "A high learning rate on all layers wipes out what the backbone knew. Mitigate with low rates "
              "and layer-wise decay.",
        "pt": "Uma taxa de aprendizado alta em todas as camadas apaga o que o backbone sabia. Mitigue com "
              "taxas baixas e decaimento por camada."},
    "home.idea.negative_transfer.title": {"en": "Negative transfer", "pt": "Transferência negativa"},
    "home.idea.negative_transfer.body": {
        "en": "When source and target domains differ too much, pretrained features can do worse than a model "
              "trained from scratch. Compare against the from-scratch baseline.",
        "pt": "Quando os domínios de origem e destino diferem demais, características pré-treinadas podem ser "
              "piores que um modelo treinado do zero. Compare com a linha de base do zero."},
    "home.idea.freezing.title": {"en": "Freezing layers", "pt": "Congelar camadas"},
    "home.idea.freezing.body": {
        "en": "Feature extraction trains only a new head; partial fine-tuning unfreezes the last stages, "
              "where features are most task-specific.",
        "pt": "A extração de características treina só uma nova cabeça; o ajuste fino parcial descongela os "
              "últimos estágios, onde as características são mais específicas da tarefa."},
    "home.idea.layer_decay.title": {"en": "Layer-wise learning-rate decay",
                                    "pt": "Decaimento da taxa de aprendizado por camada"},
    "home.idea.layer_decay.body": {
        "en": "Every layer trains, but rates shrink towards the input: general early filters move little, "
              "specific late ones more.",
        "pt": "Todas as camadas treinam, mas as taxas diminuem em direção à entrada: filtros iniciais, gerais, "
              "mudam pouco; os finais, específicos, mudam mais."},
    "home.idea.early_stopping.title": {"en": "Few epochs, early stopping", "pt": "Poucas épocas, parada antecipada"},
    "home.idea.early_stopping.body": {
        "en": "Stop when validation loss stops improving and keep the best checkpoint.",
        "pt": "Pare quando a perda de validação deixar de melhorar e guarde o melhor checkpoint."},
    "home.idea.receptive_field.title": {"en": "Receptive field and 3×3 stacks", "pt": "Campo receptivo e pilhas 3×3"},
    "home.idea.receptive_field.body": {
        "en": "Three stacked 3×3 convolutions see 7×7 pixels with fewer weights than one 7×7 layer; deeper "
              "stages see more of the image.",
        "pt": "Três convoluções 3×3 empilhadas enxergam 7×7 pixels com menos pesos que uma camada 7×7; "
              "estágios mais profundos enxergam mais da imagem."},
}
