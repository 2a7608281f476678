"""Figures and pictures for the saliency page: heatmaps over the image, probability bars, the randomisation
check and the deletion curves. Maps come in as core.saliency computed them; pictures are plain uint8 arrays
(the CLI writes them as PNG, the page draws them pixel for pixel)."""
from __future__ import annotations

import functools

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.i18n import t
from core.i18n.numbers import decimal, percent

COLORSCALE = "Inferno"   # perceptually uniform, dark = unimportant; readable for colour-blind people
_BLUE, _ORANGE, _GREY = "#1f6f8b", "#e07a5f", "#8d99ae"


@functools.lru_cache(maxsize=1)
def _lut() -> np.ndarray:
    """256 RGB colours of :data:`COLORSCALE`, dark to bright."""
    from plotly.colors import sample_colorscale, unlabel_rgb
    cols = sample_colorscale(COLORSCALE, [i / 255 for i in range(256)], colortype="rgb")
    return np.array([unlabel_rgb(c) for c in cols], dtype=np.float32).round().clip(0, 255).astype(np.uint8)


def heat_rgb(heat01: np.ndarray) -> np.ndarray:
    """A [0, 1] map as colours (uint8 [H, W, 3])."""
    idx = np.clip(np.nan_to_num(np.asarray(heat01, dtype=np.float32)) * 255, 0, 255).astype(np.uint8)
    return _lut()[idx]


def overlay(image: np.ndarray, heat01: np.ndarray, opacity: float = 0.6) -> np.ndarray:
    """The map over the picture: each pixel's colour blended in by ``opacity`` × its importance, so that the
    unimportant parts show the picture itself (uint8 [H, W, 3])."""
    h = np.clip(np.nan_to_num(np.asarray(heat01, dtype=np.float32)), 0, 1)[..., None]
    a = float(np.clip(opacity, 0, 1)) * np.sqrt(h)   # sqrt: the middle of the scale stays visible
    out = image.astype(np.float32) * (1 - a) + heat_rgb(h[..., 0]).astype(np.float32) * a
    return out.round().clip(0, 255).astype(np.uint8)


def side_by_side(pictures: list[np.ndarray], gap: int = 6) -> np.ndarray:
    """Pictures of the same height in one row, white gaps between (the CLI's ``--out``)."""
    h = max(p.shape[0] for p in pictures)
    parts = []
    for i, p in enumerate(pictures):
        pad = np.full((h, p.shape[1], 3), 255, np.uint8)
        pad[:p.shape[0]] = p
        parts.append(pad)
        if i < len(pictures) - 1:
            parts.append(np.full((h, gap, 3), 255, np.uint8))
    return np.concatenate(parts, axis=1)


def pictures(panels: list[tuple[str, np.ndarray]], height: int = 300, cols: int | None = None) -> go.Figure:
    """``(title, uint8 picture)`` panels in a grid, each drawn pixel for pixel (no smoothing, no axes)."""
    n = len(panels)
    cols = max(1, min(cols or n, n))
    rows = (n + cols - 1) // cols
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=[p[0] for p in panels],
                        horizontal_spacing=0.02, vertical_spacing=0.08 if rows > 1 else 0.02)
    for i, (title, pic) in enumerate(panels):
        r, c = divmod(i, cols)
        fig.add_trace(go.Image(z=pic, hoverinfo="skip", name=title), row=r + 1, col=c + 1)
    fig.update_xaxes(showticklabels=False, showgrid=False, zeroline=False, ticks="")
    fig.update_yaxes(showticklabels=False, showgrid=False, zeroline=False, ticks="")
    fig.update_annotations(font_size=12)
    fig.update_layout(height=int(height * rows + 40), margin=dict(l=4, r=4, t=36, b=4))
    return fig


