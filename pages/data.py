"""Datasets: add one (zip upload, demo set, server path), read its report, list and delete stored ones.

Everything here belongs to the visitor's workspace (``ui.workspace()``); the server-path source appears only
when the operator lists allowed folders (``CNNLAB_SERVER_FOLDERS``), and a path must resolve inside one."""
import pandas as pd
import streamlit as st

from core import data
from core.i18n.numbers import integer, percent
from core.plots.data import class_counts_figure, sizes_figure
from core.settings import browser_folders
from ui import classroom, lang, routed, tr, user_errors, workspace

routed("pages/data.py")
_ = tr()
ws = workspace()
FOLDERS = browser_folders()  # None: any path (single mode, no folders listed); []: no server paths at all
L = lang()  # once: format_func callbacks may run outside this script run (AppTest), where lang() is not set


def _test_label(fraction: float) -> str:
    return percent(fraction, L, 0) if fraction else _("data.test_none")


def _name(name: str) -> str:
    """A stored dataset's name as shown: our demo sets in the page's language (the stored name stays)."""
    return data.shown_name(name, L)


def _pick_label(i: data.DatasetInfo) -> str:  # two stores of one source differ by their test split: say it
    fields = dict(name=_name(i.name), n=i.num_images, k=len(i.classes), created=i.created[:16].replace("T", " "))
    if i.test_fraction:
        return _("data.pick_item_test", test=_test_label(i.test_fraction), **fields)
    return _("data.pick_item", **fields)


st.title(_("data.title"))
st.markdown(_("data.intro"))

# --- add a dataset -------------------------------------------------------------------------------------------
with st.container(border=True):
    st.subheader(_("data.add_title"))
    if FOLDERS is None or FOLDERS:
        source = st.radio(_("data.source"), ["upload", "demo", "path"], key="data_source", horizontal=True,
                          format_func=lambda s: _(f"data.source.{s}"))
    else:  # no server paths unless the operator lists folders
        source = st.radio(_("data.source"), ["upload", "demo"], key="data_source", horizontal=True,
                          format_func=lambda s: _(f"data.source.{s}"))
    ref, upload = None, None
    if source == "upload":
        upload = st.file_uploader(_("data.upload_label"), type=["zip"], help=_("data.upload_help"), key="data_upload")
    elif source == "demo":
        demo = st.selectbox(_("data.demo_label"), list(data.DEMOS), key="data_demo",
                            format_func=lambda d: _(f"data.demo.{d}"))
        st.caption(_(f"data.demo.{demo}.about"))
        ref = f"demo:{demo}"
    else:
        hint = str(FOLDERS[0] / "flowers.zip") if FOLDERS else "/srv/datasets/flowers.zip"
        ref = st.text_input(_("data.path_label"), key="data_path", placeholder=hint).strip() or None
        if FOLDERS:
            st.caption(_("workspaces.path_folders", folders=", ".join(str(f) for f in FOLDERS)))
    test = st.radio(_("data.test_fraction"), data.TEST_CHOICES, index=data.TEST_CHOICES.index(data.TEST_FRACTION),
                    key="data_test", horizontal=True, format_func=_test_label)
    st.caption(_("data.test_explain"))
    with st.expander(_("data.split_options")):
        st.caption(_("data.split_help"))
        val = st.slider(_("data.val_fraction"), 0.1, 0.4, data.VAL_FRACTION, 0.05, key="data_val")
    if st.button(_("data.ingest"), type="primary", key="data_ingest", disabled=upload is None and ref is None):
        bar = st.progress(0.0, text=_("data.working"))

        def progress(fraction: float, notice) -> None:  # notice: core.notices.Notice (what is being done)
            bar.progress(min(max(fraction, 0.0), 1.0), text=f"{notice.text(lang())} · {fraction:.0%}")

        with user_errors():
            if upload is not None:
                saved = data.save_upload(upload, upload.name, root=ws.root)  # streamed to the workspace; read there
                try:
                    ds = data.open_dataset(str(saved), progress, val_fraction=val, test_fraction=test, root=ws.root,
                                           folders=FOLDERS)
                finally:
                    data.discard_upload(saved, root=ws.root)
            else:
                ds = data.open_dataset(ref, progress, val_fraction=val, test_fraction=test, root=ws.root,
                                       folders=FOLDERS)
            st.session_state["data_pick"] = ds.id  # show the new one (set before its selectbox is drawn)
            bar.progress(1.0, text=_("data.done", name=_name(ds.name), n=len(ds)))

# --- the classroom's datasets (read-only: copied into the workspace to be used) -------------------------------
shared = classroom()
shared_infos = data.list_datasets(shared.root) if shared is not None else []
if shared_infos:
    with st.container(border=True):
        st.subheader(_("workspaces.classroom"))
        st.caption(_("workspaces.classroom_datasets"))
        shared_by_id = {i.id: i for i in shared_infos}
        pick = st.selectbox(_("data.pick"), list(shared_by_id), key="data_shared_pick",
                            format_func=lambda i: _pick_label(shared_by_id[i]))
        if st.button(_("workspaces.copy"), key="data_copy", icon="📥"):
            with user_errors():
                ds = data.copy_dataset(pick, shared.root, root=ws.root)
                st.session_state["data_pick"] = ds.id
                st.toast(_("workspaces.copied", name=_name(ds.name)))

