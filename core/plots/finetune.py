"""Figures for the fine-tuning page: live curves, confusion matrix, per-class scores, per-group learning rates."""
from __future__ import annotations

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.i18n import normalize_lang, t
from core.i18n.numbers import integer
from core.plots.architectures import localised, stage_label

TRAIN_COLOUR, VAL_COLOUR = "#1f6f8b", "#f4a259"
FROZEN_COLOUR, TRAINABLE_COLOUR, NEW_COLOUR = "#b0b0b0", "#1f6f8b", "#f4a259"


def rate(x: float, lang: str = "en") -> str:
    """A learning rate as people write it: ``3e-3``, ``1e-4``, ``2.5e-5`` (``2,5e-5`` in Portuguese)."""
    mantissa, _, exponent = f"{x:.2g}".partition("e")
    if not exponent:
        mantissa, _, exponent = f"{x:.1e}".partition("e")
        mantissa = mantissa.rstrip("0").rstrip(".")
    text = f"{mantissa}e{int(exponent)}"
    return text.replace(".", ",") if normalize_lang(lang) == "pt" else text


def curves_figure(rows: list[dict], lang: str = "en", best_epoch: int | None = None) -> go.Figure:
    """Loss and accuracy per epoch, training and validation, from ``metrics.jsonl`` rows (works mid-run)."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=(t("finetune.fig.loss", lang), t("finetune.fig.accuracy", lang)))
    epochs = [r["epoch"] for r in rows]
    for col, key in ((1, "loss"), (2, "acc")):
        for split, colour in (("train", TRAIN_COLOUR), ("val", VAL_COLOUR)):
            fig.add_scatter(x=epochs, y=[r.get(f"{split}_{key}") for r in rows], mode="lines+markers",
                            name=t(f"finetune.fig.{split}", lang), line_color=colour, legendgroup=split,
                            showlegend=col == 1, row=1, col=col,
                            hovertemplate="%{x}: %{y:.4f}<extra>%{fullData.name}</extra>")
    if best_epoch:
        for col in (1, 2):
            fig.add_vline(x=best_epoch, line_dash="dot", line_color="#888", row=1, col=col)
    fig.update_xaxes(title_text=t("finetune.fig.epoch", lang), dtick=1, rangemode="tozero")
    fig.update_yaxes(tickformat=".0%", range=[0, 1.02], row=1, col=2)
    fig.update_layout(height=340, legend_orientation="h", legend_y=-0.25, margin=dict(l=40, r=10, t=40, b=40))
    return localised(fig, lang)


def confusion_figure(cm: list[list[int]], classes: list[str], lang: str = "en") -> go.Figure:
    """Confusion matrix heatmap: rows are true classes, columns predictions; cells show counts."""
    fig = go.Figure(go.Heatmap(z=cm, x=classes, y=classes, colorscale="Blues", text=cm, texttemplate="%{text}",
                               hovertemplate=t("finetune.fig.cm_hover", lang) + "<extra></extra>",
                               showscale=False))
    n = len(classes)
    fig.update_layout(title=t("finetune.fig.confusion", lang), xaxis_title=t("finetune.fig.predicted", lang),
                      yaxis_title=t("finetune.fig.true", lang), height=max(300, 60 + 28 * n),
                      margin=dict(l=40, r=10, t=50, b=40))
    fig.update_xaxes(type="category", side="bottom")
    fig.update_yaxes(type="category", autorange="reversed")
    return fig


def per_class_figure(per_class: list[dict], lang: str = "en") -> go.Figure:
    """Precision and recall for each class (validation split)."""
    names = [r["class"] for r in per_class]
    fig = go.Figure()
    for key, colour in (("precision", TRAIN_COLOUR), ("recall", VAL_COLOUR)):
        fig.add_bar(name=t(f"finetune.fig.{key}", lang), x=names, y=[r.get(key) for r in per_class],
                    marker_color=colour, hovertemplate="%{x}: %{y:.1%}<extra>%{fullData.name}</extra>")
    fig.update_layout(barmode="group", title=t("finetune.fig.per_class", lang), height=320,
                      yaxis=dict(tickformat=".0%", range=[0, 1.02]), xaxis_type="category",
                      legend_orientation="h", legend_y=-0.25, margin=dict(l=40, r=10, t=50, b=40))
    return localised(fig, lang)


def lr_groups_figure(groups: list[dict], lang: str = "en") -> go.Figure:
    """Effective learning rate of every optimizer group (as read from the optimizer), frozen stages greyed.

    ``groups`` is ``results.json``'s ``param_groups``: rows with stage, weight_decay, params, lr, frozen.
    """
    labels, lrs, colours, texts, hover = [], [], [], [], []
    for g in groups:
        if g["frozen"]:
            label = f"{stage_label(g['stage'], lang)} · {t('finetune.fig.frozen', lang)}"
            texts.append(t("finetune.fig.frozen", lang))
        else:
            wd = t("finetune.fig.wd", lang) if g.get("weight_decay") else t("finetune.fig.no_wd", lang)
            stage = stage_label(g["stage"], lang)
            stage = f"{stage} ({t('finetune.fig.new_layer', lang)})" if g.get("new") else stage
            label = f"{stage} · {wd}"
            texts.append(rate(g["lr"], lang))
        labels.append(label)
        lrs.append(g["lr"])
        colours.append(FROZEN_COLOUR if g["frozen"] else NEW_COLOUR if g.get("new") else TRAINABLE_COLOUR)
        hover.append(t("finetune.fig.group_hover", lang, params=integer(g["params"], lang), lr=rate(g["lr"], lang)))
    fig = go.Figure(go.Bar(x=labels, y=lrs, marker_color=colours, text=texts, textposition="outside",
                           hovertext=hover, hoverinfo="text", cliponaxis=False))
    # frozen stages have no rate: give them a visible grey stub so they are not mistaken for missing data
    top = max(lrs) if lrs and max(lrs) > 0 else 1.0
    frozen_x = [lab for lab, g in zip(labels, groups) if g["frozen"]]
    if frozen_x:
        fig.add_bar(x=frozen_x, y=[top * 0.02] * len(frozen_x), marker_color=FROZEN_COLOUR, opacity=0.6,
                    hoverinfo="skip", showlegend=False)
    fig.update_layout(title=t("finetune.fig.lr_groups", lang), xaxis_title=t("finetune.fig.group", lang),
                      yaxis_title=t("finetune.fig.lr", lang), showlegend=False, barmode="overlay",
                      height=360, margin=dict(l=50, r=10, t=50, b=80))
    fig.update_yaxes(range=[0, top * 1.2], tickformat=".1e")
    fig.update_xaxes(type="category", tickangle=-35)
    return localised(fig, lang)
