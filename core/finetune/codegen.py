"""“Show the code”: the short, standalone PyTorch script that does what a finished run did.

:func:`script` is pure: plain values in (the run's ``config.json`` and ``results.json`` as dicts, the model's
stages and its weights), a string out. It writes the weights API of the run's library (``timm.create_model``
or a torchvision builder with ``weights=``), the freezing its strategy asks for, the new classification
layer, the parameter groups with the run's own learning rates (each stage's scale, and the head scale on the
new layer only), AdamW, the warm-up and cosine schedule counted in images as the run counts it, the loop
with early stopping on the validation loss, and the export of the best epoch. Comments are in the page's
language; the code is the same in both.

:func:`run_script` is the glue for a run folder: it reads the two files through :mod:`core.runs` and
finds the stages (:func:`core.zoo.model_stages`, on the meta device, at the run's input size).
"""
from __future__ import annotations

import pprint
import textwrap
from pathlib import Path
from typing import Optional

from core.finetune.strategies import HEAD, LAST_STAGES, STRATEGIES
from core.i18n import t
from core.i18n.numbers import integer

_AUGMENT = {"light": (0.5, False), "standard": (0.25, True)}   # crop keeps this much area at least; colour jitter
_AUX = ("googlenet", "inception_v3")
WIDTH = 100   # the script's line length


def _attr(path: str) -> str:
    """``classifier.6`` -> ``model.classifier[6]``: the Python that reaches a module by its dotted name."""
    out = "model"
    for part in path.split("."):
        out += f"[{part}]" if part.isdigit() else f".{part}"
    return out


def _head(head: dict) -> str:
    """The new classification layer, as the run built it (core.finetune.head.make_head)."""
    n, d, f = head["num_classes"], head["dropout"], head["in_features"]
    layer = "nn.Conv2d({i}, {o}, 1)" if head.get("conv") else "nn.Linear({i}, {o})"
    if head.get("hidden", 0) > 0:
        h = head["hidden"]
        return (f"nn.Sequential({layer.format(i=f, o=h)}, nn.ReLU(), nn.Dropout({d}), "
                f"{layer.format(i=h, o=n)})")
    if d:
        return f"nn.Sequential(nn.Dropout({d}), {layer.format(i=f, o=n)})"
    return layer.format(i=f, o=n)


def _fmt(x: float) -> str:
    return f"{x:g}"


def _group_rows(param_groups: list[dict], lang: str) -> list[str]:
    """The run's groups (results.json), merged over weight decay: stage, parameters, scale, peak rate."""
    merged: dict = {}
    for g in param_groups or ():
        if g.get("frozen"):
            continue
        key = (g["stage_index"], g["stage"], bool(g.get("new")))
        row = merged.setdefault(key, {"params": 0, "scale": g["lr_scale"], "lr": g["lr"]})
        row["params"] += g["params"]
        row["lr"] = max(row["lr"], g["lr"])
    new = t("finetune.code.c_new_short", lang)
    return [f"#   {stage + (' (' + new + ')' if is_new else ''):22} {integer(row['params'], lang):>12}   "
            f"{row['scale']:<10.4g} {row['lr']:.3g}"
            for (_, stage, is_new), row in sorted(merged.items())]


