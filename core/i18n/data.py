STRINGS = {
    "data.title": {"en": "Datasets", "pt": "Conjuntos de dados"},
    "data.intro": {
        "en": "Fine-tuning starts from a small labelled image set: a **zip with one folder per class** "
              "(`cats/…`, `dogs/…`), a folder on this server, or a built-in demo set. Each image is checked and "
              "decoded once, then stored at a working resolution with a fixed split (train, validation and, if you "
              "hold one out, test) that every run on the dataset shares. Read the report before training: imbalance, duplicates and skipped "
              "files change what the accuracy means.",
        "pt": "O ajuste fino começa com um pequeno conjunto de imagens rotuladas: um **zip com uma pasta por "
              "classe** (`gatos/…`, `cachorros/…`), uma pasta neste servidor ou um conjunto de demonstração "
              "embutido. Cada imagem é verificada e decodificada uma vez, depois guardada numa resolução de "
              "trabalho com uma divisão fixa (treino, validação e, se você separar uma, teste), compartilhada por "
              "todas as execuções com esse conjunto. Leia o relatório antes de treinar: desbalanceamento, "
              "duplicatas e arquivos ignorados mudam o sentido da acurácia."},
    "data.add_title": {"en": "Add a dataset", "pt": "Adicionar um conjunto"},
    "data.source": {"en": "Source", "pt": "Origem"},
    "data.source.upload": {"en": "Upload a zip", "pt": "Enviar um zip"},
    "data.source.demo": {"en": "Demo set", "pt": "Conjunto de demonstração"},
    "data.source.path": {"en": "Path on the server", "pt": "Caminho no servidor"},
    "data.upload_label": {"en": "Zip file with one folder per class", "pt": "Arquivo zip com uma pasta por classe"},
    "data.upload_help": {
        "en": "JPEG, PNG, GIF, BMP, WEBP or TIFF images; at least 2 classes with at least 2 images each. "
              "macOS and Windows clutter (__MACOSX, .DS_Store, Thumbs.db) is ignored.",
        "pt": "Imagens JPEG, PNG, GIF, BMP, WEBP ou TIFF; pelo menos 2 classes com pelo menos 2 imagens cada. "
              "Arquivos de sistema do macOS e do Windows (__MACOSX, .DS_Store, Thumbs.db) são ignorados."},
    "data.demo_label": {"en": "Demo set", "pt": "Conjunto de demonstração"},
    "data.demo.digits": {"en": "Handwritten digits (scikit-learn, 1,797 images of 8×8, 10 classes)",
                         "pt": "Dígitos manuscritos (scikit-learn, 1.797 imagens de 8×8, 10 classes)"},
    "data.demo.faces": {"en": "Faces vs. not faces (scikit-image LFW subset, 200 images of 25×25, 2 classes)",
                        "pt": "Rostos e não rostos (subconjunto LFW do scikit-image, 200 imagens de 25×25, 2 classes)"},
    # a stored demo set's name and class labels as a page shows them (core/data/demos.py: what is stored stays)
    "data.demo.digits.name": {"en": "Digits (scikit-learn, 8×8)", "pt": "Dígitos (scikit-learn, 8×8)"},
    "data.demo.faces.name": {"en": "Faces vs. not faces (scikit-image LFW subset)",
                             "pt": "Rostos e não rostos (subconjunto LFW do scikit-image)"},
    "data.demo.faces.class.face": {"en": "face", "pt": "rosto"},
    "data.demo.faces.class.not_face": {"en": "not face", "pt": "não rosto"},
    "data.demo.digits.about": {
        "en": "Tiny grey scans, far from ImageNet's photos: a new task in another domain (domain shift). Fine-tune "
              "on it and compare with the from-scratch baseline to see whether the transfer still helps.",
        "pt": "Digitalizações minúsculas em tons de cinza, longe das fotos da ImageNet: uma tarefa nova em outro "
              "domínio (deslocamento de domínio). Faça o ajuste fino com ele e compare com o modelo treinado do "
              "zero (baseline) para ver se a transferência ainda ajuda."},
    "data.demo.faces.about": {
        "en": "Small grey crops of faces and of backgrounds from the same photos.",
        "pt": "Pequenos recortes em cinza de rostos e de fundos das mesmas fotos."},
    "data.path_label": {"en": "A .zip file or a folder on this server", "pt": "Um arquivo .zip ou uma pasta neste servidor"},
    "data.split_options": {"en": "Validation split", "pt": "Divisão de validação"},
    "data.val_fraction": {"en": "Validation fraction", "pt": "Fração de validação"},
    "data.test_fraction": {"en": "Hold out a test split", "pt": "Separar uma divisão de teste"},
    "data.test_none": {"en": "none", "pt": "nenhuma"},
    "data.test_explain": {
        "en": "The test split is the final, untouched measurement: its images never train the model and never "
              "pick the best epoch or the settings, as the validation split does, so its accuracy is the honest "
              "estimate of how the model does on new images. Hold one out when you will compare or tune runs.",
        "pt": "A divisão de teste é a medida final e intocada: suas imagens nunca treinam o modelo nem escolhem a "
              "melhor época ou as configurações, como faz a divisão de validação, então a acurácia nelas é a "
              "estimativa honesta de como o modelo se sai em imagens novas. Separe uma quando for comparar "
              "execuções ou ajustar configurações."},
    "data.split_help": {
        "en": "Stratified per class with a fixed seed; identical files inside a class stay together.",
        "pt": "Estratificada por classe com semente fixa; arquivos idênticos dentro de uma classe ficam juntos."},
    "data.ingest": {"en": "Check and store", "pt": "Verificar e guardar"},
    "data.working": {"en": "Checking and decoding the images…", "pt": "Verificando e decodificando as imagens…"},
    "data.done": {"en": "Stored \"{name}\": {n:integer} images.", "pt": "\"{name}\" guardado: {n:integer} imagens."},
    "data.stored_title": {"en": "Stored datasets", "pt": "Conjuntos guardados"},
    "data.none_stored": {"en": "No dataset is stored yet: upload a zip or take a demo set above.",
                         "pt": "Nenhum conjunto guardado ainda: envie um zip ou use um conjunto de demonstração acima."},
    "data.pick": {"en": "Dataset to show", "pt": "Conjunto a mostrar"},
    "data.pick_item": {"en": "{name} · {n:integer} images · {k} classes · {created}",
                       "pt": "{name} · {n:integer} imagens · {k} classes · {created}"},
    "data.pick_item_test": {"en": "{name} · {n:integer} images · {k} classes · test {test} · {created}",
                            "pt": "{name} · {n:integer} imagens · {k} classes · teste {test} · {created}"},
    "data.col.name": {"en": "Name", "pt": "Nome"},
    "data.col.id": {"en": "Id", "pt": "Id"},
    "data.col.images": {"en": "Images", "pt": "Imagens"},
    "data.col.classes": {"en": "Classes", "pt": "Classes"},
    "data.col.created": {"en": "Stored at (UTC)", "pt": "Guardado em (UTC)"},
    "data.col.test": {"en": "Test split", "pt": "Divisão de teste"},
    "data.col.path": {"en": "File", "pt": "Arquivo"},
    "data.col.reason": {"en": "Why it was skipped", "pt": "Por que foi ignorado"},
    "data.col.detail": {"en": "Detail", "pt": "Detalhe"},
    "data.col.splits": {"en": "Splits", "pt": "Divisões"},
    "data.col.stat": {"en": "Statistic", "pt": "Estatística"},
    "data.delete": {"en": "Delete this dataset", "pt": "Excluir este conjunto"},
    "data.delete_confirm": {"en": "Yes, delete \"{name}\" and its cache", "pt": "Sim, excluir \"{name}\" e seu cache"},
    "data.deleted": {"en": "Deleted \"{name}\".", "pt": "\"{name}\" foi excluído."},
    "data.report_title": {"en": "Report", "pt": "Relatório"},
    "data.m.images": {"en": "Images", "pt": "Imagens"},
    "data.m.classes": {"en": "Classes", "pt": "Classes"},
    "data.m.working": {"en": "Working size", "pt": "Tamanho de trabalho"},
    "data.m.split": {"en": "Train / val / test", "pt": "Treino / validação / teste"},
    "data.m.skipped": {"en": "Skipped files", "pt": "Arquivos ignorados"},
    "data.test_held": {
        "en": "{n:integer} images are held out as the test split: fine-tuning measures its accuracy on them once, "
              "at the end.",
        "pt": "{n:integer} imagens estão separadas como divisão de teste: o ajuste fino mede a acurácia nelas uma "
              "vez, no fim."},
    "data.test_absent": {
        "en": "No test split: fine-tuning will report validation accuracy only. Store the source again with a test "
              "split for an untouched measurement.",
        "pt": "Sem divisão de teste: o ajuste fino vai mostrar só a acurácia de validação. Guarde a origem de novo "
              "com uma divisão de teste para ter uma medida intocada."},
    "data.use_hint": {
        "en": "Use it for fine-tuning by picking it on the Fine-tuning page, or from the command line with its id `{id}`.",
        "pt": "Use-o no ajuste fino escolhendo-o na página Ajuste fino, ou na linha de comando com o id `{id}`."},
    "data.no_warnings": {"en": "No warnings: classes are balanced, no duplicates, no name collisions.",
                         "pt": "Nenhum alerta: classes balanceadas, sem duplicatas, sem colisões de nomes."},
    "data.sizes_title": {"en": "Image sizes (before resizing)", "pt": "Tamanhos das imagens (antes do redimensionamento)"},
    "data.sizes_caption": {
        "en": "Each image was resized so its short side is {size} px and centre-cropped to {size}×{size}; "
              "{upscaled:integer} of {n:integer} were smaller and had to be enlarged. Formats: {formats}.",
        "pt": "Cada imagem foi redimensionada para que o lado menor tenha {size} px e recortada no centro em "
              "{size}×{size}; {upscaled:integer} de {n:integer} eram menores e precisaram ser ampliadas. Formatos: "
              "{formats}."},
    "data.stat.width": {"en": "Width (px)", "pt": "Largura (px)"},
    "data.stat.height": {"en": "Height (px)", "pt": "Altura (px)"},
    "data.stat.min": {"en": "min", "pt": "mín."},
    "data.stat.median": {"en": "median", "pt": "mediana"},
    "data.stat.mean": {"en": "mean", "pt": "média"},
    "data.stat.max": {"en": "max", "pt": "máx."},
    "data.thumbs_title": {"en": "Examples per class (as stored)", "pt": "Exemplos por classe (como guardados)"},
    "data.thumbs_class": {"en": "{cls} — {n:integer} images", "pt": "{cls} — {n:integer} imagens"},
    "data.skipped_title": {"en": "Skipped files ({n})", "pt": "Arquivos ignorados ({n})"},
    "data.duplicates_title": {"en": "Identical files (groups: {n})", "pt": "Arquivos idênticos (grupos: {n})"},
    "data.split.train": {"en": "train", "pt": "treino"},
    "data.split.val": {"en": "validation", "pt": "validação"},
    "data.split.test": {"en": "test", "pt": "teste"},
    "data.fig.counts_title": {"en": "Images per class and split", "pt": "Imagens por classe e divisão"},
    "data.fig.class": {"en": "class", "pt": "classe"},
    "data.fig.images": {"en": "images", "pt": "imagens"},
    "data.fig.sizes_title": {"en": "Original width × height", "pt": "Largura × altura originais"},
    "data.fig.width": {"en": "width (px)", "pt": "largura (px)"},
    "data.fig.height": {"en": "height (px)", "pt": "altura (px)"},
    "data.fig.working": {"en": " working size {size} px", "pt": " tamanho de trabalho {size} px"},
    # progress while a dataset is stored (core/data: the notices open_dataset's progress callback receives)
    "data.progress.hashing_folder": {"en": "hashing the folder", "pt": "calculando o hash da pasta"},
    "data.progress.hashing_archive": {"en": "hashing the archive", "pt": "calculando o hash do arquivo zip"},
    "data.progress.already_stored": {"en": "already stored", "pt": "já guardado"},
    "data.progress.stored": {"en": "stored", "pt": "guardado"},
    "data.progress.headers": {"en": "reading headers {k}/{n}", "pt": "lendo cabeçalhos {k}/{n}"},
    "data.progress.decoding": {"en": "decoding {k}/{n}", "pt": "decodificando {k}/{n}"},
    "data.progress.making": {"en": "making the images {k}/{n}", "pt": "gerando as imagens {k}/{n}"},
    # warnings (core/data/report.py: Notice keys stored in report.json; also the codes of older reports)
    "data.warn.imbalance": {
        "en": "Class imbalance: '{big}' has {n_big:integer} images and '{small}' has {n_small:integer} "
              "({ratio:times1}); accuracy alone will flatter the larger class.",
        "pt": "Classes desbalanceadas: '{big}' tem {n_big:integer} imagens e '{small}' tem {n_small:integer} "
              "({ratio:times1}); a acurácia sozinha favorece a classe maior."},
    "data.warn.collision_unicode": {
        "en": "Folders {names} are the same name written in different Unicode forms; they were merged into class "
              "'{label}'.",
        "pt": "As pastas {names} são o mesmo nome escrito em formas Unicode diferentes; foram unidas na classe "
              "'{label}'."},
    "data.warn.collision_case": {
        "en": "Folders {names} differ only in letter case or spaces; they are kept as separate classes (rename or "
              "merge them if they are the same).",
        "pt": "As pastas {names} diferem só em maiúsculas/minúsculas ou espaços; foram mantidas como classes "
              "separadas (renomeie ou junte-as se forem a mesma)."},
    "data.warn.dup_classes": {
        "en": "{n} image(s) appear with the same content in more than one class (e.g. '{a}' and '{b}'); the labels "
              "contradict each other.",
        "pt": "{n} imagem(ns) aparece(m) com o mesmo conteúdo em mais de uma classe (ex.: '{a}' e '{b}'); os "
              "rótulos se contradizem."},
    "data.warn.dup_within": {
        "en": "{n} image(s) have exact duplicates inside their own class; each group was kept in one split.",
        "pt": "{n} imagem(ns) tem(têm) duplicatas exatas na própria classe; cada grupo ficou numa só divisão."},
    "data.warn.leakage": {
        "en": "{n} identical image(s) sit in different splits (e.g. '{a}' and '{b}'): validation accuracy will be "
              "optimistic.",
        "pt": "{n} imagem(ns) idêntica(s) está(ão) em divisões diferentes (ex.: '{a}' e '{b}'): a acurácia de "
              "validação será otimista."},
    "data.warn.small_val": {
        "en": "Only {n} validation images: accuracy moves in steps of {step} points, so small differences between "
              "runs mean little.",
        "pt": "Só {n} imagens de validação: a acurácia anda em passos de {step} pontos percentuais, então pequenas "
              "diferenças entre execuções dizem pouco."},
    # why a file was skipped (core/data/ingest.py; images that do not decode say it with images.* in errors.py)
    "data.skipped.macos_folder": {"en": "macOS metadata folder (__MACOSX), not an image",
                                  "pt": "pasta de metadados do macOS (__MACOSX), não é uma imagem"},
    "data.skipped.appledouble": {"en": "AppleDouble metadata file (._*), not an image",
                                 "pt": "arquivo de metadados AppleDouble (._*), não é uma imagem"},
    "data.skipped.windows_thumbnails": {"en": "Windows thumbnail cache file, not an image",
                                        "pt": "arquivo de cache de miniaturas do Windows, não é uma imagem"},
    "data.skipped.windows_settings": {"en": "Windows folder settings file, not an image",
                                      "pt": "arquivo de configurações de pasta do Windows, não é uma imagem"},
    "data.skipped.macos_settings": {"en": "macOS folder settings file, not an image",
                                    "pt": "arquivo de configurações de pasta do macOS, não é uma imagem"},
    "data.skipped.hidden": {"en": "hidden file or folder", "pt": "arquivo ou pasta oculta"},
    "data.skipped.archive": {"en": "an archive inside the archive is not expanded",
                             "pt": "um arquivo compactado dentro do zip não é expandido"},
    "data.skipped.format": {"en": "the {format} format is not accepted (use JPEG, PNG, GIF, BMP, WEBP or TIFF)",
                            "pt": "o formato {format} não é aceito (use JPEG, PNG, GIF, BMP, WEBP ou TIFF)"},
    "data.skipped.not_image": {"en": "not an image file (by its name)",
                               "pt": "não é um arquivo de imagem (pelo nome)"},
    "data.skipped.root": {"en": "not inside a class folder", "pt": "fora de uma pasta de classe"},
    "data.skipped.symlink_folder": {"en": "symbolic link (not followed)", "pt": "link simbólico (não seguido)"},
    "data.skipped.symlink_file": {"en": "symbolic link or special file (not followed)",
                                  "pt": "link simbólico ou arquivo especial (não seguido)"},
    # kinds of skipped files (core/data/ingest.py and core/images.py codes)
    "data.skip.macos": {"en": "macOS metadata", "pt": "metadados do macOS"},
    "data.skip.system": {"en": "system file", "pt": "arquivo de sistema"},
    "data.skip.hidden": {"en": "hidden file or folder", "pt": "arquivo ou pasta oculta"},
    "data.skip.archive": {"en": "archive inside the archive (not expanded)", "pt": "arquivo compactado dentro do zip (não expandido)"},
    "data.skip.format": {"en": "format not accepted", "pt": "formato não aceito"},
    "data.skip.not_image": {"en": "not an image", "pt": "não é uma imagem"},
    "data.skip.root": {"en": "not inside a class folder", "pt": "fora de uma pasta de classe"},
    "data.skip.symlink": {"en": "link (not followed)", "pt": "link (não seguido)"},
    "data.skip.empty": {"en": "empty file", "pt": "arquivo vazio"},
    "data.skip.missing": {"en": "missing file", "pt": "arquivo ausente"},
    "data.skip.too_large": {"en": "too many pixels", "pt": "pixels demais"},
    "data.skip.too_small": {"en": "too small", "pt": "pequena demais"},
    "data.skip.truncated": {"en": "truncated", "pt": "truncada"},
    "data.skip.unreadable": {"en": "cannot be decoded", "pt": "não pode ser decodificada"},
}
