"""Figures for "Softmax and cross-entropy": the learning slowdown of a saturated output."""

import numpy as np

from derivations.book.figures import PALETTE, new_figure

__all__ = ["slowdown_figure"]

#: (colour, line style) for the quadratic cost and for cross-entropy.
STYLES = {"quadratic": ("vermillion", "--"), "cross-entropy": ("blue", "-")}


def slowdown_figure(z, deltas, z_start, outputs):
    """Top: δ = ∂C/∂z of one sigmoid neuron against z.  Bottom: its output per step.

    ``deltas`` maps "quadratic" and "cross-entropy" to δ over the grid ``z``;
    a marker on each curve shows δ at ``z_start``, where training begins.
    ``outputs`` maps the same labels to the neuron's output a before training
    and after each gradient-descent step.  The panels are stacked, so the
    figure stays legible on a narrow screen.
    """
    if set(deltas) != set(STYLES) or set(outputs) != set(STYLES):
        raise ValueError(f"deltas and outputs need exactly the labels {sorted(STYLES)}")
    fig, (ax, ax2) = new_figure(2, 1, figsize=(6.4, 6.2))
    for label, (colour, style) in STYLES.items():
        d = np.asarray(deltas[label])
        ax.plot(z, d, color=PALETTE[colour], linestyle=style, linewidth=1.8, label=label)
        ax.plot([z_start], [np.interp(z_start, z, d)], marker="o", color=PALETTE[colour],
                markersize=6)
        a = np.asarray(outputs[label])
        ax2.plot(np.arange(len(a)), a, color=PALETTE[colour], linestyle=style,
                 linewidth=1.8, label=label)
    ax.axvline(z_start, color=PALETTE["black"], linestyle=":", linewidth=1)
    ax.set_xlabel("weighted input z (target y = 0)")
    ax.set_ylabel(r"output error $\delta = \partial C/\partial z$")
    ax.legend(fontsize=8, framealpha=0.9, loc="upper left")
    ax2.set_xlabel("gradient-descent step")
    ax2.set_ylabel("output a (target 0)")
    ax2.set_ylim(0.0, 1.0)
    ax2.legend(fontsize=8, framealpha=0.9)
    fig.tight_layout()
    return fig
