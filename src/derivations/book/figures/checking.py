"""Figures for "Checking the equations": difference-quotient error against ε."""

from typing import NamedTuple

import numpy as np

from derivations import batched
from derivations.book.figures import PALETTE, new_figure
from derivations.check import make_case
from derivations.gradcheck import (
    BOUND,
    EPS,
    central_difference,
    forward_difference,
    numerical_param_grads,
    rel_error,
)

__all__ = ["ErrorCurves", "error_vs_eps", "error_vs_eps_alt", "error_vs_eps_figure"]

#: (label, method, dtype, colour, line style, marker) for each curve.
CURVES = (
    ("central, float64", central_difference, np.float64, "blue", "-", "o"),
    ("forward, float64", forward_difference, np.float64, "orange", "--", "s"),
    ("central, float32", central_difference, np.float32, "green", "-.", "^"),
    ("forward, float32", forward_difference, np.float32, "vermillion", ":", "D"),
)


class ErrorCurves(NamedTuple):
    """Relative error of the numerical gradient for each ε, one array per curve."""

    eps: np.ndarray
    errors: dict  # label -> array of relative errors, same length as eps

    def best(self, label):
        """(ε, relative error) at the smallest error of one curve."""
        i = int(np.argmin(self.errors[label]))
        return float(self.eps[i]), float(self.errors[label][i])


def error_vs_eps(eps=None, sizes=(3, 4, 2), N=5, activation="sigmoid", cost="quadratic",
                 seed=0):
    """Relative error of forward and central differences, float64 and float32.

    The reference is ``batched.backprop`` in float64.  For float32 the network,
    the data and every perturbed parameter are float32, so the cost is
    evaluated, and the perturbation θ ± ε stored, in single precision.
    """
    if eps is None:
        eps = np.logspace(-12, -1, 23)
    case = make_case(list(sizes), N, activation, cost, seed)
    names = case.names
    exact_w, exact_b = batched.backprop(case.weights, case.biases, case.X, case.Y, **names)
    exact = exact_w + exact_b
    errors = {}
    for label, method, dtype, *_ in CURVES:
        ws = [w.astype(dtype) for w in case.weights]
        bs = [b.astype(dtype) for b in case.biases]
        X, Y = case.X.astype(dtype), case.Y.astype(dtype)
        errs = []
        for e in eps:
            num_w, num_b = numerical_param_grads(ws, bs, X, Y, **names, eps=float(e),
                                                 method=method)
            errs.append(rel_error(exact, num_w + num_b))
        errors[label] = np.array(errs)
    return ErrorCurves(np.asarray(eps, dtype=float), errors)


def error_vs_eps_figure(curves):
    """Log–log plot of the curves, with the policy's ε and bound as guide lines."""
    fig, ax = new_figure(figsize=(6.4, 4.2))
    for label, _, _, colour, style, marker in CURVES:
        ax.loglog(curves.eps, curves.errors[label], color=PALETTE[colour], linestyle=style,
                  marker=marker, markersize=4, label=label)
    ax.axhline(BOUND, color=PALETTE["black"], linewidth=0.8, linestyle=(0, (1, 3)))
    ax.axvline(EPS, color=PALETTE["black"], linewidth=0.8, linestyle=(0, (5, 5)))
    ax.annotate(f"bound {BOUND:g}", xy=(curves.eps[0], BOUND), xytext=(2, 3),
                textcoords="offset points", fontsize=8)
    ax.text(EPS, 0.03, f" ε = {EPS:g}", transform=ax.get_xaxis_transform(), fontsize=8)
    ax.set_xlabel("step ε")
    ax.set_ylabel("relative error ‖g − ĝ‖ / max(‖g‖, ‖ĝ‖)")
    ax.set_ylim(top=10.0)
    ax.legend(loc="lower left", fontsize=8, framealpha=0.9)
    fig.tight_layout()
    return fig


def error_vs_eps_alt(curves):
    """Alt text for ``error_vs_eps_figure``, with each curve's lowest error."""
    lowest = " ".join(f"{label}: lowest error {err:.0e} at epsilon {e:.0e}."
                      for label, (e, err) in ((label, curves.best(label))
                                              for label in curves.errors))
    return (f"Log-log plot of the relative error of numerical gradients against the "
            f"step epsilon, from {curves.eps[0]:.0e} to {curves.eps[-1]:.0e}, for four "
            f"curves. Each is V-shaped: rounding error falls on the left as epsilon "
            f"grows, truncation error rises on the right. A dotted line marks the "
            f"bound {BOUND:g}, a dashed line the policy's epsilon {EPS:g}. {lowest} "
            f"Both float32 curves sit at relative error 1 for the smallest steps.")
