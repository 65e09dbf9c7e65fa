"""Figures for the index-form chapter (docs/index-form.md).

* ``fanout_diagram``: neuron k of layer l feeds every neuron j of layer l + 1
  through the weight wˡ⁺¹ⱼₖ, so a change in aˡₖ reaches the cost along every
  one of those paths, and ∂C/∂aˡₖ is a sum over j.
"""

from matplotlib.patches import Circle, FancyArrowPatch

from derivations.book.figures import PALETTE, new_figure

__all__ = ["fanout_alt", "fanout_diagram"]


def _positions(n, x):
    return [(x, (n - 1) / 2 - i) for i in range(n)]


def fanout_diagram(n_l=3, n_next=4, k=1):
    """Layer l (n_l neurons), layer l + 1 (n_next neurons) and the cost C.

    The edges from neuron k of layer l to every neuron j of layer l + 1 are
    drawn solid and labelled wˡ⁺¹ⱼₖ; the other edges are faint and dotted.
    """
    if not 0 <= k < n_l:
        raise ValueError(f"k must be a neuron of layer l, 0 ≤ k < {n_l}; got {k}")
    fig, ax = new_figure(figsize=(6.4, 0.75 * max(n_l, n_next) + 1.4))
    ax.axis("off")
    ax.grid(False)
    ax.set_aspect("equal")
    left, mid, right = _positions(n_l, 0.0), _positions(n_next, 3.0), [(5.2, 0.0)]
    r = 0.28
    for i, (x0, y0) in enumerate(left):
        for j, (x1, y1) in enumerate(mid):
            hot = i == k
            ax.add_patch(FancyArrowPatch(
                (x0, y0), (x1, y1), arrowstyle="-|>", mutation_scale=10,
                shrinkA=12, shrinkB=12,
                color=PALETTE["vermillion"] if hot else "0.75",
                linestyle="-" if hot else ":", linewidth=1.8 if hot else 0.9))
            if hot:
                t = 0.62
                ax.text(x0 + t * (x1 - x0), y0 + t * (y1 - y0) + 0.13,
                        rf"$w^{{l+1}}_{{{j}{k}}}$", fontsize=10, ha="center",
                        color=PALETTE["vermillion"],
                        bbox=dict(facecolor="white", edgecolor="none", pad=0.5))
    for (x1, y1) in mid:
        ax.add_patch(FancyArrowPatch(
            (x1, y1), right[0], arrowstyle="-|>", mutation_scale=10, shrinkA=12,
            shrinkB=16, color=PALETTE["blue"], linestyle="--", linewidth=1.2))
    for i, (x0, y0) in enumerate(left):
        hot = i == k
        ax.add_patch(Circle((x0, y0), r, facecolor=PALETTE["orange"] if hot else "white",
                            edgecolor=PALETTE["black"], linewidth=1.6 if hot else 1.0,
                            hatch="//" if hot else None, zorder=3))
        ax.text(x0 - 0.45, y0, rf"$a^{{l}}_{{{i}}}$", ha="right", va="center", fontsize=12)
    for j, (x1, y1) in enumerate(mid):
        ax.add_patch(Circle((x1, y1), r, facecolor="white", edgecolor=PALETTE["black"],
                            zorder=3))
        ax.text(x1 + 0.3, y1 - 0.38, rf"$z^{{l+1}}_{{{j}}}$", ha="left", va="center",
                fontsize=11)
    ax.text(*right[0], r"$C$", ha="center", va="center", fontsize=14,
            bbox=dict(boxstyle="round,pad=0.4", facecolor="white",
                      edgecolor=PALETTE["blue"], linewidth=1.5))
    top = (max(n_l, n_next) - 1) / 2 + 0.8
    ax.text(0.0, top, r"layer $l$", ha="center", fontsize=11)
    ax.text(3.0, top, r"layer $l+1$", ha="center", fontsize=11)
    ax.set_xlim(-1.3, 5.8)
    ax.set_ylim(-top - 0.3, top + 0.4)
    return fig


def fanout_alt(n_l=3, n_next=4, k=1):
    """Alt text for ``fanout_diagram`` with the same arguments."""
    return (
        f"Two columns of neurons: layer l with {n_l} neurons on the left, layer l+1 with "
        f"{n_next} on the right, and the cost C further right. Neuron {k} of layer l is "
        f"filled and hatched; solid arrows run from it to every one of the {n_next} "
        f"neurons of layer l+1, labelled w(l+1) j {k} for j = 0 to {n_next - 1}. Every "
        f"neuron of layer l+1 has a dashed arrow to C. All other connections are faint "
        f"dotted lines. A change in a-l-{k} therefore reaches C along {n_next} paths."
    )
