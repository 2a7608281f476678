"""Fine-tuning: choose data, backbone and strategy; start a background run; watch it live; read the results.

Thin: widgets -> one FinetuneConfig -> core.jobs.start; everything shown is read from the run folder, so a
rerun, a refresh or another browser re-attaches to the same run instead of starting a new one.

Every run, dataset and cache here belongs to the visitor's workspace (``ui.workspace()``, passed as ``root``);
the classroom's finished runs are listed read-only beside them. One job manager serves every workspace.
"""
from __future__ import annotations

import time
from pathlib import Path

import streamlit as st

from core import jobs
from core.data import DEMOS as DEMO_NAMES
from core.data import list_datasets, open_dataset, shown_class, shown_name
from core.errors import UserError
from core.finetune import AUGMENTS, DEFAULTS, STRATEGIES, FinetuneConfig, default_image_size, estimate_epoch_seconds
from core.i18n import all_strings
from core.i18n.numbers import decimal, integer, percent, times
from core.plots import finetune as plots
from core.plots.architectures import stage_label
from core.plots.finetune import rate
from core.settings import data_dir, workspace_mode
from core.zoo import CATALOG, DEFAULT_MODEL, WeightsInfo, get_entry, weights_available_offline
from ui import classroom, cached_device_info, lang, routed, tr, user_errors, weights_notice, workspace

if st.query_params.get("run"):  # a deep link to a run survives the detour through the router
    st.session_state["finetune_link"] = st.query_params.get("run")
routed("pages/finetune.py")
_ = tr()
SHARED = "c:"  # the picker's prefix for a classroom run (read-only)
DEMOS = {"demo:digits": "finetune.page.demo_digits", "demo:faces": "finetune.page.demo_faces"}
LR_CHOICES = (None, 1e-2, 3e-3, 1e-3, 3e-4, 1e-4, 3e-5, 1e-5)
SIZE_CHOICES = (None, 32, 64, 96, 128, 160, 192, 224, 256, 299)
POLL_S = 1.5
BATCH_CHOICES = (8, 16, 32, 64, 128, 256)
HIDDEN_CHOICES = (0, 128, 256, 512, 1024)
WD_CHOICES = (0.0, 0.01, 0.05, 0.1)


@st.cache_resource(show_spinner=False)
def job_manager(root: str) -> jobs.JobManager:
    """One scheduler per server process and data directory, shared by every session and every workspace (so
    the queue can be fair between them)."""
    return jobs.JobManager(Path(root))


@st.cache_data(show_spinner=False, max_entries=16)
def stage_names(model: str) -> list[str]:
    from core.zoo import build_model, model_stages
    built = build_model(model, pretrained=False)
    return [s.name for s in model_stages(built.model, input_size=64)]


@st.cache_data(show_spinner=False, max_entries=4, ttl=600)
def thumbnails(root: str, data_ref: str, indices: tuple) -> list:
    """Pictures of a workspace's dataset (keyed by workspace: the same id elsewhere is another store)."""
    ds = open_dataset(data_ref, root=Path(root), folders=[])
    return [ds.images[i] for i in indices]


def _strategy(name) -> str:
    return _(f"finetune.strategy.{name}") if name in STRATEGIES else str(name)


def _label(name: str) -> str:
    """The catalog's name, or a longer label in the page's language where core/i18n/zoo.py has one."""
    key = f"zoo.label.{name}"
    return _(key) if key in all_strings() else CATALOG[name].label if name in CATALOG else name


@st.cache_data(show_spinner=False, max_entries=16)
def run_code(root: str, run_id: str, language: str) -> str:
    """The run's standalone script (a finished run's files do not change)."""
    from core.finetune.codegen import run_script
    return run_script(jobs.run_path(run_id, Path(root)), language)


