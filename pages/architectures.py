"""Architectures: compare parameters, MACs, receptive fields and speed; see a receptive field on a picture."""
import hashlib

import pandas as pd
import streamlit as st

from core import architectures as arch
from core.errors import UserError
from core.plots import architectures as plots
from core.receptive_field import stack_fields
from core.zoo import CATALOG, weights_available_offline
from ui import routed, cached_device_info, cached_model, lang, tr, user_errors, weights_notice

routed("pages/architectures.py")
_ = tr()
L = lang()
DEFAULT_MODELS = ["alexnet", "vgg16", "resnet50", "mobilenet_v3_large", "tf_efficientnet_lite0"]


@st.cache_data(show_spinner=False, max_entries=256)
def profile_row(name: str, size: int) -> dict:
    """Profile dict (with layers) or {"model", "error", ...}; errors are cached too, so a revisit is instant."""
    return arch.profile_or_error(name, size)


@st.cache_data(show_spinner=False, max_entries=64)
def latency(name: str, size: int) -> dict:
    """The one latency cache: core measures afresh on every call."""
    return arch.measure_latency(name, size, repeats=3, budget_s=15.0)


@st.cache_data(show_spinner=False, max_entries=32)
def field_picture(name: str, size: int, stage: dict, cell: tuple, image_key: str, _image) -> dict:
    return arch.field_picture(cached_model(name), _image, size, stage, cell)


def thousands(n: int) -> str:
    text = f"{n:,}"
    return text.replace(",", ".") if L == "pt" else text


def label(name: str) -> str:
    return CATALOG[name].label if name in CATALOG else name


def error_text(row: dict) -> str:
    """A failed profile row's error in the page's language."""
    return UserError.restore(row["error"], row.get("error_i18n")).text(L)


st.title(_("architectures.title"))
st.markdown(_("architectures.intro"))

c1, c2 = st.columns([4, 1])
names = c1.multiselect(_("architectures.models"), options=list(CATALOG), default=DEFAULT_MODELS,
                       format_func=label, key="arch_models")
size = int(c2.number_input(_("architectures.size"), min_value=1, max_value=arch.MAX_INPUT_SIZE, value=224,
                           step=1, help=_("architectures.size_help"), key="arch_size"))
if not names:
    st.info(_("architectures.pick_one"))
    st.stop()

with st.spinner("…"):
    rows = [profile_row(n, size) for n in names]
good = [r for r in rows if "error" not in r]

# ------------------------------------------------------------------------------------------ the table
st.subheader(_("architectures.table_title"))
for r in rows:
    if "error" in r:
        model, error = r.get("label", r["model"]), error_text(r)
        # most sentences already start with the model's name: do not say it twice
        st.warning(error if error.startswith(model) else _("architectures.model_error", model=model, error=error))
    elif r.get("flops_error"):
        st.warning(_("architectures.flops_unavailable", model=r["label"], reason=r["flops_error"]))
table = pd.DataFrame([{
    _("architectures.col.model"): r.get("label", r["model"]),
    _("architectures.col.year"): r.get("year"),
    _("architectures.col.params"): r["params"] / 1e6 if r.get("params") is not None else None,
    _("architectures.col.classifier"): 100 * r["classifier_share"] if "classifier_share" in r else None,
    _("architectures.col.gmacs"): r["macs"] / 1e9 if r.get("macs") is not None else None,
    _("architectures.col.gflops"): r["flops"] / 1e9 if r.get("flops") is not None else None,
    _("architectures.col.depth"): r.get("depth"),
    _("architectures.col.rf"): r.get("receptive_field"),
    _("architectures.col.stride"): r.get("effective_stride"),
    _("architectures.col.padding"): r.get("effective_padding"),
    _("architectures.col.global"): r.get("global_context"),
    _("architectures.col.act"): r["activation_bytes"] / 2**20 if r.get("activation_bytes") is not None else None,
    _("architectures.col.top1"): r.get("top1"),
    _("architectures.col.source"): r.get("top1_source", ""),
    _("architectures.col.note"): (error_text(r) if r.get("error") else "") or r.get("flops_error") or r.get("note", ""),
} for r in rows])
st.dataframe(table, hide_index=True, width="stretch", column_config={
    _("architectures.col.params"): st.column_config.NumberColumn(format="%.2f"),
    _("architectures.col.classifier"): st.column_config.NumberColumn(format="%.1f %%"),
    _("architectures.col.gmacs"): st.column_config.NumberColumn(format="%.3f"),
    _("architectures.col.gflops"): st.column_config.NumberColumn(format="%.3f"),
    _("architectures.col.depth"): st.column_config.NumberColumn(help=_("architectures.col.depth_help")),
    _("architectures.col.act"): st.column_config.NumberColumn(format="%.1f", help=_("architectures.col.act_help")),
    _("architectures.col.top1"): st.column_config.NumberColumn(format="%.2f"),
})
st.caption(_("architectures.table_help"))
for r in good:
    if r["classifier_share"] > 0.5:
        st.info(_("architectures.classifier_fact", model=r["label"], share=f"{r['classifier_params'] / 1e6:.1f} M",
                  total=f"{r['params'] / 1e6:.1f} M", head=f"{100 * r['classifier_share']:.0f} %",
                  rest=f"{(r['params'] - r['classifier_params']) / 1e6:.1f} M"))