def probability_bars(top: list[dict], lang: str = "en", highlight: int | None = None) -> go.Figure:
    """The top-k classes' probabilities, most likely on top; ``highlight``: the class the maps explain."""
    top = list(top)[::-1]
    colours = [_ORANGE if highlight is not None and x["index"] == highlight else _BLUE for x in top]
    fig = go.Figure(go.Bar(x=[x["prob"] for x in top], y=[x["label"].split(",")[0] for x in top], orientation="h",
                           marker_color=colours, text=[percent(x["prob"], lang, 1) for x in top],
                           textposition="auto", hovertext=[x["label"] for x in top], hoverinfo="text"))
    fig.update_layout(height=60 + 32 * len(top), margin=dict(l=10, r=10, t=30, b=10),
                      title=t("saliency.fig.probabilities", lang), xaxis=dict(range=[0, 1], tickformat=".0%"))
    return fig


def randomisation(result: dict, image: np.ndarray, lang: str = "en", opacity: float = 0.6,
                  stage_name=lambda s: s) -> go.Figure:
    """The randomisation check: the map of the intact model, then after each stage was randomised (cumulative,
    from the head down), with its rank correlation to the original in each title."""
    from core.saliency import display
    signed = result["signed"]
    panels = [(t("saliency.fig.intact", lang), overlay(image, display(result["original"].map, signed), opacity))]
    for s in result["steps"]:
        title = t("saliency.fig.randomised", lang, stage=stage_name(s["stage"]), rho=decimal(s["spearman"], lang, 2))
        panels.append((title, overlay(image, display(s["map"], signed), opacity)))
    return pictures(panels, height=170, cols=min(4, len(panels)))


def randomisation_curve(results: dict, lang: str = "en", stage_name=lambda s: s) -> go.Figure:
    """Rank correlation with the intact model's map after each randomisation step, one line per method."""
    from core.saliency import FLAG_CORRELATION
    fig = go.Figure()
    for i, (label, res) in enumerate(results.items()):
        xs = [t("saliency.fig.intact", lang)] + [stage_name(s["stage"]) for s in res["steps"]]
        ys = [1.0] + [s["spearman"] for s in res["steps"]]
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines+markers", name=label,
                                 line=dict(color=[_BLUE, _ORANGE, "#3d405b", "#81b29a", "#6d597a"][i % 5])))
    fig.add_hline(y=FLAG_CORRELATION, line_dash="dot", line_color=_GREY,
                  annotation_text=t("saliency.fig.flag_line", lang), annotation_position="top right")
    fig.update_layout(height=320, margin=dict(l=10, r=10, t=40, b=10), title=t("saliency.fig.rank_title", lang),
                      yaxis=dict(range=[-1, 1.05], title=t("saliency.fig.rank_axis", lang)),
                      xaxis=dict(title=t("saliency.fig.randomised_axis", lang)))
    return fig


def deletion(curves: dict, lang: str = "en") -> go.Figure:
    """Deletion curves, one solid line per method (most important pixels first) and a dotted one for the same
    map least important first; the legend gives each area under the curve (lower solid: more faithful)."""
    fig = go.Figure()
    colours = [_BLUE, _ORANGE, "#3d405b", "#81b29a", "#6d597a"]
    for i, (label, c) in enumerate(curves.items()):
        col = colours[i % len(colours)]
        xs = [100 * f for f in c["fractions"]]
        fig.add_trace(go.Scatter(x=xs, y=c["scores"], mode="lines", line=dict(color=col, width=2.5),
                                 name=t("saliency.fig.deletion_most", lang, method=label,
                                        area=decimal(c["area"], lang, 3))))
        fig.add_trace(go.Scatter(x=xs, y=c["reverse_scores"], mode="lines", line=dict(color=col, dash="dot"),
                                 name=t("saliency.fig.deletion_least", lang, method=label,
                                        area=decimal(c["reverse_area"], lang, 3))))
    fig.update_layout(height=360, margin=dict(l=10, r=10, t=40, b=10), title=t("saliency.fig.deletion_title", lang),
                      xaxis=dict(title=t("saliency.fig.deletion_x", lang), ticksuffix="%"),
                      yaxis=dict(title=t("saliency.fig.deletion_y", lang), range=[0, 1.02], tickformat=".0%"),
                      legend=dict(orientation="h", y=-0.25))
    return fig
