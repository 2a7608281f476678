"""Inside the network: learned filters, feature maps, which stages a run changed, which stages transfer,
and what fine-tuning made the network forget. Thin: widgets -> one core.inside call -> a core.plots figure.

Runs and datasets are the visitor's workspace's (``ui.workspace()``): runs are passed to core by their folder,
which also keys every cache, so no cache entry is shared between workspaces."""
import hashlib

import pandas as pd
import streamlit as st

from core.architectures import SAMPLE_IMAGES, sample_image
from core.data import DEMOS as DEMO_NAMES
from core.data import list_datasets, open_dataset
from core.i18n import all_strings
from core.i18n.numbers import decimal, integer, percent
from core.inside import change, featuremaps, filters, forgetting, probe
from core.notices import Notice
from core.plots import inside as plots
from core.plots.architectures import stage_label
from core.zoo import CATALOG, DEFAULT_MODEL, weights_available_offline
from ui import cached_model, classroom, lang, routed, tr, user_errors, weights_notice, workspace

routed("pages/inside.py")
_ = tr()
ws = workspace()
L = lang()
DEMOS = {"demo:digits": "finetune.page.demo_digits", "demo:faces": "finetune.page.demo_faces"}
PROBE_SIZES = (64, 96, 128, 160, 224)
SHARED = "🏫 "  # the run pickers' mark for a classroom run
SHORT = {"linear_probe": "inside.page.short.linear_probe", "partial": "inside.page.short.partial",
         "full": "inside.page.short.full", "scratch": "inside.page.short.scratch"}  # legend names of strategies


def label(name: str) -> str:
    key = f"zoo.label.{name}"
    return _(key) if key in all_strings() else CATALOG[name].label if name in CATALOG else str(name)


def note(record) -> str:
    n = Notice.restore(record)
    return n.text(L) if n is not None else ""


def run_label(r: dict) -> str:
    strat = _(f"finetune.strategy.{r['strategy']}") if f"finetune.strategy.{r['strategy']}" in all_strings() else r["strategy"]
    return _("inside.page.run_option", run=r["id"], model=label(r["model"]), strategy=strat,
             data=r["dataset"] or "-", size=r["image_size"] or "-")


def open_upload(up):
    from core.images import open_rgb
    return open_rgb(up.getvalue(), name=up.name, max_side=1024)


@st.cache_data(show_spinner=False, max_entries=8, ttl=600)
def run_filters(run_dir: str, accept: bool):  # the run's folder: its workspace is part of the key
    return filters.run_filters(run_dir, accept_unverified=accept)


@st.cache_data(show_spinner=False, max_entries=16, ttl=600)
def stage_names(name: str, size: int) -> list[str]:
    return [s.name for s in featuremaps.spatial_stages(cached_model(name).model, size)]


@st.cache_data(show_spinner=False, max_entries=16)
def maps(name: str, size: int, stage: str, channel, image_key: str, _image) -> dict:
    return featuremaps.feature_maps(cached_model(name), _image, size, stage, channel=channel)


@st.cache_data(show_spinner=False, max_entries=16, ttl=600)
def run_change(run_dir: str, accept: bool, cka: bool, mode: str) -> dict:
    return change.run_change(run_dir, accept_unverified=accept, cka=cka, mode=mode)


@st.cache_data(show_spinner=False, max_entries=8, ttl=600)
def forgotten(run_dir: str, accept: bool, photos_key: str, _extra) -> dict:
    return forgetting.forgetting(run_dir, _extra, accept_unverified=accept)


def accept_box(r: dict, where: str) -> bool:
    """A run without a recorded start: say so, and compare only if the person accepts the reference."""
    if r["recorded"]:
        return False
    st.warning(note({"key": f"inside.ref.unrecorded.{'pretrained' if r['pretrained_start'] else 'init'}",
                     "params": {"run": r["id"], "seed": r["seed"]}}))
    return st.checkbox(_("inside.page.accept", run=r["id"]), key=f"inside_accept_{where}_{r['id']}")


def top3(top: list[dict]) -> str:
    return " · ".join(f"{x['label'].split(',')[0]} {percent(x['prob'], L, 0)}" for x in top[:3])


def filter_panels(items, normalise: str, order=None, changes=None) -> list:
    return [(title, filters.filter_grid(w, normalise, order=order, limit=filters.MAX_SHOWN),
             filters.filter_stats(w), changes) for title, w in items]


st.title(_("page.inside"))
st.markdown(_("inside.page.intro"))
shared = classroom()
# this workspace's finished runs, then the classroom's (read-only: the views only read a run's folder)
runs = change.finished_runs(ws.root) + [{**r, "id": SHARED + r["id"]} for r in
                                        (change.finished_runs(shared.root) if shared else [])]
