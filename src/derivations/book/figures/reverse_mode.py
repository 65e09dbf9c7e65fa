"""Figures for "Backpropagation as reverse mode" (docs/reverse-mode.md).

* ``graph_figure``: a computational graph, each node with its forward value
  above it and its gradient ∂C/∂(node) below it; ``gate_graph`` and
  ``network_graph`` lay out the page's two graphs (three gates; a 2-2-1
  network's neurons, numbers from an actual forward and backward pass).
* ``timing_figure``: median CPU time to get every ∂C/∂θ against the parameter
  count P, for backprop, finite differences and forward mode.
"""

from typing import NamedTuple

import numpy as np
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

from derivations.book.figures import PALETTE, new_figure

__all__ = ["GraphNode", "gate_graph", "gate_graph_alt", "graph_alt", "graph_figure",
           "network_graph", "timing_alt", "timing_figure"]


class GraphNode(NamedTuple):
    """A node: its name, a LaTeX label, its place, forward value, ∂C/∂node (or None), width."""

    name: str
    label: str
    x: float
    y: float
    value: float
    grad: float | None
    width: float = 0.62


def _num(v):
    return f"{v:.3g}".replace("-", "−")


def graph_figure(nodes, edges, edge_labels=None, width=8.0):
    """Draw ``nodes`` (``GraphNode``) joined by ``edges`` (pairs of names), left to right.

    Above each node its forward value (blue, upright), below it ∂C/∂node
    (vermillion, italic, after a backwards arrow); ``edge_labels`` maps an
    edge to a short text drawn on it.
    """
    by_name = {n.name: n for n in nodes}
    ys = [n.y for n in nodes]
    height = max(2.4, 1.1 * (max(ys) - min(ys)) + 1.9)
    fig, ax = new_figure(figsize=(width, height))
    ax.axis("off")
    ax.grid(False)
    box_h = 0.42
    for src, dst in edges:
        a, b = by_name[src], by_name[dst]
        x0, x1 = a.x + a.width / 2, b.x - b.width / 2
        ax.add_patch(FancyArrowPatch(
            (x0, a.y), (x1, b.y), arrowstyle="-|>",
            mutation_scale=11, color="0.45", linewidth=1.1, shrinkA=1, shrinkB=1))
        if edge_labels and (src, dst) in edge_labels:
            t = 0.3                       # near the source: the labels do not collide
            ax.text(x0 + t * (x1 - x0), a.y + t * (b.y - a.y), edge_labels[(src, dst)],
                    fontsize=8, ha="center", va="center", color=PALETTE["black"],
                    bbox=dict(facecolor="white", edgecolor="none", pad=0.3))
    for n in nodes:
        ax.add_patch(FancyBboxPatch(
            (n.x - n.width / 2, n.y - box_h / 2), n.width, box_h,
            boxstyle="round,pad=0.02,rounding_size=0.08", facecolor="white",
            edgecolor=PALETTE["black"], linewidth=1.1, zorder=3))
        ax.text(n.x, n.y, n.label, ha="center", va="center", fontsize=11, zorder=4)
        ax.text(n.x, n.y + box_h / 2 + 0.08, _num(n.value), ha="center", va="bottom",
                fontsize=9, color=PALETTE["blue"], zorder=4)
        if n.grad is not None:
            ax.text(n.x, n.y - box_h / 2 - 0.08, "← " + _num(n.grad), ha="center",
                    va="top", fontsize=9, color=PALETTE["vermillion"], style="italic",
                    zorder=4)
    top, bottom = max(ys) + 0.95, min(ys) - 0.8
    left = min(n.x - n.width / 2 for n in nodes)
    right = max(n.x + n.width / 2 for n in nodes)
    ax.text(left, top, "value (forward)", color=PALETTE["blue"], fontsize=9,
            ha="left", va="top")
    ax.text(right, top, "← ∂C/∂node (backward)", color=PALETTE["vermillion"],
            fontsize=9, ha="right", va="top", style="italic")
    ax.set_xlim(left - 0.1, right + 0.1)
    ax.set_ylim(bottom, top + 0.1)
    ax.set_aspect("equal")
    return fig


def graph_alt(nodes, what):
    """Alt text for ``graph_figure``: what the graph is, then every node's numbers."""
    parts = [f"{n.name} = {_num(n.value)}"
             + ("" if n.grad is None else f", dC/d{n.name} = {_num(n.grad)}")
             for n in nodes]
    return (f"A computational graph of {what}, drawn left to right; above each node its "
            "value from the forward pass, below it the gradient of C with respect to it "
            "from the backward pass. " + "; ".join(parts) + ".")


def gate_graph_alt(nodes):
    """Alt text for the graph of ``gate_graph``."""
    return graph_alt(nodes, "C = (p + q) max(q, r), with o1 = p + q and o2 = max(q, r)")


