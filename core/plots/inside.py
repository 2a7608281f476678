"""Figures for the inside page. Builders take core.inside's results (plain dicts, FilterGrids, arrays) and return
plotly Figures; images are drawn pixel for pixel (no smoothing), so a zoomed filter stays crisp."""
from __future__ import annotations

import math
from typing import Optional

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.i18n import t
from core.i18n.numbers import decimal, percent
from core.plots.architectures import localised, stage_label

_PALETTE = ["#1f6f8b", "#e07a5f", "#3d405b", "#81b29a", "#f2cc8f", "#6d597a", "#b56576", "#355070"]
_CELL_PX = 14  # screen pixels per filter pixel at the figure's natural size (AlexNet's 11×11 tiles: ~150 px)


def _grid_hover(grid, stats: list[dict], lang: str, changes: Optional[list[float]] = None) -> np.ndarray:
    """One hover text per pixel of the grid image: the filter under it and its statistics ('' on gaps)."""
    h, w = grid.image.shape[:2]
    text = np.full((h, w), "", dtype=object)
    step = grid.tile + 1
    for pos, idx in enumerate(grid.order):
        r, c = divmod(pos, grid.cols)
        s = stats[idx]
        line = t("inside.fig.filter_hover", lang, index=idx, norm=decimal(s["norm"], lang, 3),
                 mean=decimal(s["mean"], lang, 3), std=decimal(s["std"], lang, 3), min=decimal(s["min"], lang, 3),
                 max=decimal(s["max"], lang, 3))
        if changes is not None:
            line += "<br>" + t("inside.fig.change_hover", lang, change=percent(changes[idx], lang, 2))
        text[r * step:r * step + grid.tile, c * step:c * step + grid.tile] = line
    return text


def filter_grids(panels: list[tuple], lang: str = "en") -> go.Figure:
    """Filter grids side by side. ``panels``: ``(title, FilterGrid, stats, changes or None)`` each; the grids
    are drawn pixel for pixel (``go.Image``, no smoothing) and hover names each filter and its statistics."""
    n = len(panels)
    fig = make_subplots(rows=1, cols=n, subplot_titles=[p[0] for p in panels], horizontal_spacing=0.04)
    for i, (title, grid, stats, changes) in enumerate(panels, start=1):
        fig.add_trace(go.Image(z=grid.image, hovertext=_grid_hover(grid, stats, lang, changes),
                               hoverinfo="text", name=title), row=1, col=i)
        fig.update_xaxes(showticklabels=False, showgrid=False, zeroline=False, ticks="", row=1, col=i)
        fig.update_yaxes(showticklabels=False, showgrid=False, zeroline=False, ticks="",
                         scaleanchor=f"x{i if i > 1 else ''}", row=1, col=i)
    h = max(p[1].image.shape[0] for p in panels)
    fig.update_layout(height=int(min(900, max(320, h * _CELL_PX / max(1, n / 2) + 60))),
                      margin=dict(l=10, r=10, t=40, b=10))
    return localised(fig, lang)


def change_bars(changes: list[float], order: list[int], lang: str = "en") -> go.Figure:
    """Each first-layer filter's relative change, most changed first."""
    fig = go.Figure(go.Bar(x=[f"#{i}" for i in order], y=[changes[i] for i in order], marker_color=_PALETTE[1],
                           hovertemplate=t("inside.fig.filter_bar_hover", lang) + "<extra></extra>"))
    fig.update_layout(height=260, margin=dict(l=60, r=10, t=40, b=40),
                      title=t("inside.fig.filter_change_title", lang))
    fig.update_yaxes(title=t("inside.fig.relative_change", lang), tickformat=".2%")
    fig.update_xaxes(type="category")
    return localised(fig, lang)


def feature_maps(res: dict, lang: str = "en", cols: int = 4) -> go.Figure:
    """The most active channels' maps of one stage, each on its own colour scale, pixel for pixel."""
    maps, channels = res["maps"], res["channels"]
    n = len(channels)
    cols = min(cols, n)
    rows = math.ceil(n / cols)
    titles = [t("inside.fig.channel_title", lang, index=c["index"], mean=decimal(c["mean"], lang, 2)) for c in channels]
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=titles, horizontal_spacing=0.02, vertical_spacing=0.06)
    for k in range(n):
        r, c = divmod(k, cols)
        fig.add_trace(go.Heatmap(z=maps[k], colorscale="Viridis", showscale=False, zsmooth=False,
                                 hovertemplate=t("inside.fig.map_hover", lang, index=channels[k]["index"])
                                 + "<extra></extra>"), row=r + 1, col=c + 1)
    fig.update_xaxes(showticklabels=False, showgrid=False, zeroline=False, ticks="")
    fig.update_yaxes(showticklabels=False, showgrid=False, zeroline=False, ticks="", autorange="reversed")
    for k in range(n):
        axis = "" if k == 0 else str(k + 1)
        fig.layout[f"yaxis{axis}"].scaleanchor = f"x{axis}"
    fig.update_layout(height=170 * rows + 40, margin=dict(l=10, r=10, t=40, b=10))
    for a in fig.layout.annotations:
        a.font.size = 11
    return localised(fig, lang)


