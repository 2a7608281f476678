"""Figures for the architecture page. Builders take plain dicts (``Profile.to_dict()``) and return plotly Figures."""
from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.i18n import normalize_lang, t
from core.i18n.numbers import compact, percent

def localised(fig: go.Figure, lang: str) -> go.Figure:
    """Plotly's own number formatting (axes, hover) with the language's separators: 1.234,5 in Portuguese."""
    fig.update_layout(separators=",." if normalize_lang(lang) == "pt" else ".,")
    return fig


def stage_label(name: str, lang: str = "en") -> str:
    """A stage's name as the pages say it: ``stem``, ``stage 3`` / ``estágio 3``, ``head`` / ``classificador``."""
    if name == "stem":
        return t("architectures.plot.stem", lang)
    if name == "head":
        return t("architectures.plot.head", lang)
    if name.startswith("stage") and name[5:].isdigit():
        return t("architectures.plot.stage", lang, n=int(name[5:]))
    return name


_PALETTE = ["#1f6f8b", "#e07a5f", "#3d405b", "#81b29a", "#f2cc8f", "#6d597a", "#b56576", "#355070",
            "#eaac8b", "#2a9d8f", "#e76f51", "#264653"]


def efficiency_bubble(rows: list[dict], lang: str = "en") -> go.Figure:
    """ImageNet top-1 against GMACs (log x); bubble area proportional to parameters."""
    fig = go.Figure()
    pts = [r for r in rows if r.get("top1") is not None and r.get("macs")]
    biggest = max((r["params"] for r in pts), default=1)
    for i, r in enumerate(pts):
        size = 12 + 48 * math.sqrt(r["params"] / biggest)
        name = r.get("label", r["model"])
        versions = r.get("weights_versions")
        extra = ("<br>" + t("architectures.plot.hover_v2", lang, v1=percent(versions["v1_top1"] / 100, lang))
                 if versions else "")
        fig.add_trace(go.Scatter(
            x=[r["macs"] / 1e9], y=[r["top1"]], mode="markers+text", name=name,
            text=[name + (" (V2)" if versions else "")], textposition="top center",
            marker=dict(size=size, color=_PALETTE[i % len(_PALETTE)], opacity=0.7, line=dict(width=1, color="#333")),
            hovertemplate=(f"<b>{name}</b><br>%{{x:.3f}} GMACs<br>top-1 %{{y:.2f}}<br>"
                           + t("architectures.plot.hover_params", lang, params=compact(r["params"], lang))
                           + extra + "<extra></extra>")))
    fig.update_layout(title=t("architectures.plot.bubble_title", lang), showlegend=False, height=460,
                      margin=dict(l=60, r=20, t=60, b=50))
    localised(fig, lang)
    fig.update_xaxes(type="log", title=t("architectures.plot.gmacs", lang))
    fig.update_yaxes(title=t("architectures.plot.top1", lang))
    return fig


def stage_params(profiles: list[dict], lang: str = "en") -> go.Figure:
    """Stacked bars: parameters of each stage (stem first, head last) for every model."""
    fig = go.Figure()
    depth = max((len(p["stages"]) for p in profiles), default=0)
    labels = [p.get("label", p["model"]) for p in profiles]
    # Align by position from the input side; the head is always drawn as its own series on top.
    for k in range(depth - 1):
        ys = []
        for p in profiles:
            body = p["stages"][:-1]
            ys.append(body[k]["params"] / 1e6 if k < len(body) else 0)
        name = t("architectures.plot.stem", lang) if k == 0 else t("architectures.plot.stage", lang, n=k + 1)
        fig.add_trace(go.Bar(x=labels, y=ys, name=name, marker_color=_PALETTE[k % len(_PALETTE)],
                             hovertemplate="%{x}<br>" + name + ": %{y:.2f} M<extra></extra>"))
    head = t("architectures.plot.head", lang)
    fig.add_trace(go.Bar(x=labels, y=[p["stages"][-1]["params"] / 1e6 for p in profiles], name=head,
                         marker_color="#9e2a2b", hovertemplate="%{x}<br>" + head + ": %{y:.2f} M<extra></extra>"))
    fig.update_layout(barmode="stack", title=t("architectures.plot.stages_title", lang), height=460,
                      margin=dict(l=60, r=20, t=60, b=50), legend=dict(traceorder="normal"))
    localised(fig, lang)
    fig.update_yaxes(title=t("architectures.plot.params_m", lang))
    return fig