def rates_explained() -> None:
    """Each strategy's default base rate, what its pretrained stages and its new layer learn at, and whether the
    default sits within the lecture's advice (read from STRATEGIES and DEFAULTS)."""
    scale, decay = DEFAULTS["head_lr_scale"], DEFAULTS["layer_decay"]
    st.markdown(_("finetune.page.lr_explain", lr_label=_("finetune.page.lr"), decay=decimal(decay, lang()),
                  scale=times(scale, lang(), 0)))
    rows = []
    for name, s in STRATEGIES.items():
        stages = ("frozen" if s.trains == "head" else "partial" if s.unfreezes_stages else
                  "decay" if s.layer_decay else "random")
        new = s.default_lr * (scale if s.head_lr_scale else 1.0)
        rows.append({_("finetune.page.lr_col.strategy"): _strategy(name),
                     _("finetune.page.lr_col.base"): rate(s.default_lr, lang()),
                     _("finetune.page.lr_col.stages"): _(f"finetune.page.lr_stages.{stages}",
                                                        decay=decimal(decay, lang())),
                     _("finetune.page.lr_col.new"): _("finetune.page.lr_new", rate=rate(new, lang()),
                                                     scale=times(scale if s.head_lr_scale else 1, lang(), 0)),
                     _("finetune.page.lr_col.lecture"): _(f"finetune.page.lr_why.{name}")})
    st.table(rows)  # a static table: every word of the long strategy names stays visible


def pitfalls() -> None:
    """The lecture's pitfalls table, each mitigation tied to the setting that applies it here."""
    st.markdown(_("finetune.page.pitfalls_why"))
    st.markdown(_("finetune.page.pitfalls_table", lr=_("finetune.page.lr"), dropout=_("finetune.page.head_dropout"),
                  more=_("finetune.page.more"), wd=_("finetune.page.weight_decay"),
                  augment=_("finetune.page.augment"), patience=_("finetune.page.patience"),
                  probe=_strategy("linear_probe"), partial=_strategy("partial"), full=_strategy("full"),
                  scratch=_strategy("scratch")))


def _state(s: str) -> str:
    return _(f"finetune.page.state.{s}")


def _when(t) -> str:
    return time.strftime("%d/%m %H:%M", time.localtime(t)) if t else "-"


manager = job_manager(str(data_dir()))
ws = workspace()
device = cached_device_info()
on_cpu = device["kind"] != "cuda"

st.title(_("page.finetune"))
st.markdown(_("finetune.page.intro"))
st.caption(_("finetune.page.shared_note") if workspace_mode() == "single" else _("workspaces.runs_private"))

runs = jobs.list_runs(ws.root)
# running runs first: the one a returning user most likely wants to see
active = sorted((r for r in runs if r["state"] in jobs.ACTIVE), key=lambda r: r["state"] != jobs.RUNNING)

