"""Figures for the datasets page: images per class and split, and the original image sizes."""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from core.i18n import t

SPLIT_COLOURS = {"train": "#1f6f8b", "val": "#f4a259", "test": "#8cb369"}


def class_counts_figure(split_counts: dict[str, dict[str, int]], classes: list[str], lang: str = "en") -> go.Figure:
    """Stacked bars: for each class, how many images sit in train, validation and test."""
    fig = go.Figure()
    for split in ("train", "val", "test"):
        counts = split_counts.get(split, {})
        ys = [int(counts.get(c, 0)) for c in classes]
        if not any(ys):
            continue
        fig.add_bar(name=t(f"data.split.{split}", lang), x=classes, y=ys, marker_color=SPLIT_COLOURS[split],
                    hovertemplate="%{x}: %{y}<extra>%{fullData.name}</extra>")
    fig.update_layout(barmode="stack", title=t("data.fig.counts_title", lang),
                      xaxis_title=t("data.fig.class", lang), yaxis_title=t("data.fig.images", lang),
                      xaxis_type="category", legend_orientation="h", legend_y=-0.25,
                      height=360, margin=dict(l=40, r=10, t=50, b=40))
    return fig


def sizes_figure(sizes: np.ndarray, cache_size: int, lang: str = "en", max_points: int = 5000) -> go.Figure:
    """Width against height of the original images, with the working size (the cache's side) marked."""
    sizes = np.asarray(sizes).reshape(-1, 2)
    if len(sizes) > max_points:  # a sample keeps the page light; the stats in the report use every image
        idx = np.random.default_rng(0).choice(len(sizes), max_points, replace=False)
        sizes = sizes[idx]
    pairs, counts = np.unique(sizes, axis=0, return_counts=True)
    fig = go.Figure()
    fig.add_scatter(x=pairs[:, 0], y=pairs[:, 1], mode="markers", name=t("data.fig.images", lang),
                    marker=dict(size=np.clip(6 + 3 * np.log2(counts), 6, 30), color="#1f6f8b", opacity=0.6),
                    customdata=counts,
                    hovertemplate="%{x}×%{y} px: %{customdata}<extra></extra>")
    top = float(max(pairs.max(), cache_size)) * 1.05
    fig.add_shape(type="rect", x0=0, y0=0, x1=cache_size, y1=cache_size, line=dict(color="#f4a259", dash="dash"))
    near_edge = cache_size > 0.6 * top  # the label goes inside the square when it would leave the plot
    fig.add_annotation(x=cache_size, y=cache_size, text=t("data.fig.working", lang, size=cache_size).strip(),
                       showarrow=False, xanchor="right" if near_edge else "left", yanchor="bottom",
                       font_color="#b86a1f")
    fig.update_layout(title=t("data.fig.sizes_title", lang), xaxis_title=t("data.fig.width", lang),
                      yaxis_title=t("data.fig.height", lang), showlegend=False, height=360,
                      margin=dict(l=40, r=10, t=50, b=40))
    fig.update_xaxes(range=[0, top], rangemode="tozero")
    fig.update_yaxes(range=[0, top], rangemode="tozero")
    return fig