def field_lines(profiles: list[dict], lang: str = "en") -> go.Figure:
    """Receptive field (left) and effective stride (right) at each stage output, one line per model."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=(t("architectures.plot.rf", lang),
                                                        t("architectures.plot.stride", lang)))
    size = None
    for i, p in enumerate(profiles):
        body = [s for s in p["stages"] if s["name"] != "head"]
        xs = list(range(1, len(body) + 1))
        color = _PALETTE[i % len(_PALETTE)]
        label = p.get("label", p["model"])
        size = p["input_size"][-1]
        fig.add_trace(go.Scatter(x=xs, y=[s["receptive_field"] for s in body], mode="lines+markers", name=label,
                                 line=dict(color=color), legendgroup=label), row=1, col=1)
        fig.add_trace(go.Scatter(x=xs, y=[s["effective_stride"] for s in body], mode="lines+markers", name=label,
                                 line=dict(color=color), legendgroup=label, showlegend=False), row=1, col=2)
    if size:
        fig.add_hline(y=size, line_dash="dot", line_color="#888", row=1, col=1,
                      annotation_text=f"{t('architectures.plot.input_size', lang)} {size} px",
                      annotation_position="top left")
    fig.update_yaxes(type="log", row=1, col=1)
    fig.update_yaxes(type="log", row=1, col=2)
    fig.update_xaxes(title=t("architectures.plot.stage_index", lang), dtick=1)
    fig.update_layout(title=t("architectures.plot.fields_title", lang), height=440,
                      margin=dict(l=60, r=20, t=80, b=50))
    localised(fig, lang)
    return fig


def field_on_image(picture: dict, lang: str = "en") -> go.Figure:
    """The input image with the gradient heat map over it, the theoretical field (square, clipped to the image)
    and the square that holds 90 % of the gradient."""
    img = np.asarray(picture["image"])
    heat = np.asarray(picture["heat"])
    h, w = heat.shape
    fig = go.Figure()
    fig.add_trace(go.Image(z=img, hoverinfo="skip"))
    fig.add_trace(go.Heatmap(z=np.where(heat > 0.02, heat, np.nan), colorscale="Inferno", opacity=0.55,
                             zmin=0, zmax=1, showscale=True, name=t("architectures.plot.gradient", lang),
                             colorbar=dict(title=t("architectures.plot.gradient", lang), len=0.6),
                             hovertemplate=t("architectures.plot.cell_hover", lang) + "<extra></extra>"))
    top, bottom, left, right = picture["box"]
    fig.add_shape(type="rect", x0=left - 0.5, x1=right + 0.5, y0=top - 0.5, y1=bottom + 0.5,
                  line=dict(color="#00e5ff", width=3))
    cy, cx = picture["center"]
    half = picture["erf_side"] / 2
    fig.add_shape(type="rect", x0=cx - half, x1=cx + half, y0=cy - half, y1=cy + half,
                  line=dict(color="#ffd166", width=2, dash="dash"))
    # legend entries for the two squares
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", line=dict(color="#00e5ff", width=3),
                             name=t("architectures.plot.theoretical", lang)))
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", line=dict(color="#ffd166", width=2, dash="dash"),
                             name=t("architectures.plot.effective", lang)))
    fig.update_xaxes(range=[-0.5, w - 0.5], showticklabels=False, showgrid=False)
    fig.update_yaxes(range=[h - 0.5, -0.5], showticklabels=False, showgrid=False, scaleanchor="x")
    fig.update_layout(height=520, margin=dict(l=10, r=10, t=30, b=10),
                      legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0))
    return fig


def stack_weights(stack: dict, lang: str = "en") -> go.Figure:
    """Weights (in units of C²) of the stack, layer by layer, against one layer with the same field."""
    c2 = stack["channels"] ** 2
    fig = go.Figure()
    fig.add_trace(go.Bar(x=[t("architectures.plot.stack", lang)], y=[stack["stack_params"] / c2],
                         name=t("architectures.plot.stack", lang), marker_color=_PALETTE[0],
                         text=[f"{stack['layers']}·{stack['kernel']}² = {stack['stack_params'] // c2}"],
                         textposition="outside"))
    fig.add_trace(go.Bar(x=[t("architectures.plot.single", lang)], y=[stack["single_params"] / c2],
                         name=t("architectures.plot.single", lang), marker_color=_PALETTE[1],
                         text=[f"{stack['single_kernel']}² = {stack['single_params'] // c2}"], textposition="outside"))
    fig.update_layout(title=t("architectures.plot.stack_title", lang), showlegend=False, height=340,
                      margin=dict(l=60, r=20, t=60, b=40))
    localised(fig, lang)
    fig.update_yaxes(title=t("architectures.plot.weights", lang))
    return fig


# Long on purpose: one drawing, shape by shape, from the input box to the ReLU, in drawing order.
def residual_blocks(blocks: list[dict], lang: str = "en") -> go.Figure:
    """Residual blocks drawn from the model: input, the convolutions of the main path (the one with stride 2
    highlighted), the shortcut (identity, or the 1×1 projection when the shape changes), the sum, the ReLU.

    ``blocks``: rows of ``core.architectures.cards`` (``main``, ``shortcut``, ``in_shape``, ``out_shape``).
    """
    fig = go.Figure()
    box_w, gap = 2.6, 5.4

    def shape_text(shape) -> str:
        return "×".join(str(int(v)) for v in shape)

    def box(x, y, text, colour, width=box_w, height=0.62):
        fig.add_shape(type="rect", x0=x - width / 2, x1=x + width / 2, y0=y - height / 2, y1=y + height / 2,
                      line=dict(color="#333", width=1), fillcolor=colour, layer="below")
        fig.add_annotation(x=x, y=y, text=text, showarrow=False, font=dict(size=12, color="#222"))

    def arrow(x0, y0, x1, y1):
        fig.add_annotation(x=x1, y=y1, ax=x0, ay=y0, xref="x", yref="y", axref="x", ayref="y", text="",
                           showarrow=True, arrowhead=2, arrowsize=1.2, arrowwidth=1.5, arrowcolor="#333")

    for i, b in enumerate(blocks):
        ox = i * (box_w + gap)
        y = 0.0
        box(ox, y, f"x · {shape_text(b['in_shape'])}", "#f1f1f1")
        top = y
        for j, conv in enumerate(b["main"]):
            y -= 1.1
            arrow(ox, y + 1.1 - 0.31, ox, y + 0.31)
            text = f"{conv['kernel']}×{conv['kernel']} conv, {conv['in']}→{conv['out']}"
            if conv["stride"] > 1:
                text += f"<br><b>stride {conv['stride']}</b>"
            box(ox, y, text, "#f4a259" if conv["stride"] > 1 else "#cfe3ea", height=0.8 if conv["stride"] > 1 else 0.62)
            after = "BN" if j == len(b["main"]) - 1 else "BN, ReLU"
            fig.add_annotation(x=ox - box_w / 2 - 0.1, y=y - 0.55, text=after, showarrow=False, xanchor="right",
                               font=dict(size=10, color="#555"))
        y -= 1.1
        arrow(ox, y + 1.1 - 0.31, ox, y + 0.3)
        fig.add_shape(type="circle", x0=ox - 0.3, x1=ox + 0.3, y0=y - 0.3, y1=y + 0.3, line=dict(color="#333"),
                      fillcolor="#ffffff")
        fig.add_annotation(x=ox, y=y, text="<b>+</b>", showarrow=False, font=dict(size=16))
        plus = y
        # the shortcut: from the input, down the right side, into the sum
        side = ox + box_w / 2 + 1.7
        for x0, y0, x1, y1 in ((ox + box_w / 2, top, side, top), (side, top, side, plus)):
            fig.add_shape(type="line", x0=x0, y0=y0, x1=x1, y1=y1, line=dict(color="#3d405b", width=2), layer="below")
        arrow(side, plus, ox + 0.3, plus)
        sc = b.get("shortcut")
        if sc:
            text = (f"{sc['kernel']}×{sc['kernel']} conv, {sc['in']}→{sc['out']}<br><b>stride {sc['stride']}</b>, BN"
                    if sc["stride"] > 1 else f"{sc['kernel']}×{sc['kernel']} conv, {sc['in']}→{sc['out']}, BN")
            box(side, (top + plus) / 2, text, "#f2cc8f", width=2.7, height=0.9)
            label = t("architectures.plot.projection", lang)
        else:
            box(side, (top + plus) / 2, t("architectures.plot.identity", lang), "#e9f5db", width=1.6)
            label = t("architectures.plot.identity_block", lang)
        y -= 1.0
        arrow(ox, plus - 0.3, ox, y + 0.31)
        box(ox, y, "ReLU", "#cfe3ea", width=1.4)
        y -= 1.0
        arrow(ox, y + 1.0 - 0.31, ox, y + 0.31)
        box(ox, y, shape_text(b["out_shape"]), "#f1f1f1")
        fig.add_annotation(x=ox + 0.6, y=0.85, text=f"<b>{b['name']}</b> ({b['type']}): {label}", showarrow=False,
                           font=dict(size=13, color="#222"))
    bottom = -1.1 * max(len(b["main"]) for b in blocks) - 3.4
    fig.update_xaxes(visible=False, range=[-box_w, len(blocks) * (box_w + gap) - gap + box_w / 2 + 3.0])
    fig.update_yaxes(visible=False, range=[bottom, 1.3], scaleanchor="x", scaleratio=1)
    fig.update_layout(height=460, margin=dict(l=10, r=10, t=10, b=10), plot_bgcolor="white", showlegend=False)
    return fig
