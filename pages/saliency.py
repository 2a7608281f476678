"""Try it and see why: a pretrained model or a finished run on your pictures, and Captum attribution maps of
its answer (methods side by side, before/after fine-tuning, the randomisation check, deletion curves).
Thin: widgets -> core.saliency -> core.plots.saliency figures. Results are kept per session (model, picture,
method, settings), so moving a slider redraws without recomputing. Runs are the visitor's workspace's
(``ui.workspace()``) and the classroom's, opened by their folder (which is also what keys the results)."""
import base64
import hashlib
import io
from collections import OrderedDict

import pandas as pd
import streamlit as st

from core.architectures import SAMPLE_IMAGES, sample_image
from core.i18n import all_strings
from core.i18n.numbers import decimal, percent
from core.images import IMAGE_SUFFIXES, ImageRejected
from core.inside.change import finished_runs
from core.plots import saliency as plots
from core.plots.architectures import stage_label
from core.saliency import (FAST_METHODS, METHODS, TOP_FRACTION, SaliencySettings, before_after,
                           conv_stages, deletion_curve, display, explain, forward_count, pace, predictions,
                           pretrained_subject, private_model, randomisation_check, run_subject, seen)
from core.zoo import CATALOG, DEFAULT_MODEL, weights_available_offline
from ui import classroom, lang, routed, tr, user_errors, weights_notice, workspace

routed("pages/saliency.py")
_ = tr()
L = lang()
MAX_IMAGES = 8
KEEP = 32                      # results kept per session
PENDING = "saliency_pending"   # the long job the person asked for (one at a time)
SHARED = "🏫 "                 # the run picker's mark for a classroom run


# Cancel was clicked: this rerun (which stopped the work at its next progress update) drops the job first.
CANCELLED = st.session_state.pop(PENDING, None) if st.session_state.get("saliency_cancel") else None


def method_name(m: str) -> str:
    return _(f"saliency.method.{m}")


def model_label(name: str) -> str:
    key = f"zoo.label.{name}"
    return _(key) if key in all_strings() else CATALOG[name].label if name in CATALOG else str(name)


# ----------------------------------------------------------------------------------- the session's results
def recall(job):
    kept = st.session_state.setdefault("saliency_results", OrderedDict())
    if job in kept:
        kept.move_to_end(job)
        return kept[job]
    return None


def remember(job, value):
    kept = st.session_state.setdefault("saliency_results", OrderedDict())
    kept[job] = value
    while len(kept) > KEEP:
        kept.popitem(last=False)
    return value


def computed(job, fn):
    """A quick result: from the session's results, or computed now under a spinner."""
    got = recall(job)
    if got is None:
        with st.spinner("…"):
            got = remember(job, fn())
    return got


def ask(job, label: str, key: str) -> None:
    """The button that asks for a long job (gone once pressed, while the job runs)."""
    if recall(job) is not None or st.session_state.get(PENDING) == job:
        return
    if job == CANCELLED:
        st.info(_("saliency.page.cancelled"))
    slot = st.empty()
    if slot.button(label, key=key, type="primary"):
        st.session_state[PENDING] = job
        slot.empty()


def long_work(job, what: str, fn):
    """The result of a long job once asked for: computed with a progress bar and a Cancel button. A click on
    Cancel (or any widget) reruns the page, which stops the work at its next progress update; the new run
    sees Cancel pressed and drops the job before anything else (:data:`CANCELLED`)."""
    got = recall(job)
    if got is not None or st.session_state.get(PENDING) != job:
        return got
    box = st.empty()
    with box.container():
        st.button(_("saliency.page.cancel"), key="saliency_cancel")   # its click is handled at the top
        bar = st.progress(0.0, text=_("saliency.page.working", what=what, done=0.0))
    result = fn(lambda f: bar.progress(min(1.0, float(f)), text=_("saliency.page.working", what=what, done=f)))
    st.session_state.pop(PENDING, None)
    box.empty()
    return remember(job, result)