for r in good:
    pub = r.get("published")
    if pub and pub.get("params") is not None and pub["params"] != r["params"]:
        st.caption(_("architectures.published", params=f"{pub['params']:,}", gmacs=pub["gmacs"], model=r["label"],
                     size=pub["input_size"]) + " " + r.get("note", ""))

# ----------------------------------------------------------------------------------------- the charts
if good:
    t1, t2, t3 = st.tabs([_("architectures.tab.efficiency"), _("architectures.tab.stages"),
                          _("architectures.tab.fields")])
    with t1:
        st.plotly_chart(plots.efficiency_bubble(good, L), width="stretch")
        missing = [r["label"] for r in good if r.get("top1") is None or not r.get("macs")]
        if missing:
            st.caption(_("architectures.no_top1", models=", ".join(missing)))
    with t2:
        st.plotly_chart(plots.stage_params(good, L), width="stretch")
    with t3:
        st.plotly_chart(plots.field_lines(good, L), width="stretch")

# -------------------------------------------------------------------------------------------- latency
st.subheader(_("architectures.latency_title"))
info = cached_device_info()
device = info["name"] if info["kind"] == "cuda" else f"CPU ({info['cpu_threads']} threads)"
if st.toggle(_("architectures.latency_toggle", device=device), key="arch_latency",
             help=_("architectures.latency_help")):
    lat_rows = []
    with user_errors():
        for r in good:
            with st.spinner(_("architectures.latency_running", model=r["label"])):
                res = latency(r["model"], size)
            b1, b32 = res["batches"].get("1", {}), res["batches"].get("32", {})
            lat_rows.append({_("architectures.col.model"): r["label"],
                             _("architectures.col.batch1"): b1.get("median_ms"),
                             _("architectures.col.batch32"): b32.get("median_ms"),
                             _("architectures.col.throughput"): b32.get("images_per_s"),
                             _("architectures.col.repeats"): b32.get("repeats")})
    if lat_rows:
        st.dataframe(pd.DataFrame(lat_rows), hide_index=True, width="stretch")

# ---------------------------------------------------------------------------------- layer by layer
if good:
    st.subheader(_("architectures.layers_title"))
    pick = st.selectbox(_("architectures.layers_model"), [r["model"] for r in good], format_func=label,
                        key="arch_layers_model")
    prof = next(r for r in good if r["model"] == pick)
    conv1 = next((x for x in prof["layers"] if x["type"].startswith("Conv")), None)
    if conv1 is not None:
        st.markdown(_("architectures.conv1", model=prof["label"], filters=conv1["channels"], kernel=conv1["kernel"],
                      stride=conv1["stride"], padding=conv1["padding"], rf=conv1["receptive_field"]))
    if pick == "alexnet":
        st.caption(_("architectures.alexnet_note"))
    st.dataframe(pd.DataFrame([{
        _("architectures.col.name"): x["name"], _("architectures.col.type"): x["type"],
        _("architectures.col.kernel"): x["kernel"], _("architectures.col.lstride"): x["stride"],
        _("architectures.col.lpadding"): x["padding"],
        _("architectures.col.shape"): "×".join(map(str, x["out_shape"])),
        _("architectures.col.lparams"): x["params"], _("architectures.col.macs"): x["macs"],
        _("architectures.col.rf"): x["receptive_field"], _("architectures.col.stride"): x["effective_stride"],
    } for x in prof["layers"]]), hide_index=True, width="stretch", height=360)

