"""The one-sentence errors core raises (``UserError.of(key, **params)``), in English and Brazilian Portuguese.

Keys start with the word of the core module that raises them (``zoo.``, ``data.``, ``images.``, ``finetune.``,
``jobs.``, ``architectures.``, ``receptive_field.``, ``inside.``, ``saliency.``). The English text is the exception's ``str()``: the CLI
prints it and tests match it, so change it only together with them. Numbers, names and placeholders are the
same in both languages; no placeholder is called ``key`` or ``lang`` (``t``'s own arguments).
"""

STRINGS = {
    # ------------------------------------------------------------------------------------------ zoo
    "zoo.unknown_model": {
        "en": "Unknown model '{name}'. Closest catalog names: {hint}.",
        "pt": "Modelo desconhecido '{name}'. Nomes mais próximos no catálogo: {hint}."},
    "zoo.weights_unreadable": {
        "en": "The weights file {file} cannot be read: {reason}.",
        "pt": "O arquivo de pesos {file} não pode ser lido: {reason}."},
    "zoo.weights_not_dict": {
        "en": "The weights file {file} does not hold a plain dictionary of tensors.",
        "pt": "O arquivo de pesos {file} não contém um dicionário simples de tensores."},
    "zoo.tensor_count": {
        "en": "{label} has {count} tensors where the model expects {expected}.",
        "pt": "{label}: há {count} tensores, mas o modelo espera {expected}."},
    "zoo.tensor_shape_by_order": {
        "en": "{label}: tensor '{tensor}' has shape {shape} but the model's '{target}' needs {expected}.",
        "pt": "{label}: o tensor '{tensor}' tem formato {shape}, mas o '{target}' do modelo precisa de {expected}."},
    "zoo.no_classifier": {
        "en": "Cannot find the classifier of {model}.",
        "pt": "Não foi possível encontrar o classificador de {model}."},
    "zoo.unknown_tensor": {
        "en": "{label}: tensor '{tensor}' does not exist in this model.",
        "pt": "{label}: o tensor '{tensor}' não existe neste modelo."},
    "zoo.tensor_shape": {
        "en": "{label}: tensor '{tensor}' has shape {shape} but the model needs {expected}.",
        "pt": "{label}: o tensor '{tensor}' tem formato {shape}, mas o modelo precisa de {expected}."},
    "zoo.tensor_missing": {
        "en": "{label}: tensor '{tensor}' is missing ({count} missing in all).",
        "pt": "{label}: falta o tensor '{tensor}' ({count} faltando no total)."},
    "zoo.no_imagenet_head": {
        "en": "This model has no ImageNet head; top-k ImageNet labels need num_classes=1000.",
        "pt": "Este modelo não tem a camada de classificação da ImageNet; os rótulos top-k da ImageNet exigem "
              "num_classes=1000."},

    # ------------------------------------------------------------------------------------ architectures
    "architectures.too_small": {
        "en": "{model} needs an input of at least {smallest} px; {size} px is too small (its layers shrink the "
              "image to nothing).",
        "pt": "{model} precisa de uma entrada de pelo menos {smallest} px; {size} px é pequeno demais (as camadas "
              "reduzem a imagem a nada)."},
    "architectures.does_not_run": {
        "en": "{model} does not run at {size} px (the forward pass fails); use {default} px.",
        "pt": "{model} não roda com {size} px (a passagem direta falha); use {default} px."},
    "architectures.size_out_of_range": {
        "en": "Input size {size} px is out of range; choose between 1 and {max} px.",
        "pt": "O tamanho de entrada {size} px está fora do intervalo; escolha entre 1 e {max} px."},
    "architectures.cannot_run": {
        "en": "{model} cannot run at {size} px: {reason}.",
        "pt": "{model} não consegue rodar com {size} px: {reason}."},
    "architectures.unknown_sample": {
        "en": "Unknown sample image '{sample}'; choose one of {choices}.",
        "pt": "Imagem de exemplo desconhecida '{sample}'; escolha uma destas: {choices}."},
    "architectures.no_spatial_stage": {
        "en": "The stage '{stage}' has no spatial feature map to explain.",
        "pt": "O estágio '{stage}' não tem um mapa de características espacial para explicar."},

    # --------------------------------------------------------------------------------- receptive_field
    "receptive_field.bad_stack": {
        "en": "Layers, kernel, stride, dilation and channels must all be at least 1.",
        "pt": "Camadas, kernel, passo (stride), dilatação e canais devem ser todos pelo menos 1."},
    "receptive_field.dilated_pool": {
        "en": "The gradient check does not handle dilated max-pooling.",
        "pt": "A verificação por gradiente não trata max-pooling dilatado."},
    "receptive_field.layer_not_run": {
        "en": "The layer '{layer}' did not run in the forward pass.",
        "pt": "A camada '{layer}' não foi executada na passagem direta."},
    "receptive_field.needs_spatial": {
        "en": "The gradient footprint needs a layer with a spatial (N, C, H, W) output.",
        "pt": "A marca do gradiente na entrada precisa de uma camada com saída espacial (N, C, H, W)."},
    "receptive_field.pick_spatial": {
        "en": "Pick a layer with a spatial feature map to see its effective receptive field.",
        "pt": "Escolha uma camada com mapa de características espacial para ver o campo receptivo efetivo dela."},
    "receptive_field.cell_outside": {
        "en": "The cell ({u}, {v}) is outside the {height}×{width} feature map.",
        "pt": "A célula ({u}, {v}) está fora do mapa de características de {height}×{width}."},

    # ------------------------------------------------------------------------------------------ data
    "data.unknown_demo": {
        "en": "Unknown demo set '{demo}'; choose one of: {choices}.",
        "pt": "Conjunto de demonstração desconhecido '{demo}'; escolha um destes: {choices}."},
    "data.no_such_id": {
        "en": "No stored dataset has the id '{id}'; pick one from the list of stored datasets.",
        "pt": "Nenhum conjunto de dados guardado tem o id '{id}'; escolha um da lista de conjuntos guardados."},
    "data.not_a_source": {
        "en": "'{ref}' is not a demo set, a stored dataset id, or an existing zip file or folder.",
        "pt": "'{ref}' não é um conjunto de demonstração, nem o id de um conjunto guardado, nem um arquivo zip "
              "ou uma pasta que exista."},
    "data.bad_id": {
        "en": "'{id}' is not a dataset id (16 hexadecimal characters).",
        "pt": "'{id}' não é um id de conjunto de dados (16 caracteres hexadecimais)."},
    "data.unknown_id": {
        "en": "No stored dataset has the id '{id}'.",
        "pt": "Nenhum conjunto de dados guardado tem o id '{id}'."},
    # workspaces (core/workspaces.py): private links and quotas (data.*; the run quotas are jobs.*)
    "data.workspace_bad_link": {
        "en": "That is not a workspace link: a workspace token is 24 letters, digits, '-' or '_'.",
        "pt": "Isso não é um link de espaço de trabalho: um token de espaço tem 24 letras, dígitos, '-' ou '_'."},
    "data.workspace_unknown_link": {
        "en": "No workspace on this server has that link (an unused workspace is removed after some days).",
        "pt": "Nenhum espaço de trabalho neste servidor tem esse link (um espaço sem uso é removido depois de "
              "alguns dias)."},
    "data.workspace_no_user": {
        "en": "Sign in to reach your workspace.",
        "pt": "Entre com sua conta para acessar seu espaço de trabalho."},
    "data.quota_bytes_dataset": {
        "en": "Storing this dataset would pass your workspace's limit of {limit} MB; delete a dataset or a run you "
              "no longer need, then try again.",
        "pt": "Guardar este conjunto passaria do limite de {limit} MB do seu espaço de trabalho; exclua um conjunto "
              "ou uma execução de que não precisa mais e tente de novo."},
    "data.quota_bytes_upload": {
        "en": "The upload of {name} stopped: it would pass your workspace's limit of {limit} MB. Nothing was "
              "stored and your datasets and runs are untouched; delete one you no longer need, then upload again.",
        "pt": "O envio de {name} parou: passaria do limite de {limit} MB do seu espaço de trabalho. Nada foi "
              "guardado e seus conjuntos e execuções estão intactos; exclua algo de que não precisa mais e envie "
              "de novo."},
    "jobs.quota_bytes_run": {
        "en": "Your workspace already stores its limit of {limit} MB; delete a dataset or a run you no longer need "
              "before starting another run.",
        "pt": "Seu espaço de trabalho já guarda o limite de {limit} MB; exclua um conjunto ou uma execução de que "
              "não precisa mais antes de iniciar outra execução."},
    "data.quota_datasets": {
        "en": "Your workspace already has {limit} datasets, its limit; delete one you no longer need to store "
              "another.",
        "pt": "Seu espaço de trabalho já tem {limit} conjuntos de dados, o limite; exclua um de que não precisa "
              "mais para guardar outro."},
    "jobs.quota_queued": {
        "en": "Your workspace already has {limit} runs queued or training, its limit; wait for one to finish or "
              "cancel one.",
        "pt": "Seu espaço de trabalho já tem {limit} execuções na fila ou treinando, o limite; espere uma terminar "
              "ou cancele uma."},
    "data.server_paths_off": {
        "en": "This server does not read datasets from its own folders; upload a zip file instead.",
        "pt": "Este servidor não lê conjuntos de dados das próprias pastas; envie um arquivo zip."},
    "data.path_not_allowed": {
        "en": "That path is not inside a folder this server shares ({folders}); give a path inside one of them.",
        "pt": "Esse caminho não está dentro de uma pasta que este servidor compartilha ({folders}); informe um "
              "caminho dentro de uma delas."},
    "data.out_not_empty": {
        "en": "'{out}' already exists and is not an empty folder; choose a new folder for --out.",
        "pt": "'{out}' já existe e não é uma pasta vazia; escolha uma pasta nova para --out."},
    "data.bad_fractions": {
        "en": "The validation fraction must be in (0, 0.9) and validation + test below 0.9.",
        "pt": "A fração de validação deve ficar entre 0 e 0,9 (sem incluir os extremos), e validação + teste "
              "abaixo de 0,9."},
    "data.split_is_stored": {
        "en": "Dataset {id} is stored with a {val:percent0} validation split and a {test:percent0} test split; to "
              "store another split, give its source (the .zip, the folder or demo:<name>) instead of its id.",
        "pt": "O conjunto {id} está guardado com {val:percent0} de validação e {test:percent0} de teste; para "
              "guardar outra divisão, indique a origem (o .zip, a pasta ou demo:<nome>) em vez do id."},
    "data.upload_too_large": {
        "en": "'{name}' is larger than the {limit} MB upload limit.",
        "pt": "'{name}' passa do limite de envio de {limit} MB."},
    "data.too_few_classes": {
        "en": "The dataset has only {count} class folder{only}; make one folder per class, at least 2.",
        "pt": "O conjunto de dados tem só {count} pasta de classe{only}; crie uma pasta por classe, pelo menos 2."},
    "data.too_few_images": {
        "en": "Class '{name}' has {count} usable image(s); every class needs at least {min} (one to train on, one "
              "to validate).",
        "pt": "A classe '{name}' tem {count} imagem(ns) utilizável(is); toda classe precisa de pelo menos {min} "
              "(uma para treinar, uma para validar)."},
    "data.archive_images_at_top": {
        "en": "The archive has images at its top level but no class folders; put each class's images in a folder "
              "named after the class.",
        "pt": "O zip tem imagens na raiz, mas nenhuma pasta de classe; coloque as imagens de cada classe numa "
              "pasta com o nome da classe."},
    "data.folder_images_at_top": {
        "en": "The folder has images at its top level but no class folders; put each class's images in a folder "
              "named after the class.",
        "pt": "A pasta tem imagens na raiz, mas nenhuma pasta de classe; coloque as imagens de cada classe numa "
              "pasta com o nome da classe."},
    "data.archive_no_images": {
        "en": "The archive contains no image files in class folders (JPEG, PNG, GIF, BMP, WEBP or TIFF inside one "
              "folder per class).",
        "pt": "O zip não contém arquivos de imagem em pastas de classe (JPEG, PNG, GIF, BMP, WEBP ou TIFF dentro "
              "de uma pasta por classe)."},
    "data.folder_no_images": {
        "en": "The folder contains no image files in class folders (JPEG, PNG, GIF, BMP, WEBP or TIFF inside one "
              "folder per class).",
        "pt": "A pasta não contém arquivos de imagem em pastas de classe (JPEG, PNG, GIF, BMP, WEBP ou TIFF "
              "dentro de uma pasta por classe)."},
    "data.folder_too_many_files": {
        "en": "The folder '{name}' has more than {limit} files; split it or remove what is not needed.",
        "pt": "A pasta '{name}' tem mais de {limit} arquivos; divida-a ou remova o que não for necessário."},
    "data.zip_empty_file": {
        "en": "'{name}' is empty (0 bytes); upload the zip again.",
        "pt": "'{name}' está vazio (0 bytes); envie o zip de novo."},
    "data.zip_empty": {
        "en": "'{name}' is an empty zip archive; put one folder per class inside it.",
        "pt": "'{name}' é um zip vazio; coloque dentro dele uma pasta por classe."},
    "data.not_zip": {
        "en": "'{name}' is not a zip archive; upload a .zip with one folder per class.",
        "pt": "'{name}' não é um arquivo zip; envie um .zip com uma pasta por classe."},
    "data.entry_nul": {
        "en": "The archive entry '{entry}' has a NUL character in its name; the archive was refused.",
        "pt": "A entrada '{entry}' do zip tem um caractere NUL no nome; o zip foi recusado."},
    "data.entry_absolute": {
        "en": "The archive entry '{entry}' has an absolute path; the archive was refused (make the zip from "
              "inside the dataset folder).",
        "pt": "A entrada '{entry}' do zip tem um caminho absoluto; o zip foi recusado (crie o zip de dentro da "
              "pasta do conjunto de dados)."},
    "data.entry_outside": {
        "en": "The archive entry '{entry}' points outside the archive ('..'); the archive was refused.",
        "pt": "A entrada '{entry}' do zip aponta para fora do zip ('..'); o zip foi recusado."},
    "data.entry_too_deep": {
        "en": "The archive entry '{entry}' is nested {depth} folders deep (limit {limit}); the archive was "
              "refused.",
        "pt": "A entrada '{entry}' do zip está {depth} pastas abaixo da raiz (limite {limit}); o zip foi "
              "recusado."},
    "data.entry_symlink": {
        "en": "The archive entry '{entry}' is a symbolic link; links are not allowed in a dataset archive, so it "
              "was refused.",
        "pt": "A entrada '{entry}' do zip é um link simbólico; links não são permitidos no zip de um conjunto de "
              "dados, então ele foi recusado."},
    "data.entry_encrypted": {
        "en": "The archive entry '{entry}' is encrypted; make the zip without a password.",
        "pt": "A entrada '{entry}' do zip está criptografada; crie o zip sem senha."},
    "data.entry_compression": {
        "en": "The archive entry '{entry}' uses a compression method this app cannot read; make the zip with "
              "ordinary (deflate) compression.",
        "pt": "A entrada '{entry}' do zip usa um método de compressão que este app não lê; crie o zip com a "
              "compressão comum (deflate)."},
    "data.zip_total_too_large": {
        "en": "'{name}' expands to more than {limit} MB; the archive was refused (a zip bomb, or too large a "
              "dataset).",
        "pt": "'{name}' se expande para mais de {limit} MB; o zip foi recusado (uma bomba zip, ou um conjunto de "
              "dados grande demais)."},
    "data.entry_too_large": {
        "en": "The archive entry '{entry}' expands to more than {limit} MB; the archive was refused.",
        "pt": "A entrada '{entry}' do zip se expande para mais de {limit} MB; o zip foi recusado."},
    "data.entry_ratio": {
        "en": "The archive entry '{entry}' expands more than {ratio}× (a zip bomb); the archive was refused.",
        "pt": "A entrada '{entry}' do zip se expande mais de {ratio}× (uma bomba zip); o zip foi recusado."},
    "data.entries_overlap": {
        "en": "The entries '{first}' and '{second}' of '{name}' overlap (a zip bomb trick); the archive was "
              "refused.",
        "pt": "As entradas '{first}' e '{second}' de '{name}' se sobrepõem (um truque de bomba zip); o zip foi "
              "recusado."},
    "data.zip_too_many_entries": {
        "en": "'{name}' has {count} entries, more than the {limit} allowed; the archive was refused.",
        "pt": "'{name}' tem {count} entradas, mais que as {limit} permitidas; o zip foi recusado."},
    "data.zip_declared_too_large": {
        "en": "'{name}' declares {size} MB of content, more than the {limit} MB allowed; the archive was refused.",
        "pt": "'{name}' declara {size} MB de conteúdo, mais que os {limit} MB permitidos; o zip foi recusado."},
    "data.entry_twice": {
        "en": "'{name}' lists the entry '{entry}' twice; the archive was refused.",
        "pt": "'{name}' lista a entrada '{entry}' duas vezes; o zip foi recusado."},
    "data.entry_damaged": {
        "en": "The archive entry '{entry}' is damaged ({reason}); make the zip again.",
        "pt": "A entrada '{entry}' do zip está danificada ({reason}); crie o zip de novo."},
    "data.entry_truncated": {
        "en": "The archive entry '{entry}' is truncated or damaged; make the zip again.",
        "pt": "A entrada '{entry}' do zip está truncada ou danificada; crie o zip de novo."},
    "data.zip_damaged": {
        "en": "'{name}' is truncated or damaged (its table of contents cannot be read); upload the zip again.",
        "pt": "'{name}' está truncado ou danificado (o índice dele não pode ser lido); envie o zip de novo."},
    "data.zip_unreadable": {
        "en": "'{name}' cannot be read ({reason}).",
        "pt": "'{name}' não pode ser lido ({reason})."},
    "data.image_bomb": {
        "en": "'{file}' is too large to be a dataset image (the image declares too many pixels (a decompression "
              "bomb)); the dataset was refused, so remove or shrink that file.",
        "pt": "'{file}' é grande demais para ser uma imagem do conjunto de dados (a imagem declara pixels demais "
              "(uma bomba de descompressão)); o conjunto foi recusado, então remova ou reduza esse arquivo."},
    "data.image_too_many_pixels": {
        "en": "'{file}' is too large to be a dataset image ({width}×{height} pixels is over the {limit} MP limit); "
              "the dataset was refused, so remove or shrink that file.",
        "pt": "'{file}' é grande demais para ser uma imagem do conjunto de dados ({width}×{height} pixels passa do "
              "limite de {limit} MP); o conjunto foi recusado, então remova ou reduza esse arquivo."},
    "data.image_file_too_large": {
        "en": "'{file}' is too large to be a dataset image (the file is larger than {limit} MB); the dataset was "
              "refused, so remove or shrink that file.",
        "pt": "'{file}' é grande demais para ser uma imagem do conjunto de dados (o arquivo tem mais de {limit} MB); "
              "o conjunto foi recusado, então remova ou reduza esse arquivo."},

    # ---------------------------------------------------------------------------------------- images
    "images.file_too_large": {
        "en": "{label}: the file is larger than {limit} MB.",
        "pt": "{label}: o arquivo tem mais de {limit} MB."},
    "images.empty": {
        "en": "{label}: the file is empty.",
        "pt": "{label}: o arquivo está vazio."},
    "images.missing": {
        "en": "{label}: no such file.",
        "pt": "{label}: arquivo não encontrado."},
    "images.format": {
        "en": "{label}: the {format} format is not accepted (use JPEG, PNG, GIF, BMP, WEBP or TIFF).",
        "pt": "{label}: o formato {format} não é aceito (use JPEG, PNG, GIF, BMP, WEBP ou TIFF)."},
    "images.too_many_pixels": {
        "en": "{label}: {width}×{height} pixels is over the {limit} MP limit.",
        "pt": "{label}: {width}×{height} pixels passa do limite de {limit} MP."},
    "images.too_small": {
        "en": "{label}: {width}×{height} pixels is too small to use.",
        "pt": "{label}: {width}×{height} pixels é pequeno demais para usar."},
    "images.bomb": {
        "en": "{label}: the image declares too many pixels (a decompression bomb).",
        "pt": "{label}: a imagem declara pixels demais (uma bomba de descompressão)."},
    "images.not_image": {
        "en": "{label}: not an image Pillow can read.",
        "pt": "{label}: não é uma imagem que o Pillow consiga ler."},
    "images.truncated": {
        "en": "{label}: the image data is truncated.",
        "pt": "{label}: os dados da imagem estão truncados."},
    "images.unreadable": {
        "en": "{label}: the image cannot be decoded ({reason}).",
        "pt": "{label}: a imagem não pode ser decodificada ({reason})."},

    # -------------------------------------------------------------------------------------- finetune
    "finetune.no_data": {
        "en": "Choose a dataset: a stored dataset, demo:digits, demo:faces, a .zip file or a folder.",
        "pt": "Escolha um conjunto de dados: um conjunto guardado, demo:digits, demo:faces, um arquivo .zip ou "
              "uma pasta."},
    "finetune.unknown_strategy": {
        "en": "Unknown strategy '{strategy}'; choose one of {choices}.",
        "pt": "Estratégia desconhecida '{strategy}'; escolha uma destas: {choices}."},
    "finetune.unknown_augment": {
        "en": "Unknown augmentation preset '{augment}'; choose one of {choices}.",
        "pt": "Predefinição de data augmentation desconhecida '{augment}'; escolha uma destas: {choices}."},
    "finetune.unknown_device": {
        "en": "Unknown device '{device}'; choose auto, cpu or cuda.",
        "pt": "Dispositivo desconhecido '{device}'; escolha auto, cpu ou cuda."},
    "finetune.bad_epochs": {
        "en": "The number of epochs must be a whole number from {lo} to {hi}, not {value}.",
        "pt": "O número de épocas deve ser um número inteiro de {lo} a {hi}, não {value}."},
    "finetune.bad_batch_size": {
        "en": "The batch size must be a whole number from {lo} to {hi}, not {value}.",
        "pt": "O tamanho do lote deve ser um número inteiro de {lo} a {hi}, não {value}."},
    "finetune.bad_unfreeze": {
        "en": "The number of stages to unfreeze must be a whole number from {lo} to {hi}, not {value}.",
        "pt": "O número de estágios a descongelar deve ser um número inteiro de {lo} a {hi}, não {value}."},
    "finetune.bad_patience": {
        "en": "The early-stopping patience must be a whole number from {lo} to {hi}, not {value}.",
        "pt": "A paciência do early stopping deve ser um número inteiro de {lo} a {hi}, não {value}."},
    "finetune.bad_head_hidden": {
        "en": "The hidden layer size of the head must be a whole number from {lo} to {hi}, not {value}.",
        "pt": "O número de unidades ocultas da camada de classificação deve ser um número inteiro de {lo} a {hi}, "
              "não {value}."},
    "finetune.bad_seed": {
        "en": "The seed must be a whole number from {lo} to {hi}, not {value}.",
        "pt": "A semente deve ser um número inteiro de {lo} a {hi}, não {value}."},
    "finetune.bad_image_size": {
        "en": "The image size must be a whole number from {lo} to {hi}, not {value}.",
        "pt": "O tamanho da imagem deve ser um número inteiro de {lo} a {hi}, não {value}."},
    "finetune.bad_lr": {
        "en": "The learning rate must be a positive number, not {value}.",
        "pt": "A taxa de aprendizado deve ser um número positivo, não {value}."},
    "finetune.bad_head_lr_scale": {
        "en": "The head learning-rate multiplier must be in (0, 100], not {value}.",
        "pt": "O multiplicador da taxa de aprendizado da nova camada de classificação deve ser maior que 0 e no "
              "máximo 100, não {value}."},
    "finetune.bad_layer_decay": {
        "en": "The layer decay must be in (0, 1] (1 means no decay), not {value}.",
        "pt": "O fator de decaimento por estágio deve ser maior que 0 e no máximo 1 (1 significa sem decaimento), "
              "não {value}."},
    "finetune.bad_weight_decay": {
        "en": "The weight decay must be between 0 and 10, not {value}.",
        "pt": "O weight decay deve ficar entre 0 e 10, não {value}."},
    "finetune.bad_label_smoothing": {
        "en": "Label smoothing must be in [0, 1), not {value}.",
        "pt": "A suavização de rótulos deve ser pelo menos 0 e menor que 1, não {value}."},
    "finetune.bad_head_dropout": {
        "en": "The head dropout must be in [0, 1), not {value}.",
        "pt": "O dropout da camada de classificação deve ser pelo menos 0 e menor que 1, não {value}."},
    "finetune.bad_warmup": {
        "en": "Warm-up must last between 0 and {epochs} epochs (the run's length), not {value}.",
        "pt": "O aquecimento (warm-up) deve durar entre 0 e {epochs} épocas (a duração da execução), não {value}."},
    "finetune.no_cuda": {
        "en": "No CUDA GPU is available on this server; choose the device 'auto' or 'cpu'.",
        "pt": "Nenhuma GPU CUDA está disponível neste servidor; escolha o dispositivo 'auto' ou 'cpu'."},
    "finetune.disk_full": {
        "en": "The disk is full: {file} could not be written in {folder}; free some space and resume the run (the "
              "last complete checkpoint is intact).",
        "pt": "O disco está cheio: não foi possível gravar {file} em {folder}; libere espaço e retome a execução "
              "(o último checkpoint completo está intacto)."},
    "finetune.write_failed": {
        "en": "{file} could not be written in {folder} ({reason}); the last complete checkpoint is intact.",
        "pt": "Não foi possível gravar {file} em {folder} ({reason}); o último checkpoint completo está intacto."},
    "finetune.image_too_small": {
        "en": "{model} needs images of at least {min} px; choose an image size of {min} or more.",
        "pt": "{model} precisa de imagens de pelo menos {min} px; escolha um tamanho de imagem de {min} ou mais."},
    "finetune.vit_size": {
        "en": "ViT-B/16 only accepts 224 px images; set the image size to 224.",
        "pt": "O ViT-B/16 só aceita imagens de 224 px; defina o tamanho da imagem como 224."},
    "finetune.too_few_classes": {
        "en": "The dataset {name} has {count} class; fine-tuning needs at least two.",
        "pt": "O conjunto de dados {name} tem {count} classe; o ajuste fino precisa de pelo menos duas."},
    "finetune.empty_split": {
        "en": "The dataset {name} has an empty training or validation split; add images.",
        "pt": "O conjunto de dados {name} tem a divisão de treino ou de validação vazia; adicione imagens."},
    "finetune.bad_unfreeze_for_model": {
        "en": "{model} has {stages} stages below the head; choose a number of stages to unfreeze from 0 to "
              "{stages}.",
        "pt": "{model} tem {stages} estágios abaixo da camada de classificação; escolha um número de estágios a "
              "descongelar de 0 a {stages}."},
    "finetune.out_of_memory.training": {
        "en": "The GPU ran out of memory during training even with a batch of {batch} image(s); choose a smaller "
              "model or image size.",
        "pt": "A memória da GPU acabou durante o treino mesmo com um lote de {batch} imagem(ns); escolha um "
              "modelo ou um tamanho de imagem menor."},
    "finetune.out_of_memory.validation": {
        "en": "The GPU ran out of memory during validation even with a batch of {batch} image(s); choose a "
              "smaller model or image size.",
        "pt": "A memória da GPU acabou durante a validação mesmo com um lote de {batch} imagem(ns); escolha um "
              "modelo ou um tamanho de imagem menor."},
    "finetune.out_of_memory.features": {
        "en": "The GPU ran out of memory during feature extraction even with a batch of {batch} image(s); choose "
              "a smaller model or image size.",
        "pt": "A memória da GPU acabou durante a extração de características mesmo com um lote de {batch} "
              "imagem(ns); escolha um modelo ou um tamanho de imagem menor."},
    "finetune.checkpoint_other_groups": {
        "en": "The checkpoint in {run} was made with other parameter groups (an earlier version of the app); "
              "start a new run.",
        "pt": "O checkpoint em {run} foi feito com outros grupos de parâmetros (uma versão anterior do app); "
              "inicie uma nova execução."},
    "finetune.checkpoint_unreadable": {
        "en": "The checkpoint in {run} cannot be read ({kind}); start a new run.",
        "pt": "O checkpoint em {run} não pode ser lido ({kind}); inicie uma nova execução."},
    "finetune.checkpoint_other_config": {
        "en": "The checkpoint in {run} belongs to a different configuration; start a new run instead of resuming.",
        "pt": "O checkpoint em {run} pertence a outra configuração; inicie uma nova execução em vez de retomar."},
    "finetune.no_export": {
        "en": "{folder} holds no exported model (export/model.safetensors and export/config.json); choose a "
              "finished run.",
        "pt": "{folder} não contém um modelo exportado (export/model.safetensors e export/config.json); escolha "
              "uma execução concluída."},
    "finetune.export_config_damaged": {
        "en": "The export config {file} is damaged ({kind}: {reason}).",
        "pt": "A configuração exportada {file} está danificada ({kind}: {reason})."},
    "finetune.export_weights_unreadable": {
        "en": "The exported weights {file} cannot be read ({reason}).",
        "pt": "Os pesos exportados {file} não podem ser lidos ({reason})."},
    "finetune.export_weights_mismatch": {
        "en": "The exported weights do not fit {model}: {reason}.",
        "pt": "Os pesos exportados não servem para {model}: {reason}."},
    "finetune.run_ended": {
        "en": "The run {run} ended with exit code {code}.",
        "pt": "A execução {run} terminou com o código de saída {code}."},
    "finetune.resume_needs_out": {
        "en": "--resume needs --out, the folder of the run to continue (a run listed by 'python -m core jobs "
              "list' resumes with 'python -m core jobs resume RUN').",
        "pt": "--resume precisa de --out, a pasta da execução a continuar (uma execução listada por 'python -m "
              "core jobs list' é retomada com 'python -m core jobs resume RUN')."},
    "finetune.out_not_empty": {
        "en": "The output folder {out} is not empty; choose a new folder or add --resume.",
        "pt": "A pasta de saída {out} não está vazia; escolha uma pasta nova ou acrescente --resume."},
    "finetune.diverged_loss": {
        "en": "The training diverged: the loss became {loss}; lower the learning rate and start again.",
        "pt": "O treino divergiu: a perda chegou a {loss}; diminua a taxa de aprendizado e comece de novo."},
    "finetune.diverged_step": {
        "en": "The training diverged at epoch {epoch}, step {step} (the loss became NaN or infinite); lower the "
              "learning rate (now {lr}) and start again.",
        "pt": "O treino divergiu na época {epoch}, passo {step} (a perda se tornou NaN ou infinita); diminua a "
              "taxa de aprendizado (agora {lr}) e comece de novo."},
    "finetune.diverged_val": {
        "en": "The training diverged at epoch {epoch}: the validation loss is {loss}; lower the learning rate "
              "(now {lr}) and start again.",
        "pt": "O treino divergiu na época {epoch}: a perda de validação é {loss}; diminua a taxa de aprendizado "
              "(agora {lr}) e comece de novo."},
    "finetune.best_weights_nan": {
        "en": "The best weights hold NaN or infinite values ({tensor}); the training diverged, nothing is "
              "exported.",
        "pt": "Os melhores pesos contêm valores NaN ou infinitos ({tensor}); o treino divergiu e nada foi "
              "exportado."},

    "finetune.dist_too_many_cores": {
        "en": "{procs:integer} training processes were asked for on the CPU, but this machine has {cores:integer} "
              "core(s): start at most one process per core (torchrun --nproc_per_node, or the job setting "
              "CNNLAB_JOB_PROCESSES).",
        "pt": "Foram pedidos {procs:integer} processos de treino na CPU, mas esta máquina tem {cores:integer} "
              "núcleo(s): inicie no máximo um processo por núcleo (torchrun --nproc_per_node, ou a configuração "
              "de jobs CNNLAB_JOB_PROCESSES)."},
    "finetune.dist_too_many_gpus": {
        "en": "{procs:integer} training processes were asked for on this machine, but it has {gpus:integer} GPU(s): "
              "start at most one process per GPU (torchrun --nproc_per_node, or the job setting "
              "CNNLAB_JOB_PROCESSES).",
        "pt": "Foram pedidos {procs:integer} processos de treino nesta máquina, mas ela tem {gpus:integer} GPU(s): "
              "inicie no máximo um processo por GPU (torchrun --nproc_per_node, ou a configuração de jobs "
              "CNNLAB_JOB_PROCESSES)."},
    # ------------------------------------------------------------------------------------------ jobs
    "jobs.bad_run_id": {
        "en": "'{run}' is not a run id; run ids look like 20260101-120000-a1b2c3 (see `python -m core jobs "
              "list`).",
        "pt": "'{run}' não é o id de uma execução; ids de execução são como 20260101-120000-a1b2c3 (veja "
              "`python -m core jobs list`)."},
    "jobs.no_such_run": {
        "en": "There is no run {run}; `python -m core jobs list` shows the runs that exist.",
        "pt": "Não existe a execução {run}; `python -m core jobs list` mostra as execuções que existem."},
    "jobs.delete_active": {
        "en": "Run {run} is still queued or training; cancel it before deleting it.",
        "pt": "A execução {run} ainda está na fila ou treinando; cancele-a antes de excluí-la."},
    "jobs.no_export": {
        "en": "Run {run} has no exported model; only a run that finished has one.",
        "pt": "A execução {run} não tem modelo exportado; só uma execução concluída tem um."},
    "jobs.cancel_done": {
        "en": "Run {run} is already done; there is nothing to cancel.",
        "pt": "A execução {run} já foi concluída; não há o que cancelar."},
    "jobs.cancel_failed": {
        "en": "Run {run} is already failed; there is nothing to cancel.",
        "pt": "A execução {run} já falhou; não há o que cancelar."},
    "jobs.cancel_diverged": {
        "en": "Run {run} is already diverged; there is nothing to cancel.",
        "pt": "A execução {run} já divergiu; não há o que cancelar."},
    "jobs.cancel_cancelled": {
        "en": "Run {run} is already cancelled; there is nothing to cancel.",
        "pt": "A execução {run} já foi cancelada; não há o que cancelar."},
    "jobs.cannot_cancel": {
        "en": "Run {run} is already {state}; there is nothing to cancel.",
        "pt": "A execução {run} está num estado que não admite cancelamento ('{state}'); não há o que cancelar."},
    "jobs.resume_queued": {
        "en": "Run {run} is already waiting in the queue; only interrupted or cancelled runs can be resumed.",
        "pt": "A execução {run} já está esperando na fila; só execuções interrompidas ou canceladas podem ser "
              "retomadas."},
    "jobs.resume_running": {
        "en": "Run {run} is still running; only interrupted or cancelled runs can be resumed.",
        "pt": "A execução {run} ainda está rodando; só execuções interrompidas ou canceladas podem ser "
              "retomadas."},
    "jobs.resume_done": {
        "en": "Run {run} already finished; only interrupted or cancelled runs can be resumed.",
        "pt": "A execução {run} já terminou; só execuções interrompidas ou canceladas podem ser retomadas."},
    "jobs.resume_diverged": {
        "en": "Run {run} diverged: start a new run with a lower learning rate; only interrupted or cancelled runs "
              "can be resumed.",
        "pt": "A execução {run} divergiu: inicie uma nova execução com uma taxa de aprendizado menor; só "
              "execuções interrompidas ou canceladas podem ser retomadas."},
    "jobs.resume_failed": {
        "en": "Run {run} failed: fix the cause shown in its message and start a new run; only interrupted or "
              "cancelled runs can be resumed.",
        "pt": "A execução {run} falhou: corrija a causa mostrada na mensagem dela e inicie uma nova execução; só "
              "execuções interrompidas ou canceladas podem ser retomadas."},
    "jobs.cannot_resume": {
        "en": "Run {run} {state}; only interrupted or cancelled runs can be resumed.",
        "pt": "A execução {run} está num estado que não admite retomada ('{state}'); só execuções interrompidas "
              "ou canceladas podem ser retomadas."},

    # ---------------------------------------------------------------------------------------- inside
    "inside.run_not_started": {
        "en": "Run {run} has no resolved configuration (it never started training): there is nothing to look "
              "inside.",
        "pt": "A execução {run} não tem configuração resolvida (nunca começou a treinar): não há o que olhar por "
              "dentro."},
    "inside.ref_shape": {
        "en": "The reference weights have no tensor '{tensor}' shaped like the fine-tuned one: they are not the "
              "same architecture.",
        "pt": "Os pesos de referência não têm um tensor '{tensor}' com o formato do ajustado: não são a mesma "
              "arquitetura."},
    "inside.unverified": {
        "en": "Run {run} did not record the weights it started from, so its reference cannot be verified; pass "
              "--accept-current-weights to compare it with the weights available now anyway.",
        "pt": "A execução {run} não registrou os pesos de que partiu, então a referência dela não pode ser "
              "verificada; use --accept-current-weights para compará-la mesmo assim com os pesos disponíveis "
              "agora."},
    "inside.unknown_stage": {
        "en": "{model} has no stage '{stage}'; its stages are: {stages}.",
        "pt": "A {model} não tem o estágio '{stage}'; os estágios dela são: {stages}."},
    "inside.channel_range": {
        "en": "Stage {stage} has {channels} channels; choose a channel from 0 to {last}.",
        "pt": "O estágio {stage} tem {channels} canais; escolha um canal de 0 a {last}."},
    "inside.probe_too_few": {
        "en": "The probe needs at least 2 images of every class for cross-validation; class '{cls}' of {name} has "
              "{count}.",
        "pt": "A sonda precisa de pelo menos 2 imagens de cada classe para a validação cruzada; a classe '{cls}' "
              "de {name} tem {count}."},
    "inside.forgetting_scratch": {
        "en": "Run {run} started from random initialisation: it never had an ImageNet classifier, so there is "
              "nothing it could forget.",
        "pt": "A execução {run} partiu de inicialização aleatória: ela nunca teve um classificador da ImageNet, "
              "então não há nada que ela pudesse esquecer."},
    "inside.forgetting_no_weights": {
        "en": "No pretrained weights for {model} are available now, so the original ImageNet classifier cannot be "
              "put back.",
        "pt": "Não há pesos pré-treinados da {model} disponíveis agora, então o classificador original da "
              "ImageNet não pode ser recolocado."},
    # -------------------------------------------------------------------------------------- saliency
    "saliency.no_weights": {
        "en": "{model} has no ImageNet weights available here (offline, none bundled or cached), and the maps of "
              "a random network explain nothing: choose one of {models}, or a finished run.",
        "pt": "{model} não tem pesos da ImageNet disponíveis aqui (sem rede, nenhum incluído ou em cache), e os "
              "mapas de uma rede aleatória não explicam nada: escolha um destes: {models}, ou uma execução "
              "concluída."},
    "saliency.unknown_method": {
        "en": "There is no attribution method called '{method}'; the methods are {methods}.",
        "pt": "Não existe método de atribuição chamado '{method}'; os métodos são {methods}."},
    "saliency.out_of_range": {
        "en": "The setting {setting} must be between {lo} and {hi}, not {value}.",
        "pt": "O ajuste {setting} deve estar entre {lo} e {hi}, não {value}."},
    "saliency.bad_choice": {
        "en": "The setting {setting} cannot be '{value}'; choose one of {choices}.",
        "pt": "O ajuste {setting} não pode ser '{value}'; escolha um destes: {choices}."},
    "saliency.bad_target": {
        "en": "Class {target} does not exist for this model: its classes are numbered 0 to {last}.",
        "pt": "A classe {target} não existe neste modelo: as classes dele vão de 0 a {last}."},
    "saliency.window_too_big": {
        "en": "The occlusion window ({window} px) is larger than the model's input ({size} px); choose a smaller "
              "window.",
        "pt": "A janela de oclusão ({window} px) é maior que a entrada do modelo ({size} px); escolha uma janela "
              "menor."},
    "saliency.stride_too_big": {
        "en": "The occlusion stride ({stride} px) is larger than the window ({window} px), so some pixels would "
              "never be hidden; choose a stride no larger than the window.",
        "pt": "O passo da oclusão ({stride} px) é maior que a janela ({window} px), então alguns pixels nunca "
              "seriam cobertos; escolha um passo que não passe do tamanho da janela."},
    "saliency.gradcam_needs_conv": {
        "en": "Grad-CAM needs a convolutional stage, and {model} has none (a Vision Transformer works on tokens, "
              "not maps); use Saliency, Integrated Gradients, SmoothGrad or Occlusion instead.",
        "pt": "O Grad-CAM precisa de um estágio convolucional, e {model} não tem nenhum (um Vision Transformer "
              "trabalha com tokens, não com mapas); use Saliency, Integrated Gradients, SmoothGrad ou Oclusão."},
    "saliency.unknown_stage": {
        "en": "There is no convolutional stage called '{stage}'; the stages are {stages}.",
        "pt": "Não existe estágio convolucional chamado '{stage}'; os estágios são {stages}."},
}
