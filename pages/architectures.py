"""Architectures: compare parameters, MACs, receptive fields and speed; see a receptive field on a picture."""
import hashlib

import pandas as pd
import streamlit as st

from core import architectures as arch
from core.errors import UserError
from core.i18n import all_strings
from core.i18n.numbers import compact, decimal, integer, percent, times
from core.notices import Notice
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


def label(name: str) -> str:
    """The catalog's name, or a longer label in the page's language where core/i18n/zoo.py has one."""
    key = f"zoo.label.{name}"
    return _(key) if key in all_strings() else CATALOG[name].label if name in CATALOG else name


def top1_text(x) -> str:
    """A top-1 accuracy given in percent (80.858) as the page's language writes it (80,9 %)."""
    return percent(x / 100, L)


def note_text(r: dict) -> str:
    """The note column: the row's error, the FLOP counter's trouble, the V2 recipe, or the catalog's note."""
    if r.get("error"):
        return error_text(r)
    notes = [r["flops_error"]] if r.get("flops_error") else []
    if r.get("weights_versions"):
        notes.append(_("architectures.v2_note", v1=top1_text(r["weights_versions"]["v1_top1"])))
    if r.get("note_key"):
        notes.append(_(r["note_key"]))
    return " ".join(notes)


def in_language(df: pd.DataFrame, formats: dict):
    """The table with its numbers written as the page's language writes them (core.i18n.numbers); the cells keep
    their values, so a column still sorts as numbers."""
    return df.style.format({col: fmt for col, fmt in formats.items() if col in df.columns}, na_rep="")


def whole(v) -> str:
    return integer(v, L)


def source_text(r: dict) -> str:
    notice = Notice.restore(r.get("top1_source_i18n"))
    return notice.text(L) if notice is not None else r.get("top1_source", "")


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
    _("architectures.col.model"): label(r["model"]),
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
    _("architectures.col.source"): source_text(r),
    _("architectures.col.note"): note_text(r),
} for r in rows])
st.dataframe(in_language(table, {
    _("architectures.col.params"): lambda v: decimal(v, L, 2),
    _("architectures.col.classifier"): lambda v: percent(v / 100, L),
    _("architectures.col.gmacs"): lambda v: decimal(v, L, 3),
    _("architectures.col.gflops"): lambda v: decimal(v, L, 3),
    _("architectures.col.depth"): whole, _("architectures.col.rf"): whole, _("architectures.col.stride"): whole,
    _("architectures.col.padding"): whole,
    _("architectures.col.act"): lambda v: decimal(v, L, 1),
    _("architectures.col.top1"): lambda v: decimal(v, L, 2),
}), hide_index=True, width="stretch", column_config={
    _("architectures.col.depth"): st.column_config.NumberColumn(help=_("architectures.col.depth_help")),
    _("architectures.col.act"): st.column_config.NumberColumn(help=_("architectures.col.act_help")),
})
st.caption(_("architectures.table_help"))
v2 = [r for r in good if r.get("weights_versions")]
if v2:
    st.caption(_("architectures.v2_caption", models="; ".join(
        _("architectures.v2_item", model=r["label"], top1=top1_text(r["top1"]),
          v1=top1_text(r["weights_versions"]["v1_top1"])) for r in v2)))
for r in good:
    if r["classifier_share"] > 0.5:
        st.info(_("architectures.classifier_fact", model=r["label"], share=compact(r["classifier_params"], L),
                  total=compact(r["params"], L), head=percent(r["classifier_share"], L, 0),
                  rest=compact(r["params"] - r["classifier_params"], L)))
for r in good:
    pub = r.get("published")
    if pub and pub.get("params") is not None and pub["params"] != r["params"]:
        st.caption(_("architectures.published", params=integer(pub["params"], L), gmacs=decimal(pub["gmacs"], L, 3),
                     model=r["label"], size=pub["input_size"]) + (" " + _(r["note_key"]) if r.get("note_key") else ""))