def peak_on_image(res: dict, lang: str = "en") -> go.Figure:
    """The input as the model sees it, the chosen channel's map over it, the strongest cell and its
    receptive field (a square, clipped to the image)."""
    img = np.asarray(res["image"])
    size = img.shape[0]
    cmap = np.asarray(res["channel_map"], dtype=np.float32)
    h, w = cmap.shape
    fig = go.Figure()
    fig.add_trace(go.Image(z=img, hoverinfo="skip"))
    lo, hi = float(cmap.min()), float(cmap.max())
    norm = (cmap - lo) / (hi - lo) if hi > lo else np.zeros_like(cmap)
    # the map's cells laid over the pixels they stand for (cell size = input / map size)
    fig.add_trace(go.Heatmap(z=norm, x0=(size / w - 1) / 2, dx=size / w, y0=(size / h - 1) / 2, dy=size / h,
                             colorscale="Inferno", opacity=0.45, zsmooth=False, showscale=False,
                             customdata=cmap, hovertemplate=t("inside.fig.peak_hover", lang) + "<extra></extra>"))
    if res.get("box"):
        top, bottom, left, right = res["box"]
        fig.add_shape(type="rect", x0=left - 0.5, x1=right + 0.5, y0=top - 0.5, y1=bottom + 0.5,
                      line=dict(color="#00e5ff", width=3))
    pr, pc = res["peak"]["row"], res["peak"]["col"]
    fig.add_shape(type="rect", x0=pc * size / w - 0.5, x1=(pc + 1) * size / w - 0.5, y0=pr * size / h - 0.5,
                  y1=(pr + 1) * size / h - 0.5, line=dict(color="#ffd166", width=2))
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", line=dict(color="#00e5ff", width=3),
                             name=t("inside.fig.field", lang)))
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", line=dict(color="#ffd166", width=2),
                             name=t("inside.fig.peak_cell", lang)))
    fig.update_xaxes(range=[-0.5, size - 0.5], showticklabels=False, showgrid=False, zeroline=False, ticks="")
    fig.update_yaxes(range=[size - 0.5, -0.5], showticklabels=False, showgrid=False, zeroline=False, ticks="",
                     scaleanchor="x")
    fig.update_layout(height=460, margin=dict(l=10, r=10, t=30, b=10),
                      legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0))
    return localised(fig, lang)


def change_lines(results: list[tuple[str, dict]], lang: str = "en") -> go.Figure:
    """Per stage: relative weight change (top) and CKA with the reference (bottom), one line per run.
    ``results``: ``(label, core.inside.change.run_change(...))`` pairs."""
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08,
                        subplot_titles=[t("inside.fig.change_title", lang), t("inside.fig.cka_title", lang)])
    for i, (label, res) in enumerate(results):
        color = _PALETTE[i % len(_PALETTE)]
        stages = res["stages"]
        x = [stage_label(s["name"], lang) for s in stages]
        frozen = [t("inside.fig.frozen", lang) if s["frozen"] else "" for s in stages]
        fig.add_trace(go.Scatter(x=x, y=[s["relative_change"] for s in stages], mode="lines+markers", name=label,
                                 legendgroup=label, line=dict(color=color), customdata=frozen,
                                 hovertemplate=f"<b>{label}</b><br>%{{x}}: %{{y:.3%}} %{{customdata}}<extra></extra>"),
                      row=1, col=1)
        if any(s["cka"] is not None for s in stages):
            fig.add_trace(go.Scatter(x=x, y=[s["cka"] for s in stages], mode="lines+markers", name=label,
                                     legendgroup=label, showlegend=False, line=dict(color=color, dash="dot"),
                                     hovertemplate=f"<b>{label}</b><br>%{{x}}: CKA %{{y:.4f}}<extra></extra>"),
                          row=2, col=1)
    fig.update_yaxes(title=t("inside.fig.relative_change", lang), tickformat=".2%", rangemode="tozero", row=1, col=1)
    fig.update_yaxes(title="CKA", range=[0, 1.05], row=2, col=1)
    fig.update_xaxes(title=t("inside.fig.stage", lang), type="category", row=2, col=1)
    fig.update_layout(height=560, margin=dict(l=70, r=20, t=50, b=50),
                      legend=dict(orientation="h", yanchor="bottom", y=1.04, x=0))
    return localised(fig, lang)


def probe_curve(res: dict, lang: str = "en", model_label: Optional[str] = None) -> go.Figure:
    """Linear-probe accuracy per stage, pretrained against random initialisation (error bars: the folds'
    standard deviation), with chance level."""
    x = [stage_label(s["name"], lang) for s in res["stages"]]
    fig = go.Figure()
    for kind, color in (("pretrained", _PALETTE[0]), ("random", _PALETTE[1])):
        ys = [s[f"{kind}_acc"] for s in res["stages"]]
        if all(v is None for v in ys):
            continue
        name = t(f"inside.fig.probe_{kind}", lang)
        fig.add_trace(go.Scatter(x=x, y=ys, mode="lines+markers", name=name, line=dict(color=color, width=3),
                                 error_y=dict(type="data", array=[s[f"{kind}_std"] or 0 for s in res["stages"]],
                                              visible=True, thickness=1),
                                 customdata=[s["dims"] for s in res["stages"]],
                                 hovertemplate=f"<b>{name}</b><br>%{{x}} (%{{customdata}} "
                                               + t("inside.fig.dims", lang) + "): %{y:.1%}<extra></extra>"))
    chance = 1.0 / max(1, res.get("classes") or 1)
    if res.get("classes"):
        fig.add_hline(y=chance, line=dict(color="#888", dash="dash"),
                      annotation_text=t("inside.fig.chance", lang, chance=percent(chance, lang, 0)))
    fig.update_yaxes(title=t("inside.fig.probe_acc", lang, folds=res["folds"]), tickformat=".0%", range=[0, 1.02])
    fig.update_xaxes(title=t("inside.fig.stage_depth", lang), type="category")
    fig.update_layout(height=440, margin=dict(l=70, r=20, t=80, b=50),
                      title=t("inside.fig.probe_title", lang, model=model_label or res["model"], data=res["dataset"],
                              size=res["image_size"]),
                      legend=dict(orientation="h", yanchor="bottom", y=1.02, x=1, xanchor="right"))
    return localised(fig, lang)