# ----------------------------------------------------------------------- receptive field on an image
if good:
    st.subheader(_("architectures.rfimg_title"))
    st.markdown(_("architectures.rfimg_intro"))
    a, b, c = st.columns(3)
    choices = [r["model"] for r in good]
    # prefer a model with real pretrained weights: a random network's effective field says little
    with_weights = [m for m in choices if weights_available_offline(m)]
    rf_model = a.selectbox(_("architectures.rfimg_model"), choices, format_func=label, key="arch_rf_model",
                           index=choices.index(with_weights[0]) if with_weights else 0)
    prof = next(r for r in good if r["model"] == rf_model)
    spatial = [s for s in prof["stages"] if s["name"] != "head" and s["receptive_field"] is not None
               and len(s["out_shape"]) == 3]
    if not spatial:
        st.info(_("architectures.rfimg_no_stage", model=prof["label"]))
    else:
        stage_name = b.selectbox(_("architectures.rfimg_stage"), [s["name"] for s in spatial],
                                 index=len(spatial) // 2, key=f"arch_rf_stage_{rf_model}")
        stage = next(s for s in spatial if s["name"] == stage_name)
        source = c.selectbox(_("architectures.rfimg_source"), [*arch.SAMPLE_IMAGES, "upload"],
                             format_func=lambda k: _(f"architectures.rfimg_sample.{k}"), key="arch_rf_source")
        _c, fh, fw = stage["out_shape"]
        r1, r2 = st.columns(2)
        row = r1.slider(_("architectures.rfimg_row"), 0, fh - 1, fh // 2, key=f"arch_rf_row_{rf_model}_{stage_name}")
        col = r2.slider(_("architectures.rfimg_col"), 0, fw - 1, fw // 2, key=f"arch_rf_col_{rf_model}_{stage_name}")
        with user_errors():
            if source == "upload":
                up = st.file_uploader(_("architectures.rfimg_upload"), type=["png", "jpg", "jpeg", "webp", "bmp"],
                                      key="arch_rf_upload")
                image, key = None, None
                if up is not None:
                    from core.images import open_rgb
                    data = up.getvalue()
                    image = open_rgb(data, name=up.name, max_side=1024)
                    key = hashlib.sha256(data).hexdigest()
            else:
                image, key = arch.sample_image(source), source
            if image is not None:
                weights_notice(cached_model(rf_model).weights, prof["label"])
                with st.spinner("…"):
                    pic = field_picture(rf_model, size, stage, (row, col), key, image)
                st.plotly_chart(plots.field_on_image(pic, L), width="stretch")
                clipped = _("architectures.rfimg_clipped", size=size) if pic["clipped"] else ""
                ratio = pic["erf_side"] / max(1, min(pic["receptive_field"], size))
                st.markdown(_("architectures.rfimg_result", rf=pic["receptive_field"], stride=pic["effective_stride"],
                              clipped=clipped, erf=pic["erf_side"], ratio=f"{ratio:.0%}"))
                if stage.get("global_context"):
                    st.caption(_("architectures.rfimg_global"))

# ------------------------------------------------------------------------------------ the 3×3 stack
st.subheader(_("architectures.stack_title"))
st.markdown(_("architectures.stack_intro"))
k1, k2, k3, k4, k5 = st.columns(5)
n_layers = int(k1.number_input(_("architectures.stack_layers"), 1, 10, 3, key="arch_stack_layers"))
kernel = int(k2.number_input(_("architectures.stack_kernel"), 1, 11, 3, key="arch_stack_kernel"))
stride = int(k3.number_input(_("architectures.stack_stride"), 1, 4, 1, key="arch_stack_stride"))
dilation = int(k4.number_input(_("architectures.stack_dilation"), 1, 8, 1, key="arch_stack_dilation"))
channels = int(k5.number_input(_("architectures.stack_channels"), 1, 2048, 64, key="arch_stack_channels"))
with user_errors():
    stack = stack_fields(n_layers, kernel, stride, dilation, channels)
    st.markdown(_("architectures.stack_result", layers=n_layers, kernel=kernel, stride=stride, dilation=dilation,
                  rf=stack["receptive_field"], stack=thousands(stack["stack_params"]),
                  single=thousands(stack["single_params"]),
                  ratio=stack["ratio"]))
    s1, s2 = st.columns([2, 3])
    s1.dataframe(pd.DataFrame([{_("architectures.col.layer"): r["layer"], _("architectures.col.rf"): r["receptive_field"],
                                _("architectures.col.stride"): r["effective_stride"],
                                _("architectures.col.cum_params"): r["params"]} for r in stack["rows"]]),
                 hide_index=True, width="stretch")
    s2.plotly_chart(plots.stack_weights(stack, L), width="stretch")
