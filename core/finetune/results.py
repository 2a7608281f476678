"""The end of a run: the best epoch's weights evaluated into ``results.json``, the summary, and the export."""
from __future__ import annotations

import numpy as np
import torch

from core.finetune.export import export_config
from core.finetune.param_groups import describe_groups
from core.runs import RunFolder

WRONG_EXAMPLES = 16           # most confidently wrong validation images kept in results.json


def scores(logits: torch.Tensor, y: np.ndarray, classes: list[str], indices: np.ndarray, files=None) -> dict:
    """Confusion matrix, per-class precision and recall, and the most confidently wrong images.

    Args:
        logits: ``[n, k]`` for the images of a split; ``y`` their true classes.
        indices: each image's index in the dataset (mistakes name it, and its file when ``files`` is given).
    """
    probs = logits.softmax(1).numpy()
    pred = probs.argmax(1)
    k = len(classes)
    cm = np.zeros((k, k), dtype=np.int64)
    np.add.at(cm, (y, pred), 1)
    per_class = []
    for c, name in enumerate(classes):
        tp, col, row = int(cm[c, c]), int(cm[:, c].sum()), int(cm[c].sum())
        per_class.append({"class": name, "precision": tp / col if col else None,
                          "recall": tp / row if row else None, "support": row})
    wrong = np.nonzero(pred != y)[0]
    wrong = wrong[np.argsort(-probs[wrong, pred[wrong]], kind="stable")][:WRONG_EXAMPLES]
    mistakes = [{"index": int(indices[i]), "file": files[int(indices[i])] if files is not None else None,
                 "true": classes[int(y[i])], "predicted": classes[int(pred[i])],
                 "prob": round(float(probs[i, pred[i]]), 6), "true_prob": round(float(probs[i, y[i]]), 6)}
                for i in wrong]
    return {"confusion_matrix": cm.tolist(), "per_class": per_class, "confident_mistakes": mistakes}


def finish(trainer, folder: RunFolder, state: dict, rows: list[dict]) -> dict:
    """Best weights -> results.json (confusion, per-class scores, confident mistakes, groups) and export/."""
    from core.finetune.loop import Diverged
    best = folder.load_best()
    for k, v in best.items():
        if v.is_floating_point() and not torch.isfinite(v).all():
            raise Diverged.of("finetune.best_weights_nan", tensor=k)
    trainer.model.load_state_dict(best)
    trainer.ensure_features(state["epoch"], trainer.cfg.epochs)
    trainer.progress.event(force=True, phase="results")
    val_loss, val_acc, logits = trainer.evaluate(trainer.val)
    test_acc = trainer.evaluate(trainer.test)[1] if trainer.test is not None else None
    epoch_seconds = [r["epoch_seconds"] for r in rows]
    summary = {
        "status": "done", "strategy": trainer.cfg.strategy, "model": trainer.entry.name,
        "best_val_acc": round(state["best_val_acc"], 6), "best_val_loss": round(state["best_val_loss"], 6),
        "best_epoch": state["best_epoch"], "epochs_run": state["epoch"], "stopped_early": state["stopped_early"],
        "train_seconds": round(sum(epoch_seconds), 3), "epoch_seconds": epoch_seconds,
        "trainable_params": int(trainer.trainable_params), "total_params": int(trainer.total_params),
        "frozen_params": int(trainer.total_params - trainer.trainable_params),
        "weights_source": str(trainer.weights), "pretrained": trainer.weights.pretrained,
        "test_acc": None if test_acc is None else round(test_acc, 6),
        "image_size": trainer.image_size, "batch_size": trainer.batch_size, "device": trainer.device.type,
        # how many processes trained it (torchrun); batch_size is per process, so the effective batch is both
        "processes": trainer.processes, "effective_batch": trainer.batch_size * trainer.processes,
        "notices": [n.record() for n in trainer.progress.notices], "run_dir": str(folder.path),
    }
    results = {"summary": summary, "classes": trainer.classes, "val_acc": round(val_acc, 6),
               "val_loss": round(val_loss, 6),
               **scores(logits, trainer.val.y.cpu().numpy(), trainer.classes, trainer.val.idx,
                        getattr(trainer.ds, "files", None)),
               "param_groups": describe_groups(trainer.model, trainer.opt, trainer.stages, trainer.peak_lrs),
               "stages": [{"index": s.index, "name": s.name, "frozen": s.index in trainer.frozen_stages}
                          for s in trainer.stages]}
    config = export_config(
        architecture=trainer.entry.name, library=trainer.entry.library, classes=trainer.classes,
        preprocess=trainer.preprocess, head=trainer.head_spec,
        transform_input=bool(getattr(trainer.model, "transform_input", False)),
        training={"strategy": trainer.cfg.strategy, "dataset": trainer.ds.name, "dataset_id": trainer.ds.id,
                  "best_epoch": summary["best_epoch"], "best_val_acc": summary["best_val_acc"],
                  "weights_source": summary["weights_source"]},
        dataset_side=getattr(trainer.ds, "cache_size", None))
    summary["export"] = str(folder.write_export(best, config))
    folder.write_results(results)
    return summary