# ----------------------------------------------------------------------------------------- the charts
if good:
    t1, t2, t3 = st.tabs([_("architectures.tab.efficiency"), _("architectures.tab.stages"),
                          _("architectures.tab.fields")])
    with t1:
        st.plotly_chart(plots.efficiency_bubble(good, L), width="stretch")
        missing = [label(r["model"]) for r in good if r.get("top1") is None or not r.get("macs")]
        if missing:
            st.caption(_("architectures.no_top1", models=", ".join(missing)))
    with t2:
        st.plotly_chart(plots.stage_params(good, L), width="stretch")
    with t3:
        st.plotly_chart(plots.field_lines(good, L), width="stretch")

# ------------------------------------------------------------------------ the lecture's three architectures
def shape(values) -> str:
    return "×".join(str(int(v)) for v in values)


def alexnet_card(c: dict) -> None:
    p, conv1, paper = c["paper_conv1"], c["conv1"], c["paper"]
    tv224, tv227 = c["torchvision_conv1_out"][224], c["torchvision_conv1_out"][227]
    pool, drop = c["pools"][0], c["dropouts"]
    st.markdown("\n".join("- " + line for line in (
        _("architectures.card.alexnet.layers", layers=c["weight_layers"], convs=c["convs"], linears=c["linears"],
          params=integer(c["params"], L)),
        _("architectures.card.alexnet.input", filters=p["out"], k=p["kernel"], s=p["stride"],
          formula=decimal(p["formula"], L, 0), h=p["out_shape"][1], w=p["out_shape"][2], c=p["out_shape"][0],
          f224=decimal(c["paper_224_formula"], L)),
        _("architectures.card.alexnet.torchvision", filters=conv1["out"], k=conv1["kernel"], s=conv1["stride"],
          p=conv1["padding"], h224=tv224[1], w224=tv224[2], h227=tv227[1], w227=tv227[2],
          pool=shape(c["adaptive_pool"]), min=c["min_input"]),
        _("architectures.card.alexnet.gpus", memory=paper["gpu_memory_gb"], gpu=paper["gpu"]),
        _("architectures.card.alexnet.relu", relus=c["relus"], tanh=c["tanh_or_sigmoid"]),
        _("architectures.card.alexnet.pool", count=len(c["pools"]), k=pool["kernel"], s=pool["stride"]),
        _("architectures.card.alexnet.dropout", p=decimal(drop[0]["p"], L, 1), names=", ".join(d["name"] for d in drop)),
        _("architectures.card.alexnet.lrn", count=c["lrn_layers"]))))
    st.caption(f"[Krizhevsky, Sutskever, Hinton (2012)]({paper['source']})")


def vgg_card(c: dict) -> None:
    (k, s, pad), = c["conv_kinds"]
    (pk, ps), = c["pool_kinds"]
    stack, feats = c["stack"], c["features_shape"]
    st.markdown("\n".join("- " + line for line in (
        _("architectures.card.vgg.convs", convs=c["convs"], k=k, s=s, p=pad, pk=pk, ps=ps, linears=c["linears"],
          layers=c["weight_layers"], layers19=c["vgg19_weight_layers"]),
        _("architectures.card.vgg.stack", c=stack["channels"], rf=stack["receptive_field"],
          stack=integer(stack["stack_params"], L), single=integer(stack["single_params"], L),
          ratio=times(stack["ratio"], L)),
        _("architectures.card.vgg.params", params=integer(c["params"], L), classifier=integer(c["classifier_params"], L),
          share=percent(c["classifier_share"], L), convs=c["convs"], conv=integer(c["conv_params"], L),
          fc1=integer(c["first_fc_params"], L)),
        _("architectures.card.vgg.features", c=feats[0], h=feats[1], w=feats[2], flat=integer(c["flat_features"], L),
          fc_in=integer(c["first_fc_in"], L), fc_out=integer(c["first_fc_out"], L),
          tab=_("architectures.tab.code")))))
    st.caption(f"[Simonyan, Zisserman (2014)]({CATALOG['vgg16'].paper})")