# ------------------------------------------------------------------------------------------- new run
with st.expander(_("finetune.page.new_run"), expanded=not active):
    with user_errors():
        # a demo stored as demo:<name> is already offered as that entry; stored with a test split it is another one
        demo_names = set(DEMO_NAMES.values())
        stored = {d.id: _("finetune.page.dataset_option", name=shown_name(d.name, lang()), images=d.num_images,
                          classes=len(d.classes)) + (f" · {_('finetune.page.with_test', share=d.test_fraction)}"
                                                     if d.test_fraction else "")
                  for d in list_datasets(ws.root) if not (d.name in demo_names and not d.test_fraction)}
        options = {**stored, **{k: _(v) for k, v in DEMOS.items()}}
        c1, c2 = st.columns(2)
        data_ref = c1.selectbox(_("finetune.page.data"), list(options), format_func=options.get,
                                help=_("finetune.page.data_help"), key="finetune_data")
        names = list(CATALOG)
        model = c2.selectbox(_("finetune.page.model"), names, index=names.index(DEFAULT_MODEL),
                             format_func=_label, key="finetune_model")
        strategy = st.radio(_("finetune.page.strategy"), list(STRATEGIES), horizontal=True, key="finetune_strategy",
                            format_func=lambda s: _(f"finetune.strategy.{s}"))
        chosen = STRATEGIES[strategy]
        st.info(_(f"finetune.page.explain.{strategy}"))
        with st.expander(_("finetune.page.lr_title")):
            rates_explained()
        with st.expander(_("finetune.page.pitfalls_title")):
            pitfalls()
        label = CATALOG[model].label  # stored with the run: the catalog's language-free name
        if not chosen.pretrained:
            st.caption(_("finetune.page.scratch_weights", model=_label(model)))
        else:
            source = weights_available_offline(model)
            weights_notice(WeightsInfo(source or "random", "ImageNet" if source else "", source is not None),
                           _label(model))

        unfreeze = DEFAULTS["unfreeze"]
        if chosen.unfreezes_stages:
            stages = stage_names(model)
            trainable = stages[:-1]  # the head always trains
            unfreeze = st.slider(_("finetune.page.unfreeze"), 1, max(1, len(trainable)),
                                 min(DEFAULTS["unfreeze"], len(trainable)), key="finetune_unfreeze")
            st.caption(_("finetune.page.unfreeze_help",
                         stages=", ".join(stage_label(n, lang()) for n in trainable[-unfreeze:] + [stages[-1]])))

        c1, c2, c3, c4 = st.columns(4)
        epochs = c1.slider(_("finetune.page.epochs"), 1, 30, DEFAULTS["epochs"], key="finetune_epochs")
        lr = c2.selectbox(_("finetune.page.lr"), LR_CHOICES, key="finetune_lr",
                          format_func=lambda v: _("finetune.page.lr_auto", lr=rate(chosen.default_lr, lang()))
                          if v is None else rate(v, lang()))
        batch_size = c3.selectbox(_("finetune.page.batch_size"), BATCH_CHOICES,
                                  index=BATCH_CHOICES.index(DEFAULTS["batch_size"]), key="finetune_batch")
        image_size = c4.selectbox(_("finetune.page.image_size"), SIZE_CHOICES, key="finetune_size",
                                  format_func=lambda v: _("finetune.page.size_auto") if v is None else str(v))
        if on_cpu and image_size is None:
            native = get_entry(model).input_size
            st.caption(_("finetune.page.size_cpu_note", size=default_image_size(model, "cpu"), native=native))

        c1, c2, c3, c4 = st.columns(4)
        augment = c1.selectbox(_("finetune.page.augment"), AUGMENTS, index=AUGMENTS.index(DEFAULTS["augment"]),
                               format_func=lambda a: _(f"finetune.page.augment.{a}"), key="finetune_augment",
                               help=_("finetune.page.augment_help"))
        smoothing = c2.slider(_("finetune.page.label_smoothing"), 0.0, 0.3, DEFAULTS["label_smoothing"], 0.05,
                              key="finetune_smoothing")
        head_hidden = c3.selectbox(_("finetune.page.head_hidden"), HIDDEN_CHOICES,
                                   index=HIDDEN_CHOICES.index(DEFAULTS["head_hidden"]), key="finetune_head_hidden")
        head_dropout = c4.slider(_("finetune.page.head_dropout"), 0.0, 0.8, DEFAULTS["head_dropout"], 0.1,
                                 key="finetune_dropout")

        with st.expander(_("finetune.page.more")):
            c1, c2, c3, c4 = st.columns(4)
            seed = c1.number_input(_("finetune.page.seed"), 0, 2**31 - 1, DEFAULTS["seed"], key="finetune_seed")
            weight_decay = c2.selectbox(_("finetune.page.weight_decay"), WD_CHOICES,
                                        index=WD_CHOICES.index(DEFAULTS["weight_decay"]), key="finetune_wd")
            patience = c3.slider(_("finetune.page.patience"), 1, 10, DEFAULTS["patience"], key="finetune_patience")
            layer_decay = c4.slider(_("finetune.page.layer_decay"), 0.5, 1.0, DEFAULTS["layer_decay"], 0.05,
                                    key="finetune_ld", disabled=not chosen.layer_decay)

        cfg = FinetuneConfig(data=data_ref, model=model, strategy=strategy, epochs=int(epochs),
                             image_size=image_size, unfreeze=int(unfreeze), lr=lr, layer_decay=float(layer_decay),
                             batch_size=int(batch_size), weight_decay=float(weight_decay),
                             label_smoothing=float(smoothing), augment=augment, patience=int(patience),
                             head_hidden=int(head_hidden), head_dropout=float(head_dropout), seed=int(seed))

        c1, c2 = st.columns([1, 3])
        if c1.button(_("finetune.page.estimate"), key="finetune_estimate"):
            with st.spinner(_("finetune.page.estimating", device=device["kind"])):
                st.session_state["finetune_est"] = (cfg, estimate_epoch_seconds(cfg))
        est = st.session_state.get("finetune_est")
        if est and est[0] == cfg:
            e = est[1]
            c2.markdown(_("finetune.page.estimate_result", first=jobs.human_seconds(e["first_epoch_seconds"]),
                          later=jobs.human_seconds(e["later_epoch_seconds"]),
                          total=jobs.human_seconds(e["total_seconds"]), device=e.get("device", device["kind"]),
                          images=e.get("train_images", "?"), epochs=cfg.epochs, batches=3))
        if st.button(_("finetune.page.start"), type="primary", key="finetune_start"):
            rid = manager.start(cfg, label=label, root=ws.root)
            st.session_state["finetune_run"] = rid
            st.query_params["run"] = rid
            st.toast(_("finetune.page.started", run=rid))
            runs = jobs.list_runs(ws.root)

