"""Strings of private workspaces (``core.workspaces``, the sidebar, quotas, the classroom workspace)."""

STRINGS = {
    # ------------------------------------------------------------------------------------- errors
    "workspaces.bad_token": {
        "en": "That is not a workspace link: a workspace token is 24 letters, digits, '-' or '_'.",
        "pt": "Isso não é um link de espaço de trabalho: um token de espaço tem 24 letras, dígitos, '-' ou '_'."},
    "workspaces.unknown_token": {
        "en": "No workspace on this server has that link (an unused workspace is removed after some days).",
        "pt": "Nenhum espaço de trabalho neste servidor tem esse link (um espaço sem uso é removido depois de "
              "alguns dias)."},
    "workspaces.no_user": {
        "en": "Sign in to reach your workspace.",
        "pt": "Entre com sua conta para acessar seu espaço de trabalho."},
    "workspaces.quota_bytes_dataset": {
        "en": "Storing this dataset would pass your workspace's limit of {limit} MB; delete a dataset or a run you "
              "no longer need, then try again.",
        "pt": "Guardar este conjunto passaria do limite de {limit} MB do seu espaço de trabalho; exclua um conjunto "
              "ou uma execução de que não precisa mais e tente de novo."},
    "workspaces.quota_bytes_upload": {
        "en": "The upload of {name} stopped: it would pass your workspace's limit of {limit} MB. Nothing was "
              "stored and your datasets and runs are untouched; delete one you no longer need, then upload again.",
        "pt": "O envio de {name} parou: passaria do limite de {limit} MB do seu espaço de trabalho. Nada foi "
              "guardado e seus conjuntos e execuções estão intactos; exclua algo de que não precisa mais e envie "
              "de novo."},
    "workspaces.quota_bytes_run": {
        "en": "Your workspace already stores its limit of {limit} MB; delete a dataset or a run you no longer need "
              "before starting another run.",
        "pt": "Seu espaço de trabalho já guarda o limite de {limit} MB; exclua um conjunto ou uma execução de que "
              "não precisa mais antes de iniciar outra execução."},
    "workspaces.quota_datasets": {
        "en": "Your workspace already has {limit} datasets, its limit; delete one you no longer need to store "
              "another.",
        "pt": "Seu espaço de trabalho já tem {limit} conjuntos de dados, o limite; exclua um de que não precisa "
              "mais para guardar outro."},
    "workspaces.quota_queued": {
        "en": "Your workspace already has {limit} runs queued or training, its limit; wait for one to finish or "
              "cancel one.",
        "pt": "Seu espaço de trabalho já tem {limit} execuções na fila ou treinando, o limite; espere uma terminar "
              "ou cancele uma."},

    # ------------------------------------------------------------------------------------- sidebar
    "workspaces.title": {"en": "Your workspace", "pt": "Seu espaço de trabalho"},
    "workspaces.private_link": {
        "en": "Your private link: bookmark it to come back to your datasets and runs. **Whoever has this link can "
              "see and change this workspace.**",
        "pt": "Seu link privado: guarde-o nos favoritos para voltar aos seus conjuntos e execuções. **Quem tiver "
              "este link pode ver e alterar este espaço de trabalho.**"},
    "workspaces.cli": {
        "en": "The same workspace from the command line on this server:",
        "pt": "O mesmo espaço de trabalho pela linha de comando neste servidor:"},
    "workspaces.single": {
        "en": "One workspace: everyone using this app sees the same datasets and runs.",
        "pt": "Um só espaço de trabalho: todos que usam este app veem os mesmos conjuntos e execuções."},
    "workspaces.signed_in": {
        "en": "Signed in as {user}; your datasets and runs are yours alone.",
        "pt": "Conectado como {user}; seus conjuntos e execuções são só seus."},
    "workspaces.sign_in_needed": {
        "en": "Sign in to use your private workspace: your datasets and runs are kept under your account.",
        "pt": "Entre com sua conta para usar seu espaço de trabalho privado: seus conjuntos e execuções ficam "
              "guardados na sua conta."},
    "workspaces.sign_in": {"en": "Sign in", "pt": "Entrar"},
    "workspaces.sign_out": {"en": "Sign out", "pt": "Sair"},
    "workspaces.login_unconfigured": {
        "en": "This server gives each signed-in user a workspace, but sign-in is not set up ([auth] in "
              ".streamlit/secrets.toml); ask whoever runs the server.",
        "pt": "Este servidor dá um espaço de trabalho a cada usuário conectado, mas o login não está configurado "
              "([auth] em .streamlit/secrets.toml); fale com quem administra o servidor."},
    "workspaces.fresh": {
        "en": "{reason} A new private workspace was made for you; its link is in the sidebar.",
        "pt": "{reason} Um novo espaço de trabalho privado foi criado para você; o link dele está na barra "
              "lateral."},
    "workspaces.usage": {
        "en": "Stored {mb} MB of {limit_mb} · datasets {datasets} of {limit_datasets} · runs queued or training "
              "{queued} of {limit_queued}",
        "pt": "Guardado {mb} MB de {limit_mb} · conjuntos {datasets} de {limit_datasets} · execuções na fila ou "
              "treinando {queued} de {limit_queued}"},
    "workspaces.no_limit": {"en": "no limit", "pt": "sem limite"},

    "workspaces.path_folders": {"en": "Folders this server shares: {folders}",
                                "pt": "Pastas que este servidor compartilha: {folders}"},

    "workspaces.runs_private": {
        "en": "Runs belong to your workspace: only whoever has its link sees, cancels or resumes them. One run trains "
              "per device at a time; the runs of every workspace wait in one queue that takes turns between "
              "workspaces.",
        "pt": "As execuções pertencem ao seu espaço de trabalho: só quem tem o link dele as vê, cancela ou retoma. "
              "Treina-se uma execução por dispositivo de cada vez; as execuções de todos os espaços esperam numa "
              "só fila, que alterna entre os espaços."},
    "workspaces.delete_run": {"en": "Delete this run", "pt": "Excluir esta execução"},
    "workspaces.delete_run_confirm": {
        "en": "Yes, delete run {run} and its files (model, checkpoint, results)",
        "pt": "Sim, excluir a execução {run} e seus arquivos (modelo, checkpoint, resultados)"},
    "workspaces.run_deleted": {"en": "Deleted run {run}.", "pt": "A execução {run} foi excluída."},

    # ------------------------------------------------------------------------------------- classroom
    "workspaces.classroom": {"en": "Classroom", "pt": "Turma"},
    "workspaces.classroom_owner": {
        "en": "This is the classroom workspace: every visitor can open its datasets and finished runs read-only.",
        "pt": "Este é o espaço da turma: todo visitante pode abrir seus conjuntos e execuções concluídas, só para "
              "leitura."},
    "workspaces.classroom_datasets": {
        "en": "The classroom's datasets (read-only): copy one into your workspace to use it.",
        "pt": "Conjuntos da turma (só leitura): copie um para o seu espaço de trabalho para usá-lo."},
    "workspaces.copy": {"en": "Copy into my workspace", "pt": "Copiar para o meu espaço"},
    "workspaces.copied": {"en": "Copied \"{name}\" into your workspace.",
                          "pt": "\"{name}\" foi copiado para o seu espaço de trabalho."},
    "workspaces.classroom_run": {"en": "classroom, read-only", "pt": "turma, só leitura"},
}