# Long on purpose: one template that writes the generated file top to bottom, section by section, so the
# code here reads in the order of the script it makes; split, one file's text would scatter over functions.
def script(config: dict, results: Optional[dict], stages: list[dict], weights: Optional[str],
           run_id: str = "", lang: str = "en") -> str:
    """The standalone script for a run.

    Args:
        config: the run's ``config.json`` (its fields and ``resolved``).
        results: the run's ``results.json`` (its ``param_groups`` are listed as the run's own rates), or None.
        stages: ``[{"name", "modules"}]``, input first, head last: the stages the run grouped its rates by.
        weights: the torchvision weights the run asked for (``ResNet50_Weights.IMAGENET1K_V2``); None for timm.
        lang: the language of the comments.
    """
    c = lambda key, **kw: t(f"finetune.code.{key}", lang, **kw)  # noqa: E731 - a comment in the page's language
    r = config["resolved"]
    strat = STRATEGIES[config["strategy"]]
    head, pre = r["head"], r["preprocess"]
    library = config.get("library") or ("torchvision" if weights is not None else "timm")
    model = config["model"]
    lr = float(r["lr"])
    augment = r["augment"]
    body_stages = [s for s in stages if s["modules"]]
    stage_map = {s["name"]: list(s["modules"]) for s in body_stages}
    trained = [s for s in stage_map if s not in r.get("frozen_stages", [])]
    L = []
    a = L.append

    def ac(code: str, comment: str) -> None:
        """A line of code with its comment: inline when it fits, else on the line above."""
        if len(code) + 4 + len(comment) <= WIDTH:
            a(f"{code}  # {comment}")
        else:
            indent = code[:len(code) - len(code.lstrip())]
            L.extend(textwrap.wrap(comment, WIDTH, initial_indent=indent + "# ", subsequent_indent=indent + "# "))
            a(code)

    # ------------------------------------------------------------------------------------- header
    a('"""' + textwrap.fill(c("doc_title", run=run_id or "-", model=model, dataset=r["dataset"]["name"],
                                strategy=t(f"finetune.strategy.{strat.name}", lang)), WIDTH - 3))
    a("")
    a(c("doc_what"))
    a("")
    a(f"    python finetune_{run_id or 'run'}.py DATA_DIR [--epochs N] [--random-init] [--out DIR]")
    a("")
    a(c("doc_data"))
    a(c("doc_split"))
    if r["dataset"].get("test"):
        a(c("doc_test", test=r["dataset"]["test"]))
    a('"""')
    a("import argparse")
    a("import json")
    a("import math")
    a("from pathlib import Path")
    a("")
    a("import torch")
    a("from safetensors.torch import save_file")
    a("from torch import nn")
    a("from torch.utils.data import DataLoader, Subset")
    a("from torchvision import datasets, transforms")
    a("import timm" if library == "timm" else "from torchvision import models")
    a("")
    # ------------------------------------------------------------------------------------ settings
    a(f"# {c('c_settings')}")
    a(f"MODEL = {model!r}")
    ac(f"STRATEGY = {strat.name!r}", t(f"finetune.strategy.{strat.name}", lang))
    a(f"IMAGE_SIZE, RESIZE = {pre['input_size']}, {pre['resize_size']}")
    a(f"MEAN, STD = {tuple(pre['mean'])}, {tuple(pre['std'])}")
    a(f"EPOCHS, BATCH_SIZE, SEED = {config['epochs']}, {config['batch_size']}, {config['seed']}")
    ac(f"BASE_LR = {_fmt(lr)}", c("c_lr_set") if config.get("lr") is not None else
       c("c_lr_default", lr=_fmt(strat.default_lr)))
    if strat.layer_decay:
        ac(f"LAYER_DECAY = {_fmt(config['layer_decay'])}", c("c_layer_decay"))
    if strat.head_lr_scale:
        ac(f"HEAD_LR_SCALE = {_fmt(config['head_lr_scale'])}", c("c_head_scale"))
    a(f"WEIGHT_DECAY, LABEL_SMOOTHING = {_fmt(config['weight_decay'])}, {_fmt(config['label_smoothing'])}")
    ac(f"PATIENCE, WARMUP_EPOCHS = {config['patience']}, {_fmt(config['warmup_epochs'])}", c("c_patience"))
    val = r["dataset"]["val"] / max(1, r["dataset"]["train"] + r["dataset"]["val"])
    a(f"VAL_FRACTION = {round(val, 3):g}")
    a(f"# {c('c_stages')}")
    a("STAGES = " + pprint.pformat(stage_map, width=96, sort_dicts=False))
    if strat.trains == LAST_STAGES:
        ac(f"TRAINED = {trained!r}", c("c_trained", k=config["unfreeze"]))
    a("")
    a("parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])")
    a('parser.add_argument("data", help="' + c("arg_data") + '")')
    a('parser.add_argument("--epochs", type=int, default=EPOCHS)')
    a('parser.add_argument("--random-init", action="store_true",')
    a('                    help="' + c("arg_random") + '")')
    a('parser.add_argument("--out", default="export", help="' + c("arg_out") + '")')
    a("args = parser.parse_args()")
    a("torch.manual_seed(SEED)")
    a('device = torch.device("cuda" if torch.cuda.is_available() else "cpu")')
    a("")
    # ----------------------------------------------------------------------------------------- data
    interp = f"transforms.InterpolationMode.{pre['interpolation'].upper()}"
    a(f"# {c('c_data')}")
    a(f"resize = transforms.Resize(RESIZE, interpolation={interp})")
    a("eval_tf = transforms.Compose([resize, transforms.CenterCrop(IMAGE_SIZE), transforms.ToTensor(),")
    a("                              transforms.Normalize(MEAN, STD)])")
    if augment in _AUGMENT:
        lo, colour = _AUGMENT[augment]
        a(f"# {c('c_augment', preset=t(f'finetune.page.augment.{augment}', lang))}")
        a(f"train_tf = transforms.Compose([resize, transforms.RandomResizedCrop(IMAGE_SIZE, scale=({lo}, 1.0)),")
        a("                               transforms.RandomHorizontalFlip(),")
        if colour:
            a("                               transforms.ColorJitter(0.4, 0.4, 0.4),")
        a("                               transforms.ToTensor(), transforms.Normalize(MEAN, STD)])")
    else:
        ac("train_tf = eval_tf", c("c_no_augment_probe") if strat.caches_features else c("c_no_augment"))
    a("images = datasets.ImageFolder(args.data)")
    a("classes = images.classes")
    a("order = torch.randperm(len(images), generator=torch.Generator().manual_seed(SEED))")
    a("n_val = max(1, round(VAL_FRACTION * len(images)))")
    a("train_set = Subset(datasets.ImageFolder(args.data, train_tf), order[n_val:].tolist())")
    a("val_set = Subset(datasets.ImageFolder(args.data, eval_tf), order[:n_val].tolist())")
    a("train_loader = DataLoader(train_set, BATCH_SIZE, shuffle=True)")
    a("val_loader = DataLoader(val_set, BATCH_SIZE * 2)")
    a("")
    # ---------------------------------------------------------------------------------------- model
    a(f"# {c('c_model')}")
    if library == "timm":
        pretrained = "False" if not strat.pretrained else "not args.random_init"
        a(f"model = timm.create_model(MODEL, pretrained={pretrained})")
        if strat.pretrained and r.get("weights_source", "").startswith("package"):
            a(f"# {c('c_timm_package')}")
    else:
        aux = ", aux_logits=False" if model in _AUX else ""
        if strat.pretrained:
            enum, _, member = weights.partition(".")
            a(f"model = models.{model}(weights=None if args.random_init else models.{enum}.{member}{aux})")
        else:
            ac(f"model = models.{model}(weights=None{aux})", c("c_scratch"))
    if strat.pretrained and not r.get("pretrained", True):
        a(f"# {c('c_run_random')}")
    ac(f"{_attr(head['path'])} = {_head(head)}", c("c_new_layer", n=head["num_classes"]))
    ac(f"NEW = {head['path'] + '.'!r}", c("c_new_prefix"))
    a("model.to(device)")
    a("")
    a("")
    a("def stage_of(name):")
    L.extend(textwrap.wrap(c("c_stage_of"), WIDTH, initial_indent="    # ", subsequent_indent="    # "))
    a("    for stage in reversed(STAGES):")
    a("        if any(name == m or name.startswith(m + \".\") for m in STAGES[stage]):")
    a("            return stage")
    a("    return next(iter(STAGES))")
    a("")
    a("")
    # -------------------------------------------------------------------------------------- freezing
    a(f"# {c('c_freeze_' + strat.trains)}")
    a("for name, p in model.named_parameters():")
    if strat.trains == HEAD:
        a("    p.requires_grad = name.startswith(NEW)")
    elif strat.trains == LAST_STAGES:
        a("    p.requires_grad = stage_of(name) in TRAINED")
    else:
        a("    p.requires_grad = True")
    a("")
    a("")
    a("def train_mode():")
    if strat.trains == HEAD:
        L.extend(textwrap.wrap(c("c_mode_probe"), WIDTH, initial_indent="    # ", subsequent_indent="    # "))
        a("    model.eval()")
        a(f"    {_attr(head['path'])}.train()")
    elif strat.trains == LAST_STAGES:
        L.extend(textwrap.wrap(c("c_mode_partial"), WIDTH, initial_indent="    # ", subsequent_indent="    # "))
        a("    model.train()")
        a("    for stage in STAGES:")
        a("        if stage not in TRAINED:")
        a("            for m in STAGES[stage]:")
        a("                model.get_submodule(m).eval()")
    else:
        a("    model.train()")
    a("")
    a("")
    # ---------------------------------------------------------------------------------------- groups
    a(f"# {c('c_groups')}")
    rows = _group_rows((results or {}).get("param_groups"), lang)
    if rows:
        a(f"# {c('c_groups_run')}")
        a(f"#   {c('c_groups_head'):22} {c('c_groups_params'):>12}   {c('c_groups_scale'):<10} {c('c_groups_lr')}")
        L.extend(rows)
    a("learning = {stage_of(n) for n, p in model.named_parameters() if p.requires_grad}")
    a("trained = [s for s in STAGES if s in learning]")
    a("groups = {}")
    a("for name, p in model.named_parameters():")
    a("    if not p.requires_grad:")
    a("        continue")
    a("    stage, new = stage_of(name), name.startswith(NEW)")
    scale = "1.0"
    if strat.layer_decay:
        scale = "LAYER_DECAY ** (len(trained) - 1 - trained.index(stage))"
    if strat.head_lr_scale:
        scale = f"({scale}) * (HEAD_LR_SCALE if new else 1.0)" if strat.layer_decay else "HEAD_LR_SCALE if new else 1.0"
    if len(f"    scale = {scale}") > WIDTH:
        a("    scale = LAYER_DECAY ** (len(trained) - 1 - trained.index(stage))")
        a("    scale *= HEAD_LR_SCALE if new else 1.0")
    else:
        a(f"    scale = {scale}")
    ac("    decay = 0.0 if p.ndim <= 1 else WEIGHT_DECAY", c("c_no_decay"))
    a("    label = stage + (\" (new)\" if new else \"\")")
    a("    group = groups.setdefault((stage, new, decay),")
    a("                              {\"params\": [], \"lr\": BASE_LR * scale, \"weight_decay\": decay,")
    a("                               \"name\": label})")
    a("    group[\"params\"].append(p)")
    a("optimizer = torch.optim.AdamW(list(groups.values()), lr=BASE_LR)")
    a("for g in optimizer.param_groups:")
    a("    g[\"peak_lr\"] = g[\"lr\"]")
    a("    count = sum(p.numel() for p in g[\"params\"])")
    a("    print(f\"group {g['name']:16} decay {g['weight_decay']:<5g} {count:>11,} parameters \"")
    a("          f\"peak lr {g['lr']:.4g}\")")
    ac("total = args.epochs * len(train_set)", c("c_schedule"))
    a("warmup = int(WARMUP_EPOCHS * len(train_set))")
    a("")
    a("")
    a("def lr_factor(seen):")
    L.extend(textwrap.wrap(c("c_lr_factor"), WIDTH, initial_indent="    # ", subsequent_indent="    # "))
    a("    if seen < warmup:")
    a("        return 0.01 + 0.99 * seen / warmup")
    a("    return 0.01 + 0.99 * 0.5 * (1 + math.cos(math.pi * min(seen, total) / total))")
    a("")
    a("")
    # ------------------------------------------------------------------------------------------ loop
    a(f"# {c('c_loop')}")
    a("loss_fn = nn.CrossEntropyLoss(label_smoothing=LABEL_SMOOTHING)")
    a("best_loss, best_state, bad, seen = math.inf, None, 0, 0")
    a("for epoch in range(1, args.epochs + 1):")
    a("    train_mode()")
    a("    for x, y in train_loader:")
    ac("        if len(y) == 1:", c("c_batch_one"))
    a("            continue")
    a("        for g in optimizer.param_groups:")
    a("            g[\"lr\"] = g[\"peak_lr\"] * lr_factor(seen)")
    a("        loss = loss_fn(model(x.to(device)), y.to(device))")
    a("        optimizer.zero_grad()")
    a("        loss.backward()")
    a("        optimizer.step()")
    a("        seen += len(y)")
    a("    model.eval()")
    a("    val_loss, correct = 0.0, 0")
    a("    with torch.no_grad():")
    a("        for x, y in val_loader:")
    a("            logits, y = model(x.to(device)), y.to(device)")
    a("            val_loss += nn.functional.cross_entropy(logits, y, reduction=\"sum\").item()")
    a("            correct += (logits.argmax(1) == y).sum().item()")
    a("    val_loss /= len(val_set)")
    a("    print(f\"epoch {epoch}: train loss {loss.item():.4f}, validation loss {val_loss:.4f}, \"")
    a("          f\"validation accuracy {correct / len(val_set):.1%}\")")
    ac("    if val_loss < best_loss - 1e-6:", c("c_best"))
    a("        best_loss, bad = val_loss, 0")
    a("        best_state = {k: v.detach().to(\"cpu\", copy=True).contiguous()")
    a("                      for k, v in model.state_dict().items()}")
    a("    else:")
    a("        bad += 1")
    a("        if PATIENCE and bad >= PATIENCE:")
    a("            print(f\"early stopping after epoch {epoch}\")")
    a("            break")
    a("")
    # ---------------------------------------------------------------------------------------- export
    a(f"# {c('c_export')}")
    a("model.load_state_dict(best_state)")
    a("out = Path(args.out)")
    a("out.mkdir(parents=True, exist_ok=True)")
    a("save_file(best_state, str(out / \"model.safetensors\"))")
    a("export = {\"architecture\": MODEL, \"class_names\": classes, \"image_size\": IMAGE_SIZE, \"resize\": RESIZE,")
    a("          \"mean\": MEAN, \"std\": STD, \"head\": NEW[:-1]}")
    a("(out / \"config.json\").write_text(json.dumps(export, indent=2))")
    a("print(f\"best validation loss {best_loss:.4f}; saved {out / 'model.safetensors'}\")")
    return "\n".join(_wrap_comments(L)) + "\n"


