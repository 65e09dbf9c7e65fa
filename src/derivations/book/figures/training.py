"""Figures for "The algorithm and training": loss curves and the learned classifier."""

import numpy as np

from derivations.book.figures import PALETTE, new_figure
from derivations.network import feedforward

__all__ = ["loss_alt", "loss_figure"]

#: (colour, line style, marker) for the 1st, 2nd, 3rd … loss curve.
STYLES = (("blue", "-", "o"), ("orange", "--", "s"), ("green", "-.", "^"),
          ("vermillion", ":", "D"), ("purple", (0, (3, 1, 1, 1)), "v"))


def loss_figure(histories, X, Y, show, activation="sigmoid", output_activation=None):
    """Left: mean training cost per epoch for each run.  Right: run ``show``'s output.

    ``histories`` maps a legend label to a ``training.History``; ``show`` is
    the label whose trained network is drawn on the right, as the network's
    output over the square with the training points on top (circles for
    label 1, crosses for label 0) and the true boundary as a dashed circle.
    """
    fig, (ax, ax2) = new_figure(1, 2, figsize=(9.6, 3.9),
                                gridspec_kw={"width_ratios": [1.35, 1]})
    for (label, h), (colour, style, marker) in zip(histories.items(), STYLES, strict=False):
        epochs = np.arange(len(h.loss))
        ax.semilogy(epochs, h.loss, color=PALETTE[colour], linestyle=style, marker=marker,
                    markevery=max(1, len(epochs) // 10), markersize=5, label=label)
    ax.set_xlabel("epoch")
    ax.set_ylabel("mean training cost C")
    ax.legend(fontsize=8, framealpha=0.9)

    h = histories[show]
    grid = np.linspace(-1.0, 1.0, 121)
    gx, gy = np.meshgrid(grid, grid)
    _, a = feedforward(h.weights, h.biases, np.vstack([gx.ravel(), gy.ravel()]),
                       activation, output_activation)
    out = a[-1].reshape(gx.shape)
    image = ax2.imshow(out, origin="lower", extent=(-1, 1, -1, 1), cmap="cividis",
                       vmin=0.0, vmax=1.0)
    fig.colorbar(image, ax=ax2, label="network output a")
    inside = Y[0] > 0.5
    ax2.scatter(X[0, inside], X[1, inside], s=12, facecolors="none",
                edgecolors=PALETTE["black"], linewidths=0.8, label="label 1")
    ax2.scatter(X[0, ~inside], X[1, ~inside], s=12, marker="x", color=PALETTE["orange"],
                linewidths=0.8, label="label 0")
    t = np.linspace(0, 2 * np.pi, 200)
    r = np.sqrt(2 / np.pi)
    ax2.plot(r * np.cos(t), r * np.sin(t), color=PALETTE["sky"], linestyle="--",
             linewidth=1.2)
    ax2.set_xlim(-1, 1)
    ax2.set_ylim(-1, 1)
    ax2.set_aspect("equal")
    ax2.grid(False)
    ax2.set_title(show, fontsize=9)
    fig.tight_layout()
    return fig


def loss_alt(histories, show):
    """Alt text for ``loss_figure``: each run's first and last cost, and the map shown."""
    runs = ", ".join(f"{k} (from {h.loss[0]:.2f} to {h.loss[-1]:.2f})"
                     for k, h in histories.items())
    return (f"Left: the mean training cost, on a log scale, against the epoch for {runs}. "
            f"Right: the output of the network trained with {show} over the square, light "
            "inside a round region and dark outside, with the training points (circles "
            "labelled 1, crosses labelled 0) and the true circular boundary dashed.")