def resnet_card(c: dict) -> None:
    proj, basic, paper, w = c["projection"], c["basic"], c["paper"], c["weights"]
    stride_conv = next(x for x in proj["main"] if x["name"] == proj["stride_at"])
    basic_conv = next(x for x in basic["main"] if x["name"] == basic["stride_at"])
    sc = proj["shortcut"]
    st.markdown("\n".join("- " + line for line in (
        _("architectures.card.resnet.degradation", figure=paper["figure"], dataset=paper["dataset"],
          deep=paper["plain_layers"][1], shallow=paper["plain_layers"][0]),
        _("architectures.card.resnet.skip"),
        _("architectures.card.resnet.projection", shape_in=shape(proj["in_shape"]), shape_out=shape(proj["out_shape"]),
          name=proj["name"], k=sc["kernel"], cin=sc["in"], cout=sc["out"], s=sc["stride"]),
        _("architectures.card.resnet.stride", block=proj["type"], conv=proj["stride_at"], k=stride_conv["kernel"],
          basic=basic["type"], basic_conv=basic["stride_at"], basic_k=basic_conv["kernel"]),
        _("architectures.card.resnet.depth", d18=c["depths"]["resnet18"], d50=c["depths"]["resnet50"],
          d152=c["depths"]["resnet152"]),
        _("architectures.card.resnet.weights", default=w["default"], top1=top1_text(w["default_top1"]),
          v1=w["v1"], v1_top1=top1_text(w["v1_top1"])))))
    st.plotly_chart(plots.residual_blocks([c["projection"], c["identity"]], L), width="stretch")
    st.caption(_("architectures.card.resnet.picture") + f" [He, Zhang, Ren, Sun (2015)]({paper['source']})")


def show_runs(runs: list[dict], shown: set) -> None:
    """What each call gave: the weights it asked for, an output shape, then PyTorch's own error, and its warnings
    (in full the first time a warning's wording is seen; later the same wording is only counted)."""
    for r in runs:
        got = [_("architectures.code.loads", weights=x["weights"], file=x["file"]) for x in r.get("weights", ())]
        if r.get("ok") and r.get("shape"):
            got.append(_("architectures.code.output", shape=shape(r["shape"])))
        warnings = list(r.get("warnings", ()))
        if r.get("weights") and not warnings:
            got.append(_("architectures.code.no_warning"))
        # torchvision's wording without the model's own weights name, to recognise a warning seen before
        kinds = {w.split("`")[0] for w in warnings}
        if warnings and kinds <= shown:
            got.append(_("architectures.code.same_warnings", n=len(warnings)))
            warnings = []
        shown |= kinds
        st.markdown(f"`{r['call']}`" + (" → " + " · ".join(got) if got else ""))
        for text in ([] if r.get("ok") else [r["error"]]) + warnings:
            st.code(text, language="text", wrap_lines=True)


def lecture_code(checks: list[dict]) -> None:
    st.markdown(_("architectures.code_intro", version=checks[0]["torchvision"]))
    shown: set = set()
    for check in checks:
        key = check["key"]
        st.markdown(f"##### {_(f'architectures.code.{key}.title')}")
        if key == "pretrained":
            default = next(w["weights"] for r in check["fixed_runs"] if "DEFAULT" in r["call"] for w in r["weights"])
            st.markdown(_("architectures.code.pretrained.explain", default=default))
        elif key == "vgg_head":
            fixed = check["fixed_runs"][0]
            st.markdown(_("architectures.code.vgg_head.explain", features=integer(fixed["features"][0], L),
                          trainable=integer(fixed["trainable"], L)))
        else:
            c, h, w = check["runs"][0]["input"]
            st.markdown(_("architectures.code.reslayer.explain", c=c, h=h, w=w))
        for code, runs, title in ((check["code"], check["runs"], "architectures.code.lecture"),
                                  (check["fixed_code"], check["fixed_runs"], "architectures.code.fixed")):
            st.markdown(f"**{_(title)}**")
            st.code(arch.localise_code(code, L), language="python")
            show_runs(runs, shown)


