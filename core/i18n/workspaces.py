"""Strings of private workspaces (the sidebar, the classroom workspace); their errors are in errors.py."""

STRINGS = {
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