# ---------------------------------------------------------------------------------------------- runs
def _message(r: dict) -> str:
    """Why the run is in its state, in the page's language (runs from before notices: their English)."""
    notice = jobs.status_notice(r)
    return notice.text(lang()) if notice is not None else ""


def _status_line(r: dict) -> None:
    if r["state"] == jobs.QUEUED:
        st.markdown(_("finetune.page.queued_status", run=r["id"], state=_state(r["state"]), since=_when(r.get("queued"))))
        return
    st.markdown(_("finetune.page.status_line", run=r["id"], state=_state(r["state"]), device=r.get("device") or "-",
                  started=_when(r.get("started")),
                  elapsed=jobs.human_seconds(r["elapsed_s"]) if r.get("elapsed_s") is not None else "-"))
    if int(r.get("processes") or 1) > 1:  # trained by several processes (torchrun); recorded by its rank 0
        st.caption(_("finetune.page.processes", n=int(r["processes"])))


def _progress_text(r: dict) -> str:
    p = r.get("progress") or {}
    phase = p.get("phase")
    if phase in ("features", "train", "val") and p.get("steps"):
        text = _(f"finetune.phase.{phase}") + ": " + _("finetune.page.where", epoch=p.get("epoch", 0),
                                                        epochs=p.get("epochs", 0), step=p.get("step", 0),
                                                        steps=p["steps"])
        if phase == "train" and isinstance(p.get("loss"), (int, float)):
            text += " · " + _("finetune.page.loss_now", loss=decimal(p["loss"], lang(), 3))
    elif phase == "epoch":
        text = _("finetune.page.epoch_done", epoch=p.get("epoch"), epochs=p.get("epochs"),
                 acc=percent(p.get("val_acc", 0), lang()))
    elif phase in ("data", "results"):
        text = _(f"finetune.phase.{phase}")
    else:
        text = _("finetune.page.preparing")
    text = text[:1].upper() + text[1:]
    if r.get("eta_s") is not None:
        text = _("finetune.page.eta", text=text, eta=jobs.human_seconds(r["eta_s"]))
    return text


def _notices(r: dict) -> None:
    """Notices from the run (batch halved after out-of-memory, early stop, resumed ...), translated."""
    for notice in jobs.progress_notices(r.get("progress")):
        st.caption("ℹ️ " + notice.text(lang()))


