"""Figures for "Softmax and cross-entropy": the learning slowdown of a saturated output."""

import numpy as np

from derivations.book.figures import PALETTE, new_figure

__all__ = ["slowdown_alt", "slowdown_figure"]

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


def slowdown_alt(z, deltas, z_start, outputs):
    """Alt text for ``slowdown_figure``, with its numbers."""
    quad = np.asarray(deltas["quadratic"])
    at_start = {label: float(np.interp(z_start, z, d)) for label, d in deltas.items()}
    below = {label: int(np.argmax(np.asarray(a) < 0.5)) for label, a in outputs.items()}
    return (f"Two panels. Top: the output error delta of one sigmoid neuron with target 0, "
            f"against its weighted input z from {z[0]:g} to {z[-1]:g}. With cross-entropy, "
            f"delta equals the output a and rises towards 1. With the quadratic cost it "
            f"peaks near z = {z[np.argmax(quad)]:.1f} at {quad.max():.2f} and falls back "
            f"towards 0 as the neuron saturates; at the starting point z = {z_start:g} "
            f"(dotted line) it is {at_start['quadratic']:.3f}, against "
            f"{at_start['cross-entropy']:.3f} for cross-entropy. Bottom: the neuron's output "
            f"over {len(outputs['quadratic']) - 1} steps of gradient descent from "
            f"a = {outputs['quadratic'][0]:.3f}. With cross-entropy it falls below 0.5 after "
            f"{below['cross-entropy']} steps; with the quadratic cost it stays near 1 for a "
            f"long time and falls below 0.5 only after {below['quadratic']} steps.")
