"""Figures for the vectorized-form chapter (docs/vectorized.md).

* ``shapes_diagram``: the matrix products of BP2 and BP4 drawn as blocks whose
  sides are the array dimensions, so the transpose and the outer product can
  be read off: (n_l × n_{l+1}) (n_{l+1} × 1) = (n_l × 1) and
  (n_l × 1) (1 × n_{l-1}) = (n_l × n_{l-1}).
"""

from matplotlib.patches import Rectangle

from derivations.book.figures import PALETTE, new_figure

__all__ = ["shapes_alt", "shapes_diagram"]


def _block(ax, x, y, rows, cols, label, shape, color, hatch, unit):
    """A rows × cols grid of cells with its top-left corner at (x, y)."""
    for i in range(rows):
        for j in range(cols):
            ax.add_patch(Rectangle((x + j * unit, y - (i + 1) * unit), unit, unit,
                                   facecolor=color, edgecolor=PALETTE["black"],
                                   linewidth=0.8, hatch=hatch, alpha=0.9))
    ax.text(x + cols * unit / 2, y + 0.25, label, ha="center", va="bottom", fontsize=12)
    ax.text(x + cols * unit / 2, y - rows * unit - 0.2, shape, ha="center", va="top",
            fontsize=10)
    return x + cols * unit


def shapes_diagram(n_prev=3, n_l=4, n_next=2):
    """BP2 (top row) and BP4 (bottom row) as products of blocks of cells."""
    unit = 0.5
    fig, axes = new_figure(2, 1, figsize=(7.0, 6.2))
    blue, orange, green = PALETTE["sky"], PALETTE["orange"], PALETTE["green"]
    rows = [
        ("BP2", [(r"$(w^{l+1})^T$", n_l, n_next, blue, "//"),
                 (r"$\delta^{l+1}$", n_next, 1, orange, ".."),
                 (r"$(w^{l+1})^T\delta^{l+1}$", n_l, 1, green, None)],
         "then $\\odot\\,\\sigma'(z^l)$, also $n_l \\times 1$"),
        ("BP4", [(r"$\delta^{l}$", n_l, 1, orange, ".."),
                 (r"$(a^{l-1})^T$", 1, n_prev, blue, "//"),
                 (r"$\partial C/\partial w^{l}$", n_l, n_prev, green, None)],
         "the shape of $w^l$: one entry per weight"),
    ]
    dims = {n_l: "n_l", n_next: "n_{l+1}", n_prev: "n_{l-1}", 1: "1"}
    if len(dims) < 4:
        raise ValueError("use four different sizes so the labels can be told apart")
    for ax, (name, blocks, note) in zip(axes, rows, strict=True):
        ax.axis("off")
        ax.grid(False)
        ax.set_aspect("equal")
        x, y = 0.0, 0.0
        for i, (label, r, c, color, hatch) in enumerate(blocks):
            shape = f"${dims[r]} \\times {dims[c]}$"
            x = _block(ax, x, y, r, c, label, shape, color, hatch, unit)
            if i < len(blocks) - 1:
                ax.text(x + 0.45, y - unit * max(blocks[0][1], 1) / 2,
                        "=" if i == 1 else r"$\times$", ha="center", va="center", fontsize=16)
                x += 0.9
        ax.text(x + 0.3, y - 0.5 * unit, note, ha="left", va="center", fontsize=10)
        ax.set_title(name, loc="left", fontsize=12, fontweight="bold")
        ax.set_xlim(-0.3, x + 4.3)
        ax.set_ylim(-unit * max(n_l, n_next) - 0.9, 0.9)
    fig.tight_layout()
    return fig


def shapes_alt(n_prev=3, n_l=4, n_next=2):
    """Alt text for ``shapes_diagram`` with the same arguments."""
    return (
        f"Two rows of grids of cells. BP2: a {n_l} by {n_next} grid labelled w(l+1) "
        f"transposed, times a {n_next} by 1 column labelled delta(l+1), equals a {n_l} "
        f"by 1 column; then the elementwise product with sigma-prime of z-l keeps it "
        f"{n_l} by 1. BP4: a {n_l} by 1 column labelled delta-l, times a 1 by {n_prev} row "
        f"labelled a(l-1) transposed, equals a {n_l} by {n_prev} grid, the shape of w-l."
    )
