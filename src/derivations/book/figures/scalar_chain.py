"""Figures for the scalar chain chapter (docs/scalar.md).

* ``chain_diagram``: the chain x → z¹ → a¹ → … → aᴸ → C, each forward step
  labelled with its local derivative, the factor the chain rule multiplies.
* ``cost_vs_weight``: C as a function of one weight wˡ, with the tangent whose
  slope is BP4's value ∂C/∂wˡ = aˡ⁻¹ δˡ from ``derivations.scalar``.

Every figure function returns a matplotlib Figure; ``*_alt`` functions return
its alt text, with the same numbers the figure shows.
"""

import numpy as np
from matplotlib.patches import FancyArrowPatch

from derivations import scalar
from derivations.activations import get_activation
from derivations.book.figures import PALETTE, new_figure
from derivations.costs import get_cost

__all__ = ["chain_alt", "chain_diagram", "cost_of_weight", "cost_vs_weight",
           "cost_vs_weight_alt", "slope_of_weight"]


def _arrow(ax, start, end, color, style="-", rad=0.0):
    ax.add_patch(FancyArrowPatch(
        start, end, arrowstyle="-|>", mutation_scale=12, color=color,
        linestyle=style, linewidth=1.4, shrinkA=14, shrinkB=14,
        connectionstyle=f"arc3,rad={rad}"))


def chain_diagram(L=3):
    """The scalar chain with L layers: nodes, forward steps and local derivatives.

    Top: each weight wˡ and bias bˡ feed zˡ.  Along the chain, each arrow is
    labelled (below, in orange) with the derivative of its head with respect
    to its tail: ∂zˡ/∂aˡ⁻¹ = wˡ, ∂aˡ/∂zˡ = σ′(zˡ), ∂C/∂aᴸ; and ∂zˡ/∂wˡ = aˡ⁻¹.
    """
    if L < 1:
        raise ValueError(f"the chain needs at least one layer; got L = {L}")
    nodes = [r"$x = a^{0}$"]
    for l in range(1, L + 1):
        nodes += [rf"$z^{{{l}}}$", rf"$a^{{{l}}}$"]
    nodes.append(r"$C$")
    n = len(nodes)
    fig, ax = new_figure(figsize=(1.25 * n + 0.6, 2.9))
    ax.set_xlim(-0.7, n - 0.3)
    ax.set_ylim(-1.25, 1.35)
    ax.axis("off")
    ax.grid(False)
    box = dict(boxstyle="round,pad=0.35", facecolor="white",
               edgecolor=PALETTE["blue"], linewidth=1.5)
    for i, label in enumerate(nodes):
        ax.text(i, 0, label, ha="center", va="center", fontsize=13, bbox=box)
    for i in range(n - 1):
        _arrow(ax, (i, 0), (i + 1, 0), PALETTE["blue"])
        if i == n - 2:
            local = rf"$\dfrac{{\partial C}}{{\partial a^{{{L}}}}}$"
        elif i % 2 == 0:
            local = rf"$w^{{{i // 2 + 1}}}$"
        else:
            local = rf"$\sigma'(z^{{{(i + 1) // 2}}})$"
        ax.text(i + 0.5, -0.42, local, ha="center", va="center", fontsize=11,
                color=PALETTE["vermillion"])
    for l in range(1, L + 1):
        iz = 2 * l - 1
        ax.text(iz - 0.25, 1.05, rf"$w^{{{l}}}$", ha="center", va="center", fontsize=12,
                bbox=dict(boxstyle="round,pad=0.25", facecolor="white",
                          edgecolor=PALETTE["green"], linestyle="--"))
        ax.text(iz + 0.25, 1.05, rf"$b^{{{l}}}$", ha="center", va="center", fontsize=12,
                bbox=dict(boxstyle="round,pad=0.25", facecolor="white",
                          edgecolor=PALETTE["green"], linestyle="--"))
        _arrow(ax, (iz - 0.25, 1.05), (iz, 0.05), PALETTE["green"], style="--")
        _arrow(ax, (iz + 0.25, 1.05), (iz, 0.05), PALETTE["green"], style="--")
        ax.text(iz - 0.42, 0.5, rf"$a^{{{l - 1}}}$", ha="right", va="center",
                fontsize=10, color=PALETTE["vermillion"])
        ax.text(iz + 0.42, 0.5, r"$1$", ha="left", va="center",
                fontsize=10, color=PALETTE["vermillion"])
    ax.text((n - 1) / 2, -1.05,
            "each label: derivative of the arrow's head with respect to its tail",
            ha="center", va="center", fontsize=9.5, color=PALETTE["vermillion"],
            style="italic")
    return fig


