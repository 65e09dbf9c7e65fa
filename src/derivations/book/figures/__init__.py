"""Figures for the site, drawn with matplotlib by package code at build time.

Each chapter's figures live in a module of this package.  A page embeds one with
a hidden markdown-exec block:

    ```python exec="on" html="1"
    from derivations.book.figures import to_img
    from derivations.book.figures.scalar_chain import nudge_figure
    print(to_img(nudge_figure(), alt="What the figure shows, in words"))
    ```

``to_img`` returns an ``<img>`` tag with the SVG inline as a data URI and the
alt text, so the figure needs no file and no network request.
"""

import base64
import html
import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

__all__ = ["PALETTE", "new_figure", "to_img"]

#: Okabe–Ito colours, distinguishable with the common colour-vision deficiencies.
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}

_RC = {
    "axes.prop_cycle": matplotlib.cycler(color=[
        PALETTE[c] for c in ("blue", "orange", "green", "vermillion", "purple", "sky", "black")]),
    "svg.hashsalt": "derivations",  # same figure, same bytes: builds repeat
    "svg.fonttype": "path",
    "font.size": 10,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "figure.dpi": 100,
}


def new_figure(*args, **kwargs):
    """plt.subplots with the site's colour-blind-safe style."""
    with plt.rc_context(_RC):
        return plt.subplots(*args, **kwargs)


def to_img(fig, alt, width=None):
    """An ``<img>`` tag holding ``fig`` as inline SVG, with alt text; closes fig."""
    if not alt or not alt.strip():
        raise ValueError("every figure needs alt text")
    buf = io.BytesIO()
    with plt.rc_context(_RC):
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    style = f' style="max-width:{width}"' if width else ""
    return (f'<img class="figure" src="data:image/svg+xml;base64,{data}" '
            f'alt="{html.escape(alt, quote=True)}"{style}>')