by_id = {r["id"]: r for r in runs}
tab_f, tab_m, tab_c, tab_p, tab_g = st.tabs([_("inside.page.tab.filters"), _("inside.page.tab.maps"),
                                             _("inside.page.tab.change"), _("inside.page.tab.probe"),
                                             _("inside.page.tab.forgetting")])

# ---------------------------------------------------------------------------------------- learned filters
with tab_f:
    st.markdown(_("inside.page.filters_intro"))
    names = list(CATALOG)
    offline = [n for n in names if weights_available_offline(n)]
    default = "alexnet" if "alexnet" in offline else DEFAULT_MODEL
    c1, c2 = st.columns([2, 2])
    model = c1.selectbox(_("common.model"), names, index=names.index(default), format_func=label,
                         key="inside_filters_model")
    normalise = c2.radio(_("inside.page.normalise"), filters.NORMALISE, horizontal=True,
                         format_func=lambda k: _(f"inside.page.normalise.{k}"), key="inside_normalise",
                         help=_("inside.page.normalise_help"))
    with user_errors(), st.spinner("…"):
        pre, rnd = filters.model_first_conv(model, True), filters.model_first_conv(model, False)
        shape = "×".join(map(str, pre.weight.shape))
        st.markdown(_("inside.page.filters_layer", model=label(model), layer=pre.layer, shape=shape,
                      count=pre.weight.shape[0]))
        if pre.weights.pretrained:
            weights_notice(pre.weights, label(model))
            items = [(_("inside.page.pretrained"), pre.weight), (_("inside.page.random"), rnd.weight)]
        else:
            st.warning(_("inside.page.no_pretrained", model=label(model),
                         models=", ".join(label(n) for n in offline) or "-"), icon="⚠️")
            items = [(_("inside.page.random"), rnd.weight)]
        if pre.weight.shape[0] > filters.MAX_SHOWN:
            st.caption(_("inside.page.filters_limited", shown=filters.MAX_SHOWN, count=pre.weight.shape[0]))
        st.plotly_chart(plots.filter_grids(filter_panels(items, normalise), L), width="stretch",
                        key="inside_filters_fig")
        st.caption(_("inside.page.filters_caption"))

    st.subheader(_("inside.page.run_filters_title"))
    if not runs:
        st.info(_("inside.page.no_runs"))
    else:
        rid = st.selectbox(_("inside.page.run"), list(by_id), format_func=lambda k: run_label(by_id[k]),
                           key="inside_filters_run")
        accept = accept_box(by_id[rid], "filters")
        with user_errors(), st.spinner("…"):
            got = run_filters(by_id[rid]["path"], accept)
            ref = got["reference"]
            if not ref["usable"]:
                if ref["status"] != "unrecorded":
                    st.warning(note(ref["notice"]))
            else:
                st.caption(note(ref["notice"]))
                order, ch = got["order"], got["relative_change"]
                ref_title = _("inside.page.before_pretrained" if ref["source"] == "pretrained" else "inside.page.before_init")
                st.plotly_chart(plots.filter_grids(filter_panels(
                    [(ref_title, got["before"]), (_("inside.page.after"), got["after"])], normalise, order, ch), L),
                    width="stretch", key="inside_run_filters_fig")
                st.plotly_chart(plots.change_bars(ch, order, L), width="stretch", key="inside_filter_bars")
                if max(ch) == 0.0:
                    st.caption(_("inside.page.filters_unchanged"))