def chain_alt(L=3):
    """Alt text for ``chain_diagram(L)``."""
    return (
        f"A chain of boxes from left to right: x equals a0, then z and a for each of the "
        f"layers 1 to {L}, then the cost C. Each weight w-l and bias b-l point down into "
        f"z-l. Below each arrow is its local derivative: w-l on the step from a-(l-1) to "
        f"z-l, sigma-prime of z-l on the step from z-l to a-l, and dC/da-L on the last "
        f"step. Beside the weight arrows: dz-l/dw-l = a-(l-1) and dz-l/db-l = 1."
    )


def cost_of_weight(ws, bs, x, y, layer, values, activation="sigmoid", cost="quadratic"):
    """C as a function of the weight w^layer, all other parameters fixed."""
    act, c = get_activation(activation), get_cost(cost)
    out = []
    for v in np.asarray(values, dtype=float):
        w = list(ws)
        w[layer - 1] = float(v)
        _, a = scalar.forward(w, bs, x, act.f, act.f)
        out.append(c.value(a[-1], y))
    return np.array(out)


def slope_of_weight(ws, bs, x, y, layer, activation="sigmoid", cost="quadratic"):
    """BP4's value ∂C/∂w^layer, from ``scalar.backprop``."""
    nabla_w, _ = scalar.backprop(ws, bs, x, y, activation=activation, cost=cost)
    return nabla_w[layer - 1]


def cost_vs_weight(ws, bs, x, y, layer, activation="sigmoid", cost="quadratic",
                   half_width=2.0):
    """C(wˡ) around the current wˡ, the tangent with slope ∂C/∂wˡ (BP4), and the point."""
    w0 = float(ws[layer - 1])
    grid = np.linspace(w0 - half_width, w0 + half_width, 201)
    C = cost_of_weight(ws, bs, x, y, layer, grid, activation, cost)
    C0 = float(cost_of_weight(ws, bs, x, y, layer, [w0], activation, cost)[0])
    slope = slope_of_weight(ws, bs, x, y, layer, activation, cost)
    fig, ax = new_figure(figsize=(6.2, 3.8))
    ax.plot(grid, C, color=PALETTE["blue"], linestyle="-", linewidth=2,
            label=rf"$C$ as a function of $w^{{{layer}}}$")
    near = np.abs(grid - w0) <= half_width * 0.6
    ax.plot(grid[near], C0 + slope * (grid[near] - w0), color=PALETTE["vermillion"],
            linestyle="--", linewidth=2,
            label=rf"tangent, slope $\partial C/\partial w^{{{layer}}}$ = {slope:.4f} (BP4)")
    ax.plot([w0], [C0], marker="o", markersize=8, color=PALETTE["black"], linestyle="none",
            label=rf"current $w^{{{layer}}}$ = {w0:g}")
    ax.set_xlabel(rf"$w^{{{layer}}}$")
    ax.set_ylabel(r"$C$")
    ax.legend(loc="best", fontsize=9)
    lo, hi = float(np.min(C)), float(np.max(C))
    pad = 0.1 * (hi - lo if hi > lo else 1.0)
    ax.set_ylim(lo - pad, hi + pad)
    fig.tight_layout()
    return fig


def cost_vs_weight_alt(ws, bs, x, y, layer, activation="sigmoid", cost="quadratic"):
    """Alt text for ``cost_vs_weight`` with the same arguments."""
    w0 = float(ws[layer - 1])
    C0 = float(cost_of_weight(ws, bs, x, y, layer, [w0], activation, cost)[0])
    slope = slope_of_weight(ws, bs, x, y, layer, activation, cost)
    return (
        f"A solid blue curve: the cost C as the weight w{layer} varies, every other "
        f"parameter fixed. A black dot marks the current weight w{layer} = {w0:g}, where "
        f"C = {C0:.4f}. A dashed orange-red line touches the curve there; its slope is "
        f"{slope:.4f}, the value of dC/dw{layer} that BP4 computes."
    )
