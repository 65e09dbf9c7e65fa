"""Figures for "What the equations tell us": gradient and activation sizes layer by layer.

``depth_runs`` measures deep networks of one width, several seeds each;
``gradient_figure`` and ``init_figure`` draw the medians, with the range over
the seeds as a band, on a log scale.
"""

from typing import NamedTuple

import numpy as np
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullFormatter

from derivations.activations import get_activation
from derivations.book.figures import PALETTE, new_figure
from derivations.depth import gaussian_params, gradient_norms
from derivations.network import feedforward

__all__ = ["Runs", "depth_runs", "gradient_alt", "gradient_figure", "init_alt",
           "init_figure"]

#: (colour, line style, marker) for each hidden activation, and for each weight variance.
ACTIVATION_STYLES = {"sigmoid": ("blue", "-", "o"), "tanh": ("orange", "--", "s"),
                     "relu": ("green", "-.", "^")}
SCHEME_STYLES = (("blue", "-", "o"), ("vermillion", "--", "s"), ("purple", ":", "D"))


class Runs(NamedTuple):
    """Per-layer sizes over seeds: rows are seeds, column l − 1 is layer l.

    ``w``: ‖∂C/∂wˡ‖, ``b``: ‖∂C/∂bˡ‖ (l = 1…L); ``a``: the root mean square
    of aˡ over neurons and examples, column l for l = 0…L; ``sp``: the root
    mean square of σ′(zˡ), column l − 1 for the hidden layers l = 1…L − 1.
    """

    w: np.ndarray
    b: np.ndarray
    a: np.ndarray
    sp: np.ndarray

    def median(self, field):
        """The median over the seeds, layer by layer."""
        return np.median(getattr(self, field), axis=0)


def depth_runs(activation, weight_var, bias_var, *, depth, width, N, seeds):
    """Gradient and activation sizes of ``len(seeds)`` networks, L = ``depth`` layers.

    Every layer has ``width`` neurons; the hidden layers use ``activation``,
    the output layer the identity, the cost is quadratic, and the inputs and
    targets of the N examples are standard normal.  The parameters come from
    ``gaussian_params(sizes, rng, weight_var, bias_var)``.
    """
    sizes = [width] * (depth + 1)
    names = dict(activation=activation, output_activation="identity")
    sigma_prime = get_activation(activation).prime
    w_rows, b_rows, a_rows, sp_rows = [], [], [], []
    for seed in seeds:
        rng = np.random.default_rng(seed)
        weights, biases = gaussian_params(sizes, rng, weight_var, bias_var)
        X = rng.standard_normal((width, N))
        Y = rng.standard_normal((width, N))
        norms = gradient_norms(weights, biases, X, Y, **names)
        z, a = feedforward(weights, biases, X, **names)
        w_rows.append(norms.w[1:])
        b_rows.append(norms.b[1:])
        a_rows.append([_rms(al) for al in a])
        sp_rows.append([_rms(sigma_prime(zl)) for zl in z[1:depth]])
    return Runs(*map(np.array, (w_rows, b_rows, a_rows, sp_rows)))


def _rms(v):
    return float(np.sqrt(np.mean(v * v)))


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _power_of_ten(value, _pos):
    """10⁻³ as plain text: matplotlib's default 10^{-3} costs a mathtext parse per label."""
    exponent = round(np.log10(value)) if value > 0 else 0
    return f"10{str(exponent).translate(_SUPERSCRIPT)}"


def _plain(value, _pos):
    return f"{value:g}"


def _log_axis(ax):
    """A log y axis labelled 10⁻³, 10⁰, …; one spanning under 1.5 decades also at 2, 3, 5 × 10ᵏ."""
    ax.set_yscale("log")
    low, high = ax.get_ylim()
    narrow = high / low < 30
    ax.yaxis.set_major_locator(LogLocator(numticks=7))
    ax.yaxis.set_major_formatter(FuncFormatter(_plain if narrow else _power_of_ten))
    if narrow:
        ax.yaxis.set_minor_locator(LogLocator(subs=(2.0, 3.0, 5.0), numticks=12))
    ax.yaxis.set_minor_formatter(FuncFormatter(_plain) if narrow else NullFormatter())


def _curve(ax, layers, rows, label, style):
    colour, line, marker = style
    ax.fill_between(layers, rows.min(axis=0), rows.max(axis=0), color=PALETTE[colour],
                    alpha=0.15, linewidth=0)
    ax.plot(layers, np.median(rows, axis=0), color=PALETTE[colour], linestyle=line,
            marker=marker, markersize=4, label=label)
    _log_axis(ax)