# ------------------------------------------------------------------------------------------ feature maps
with tab_m:
    st.markdown(_("inside.page.maps_intro"))
    a, b, c = st.columns(3)
    names = list(CATALOG)
    offline = [n for n in names if weights_available_offline(n)]
    fm_model = a.selectbox(_("common.model"), names, index=names.index(offline[0] if offline else DEFAULT_MODEL),
                           format_func=label, key="inside_maps_model")
    size = CATALOG[fm_model].input_size
    source = c.selectbox(_("inside.page.image"), [*SAMPLE_IMAGES, "upload"],
                         format_func=lambda k: _(f"architectures.rfimg_sample.{k}"), key="inside_maps_source")
    with user_errors():
        stages = stage_names(fm_model, size)
        stage = b.selectbox(_("inside.page.stage"), stages, index=len(stages) // 2, key=f"inside_maps_stage_{fm_model}",
                            format_func=lambda n: stage_label(n, L))
        image, key = None, None
        if source == "upload":
            up = st.file_uploader(_("inside.page.upload"), type=["png", "jpg", "jpeg", "webp", "bmp"],
                                  key="inside_maps_upload")
            if up is not None:
                image, key = open_upload(up), hashlib.sha256(up.getvalue()).hexdigest()
        else:
            image, key = sample_image(source), source
        if image is not None:
            weights_notice(cached_model(fm_model).weights, label(fm_model))
            with st.spinner("…"):
                res = maps(fm_model, size, stage, None, key, image)
            channel_labels = {ch["index"]: _("inside.page.channel_option", index=ch["index"],
                                             mean=decimal(ch["mean"], L, 2)) for ch in res["channels"]}
            channel = st.selectbox(_("inside.page.channel"), list(channel_labels), format_func=channel_labels.get,
                                   key=f"inside_maps_channel_{fm_model}_{stage}")
            if channel != res["channel"]:
                res = maps(fm_model, size, stage, channel, key, image)
            left, right = st.columns([1, 1])
            with left:
                st.plotly_chart(plots.peak_on_image(res, L), width="stretch", key="inside_peak_fig")
                p = res["peak"]
                st.markdown(_("inside.page.peak", channel=res["channel"], row=p["row"], col=p["col"],
                              value=decimal(p["value"], L, 2), rf=res["receptive_field"] or "-",
                              stride=res["effective_stride"] or "-", size=size))
                if res["clipped"]:
                    st.caption(_("inside.page.peak_clipped", rf=res["receptive_field"], size=size))
            with right:
                c_, h_, w_ = res["shape"]
                st.markdown(_("inside.page.maps_shape", stage=stage_label(stage, L), c=c_, h=h_, w=w_, top=len(res["channels"])))
                st.plotly_chart(plots.feature_maps(res, L), width="stretch", key="inside_maps_fig")

# ----------------------------------------------------------------------------------- which stages changed
with tab_c:
    st.markdown(_("inside.page.change_intro"))
    if not runs:
        st.info(_("inside.page.no_runs"))
    else:
        chosen = st.multiselect(_("inside.page.runs"), list(by_id), default=list(by_id)[:3],
                                format_func=lambda k: run_label(by_id[k]), key="inside_change_runs")
        k1, k2 = st.columns(2)
        want_cka = k1.toggle(_("inside.page.cka_toggle"), key="inside_cka", help=_("inside.page.cka_help"))
        mode = k2.radio(_("inside.page.cka_mode"), change.MODES, horizontal=True, key="inside_cka_mode",
                        format_func=lambda k: _(f"inside.page.cka_mode.{k}"), disabled=not want_cka)
        results = []
        for rid in chosen:
            r = by_id[rid]
            accept = accept_box(r, "change")
            with user_errors():
                with st.spinner(_("inside.page.computing", run=rid)):
                    res = run_change(r["path"], accept, want_cka, mode)
                ref = res["reference"]
                if not ref["usable"]:
                    if ref["status"] != "unrecorded":
                        st.warning(note(ref["notice"]))
                    continue
                st.caption(f"**{rid}** · " + note(ref["notice"]))
                for n in res["notes"]:
                    st.info(note(n))
                results.append((f"{rid} · {_(SHORT[r['strategy']]) if r['strategy'] in SHORT else r['strategy']}", res))
        if results:
            st.plotly_chart(plots.change_lines(results, L), width="stretch", key="inside_change_fig")
            st.caption(_("inside.page.change_caption"))
            st.dataframe(pd.DataFrame([{
                _("inside.page.col.run"): lbl, _("inside.page.col.stage"): stage_label(s["name"], L),
                _("inside.page.col.params"): integer(s["params"], L),
                _("inside.page.col.change"): percent(s["relative_change"], L, 3),
                _("inside.page.col.cka"): decimal(s["cka"], L, 4) if s["cka"] is not None else "-",
                _("inside.page.col.frozen"): "✓" if s["frozen"] else ""}
                for lbl, res in results for s in res["stages"]]), hide_index=True, width="stretch")

