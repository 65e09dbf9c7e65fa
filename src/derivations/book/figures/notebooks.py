"""Figures for the companion notebooks (docs/notebooks/), drawn at build time.

Static figures go through ``to_img`` like every chapter's.  The circles
notebook's animation is an animated GIF built frame by frame with Pillow and
inlined as a data URI, so it needs no JavaScript and no extra file.
"""

import base64
import html
import io

import matplotlib.pyplot as plt
from PIL import Image

from derivations.book.figures import PALETTE, new_figure

__all__ = ["animated_gif", "circles_data_figure", "curve_figure", "difference_error_figure",
           "hidden_frames", "representation_animation"]


def difference_error_figure(eps_values, forward_errors, central_errors, bound):
    """Relative error of forward and central differences against ε (log–log)."""
    fig, ax = new_figure(figsize=(5.5, 3.6))
    ax.loglog(eps_values, forward_errors, "o-", color=PALETTE["vermillion"],
              label="forward difference")
    ax.loglog(eps_values, central_errors, "s--", color=PALETTE["blue"],
              label="central difference")
    ax.axhline(bound, color=PALETTE["black"], linestyle=":", label=f"bound {bound:g}")
    ax.set_xlabel("step ε")
    ax.set_ylabel("relative error against backprop")
    ax.legend(fontsize=8)
    return fig


def circles_data_figure(x_toy, y_toy, X, Y):
    """The two data sets: the 1-D step and the two circles (examples as columns)."""
    fig, (ax1, ax2) = new_figure(1, 2, figsize=(8, 3.4))
    ax1.plot(x_toy[0], y_toy[0], color=PALETTE["blue"])
    ax1.set_xlabel("input x")
    ax1.set_ylabel("label")
    ax1.set_title("1-D step: −1 for x ≤ 0, +1 for x > 0")
    outer, inner = Y[0] == 0, Y[0] == 1
    # 1000 points: rasterized inside the SVG, which keeps the page small
    ax2.scatter(X[0, outer], X[1, outer], s=8, marker="o", color=PALETTE["blue"],
                label="label 0 (outer)", rasterized=True)
    ax2.scatter(X[0, inner], X[1, inner], s=10, marker="^", color=PALETTE["orange"],
                label="label 1 (inner)", rasterized=True)
    ax2.set_aspect("equal")
    ax2.set_xlabel("$x_1$")
    ax2.set_ylabel("$x_2$")
    ax2.set_title("two circles")
    ax2.legend(fontsize=8, loc="upper right")
    return fig


def _axes3d(ax, title):
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_zlim(0, 1)
    ax.set_xlabel("$a^2_0$", labelpad=-8)
    ax.set_ylabel("$a^2_1$", labelpad=-8)
    ax.set_zlabel("$a^2_2$", labelpad=-8)
    ax.tick_params(labelsize=6, pad=-2)
    ax.set_title(title, fontsize=9)


def hidden_frames(frames, Y, dpi=80):
    """One PNG per (epoch, A, cost) frame: layer 2's three activations as a 3-D scatter.

    One figure is drawn and its points moved frame by frame, which is much
    faster than drawing a new figure each time.
    """
    outer, inner = Y[0] == 0, Y[0] == 1
    fig, ax = new_figure(figsize=(4.4, 4.0), subplot_kw={"projection": "3d"})
    _, A0, _ = frames[0]
    blue = ax.scatter(A0[0, outer], A0[1, outer], A0[2, outer], s=5, marker="o",
                      color=PALETTE["blue"], label="label 0 (outer circle)", depthshade=False)
    orange = ax.scatter(A0[0, inner], A0[1, inner], A0[2, inner], s=7, marker="^",
                        color=PALETTE["orange"], label="label 1 (inner circle)",
                        depthshade=False)
    ax.legend(fontsize=7, loc="upper left")
    last = max(1, frames[-1][0])
    pngs = []
    for epoch, A, cost in frames:
        blue._offsets3d = (A[0, outer], A[1, outer], A[2, outer])
        orange._offsets3d = (A[0, inner], A[1, inner], A[2, inner])
        _axes3d(ax, f"epoch {epoch}: mean cost {cost:.4f}")
        ax.view_init(elev=20, azim=-60 + 30 * epoch / last)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=dpi)
        pngs.append(buf.getvalue())
    plt.close(fig)
    return pngs


def animated_gif(pngs, alt, ms_per_frame=300, loops=3):
    """An ``<img>`` holding the PNG frames as an animated GIF (data URI), with alt text.

    The animation plays ``loops`` times and stops on its last frame.
    """
    if not alt or not alt.strip():
        raise ValueError("every figure needs alt text")
    images = [Image.open(io.BytesIO(p)).convert("RGB") for p in pngs]
    palette_images = [im.quantize(colors=64, method=Image.Quantize.MEDIANCUT) for im in images]
    buf = io.BytesIO()
    durations = [ms_per_frame] * (len(images) - 1) + [ms_per_frame * 6]
    palette_images[0].save(buf, format="GIF", save_all=True, append_images=palette_images[1:],
                           duration=durations, loop=loops, optimize=True)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return (f'<img class="figure" src="data:image/gif;base64,{data}" '
            f'alt="{html.escape(alt, quote=True)}">')


def representation_animation(frames, Y, alt):
    """The circles network's hidden representation through training, as an <img> tag."""
    return animated_gif(hidden_frames(frames, Y), alt)


def curve_figure(y_train, y_before, y_after, costs):
    """The curve: training points, the network's curve before and after descent; cost."""
    fig, (ax1, ax2) = new_figure(1, 2, figsize=(10, 4.4),
                                 gridspec_kw={"width_ratios": [1, 1.15], "wspace": 0.3})
    ax1.plot(y_train[0], y_train[1], "o", ms=3.5, color=PALETTE["green"], label="training points")
    ax1.plot(y_before[0], y_before[1], "--", lw=1.5, color=PALETTE["purple"],
             label="before training")
    ax1.plot(y_after[0], y_after[1], "-", lw=2, color=PALETTE["orange"], label="after training")
    ax1.set_aspect("equal", adjustable="datalim")
    ax1.set_xlabel("output 1")
    ax1.set_ylabel("output 2")
    ax1.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=3)
    ax1.set_title("the curve the network draws")
    its, cs = zip(*costs)
    ax2.semilogy(its, cs, "o-", ms=3, color=PALETTE["blue"])
    ax2.set_xlabel("iteration")
    ax2.set_ylabel("cost  ‖a − y‖² / N")
    ax2.set_title("steepest descent")
    return fig