def gate_graph(values, grads):
    """Nodes and edges of C = (p + q) · max(q, r): inputs p, q, r; o₁ = p + q, o₂ = max(q, r).

    ``values`` and ``grads`` map each node name (p, q, r, o1, o2, C) to its
    forward value and to ∂C/∂node.
    """
    place = {"p": (0.0, 1.1), "q": (0.0, 0.0), "r": (0.0, -1.1),
             "o1": (2.4, 0.6), "o2": (2.4, -0.6), "C": (4.8, 0.0)}
    label = {"p": "$p$", "q": "$q$", "r": "$r$", "o1": "$o_1 = p + q$",
             "o2": r"$o_2 = \max(q, r)$", "C": r"$C = o_1 o_2$"}
    width = {"o1": 1.35, "o2": 1.7, "C": 1.2}
    nodes = [GraphNode(k, label[k], *place[k], values[k], grads[k], width.get(k, 0.62))
             for k in place]
    edges = [("p", "o1"), ("q", "o1"), ("q", "o2"), ("r", "o2"), ("o1", "C"), ("o2", "C")]
    return nodes, edges


def network_graph(trace, weights, y):
    """Nodes, edges and weight labels of a network's graph, from its ``algorithm.Trace``.

    For a quadratic cost C = ½‖aᴸ − y‖².  One column per aˡ and per zˡ, then
    C.  Below zˡⱼ its error δˡⱼ; below aˡₖ its ∂C/∂aˡₖ, which is Σⱼ wˡ⁺¹ⱼₖ δˡ⁺¹ⱼ
    for a hidden layer and aᴸₖ − yₖ at the output.  The input has no gradient:
    backprop stops at δ¹.
    """
    L = len(weights)
    dC_da = [None] * (L + 1)
    for l in range(1, L):
        dC_da[l] = weights[l].T @ trace.delta[l + 1]
    dC_da[L] = trace.a[L] - y
    nodes, edges, labels = [], [], {}

    def column(kind, l, x):
        vals, grads = (trace.a, dC_da) if kind == "a" else (trace.z, trace.delta)
        n = len(vals[l])
        names = [f"{kind}{l}_{j}" for j in range(n)]
        nodes.extend(GraphNode(name, f"${kind}^{l}_{j}$", x, 1.25 * ((n - 1) / 2 - j),
                               float(vals[l][j, 0]),
                               None if grads[l] is None else float(grads[l][j, 0]))
                     for j, name in enumerate(names))
        return names

    prev, x = column("a", 0, 0.0), 0.0
    for l in range(1, L + 1):
        x += 1.5
        zs = column("z", l, x)
        for j, zj in enumerate(zs):
            for k, ak in enumerate(prev):
                edges.append((ak, zj))
                labels[(ak, zj)] = f"$w^{l}_{{{j}{k}}}$"
        x += 1.25
        prev = column("a", l, x)
        edges += list(zip(zs, prev))
    nodes.append(GraphNode("C", "$C$", x + 1.25, 0.0,
                           0.5 * float(np.sum((trace.a[L] - y) ** 2)), 1.0))
    edges += [(ak, "C") for ak in prev]
    return nodes, edges, labels


#: (colour, line style, marker) of each way in ``timing_figure``.
STYLES = {"backprop": ("blue", "-", "o"),
          "finite differences": ("vermillion", "--", "s"),
          "forward mode": ("green", "-.", "^")}


def timing_figure(rows):
    """Median CPU time of each way against P, on log–log axes (``gradient_timing`` rows)."""
    fig, ax = new_figure(figsize=(6.4, 3.9))
    P = [r.n_params for r in rows]
    for way, (colour, style, marker) in STYLES.items():
        ax.loglog(P, [1e3 * r.seconds[way] for r in rows], color=PALETTE[colour],
                  linestyle=style, marker=marker, label=way)
    plain = FuncFormatter(lambda value, _: f"{value:g}")   # "20", not 2×10¹ in mathtext
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        axis.set_major_formatter(plain)
        axis.set_minor_formatter(NullFormatter())
    ax.set_xlabel("number of parameters P")
    ax.set_ylabel("median CPU time for all ∂C/∂θ (ms)")
    ax.legend(fontsize=9, framealpha=0.9)
    fig.tight_layout()
    return fig


def timing_alt(rows):
    """Alt text for ``timing_figure``, with the measured medians."""
    parts = "; ".join(
        f"P = {r.n_params}: backprop {1e3 * r.seconds['backprop']:.3f} ms, finite "
        f"differences {1e3 * r.seconds['finite differences']:.2f} ms, forward mode "
        f"{1e3 * r.seconds['forward mode']:.2f} ms" for r in rows)
    return ("Log-log plot of the median CPU time to compute every partial derivative of the "
            "cost against the number of parameters P. Backprop: blue solid line with "
            "circles; finite differences: vermillion dashed line with squares; forward "
            "mode: green dash-dotted line with triangles. " + parts + ".")