# --- stored datasets -----------------------------------------------------------------------------------------
st.subheader(_("data.stored_title"))
infos = data.list_datasets(ws.root)
if not infos:
    st.info(_("data.none_stored"))
    st.stop()
by_id = {i.id: i for i in infos}
if st.session_state.get("data_pick") not in by_id:
    st.session_state["data_pick"] = infos[0].id

chosen = st.selectbox(_("data.pick"), list(by_id), key="data_pick", format_func=lambda i: _pick_label(by_id[i]))
st.dataframe(pd.DataFrame([{_("data.col.name"): _name(i.name), _("data.col.images"): i.num_images,
                            _("data.col.classes"): len(i.classes),
                            _("data.col.test"): _test_label(i.test_fraction),
                            _("data.col.created"): i.created[:19].replace("T", " "),
                            _("data.col.id"): i.id} for i in infos]), hide_index=True, width="stretch")
with st.popover(_("data.delete"), icon="🗑️"):
    if st.button(_("data.delete_confirm", name=_name(by_id[chosen].name)), key="data_delete", type="primary"):
        with user_errors():
            data.delete_dataset(chosen, root=ws.root)
            st.session_state.pop("data_pick", None)
            st.toast(_("data.deleted", name=_name(by_id[chosen].name)))
            st.rerun()

# --- the report ----------------------------------------------------------------------------------------------
with user_errors():
    ds = data.open_dataset(chosen, root=ws.root, folders=[])
    r = ds.report
    st.subheader(_("data.report_title"))
    m = st.columns([1, 1, 1, 1.6, 1])  # the split "train / val / test" needs room
    m[0].metric(_("data.m.images"), integer(r["num_images"], lang()))
    m[1].metric(_("data.m.classes"), len(r["classes"]))
    m[2].metric(_("data.m.working"), f"{ds.cache_size}×{ds.cache_size}")
    m[3].metric(_("data.m.split"), " / ".join(integer(r["split"][k], lang()) for k in ("train", "val", "test")))
    m[4].metric(_("data.m.skipped"), len(r["skipped"]))
    n_test = r["split"].get("test", 0)
    st.caption(_("data.test_held", n=n_test) if n_test else _("data.test_absent"))
    st.caption(_("data.use_hint", id=ds.id))

    for notice in ds.warnings:
        st.warning(notice.text(lang()), icon="⚠️")
    if not ds.warnings:
        st.success(_("data.no_warnings"))

    shown = {c: data.shown_class(ds.name, c, lang()) for c in r["classes"]}  # the stored labels stay as they are
    left, right = st.columns(2)
    counts = {split: {shown.get(c, c): n for c, n in by_class.items()} for split, by_class in r["split_counts"].items()}
    left.plotly_chart(class_counts_figure(counts, list(shown.values()), lang()), width="stretch")
    right.plotly_chart(sizes_figure(ds.original_sizes, ds.cache_size, lang()), width="stretch")
    sizes = r["sizes"]
    right.caption(_("data.sizes_caption", size=ds.cache_size, upscaled=sizes["upscaled"], n=r["num_images"],
                    formats=", ".join(f"{k} {v}" for k, v in sizes["formats"].items())))
    left.dataframe(pd.DataFrame({_(f"data.stat.{s}"): [sizes["width"][s], sizes["height"][s]]
                                 for s in ("min", "median", "mean", "max")},
                                index=[_("data.stat.width"), _("data.stat.height")]), width="stretch")

    st.subheader(_("data.thumbs_title"))
    many = len(ds.classes) > 12  # a long list of classes folds away
    for cls, items in data.thumbnails(ds, per_class=10).items():
        label = _("data.thumbs_class", cls=shown.get(cls, cls), n=r["counts"][cls])
        box = st.expander(label) if many else st.container()
        if not many:
            box.markdown(f"**{label}**")
        box.image([a for a, _n in items], caption=[n.rsplit("/", 1)[-1] for _a, n in items], width=88)

    if r["skipped"]:
        with st.expander(_("data.skipped_title", n=len(r["skipped"]))):
            st.dataframe(pd.DataFrame([{_("data.col.path"): s["path"], _("data.col.reason"): _(f"data.skip.{s['code']}"),
                                        _("data.col.detail"): data.skipped_text(s, lang())}
                                       for s in r["skipped"]]), hide_index=True, width="stretch")
    if r["duplicates"]:
        with st.expander(_("data.duplicates_title", n=r["num_duplicate_groups"])):
            st.dataframe(pd.DataFrame([{_("data.col.path"): " = ".join(d["files"]),
                                        _("data.col.classes"): ", ".join(shown.get(c, c) for c in d["classes"]),
                                        _("data.col.splits"): ", ".join(_(f"data.split.{s}") for s in d["splits"])}
                                       for d in r["duplicates"]]), hide_index=True, width="stretch")