def _curves(rid: str, root: Path, best_epoch=None) -> None:
    rows = jobs.metrics(rid, root)
    if rows:
        st.plotly_chart(plots.curves_figure(rows, lang=lang(), best_epoch=best_epoch), width="stretch",
                        key=f"curves-{rid}")
    else:
        st.caption(_("finetune.page.waiting_curves"))


def live(r: dict, running: int) -> None:
    """A queued or running run, read from its folder only; ``running``: how many runs are training now."""
    rid = r["id"]
    _status_line(r)
    if r["state"] == jobs.QUEUED:
        pos = r.get("queue_position") or 1
        st.info(_("finetune.page.queued_line", pos=pos, ahead=pos - 1 + running))
        if (r.get("notice") or {}).get("key") in ("jobs.status.resuming", "jobs.status.resume_fresh"):
            st.caption(_message(r))
    else:
        st.progress(r["fraction"], text=_progress_text(r))
        beat = r.get("heartbeat")
        if beat and time.time() - beat > 6 * jobs.HEARTBEAT_S:
            st.warning(_("finetune.page.no_heartbeat", seconds=int(time.time() - beat)))
        _notices(r)
    if r.get("cancel_requested"):
        st.caption(_("finetune.page.cancel_sent"))
    elif st.button(_("finetune.page.cancel"), key=f"cancel-{rid}"):
        with user_errors():
            jobs.cancel(rid, workspace().root)
            st.caption(_("finetune.page.cancel_sent"))
    _curves(rid, workspace().root)