# ---------------------------------------------------------------------------------- which stages transfer
with tab_p:
    st.markdown(_("inside.page.probe_intro"))
    with user_errors():
        demo_names = set(DEMO_NAMES.values())
        stored = {d.id: _("finetune.page.dataset_option", name=d.name, images=d.num_images, classes=len(d.classes))
                  for d in list_datasets(ws.root) if d.name not in demo_names}
        options = {**{k: _(v) for k, v in DEMOS.items()}, **stored}
        a, b, c = st.columns([2, 2, 1])
        data = a.selectbox(_("inside.page.dataset"), list(options), format_func=options.get, key="inside_probe_data")
        p_model = b.selectbox(_("common.model"), list(CATALOG), index=list(CATALOG).index(DEFAULT_MODEL),
                              format_func=label, key="inside_probe_model")
        p_size = c.selectbox(_("inside.page.size"), PROBE_SIZES, index=PROBE_SIZES.index(probe.PROBE_SIZE),
                             key="inside_probe_size")
        if not weights_available_offline(p_model):
            st.caption(_("inside.page.probe_random_only", model=label(p_model)))
        wanted = (data, p_model, p_size)
        if st.button(_("inside.page.probe_run"), key="inside_probe_run", type="primary"):
            bar = st.progress(0.0, text=_("inside.page.probe_starting"))
            res = probe.probe_stages(open_dataset(data, root=ws.root, folders=[]), p_model, p_size,
                                     progress=lambda f, n: bar.progress(min(1.0, f), text=n.text(L)))
            bar.empty()
            st.session_state["inside_probe_result"] = (wanted, res)
        kept = st.session_state.get("inside_probe_result")
        if kept and kept[0] == wanted:
            res = kept[1]
            for n in res["notes"]:
                st.warning(note(n))
            st.plotly_chart(plots.probe_curve(res, L, label(res["model"])), width="stretch", key="inside_probe_fig")
            cached = [k for k, v in res["features"].items() if v["cached"]]
            st.caption(_("inside.page.probe_caption", images=integer(res["images"], L), folds=res["folds"])
                       + (" " + _("inside.page.probe_cached") if cached else ""))
            st.dataframe(pd.DataFrame([{
                _("inside.page.col.stage"): stage_label(s["name"], L), _("inside.page.col.dims"): s["dims"],
                _("inside.page.col.pretrained"): percent(s["pretrained_acc"], L),
                _("inside.page.col.random"): percent(s["random_acc"], L)} for s in res["stages"]]),
                hide_index=True, width="stretch")
        else:
            st.caption(_("inside.page.probe_hint"))

# ------------------------------------------------------------------------------------------------ forgetting
with tab_g:
    st.markdown(_("inside.page.forgetting_intro"))
    candidates = [r for r in runs if r["pretrained_start"]]
    if not candidates:
        st.info(_("inside.page.no_pretrained_runs"))
    else:
        rid = st.selectbox(_("inside.page.run"), [r["id"] for r in candidates],
                           format_func=lambda k: run_label(by_id[k]), key="inside_forgetting_run")
        ups = st.file_uploader(_("inside.page.own_photos"), type=["png", "jpg", "jpeg", "webp", "bmp"],
                               accept_multiple_files=True, key="inside_forgetting_upload")
        accept = accept_box(by_id[rid], "forgetting")
        with user_errors():
            extra = tuple((u.name, open_upload(u)) for u in ups or ())
            photos_key = hashlib.sha256(b"".join(u.getvalue() for u in ups or ())).hexdigest()
            if by_id[rid]["recorded"] or accept:
                with st.spinner("…"):
                    res = forgotten(by_id[rid]["path"], accept, photos_key, extra)
                st.caption(note(res["reference"]["notice"]))
                info = res["photos"]
                base = {"photos": info["photos"], "names": ", ".join(info["names"]), "views": info["views"],
                        "total": info["photos"] + info["views"]}
                st.caption(_("inside.photos.views" if info["views"] else "inside.photos.enough", **base)
                           + (" " + _("inside.page.own_added", count=info["extra"]) if info["extra"] else ""))
                m1, m2, m3 = st.columns(3)
                m1.metric(_("inside.page.agreement"), percent(res["agreement"], L, 0),
                          help=_("inside.page.agreement_help", count=len(res["rows"])))
                m2.metric(_("inside.page.top5_overlap"), percent(res["top5_overlap"], L, 0))
                if res["agreement_reference_statistics"] is not None:
                    m3.metric(_("inside.page.agreement_bn"), percent(res["agreement_reference_statistics"], L, 0),
                              help=_("inside.page.agreement_bn_help"))
                st.markdown(_("inside.page.forgetting_same" if res["identical_backbone"]
                              else "inside.page.forgetting_moved", size=res["input_size"]))
                st.dataframe(pd.DataFrame([{
                    _("inside.page.col.photo"): row["photo"],
                    _("inside.page.col.before"): top3(row["pretrained"]), _("inside.page.col.after"): top3(row["tuned"]),
                    _("inside.page.col.same"): "✓" if row["same_top1"] else "✗"} for row in res["rows"]]),
                    hide_index=True, width="stretch")