st.subheader(_("architectures.cards_title"))
st.markdown(_("architectures.cards_intro"))
with user_errors():
    lecture_cards = arch.cards()
    ta, tv, tr_, tc = st.tabs(["AlexNet", "VGG", "ResNet", _("architectures.tab.code")])
    with ta:
        alexnet_card(lecture_cards["alexnet"])
    with tv:
        vgg_card(lecture_cards["vgg"])
    with tr_:
        resnet_card(lecture_cards["resnet"])
    with tc:
        lecture_code(arch.lecture_checks())

# -------------------------------------------------------------------------------------------- latency
st.subheader(_("architectures.latency_title"))
info = cached_device_info()
device = info["name"] if info["kind"] == "cuda" else _("architectures.cpu_threads", threads=info["cpu_threads"])
if st.toggle(_("architectures.latency_toggle", device=device), key="arch_latency",
             help=_("architectures.latency_help")):
    lat_rows = []
    with user_errors():
        for r in good:
            with st.spinner(_("architectures.latency_running", model=r["label"])):
                res = latency(r["model"], size)
            b1, b32 = res["batches"].get("1", {}), res["batches"].get("32", {})
            lat_rows.append({_("architectures.col.model"): label(r["model"]),
                             _("architectures.col.batch1"): b1.get("median_ms"),
                             _("architectures.col.batch32"): b32.get("median_ms"),
                             _("architectures.col.throughput"): b32.get("images_per_s"),
                             _("architectures.col.repeats"): b32.get("repeats")})
    if lat_rows:
        st.dataframe(in_language(pd.DataFrame(lat_rows), {
            _("architectures.col.batch1"): lambda v: decimal(v, L, 1),
            _("architectures.col.batch32"): lambda v: decimal(v, L, 1),
            _("architectures.col.throughput"): lambda v: decimal(v, L, 1),
            _("architectures.col.repeats"): whole}), hide_index=True, width="stretch")

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
    st.dataframe(in_language(pd.DataFrame([{
        _("architectures.col.name"): x["name"], _("architectures.col.type"): x["type"],
        _("architectures.col.kernel"): x["kernel"], _("architectures.col.lstride"): x["stride"],
        _("architectures.col.lpadding"): x["padding"],
        _("architectures.col.shape"): "×".join(map(str, x["out_shape"])),
        _("architectures.col.lparams"): x["params"], _("architectures.col.macs"): x["macs"],
        _("architectures.col.rf"): x["receptive_field"], _("architectures.col.stride"): x["effective_stride"],
    } for x in prof["layers"]]), {col: whole for col in (
        _("architectures.col.lparams"), _("architectures.col.macs"), _("architectures.col.rf"),
        _("architectures.col.stride"))}), hide_index=True, width="stretch", height=360)

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
                                 index=len(spatial) // 2, key=f"arch_rf_stage_{rf_model}",
                                 format_func=lambda n: plots.stage_label(n, L))
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
                              clipped=clipped, erf=pic["erf_side"], ratio=percent(ratio, L, 0)))
                if stage.get("global_context"):
                    st.caption(_("architectures.rfimg_global"))

# ------------------------------------------------------------------------------------ the 3×3 stack
st.subheader(_("architectures.stack_title"), anchor="stack")
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
                  rf=stack["receptive_field"], stack=integer(stack["stack_params"], L),
                  single=integer(stack["single_params"], L), ratio=times(stack["ratio"], L)))
    s1, s2 = st.columns([2, 3])
    s1.dataframe(in_language(pd.DataFrame([{
        _("architectures.col.layer"): r["layer"], _("architectures.col.rf"): r["receptive_field"],
        _("architectures.col.stride"): r["effective_stride"], _("architectures.col.cum_params"): r["params"]}
        for r in stack["rows"]]), {_("architectures.col.cum_params"): whole}), hide_index=True, width="stretch")
    s2.plotly_chart(plots.stack_weights(stack, L), width="stretch")