def results_view(run: dict) -> None:
    """A run that ended; ``run["root"]``: its workspace (the classroom's for a shared run: read-only)."""
    rid, root, mine = run["id"], run["root"], not run.get("shared")
    summ = jobs.summary(rid, root) or {}
    res = jobs.results(rid, root) or {}
    _status_line(run)
    if not mine:
        st.caption(f"🏫 {_('workspaces.classroom_run')}")
    if run["state"] != jobs.DONE:
        st.warning(_("finetune.page.failed_line", state=_state(run["state"]), message=_message(run) or "-"))
    if mine and run["state"] in jobs.RESUMABLE and st.button(_("finetune.page.resume"), key=f"resume-{rid}"):
        with user_errors():
            jobs.resume(rid, root, manager=manager)
            st.rerun()
    if mine:
        with st.popover(_("workspaces.delete_run"), icon="🗑️"):
            if st.button(_("workspaces.delete_run_confirm", run=rid), key=f"delete-{rid}", type="primary"):
                with user_errors():
                    jobs.delete_run(rid, root)
                    st.session_state.pop("finetune_run", None)
                    st.query_params.pop("run", None)
                    st.toast(_("workspaces.run_deleted", run=rid))
                    st.rerun(scope="app")
    _notices(run)
    _curves(rid, root, summ.get("best_epoch"))
    if run["state"] != jobs.DONE:
        return
    st.subheader(_("finetune.page.results"))
    c1, c2, c3, c4, c5 = [*st.columns(2), *st.columns(3)]  # the accuracies get room for their labels
    if isinstance(summ.get("best_val_acc"), (int, float)):
        c1.metric(_("finetune.page.best"), percent(summ["best_val_acc"], lang()), help=_("finetune.page.best_help"))
    if isinstance(summ.get("test_acc"), (int, float)):
        c2.metric(_("finetune.page.test_acc"), percent(summ["test_acc"], lang()), help=_("finetune.page.test_acc_help"))
    else:
        c2.metric(_("finetune.page.test_acc"), "-", help=_("finetune.page.no_test_split"))
    c3.metric(_("finetune.page.best_epoch"), summ.get("best_epoch", "-"))
    c4.metric(_("finetune.page.epochs_run"), summ.get("epochs_run", "-"),
              _("finetune.page.stopped_early") if summ.get("stopped_early") else None, delta_color="off")
    if isinstance(summ.get("train_seconds"), (int, float)):
        c5.metric(_("finetune.page.train_time"), jobs.human_seconds(summ["train_seconds"]))
    if not isinstance(summ.get("test_acc"), (int, float)):
        st.caption(_("finetune.page.no_test_split"))
    if jobs.export_files(rid, root):
        # made when clicked (a deferred callable): no page holds a zip of the model in memory just to offer it
        st.download_button(_("finetune.page.download"), data=lambda: jobs.export_zip(rid, root),
                           file_name=f"{run.get('model')}-{rid}.zip", mime="application/zip",
                           help=_("finetune.page.download_help"), key=f"dl-{rid}", icon="📦")
    if not res:
        return
    c1, c2 = st.columns(2)
    dataset = (jobs.config(rid, root).get("resolved") or {}).get("dataset", {}).get("name", "")
    shown = {c: shown_class(dataset, c, lang()) for c in res["classes"]}  # our demo sets' labels in the page's language
    res = {**res, "per_class": [{**r, "class": shown.get(r["class"], r["class"])} for r in res["per_class"]]}
    c1.plotly_chart(plots.confusion_figure(res["confusion_matrix"], [shown[c] for c in res["classes"]], lang=lang()),
                    width="stretch", key=f"cm-{rid}")
    c2.plotly_chart(plots.per_class_figure(res["per_class"], lang=lang()), width="stretch",
                    key=f"pc-{rid}")
    st.markdown(f"**{_('finetune.page.wrong')}**")
    wrong = (res.get("confident_mistakes") or [])[:12]
    if not wrong:
        st.caption(_("finetune.page.no_wrong"))
    else:
        try:
            pics = thumbnails(str(root), run["data"], tuple(int(w["index"]) for w in wrong))
        except UserError as exc:  # the dataset was deleted since: the rest of the results still shows
            st.caption(exc.text(lang()))
            pics = []
        cols = st.columns(6)
        for i, (w, pic) in enumerate(zip(wrong, pics)):
            cols[i % 6].image(pic, width="stretch", caption=_(
                "finetune.page.wrong_caption", true=shown.get(w["true"], w["true"]),
                pred=shown.get(w["predicted"], w["predicted"]), prob=percent(w["prob"], lang(), 0)))
    st.markdown(f"**{_('finetune.page.params')}**")
    tp, total = summ.get("trainable_params"), summ.get("total_params")
    if isinstance(tp, int) and isinstance(total, int) and total:
        st.markdown(_("finetune.page.params_line", trainable=integer(tp, lang()), total=integer(total, lang()),
                      share=percent(tp / total, lang()), frozen=integer(total - tp, lang())))
    if res.get("param_groups"):
        st.plotly_chart(plots.lr_groups_figure(res["param_groups"], lang=lang()), width="stretch",
                        key=f"lr-{rid}")
        st.caption(_("finetune.page.groups_caption"))
    with st.expander(_("finetune.page.code_title"), icon="🐍"):
        st.markdown(_("finetune.page.code_intro"))
        code = run_code(str(root), rid, lang())
        st.download_button(_("finetune.page.code_download"), data=code, file_name=f"finetune_{rid}.py",
                           mime="text/x-python", key=f"code-{rid}", icon="⬇️")
        st.code(code, language="python")


def _dataset_names(root: Path) -> dict[str, str]:
    return {d.id: shown_name(d.name, lang()) for d in list_datasets(root)}


def _option(r: dict, names: dict) -> str:
    return _("finetune.page.run_option", when=_when(r.get("created")), state=_state(r["state"]),
             model=r.get("label") or r.get("model"), strategy=_strategy(r.get("strategy")),
             data=names.get(r.get("data"), r.get("data")))


def _not_here(wanted: str) -> None:
    """Explain an address that names a run this visitor cannot see (bad, guessed, deleted or another's)."""
    try:  # looked up in this workspace only: another workspace's run is "not here", like one never made
        jobs.run_path(wanted.removeprefix(SHARED), workspace().root)
        msg = wanted
    except UserError as exc:  # a bad or guessed address is explained, never raised
        msg = exc.text(lang())
    st.warning(_("finetune.page.bad_run", msg=msg))