def _two_rows(n_cols, col_width, height):
    return new_figure(2, n_cols, figsize=(col_width * n_cols, height), sharex=True,
                      squeeze=False)


def _finish(fig, axes, titles, ylabels, wspace):
    """Column titles, the layer axis, row labels, one legend; fixed spacing."""
    for col, title in enumerate(titles):
        axes[0, col].set_title(title, fontsize=9)
        axes[1, col].set_xlabel("layer l")
        axes[1, col].xaxis.set_major_locator(MaxNLocator(integer=True))
    for row, label in enumerate(ylabels):
        axes[row, 0].set_ylabel(label)
    axes[0, 0].legend(fontsize=8, framealpha=0.9)
    fig.subplots_adjust(wspace=wspace, hspace=0.1)   # fixed: tight_layout costs a draw
    return fig


def _alt(intro, groups, describe):
    """``intro``, then per group (title, {label: Runs}) each curve as ``describe(label, r)``."""
    return " ".join([intro] + [
        f"{title}: " + "; ".join(describe(label, r) for label, r in curves.items()) + "."
        for title, curves in groups])


def gradient_figure(runs, titles):
    """‖∂C/∂wˡ‖ (top) and ‖∂C/∂bˡ‖ (bottom) against l, one column per weight scale.

    ``runs[scale][activation]`` is a ``Runs``; ``titles[scale]`` heads its column.
    """
    fig, axes = _two_rows(len(runs), 4.6, 6.4)
    for col, by_activation in enumerate(runs.values()):
        for activation, r in by_activation.items():
            layers = np.arange(1, r.w.shape[1] + 1)
            for row, field in enumerate(("w", "b")):
                _curve(axes[row, col], layers, getattr(r, field), activation,
                       ACTIVATION_STYLES[activation])
    return _finish(fig, axes, [titles[s] for s in runs], ("‖∂C/∂wˡ‖", "‖∂C/∂bˡ‖"), 0.18)


def gradient_alt(runs, titles):
    """Alt text for ``gradient_figure``: each median curve's first and last value."""
    return _alt(
        "Log-scale panels of gradient norm against layer, medians over seeds with the range "
        "shaded; top row weight gradients, bottom row bias gradients, one column per weight "
        "scale.",
        [(titles[s], by_activation) for s, by_activation in runs.items()],
        lambda act, r: (f"{act}: weight gradient {r.median('w')[0]:.2g} at layer 1 and "
                        f"{r.median('w')[-1]:.2g} at layer {r.w.shape[1]}, bias gradient "
                        f"{r.median('b')[0]:.2g} and {r.median('b')[-1]:.2g}"))


def init_figure(runs, labels):
    """RMS of aˡ (top) and ‖∂C/∂bˡ‖ (bottom) against l: one column per activation.

    ``runs[activation][scheme]`` is a ``Runs``; ``labels[scheme]`` names the
    weight variance in the legend.
    """
    fig, axes = _two_rows(len(runs), 3.3, 5.6)
    for col, by_scheme in enumerate(runs.values()):
        for (scheme, r), style in zip(by_scheme.items(), SCHEME_STYLES):
            hidden = r.a.shape[1] - 1             # layers 0…L−1: the output layer is linear
            _curve(axes[0, col], np.arange(hidden), r.a[:, :hidden], labels[scheme], style)
            _curve(axes[1, col], np.arange(1, r.b.shape[1] + 1), r.b, labels[scheme], style)
    return _finish(fig, axes, list(runs), ("RMS of aˡ", "‖∂C/∂bˡ‖"), 0.28)


def init_alt(runs, labels):
    """Alt text for ``init_figure``: each median curve's first and last value."""
    return _alt(
        "Log-scale panels, one column per activation: the root mean square of the "
        "activations (top) and the bias gradient norm (bottom) against the layer, medians "
        "over seeds with the range shaded, for several weight variances.",
        [(act, {labels[s]: r for s, r in by_scheme.items()}) for act, by_scheme in runs.items()],
        lambda label, r: (f"{label}: activations {r.median('a')[1]:.2g} at layer 1 and "
                          f"{r.median('a')[-2]:.2g} at layer {r.a.shape[1] - 2}, bias "
                          f"gradient {r.median('b')[0]:.2g} at layer 1 and "
                          f"{r.median('b')[-1]:.2g} at layer {r.b.shape[1]}"))