def _wrap_comments(lines: list[str], width: int = WIDTH) -> list[str]:
    """Long top-level comments over several lines (the comments come from sentences of either language)."""
    out = []
    for line in lines:
        if line.startswith("# ") and len(line) > width:
            out.extend(textwrap.wrap(line, width, initial_indent="", subsequent_indent="# "))
        else:
            out.append(line)
    return out



def run_script(run_dir: Path, lang: str = "en") -> str:
    """The standalone script for the finished run in ``run_dir`` (its config.json and results.json)."""
    from core.architectures import skeleton
    from core.errors import UserError
    from core.runs import RunFolder
    from core.workspaces import shown
    from core.zoo import get_entry, model_stages, torchvision_weights
    folder = RunFolder(Path(run_dir))
    config, results = folder.config(), folder.results()
    if not config or "resolved" not in config or results is None:  # the code is that of a finished run
        raise UserError.of("finetune.no_export", folder=shown(run_dir))
    entry = get_entry(config["model"])
    model = skeleton(entry)
    stages = [{"name": s.name, "modules": list(s.modules)}
              for s in model_stages(model, config["resolved"]["image_size"])]
    params = {n for n, _ in model.named_parameters()}
    # a stage without parameters (a pooling layer) has no rate of its own: the script lists stages that learn
    stages = [{**s, "modules": [m for m in s["modules"] if any(p == m or p.startswith(m + ".") for p in params)]}
              for s in stages]
    weights = None
    if entry.library == "torchvision":
        w = torchvision_weights(entry.name)
        weights = str(w) if w is not None else None
    return script({**config, "library": entry.library}, results, stages, weights, folder.id, lang)