# --------------------------------------------------------------------------------------------- pictures
def pictures_chosen(samples: list, uploads: list) -> list[tuple[str, str, object]]:
    """(key, name, PIL image) of the chosen pictures; unusable uploads are named and skipped."""
    from core.images import open_rgb
    chosen = [(f"sample:{s}", _(f"saliency.page.sample.{s}"), sample_image(s)) for s in samples]
    for up in uploads:
        data = up.getvalue()
        try:
            chosen.append((hashlib.sha1(data).hexdigest(), up.name, open_rgb(data, name=up.name, max_side=2048)))
        except ImageRejected as exc:
            st.warning(_("saliency.page.skipped", name=up.name, reason=exc.text(L)), icon="⚠️")
    if len(chosen) > MAX_IMAGES:
        st.caption(_("saliency.page.too_many", n=MAX_IMAGES))
    return chosen[:MAX_IMAGES]


def stage_names(subject) -> list[str]:
    """Where Grad-CAM can look, found on the subject's kept private copy (never hooks on the shared model)."""
    with private_model(subject) as model:
        return [s.name for s in conv_stages(model, subject.input_size)]


def thumbnail(image) -> str:
    small = image.copy()
    small.thumbnail((96, 96))
    buf = io.BytesIO()
    small.save(buf, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def picture(exp, view: str, opacity: float):
    heat = display(exp.map, signed=exp.method == "occlusion")
    return plots.overlay(exp.image, heat, opacity) if view == "overlay" else plots.heat_rgb(heat)


# ------------------------------------------------------------------------------------------------- page
st.title(_("page.saliency"))
st.markdown(_("saliency.page.intro"))
ws = workspace()
shared = classroom()
# this workspace's finished runs, then the classroom's (read-only; explaining one changes nothing)
runs = finished_runs(ws.root) + [{**r, "id": SHARED + r["id"]} for r in (finished_runs(shared.root) if shared else [])]
by_id = {r["id"]: r for r in runs}

c1, c2 = st.columns([1, 2])
source = c1.radio(_("saliency.page.source"), ["pretrained", "run"], key="saliency_source",
                  format_func=lambda k: _(f"saliency.page.source.{k}"))
names = sorted(CATALOG, key=lambda n: (not weights_available_offline(n), list(CATALOG).index(n)))
subject = None
with user_errors():
    if source == "pretrained":
        name = c2.selectbox(_("common.model"), names, index=names.index(DEFAULT_MODEL), format_func=model_label,
                            key="saliency_model")
        subject = pretrained_subject(name)
        weights_notice(subject.weights, model_label(name))
    elif not runs:
        c2.info(_("saliency.page.no_runs"))
    else:
        rid = c2.selectbox(_("saliency.page.run"), list(by_id), key="saliency_run", format_func=lambda k: _(
            "saliency.page.run_option", run=k, model=model_label(by_id[k]["model"]),
            data=by_id[k]["dataset"] or "-"))
        subject = run_subject(by_id[rid]["path"])
if subject is None:
    st.stop()

c1, c2 = st.columns([1, 2])
samples = c1.multiselect(_("saliency.page.samples"), list(SAMPLE_IMAGES), default=["chelsea"], key="saliency_samples",
                         format_func=lambda s: _(f"saliency.page.sample.{s}"))
uploads = c2.file_uploader(_("saliency.page.upload"), type=sorted(s.lstrip(".") for s in IMAGE_SUFFIXES),
                           accept_multiple_files=True, key="saliency_upload") or []
chosen = pictures_chosen(samples, uploads)
if not chosen:
    st.info(_("saliency.page.no_images"))
    st.stop()

st.subheader(_("saliency.page.predictions"))
with user_errors():
    tops = computed(("predict", subject.key, tuple(k for k, _n, _i in chosen)),
                    lambda: predictions(subject, [im for _k, _n, im in chosen], top=5))
which = 0
if len(chosen) > 1:
    table = pd.DataFrame({
        _("saliency.page.col.image"): [thumbnail(im) for _k, _n, im in chosen],
        _("saliency.page.col.name"): [n for _k, n, _i in chosen],
        _("saliency.page.col.label"): [top[0]["label"] for top in tops],
        _("saliency.page.col.prob"): [percent(top[0]["prob"], L, 1) for top in tops],
        _("saliency.page.col.second"): [f"{top[1]['label']} ({percent(top[1]['prob'], L, 1)})" if len(top) > 1 else "-"
                                        for top in tops]})
    st.caption(_("saliency.page.table_hint"))
    event = st.dataframe(table, hide_index=True, on_select="rerun", selection_mode="single-row", key="saliency_table",
                         column_config={_("saliency.page.col.image"): st.column_config.ImageColumn(width="small")})
    rows = list(getattr(getattr(event, "selection", None), "rows", []) or [])
    which = rows[0] if rows else 0
key, name, image = chosen[which]
top = tops[which]

c0, c1, c2 = st.columns([1, 1, 2])
c0.image(seen(subject, image)[0], caption=_("saliency.page.seen", size=subject.input_size), width="stretch")
options = [x["index"] for x in top]
target = c1.selectbox(_("saliency.page.target"), options, key=f"saliency_target_{subject.key}_{key}",
                      format_func=lambda i: _("saliency.page.target_option", label=subject.label(i),
                                              prob=next(x["prob"] for x in top if x["index"] == i)))
c1.markdown(_("saliency.page.answer", label=top[0]["label"], prob=top[0]["prob"]))
c2.plotly_chart(plots.probability_bars(top, L, highlight=target), width="stretch", key="saliency_bars")

with st.expander(_("saliency.page.settings")):
    s1, s2, s3 = st.columns(3)
    steps = s1.select_slider(_("saliency.page.steps"), [8, 16, 32, 64, 128, 256], value=32, key="saliency_steps")
    base = s1.radio(_("saliency.page.baseline"), ["black", "blur", "noise"], key="saliency_baseline",
                    format_func=lambda b: _(f"saliency.baseline.{b}"))
    samples_n = s2.select_slider(_("saliency.page.samples_n"), [4, 8, 16, 32, 64], value=16, key="saliency_nsamples")
    noise = s2.select_slider(_("saliency.page.noise"), [0.05, 0.1, 0.15, 0.2, 0.3, 0.5], value=0.15,
                             key="saliency_noise", format_func=lambda v: percent(v, L, 0))
    stages = computed(("stages", subject.key), lambda: stage_names(subject))
    stage = s3.selectbox(_("saliency.page.stage"), stages or ["-"], index=max(0, len(stages) - 1),
                         key=f"saliency_stage_{subject.architecture}", format_func=lambda s: stage_label(s, L))
    window = s3.select_slider(_("saliency.page.window"), [8, 16, 24, 32, 48, 64], value=32, key="saliency_window")
    stride = s3.select_slider(_("saliency.page.stride"), [4, 8, 16, 32], value=16, key="saliency_stride")
shared = dict(target=int(target), steps=int(steps), baseline=base, samples=int(samples_n), noise=float(noise),
              stage=stage if stages else None, window=int(window), stride=min(int(stride), int(window)))


def settings_for(method: str, **override) -> SaliencySettings:
    return SaliencySettings(method=method, **{**shared, **override})


def job_of(kind: str, s: SaliencySettings, *extra) -> tuple:
    return (kind, subject.key, key, tuple(sorted(s.relevant().items())), *extra)


def explanation(s: SaliencySettings):
    """A method's map: quick ones at once, occlusion on request (with progress and Cancel)."""
    job = job_of("explain", s)
    if s.method in FAST_METHODS:
        return computed(job, lambda: explain(subject, image, s))
    n = forward_count(s, subject.input_size)
    per_image = computed(("pace", subject.key), lambda: pace(subject, s.batch))
    st.caption(_("saliency.page.slow_method", method=method_name(s.method), n=n, seconds=n * per_image))
    ask(job, _("saliency.page.compute", method=method_name(s.method)), key=f"saliency_ask_{s.method}")
    return long_work(job, method_name(s.method), lambda cb: explain(subject, image, s, on_progress=cb))


usable = [m for m in METHODS if m != "gradcam" or stages]
tab_m, tab_c, tab_s, tab_f = st.tabs([_("saliency.page.tab.methods"), _("saliency.page.tab.compare"),
                                      _("saliency.page.tab.sanity"), _("saliency.page.tab.faithful")])

# ------------------------------------------------------------------------------------ methods side by side
with tab_m:
    c1, c2, c3 = st.columns([3, 1, 1])
    methods = c1.multiselect(_("saliency.page.methods"), usable, default=[m for m in ("saliency", "ig", "gradcam")
                                                                          if m in usable],
                             format_func=method_name, key="saliency_methods")
    view = c2.radio(_("saliency.page.view"), ["overlay", "heatmap"], key="saliency_view",
                    format_func=lambda v: _(f"saliency.page.view.{v}"))
    opacity = c3.slider(_("saliency.page.opacity"), 0.0, 1.0, 0.6, 0.05, key="saliency_opacity")
    if not stages:
        st.info(_("saliency.page.vit_gradcam", model=model_label(subject.architecture)))
    if not methods:
        st.info(_("saliency.page.pick_methods"))
    with user_errors():
        done = [(m, explanation(settings_for(m))) for m in methods]
        done = [(m, e) for m, e in done if e is not None]
        first = done[0][1].image if done else None
        if done:
            panels = [(_("saliency.page.seen", size=subject.input_size), first)]
            panels += [(_("saliency.page.panel", method=method_name(m), seconds=e.seconds), picture(e, view, opacity))
                       for m, e in done]
            st.plotly_chart(plots.pictures(panels, height=280, cols=min(4, len(panels))), width="stretch",
                            key="saliency_maps")
            for m, e in done:
                if e.convergence_delta is not None:
                    st.caption(_("saliency.page.delta", delta=e.convergence_delta, steps=e.settings["steps"]))
            cam = next((e for m, e in done if m == "gradcam"), None)
            st.caption(_("saliency.page.channels_note", cells=stage_label(cam.stage, L) if cam else "-"))
    with st.expander(_("saliency.page.what_methods")):
        st.markdown(_("saliency.page.what_methods_body"))

# ---------------------------------------------------------------------------------- before and after
with tab_c:
    st.markdown(_("saliency.page.compare_intro"))
    run = subject if subject.kind == "run" else None
    if run is None and not runs:
        st.info(_("saliency.page.no_runs"))
    with user_errors():
        if run is None and runs:
            rid = st.selectbox(_("saliency.page.compare_pick_run"), list(by_id), key="saliency_compare_run",
                               format_func=lambda k: _("saliency.page.run_option", run=k,
                                                       model=model_label(by_id[k]["model"]),
                                                       data=by_id[k]["dataset"] or "-"))
            run = run_subject(by_id[rid]["path"])
        if run is not None:
            method = st.selectbox(_("saliency.page.method"), [m for m in usable if m != "occlusion"],
                                  format_func=method_name, key="saliency_compare_method")
            s = settings_for(method, target=None)
            res = computed(("compare", run.key, key, tuple(sorted(s.relevant().items()))),
                           lambda: before_after(run, image, s))
            b, a = res["before"], res["after"]
            opacity_c = st.slider(_("saliency.page.opacity"), 0.0, 1.0, 0.6, 0.05, key="saliency_opacity_compare")
            panels = [(_("saliency.page.seen", size=run.input_size), a.image),
                      (_("saliency.page.before", model=model_label(run.architecture), label=b.target_label.split(",")[0],
                         prob=b.score), picture(b, "overlay", opacity_c)),
                      (_("saliency.page.after", run=run.run_id or "-", label=a.target_label, prob=a.score),
                       picture(a, "overlay", opacity_c))]
            st.plotly_chart(plots.pictures(panels, height=300), width="stretch", key="saliency_compare_fig")
            m1, m2 = st.columns(2)
            m1.metric(_("saliency.page.spearman"), decimal(res["spearman"], L, 2),
                      help=_("saliency.page.spearman_help"))
            m2.metric(_("saliency.page.overlap", share=TOP_FRACTION), percent(res["top_overlap"], L, 0),
                      help=_("saliency.page.overlap_help"))
            st.caption(_("saliency.page.compare_read"))

# ---------------------------------------------------------------------------------------- sanity check
with tab_s:
    st.markdown(_("saliency.page.sanity_intro"))
    chosen_m = st.multiselect(_("saliency.page.methods"), usable, default=[m for m in ("saliency", "gradcam") if m in usable],
                              format_func=method_name, key="saliency_sanity_methods")
    sets = [settings_for(m) for m in chosen_m]
    job = ("sanity", subject.key, key, tuple(tuple(sorted(s.relevant().items())) for s in sets))
    if sets:
        ask(job, _("saliency.page.run_check"), key="saliency_ask_sanity")

    def check_all(cb):
        out = {}
        for i, s in enumerate(sets):
            out[s.method] = randomisation_check(subject, image, s, on_progress=lambda f, i=i: cb((i + f) / len(sets)))
        return out

    with user_errors():
        checked = long_work(job, _("saliency.page.tab.sanity"), check_all)
        if checked:
            named = {method_name(m): r for m, r in checked.items()}
            st.plotly_chart(plots.randomisation_curve(named, L, lambda s: stage_label(s, L)), width="stretch",
                            key="saliency_sanity_curve")
            for m, r in checked.items():
                line = _("saliency.page.flagged" if r["flagged"] else "saliency.page.passed", method=method_name(m),
                         rho=r["final_spearman"])
                (st.warning if r["flagged"] else st.success)(line)
                st.plotly_chart(plots.randomisation(r, r["original"].image, L, 0.6, lambda s: stage_label(s, L)),
                                width="stretch", key=f"saliency_sanity_{m}")

# ------------------------------------------------------------------------------------------ faithfulness
with tab_f:
    st.markdown(_("saliency.page.faithful_intro"))
    chosen_f = st.multiselect(_("saliency.page.methods"), usable,
                              default=[m for m in ("saliency", "ig", "gradcam") if m in usable],
                              format_func=method_name, key="saliency_deletion_methods")
    sets = [settings_for(m) for m in chosen_f]
    job = ("deletion", subject.key, key, tuple(tuple(sorted(s.relevant().items())) for s in sets))
    if sets:
        ask(job, _("saliency.page.run_deletion"), key="saliency_ask_deletion")

    def delete_all(cb):
        out = {}
        for i, s in enumerate(sets):
            e = explain(subject, image, s, on_progress=lambda f, i=i: cb((i + f / 2) / len(sets)))
            out[s.method] = deletion_curve(subject, image, e.map, e.target,
                                           on_progress=lambda f, i=i: cb((i + 0.5 + f / 2) / len(sets)))
        return out

    with user_errors():
        curves = long_work(job, _("saliency.page.tab.faithful"), delete_all)
        if curves:
            st.plotly_chart(plots.deletion({method_name(m): c for m, c in curves.items()}, L), width="stretch",
                            key="saliency_deletion_fig")
            st.dataframe(pd.DataFrame({
                _("saliency.page.col.method"): [method_name(m) for m in curves],
                _("saliency.page.col.area"): [c["area"] for c in curves.values()],
                _("saliency.page.col.reverse"): [c["reverse_area"] for c in curves.values()],
                _("saliency.page.col.gap"): [c["gap"] for c in curves.values()]}), hide_index=True)