def _key(r: dict) -> str:
    return SHARED + r["id"] if r.get("shared") else r["id"]


def _pick(runs: list[dict], active: list[dict], names: dict) -> str:
    """The run to show: this session's, else the one in the address, else the newest active, else the newest."""
    by_id = {_key(r): r for r in runs}
    link = st.session_state.pop("finetune_link", None)
    wanted = st.query_params.get("run") or link
    if wanted and wanted not in by_id:
        _not_here(wanted)
    if st.session_state.get("finetune_run") not in by_id:
        st.session_state["finetune_run"] = wanted if wanted in by_id else _key(active[0] if active else runs[0])
    return st.selectbox(_("finetune.page.pick_run"), list(by_id), key="finetune_run",
                        format_func=lambda k: _option(by_id[k], names) + (
                            f" · 🏫 {_('workspaces.classroom_run')}" if by_id[k].get("shared") else ""))


def _acc(x) -> str:
    return percent(x, lang()) if isinstance(x, (int, float)) else "-"


def _all_runs_table(runs: list[dict], names: dict) -> None:
    rows = []
    for r in runs:
        summ = (jobs.summary(r["id"], r["root"]) or {}) if r["state"] == jobs.DONE else {}
        rows.append({"id": r["id"], _("finetune.page.col_state"): _state(r["state"]),
                     _("common.model"): r.get("label") or r.get("model"),
                     _("finetune.page.strategy"): _strategy(r.get("strategy")),
                     _("finetune.page.data"): names.get(r.get("data"), r.get("data")),
                     _("finetune.page.col_val_acc"): _acc(summ.get("best_val_acc")),
                     _("finetune.page.col_test_acc"): _acc(summ.get("test_acc")),
                     _("finetune.page.col_created"): _when(r.get("created"))})
    st.dataframe(rows, hide_index=True, width="stretch")


def runs_panel(polling: bool) -> None:
    """The run picker, the chosen run (live or its results) and the table of all runs, read from the run
    folders only. While any run is active it redraws itself every POLL_S seconds, so the picker's labels
    follow the runs' states; when the last active run ends, the page redraws once without polling."""
    ws = workspace()  # from session state: a fragment rerun does not run app.py
    runs = [{**r, "root": ws.root} for r in jobs.list_runs(ws.root)]
    active = sorted((r for r in runs if r["state"] in jobs.ACTIVE), key=lambda r: r["state"] != jobs.RUNNING)
    if polling and not active:
        st.rerun()
    shared = classroom()
    if shared is not None:  # the classroom's finished runs, read-only, after this workspace's own
        runs += [{**r, "root": shared.root, "shared": True} for r in jobs.list_runs(shared.root, refresh=False)
                 if r["state"] == jobs.DONE]
    if not runs:
        wanted = st.query_params.get("run") or st.session_state.pop("finetune_link", None)
        if wanted:
            _not_here(wanted)
            st.query_params.pop("run", None)
        st.info(_("finetune.page.no_runs"))
        return
    names = _dataset_names(ws.root)  # one read of the dataset list for the picker and the table
    if shared is not None:
        names = {**_dataset_names(shared.root), **names}
    run_id = _pick(runs, active, names)
    st.query_params["run"] = run_id
    run = next(r for r in runs if _key(r) == run_id)
    if run["state"] in jobs.ACTIVE:
        live(run, sum(1 for r in runs if r["state"] == jobs.RUNNING))
    else:
        with user_errors():
            results_view(run)
    with st.expander(_("finetune.page.all_runs")):
        _all_runs_table(runs, names)


st.subheader(_("finetune.page.runs"))
polling = any(r["state"] in jobs.ACTIVE for r in runs)  # runs was read again after a Start above
st.fragment(run_every=POLL_S if polling else None)(runs_panel)(polling)
