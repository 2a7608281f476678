"""Strings of the job manager: why a run is in its state (status notices, ``core.jobs``)."""

STRINGS = {
    "jobs.status.worker_gone": {
        "en": "The training process stopped without finishing after {epochs} complete epoch(s); resume it to "
              "continue from the last complete checkpoint.",
        "pt": "O processo de treino parou sem terminar depois de {epochs} época(s) completa(s); retome a execução "
              "para continuar a partir do último checkpoint completo."},
    "jobs.status.cancelled_queued": {"en": "Cancelled before it ran.", "pt": "Cancelada antes de rodar."},
    "jobs.status.cancelled_interrupted": {"en": "Cancelled while interrupted; it can still be resumed.",
                                                "pt": "Cancelada enquanto interrompida; ainda pode ser retomada."},
    "jobs.status.cancelled": {"en": "Cancelled; it can be resumed from its last complete epoch.",
                                    "pt": "Cancelada; pode ser retomada a partir da última época completa."},
    "jobs.status.resuming": {"en": "Resuming after {epochs} complete epoch(s).",
                                   "pt": "Retomando depois de {epochs} época(s) completa(s)."},
    "jobs.status.resume_fresh": {"en": "No complete checkpoint yet: starting again from the first epoch.",
                                       "pt": "Ainda não há checkpoint completo: recomeçando da primeira época."},
    "jobs.status.done": {
        "en": "Finished: validation accuracy {acc:percent} at the best epoch (the one with the lowest validation loss).",
        "pt": "Concluída: acurácia de validação de {acc:percent} na melhor época (a de menor perda de validação)."},
    "jobs.status.terminated": {"en": "Stopped by a termination signal (the server was stopped?); it can be "
                                           "resumed.",
                                     "pt": "Interrompida por um sinal de término (o servidor foi desligado?); "
                                           "pode ser retomada."},
    "jobs.status.crashed": {
        "en": "Training failed ({kind}: {detail}); the details are in the run's worker.log.",
        "pt": "O treino falhou ({kind}: {detail}); os detalhes estão no worker.log da execução."},
    # a run trained by several processes (torchrun): one of them failed, so all stopped
    "jobs.status.rank_failed": {
        "en": "Process {rank:integer} of {processes:integer} failed ({kind}: {detail}); every process stopped, and "
              "the run can be resumed from its last complete epoch.",
        "pt": "O processo {rank:integer} de {processes:integer} falhou ({kind}: {detail}); todos os processos "
              "pararam, e a execução pode ser retomada a partir da última época completa."},
    "jobs.status.rank_lost": {
        "en": "Process {rank:integer} of {processes:integer} ended without a word (killed, or out of memory?); "
              "every process stopped, and the run can be resumed from its last complete epoch.",
        "pt": "O processo {rank:integer} de {processes:integer} terminou sem dizer nada (morto, ou sem memória?); "
              "todos os processos pararam, e a execução pode ser retomada a partir da última época completa."},
}
