"""Timing three ways of getting every ∂C/∂θ of a network, as the parameter count grows.

* backprop (``vectorized.backprop``): one forward and one backward pass;
* central finite differences (``gradcheck.numerical_param_grads``): two
  forward passes per parameter, 2P in all;
* forward mode (``modes.forward_mode_gradient``): one tangent pass per
  parameter, P in all.

``time_gradients`` builds networks [n_0, n, n, 1] for each hidden width n,
times each way on one example, and reports medians of repeated calls, in the
process's CPU time: on a machine shared with other programs, the time they
hold the processor is not charged to the method that happened to be running.  The
networks are tiny on purpose: the page that prints these numbers runs them at
every cold build.  Absolute times depend on the machine; the ratios, and how
they grow with P, are the point.
"""

import time
from typing import NamedTuple

import numpy as np

from derivations import modes, vectorized
from derivations.book.measure import median_time, text_table
from derivations.gradcheck import numerical_param_grads, rel_error
from derivations.network import init_params

__all__ = ["GradientTiming", "format_gradient_timings", "time_gradients"]

#: The three ways, in the order of the table's columns.
WAYS = ("backprop", "finite differences", "forward mode")


class GradientTiming(NamedTuple):
    """One network: its layer sizes, P, each way's median seconds, and their agreement.

    ``seconds`` maps each of ``WAYS`` to a median; ``fd_error`` and
    ``forward_error`` are the relative errors of the finite-difference and
    forward-mode gradients against backprop's.
    """

    sizes: tuple
    n_params: int
    seconds: dict
    fd_error: float
    forward_error: float

    def ratio(self, way):
        """How many times longer ``way`` took than backprop."""
        return self.seconds[way] / self.seconds["backprop"]


# --8<-- [start:time_gradients]
def time_gradients(widths=(2, 4, 8, 16), n_in=4, repeat=5, backprop_repeat=21, seed=0):
    """Median CPU seconds of each way of computing ∇C, for networks [n_in, n, n, 1].

    Backprop is fast enough to repeat ``backprop_repeat`` times; the other two
    ``repeat`` times.  The call that computes each way's gradient, to check
    that the three agree, is also its warm-up.
    """
    rng = np.random.default_rng(seed)
    rows = []
    for n in widths:
        sizes = (n_in, n, n, 1)
        weights, biases = init_params(list(sizes), rng)
        x = rng.standard_normal((n_in, 1))
        y = rng.random((1, 1))
        ways = {"backprop": (vectorized.backprop, backprop_repeat),
                "finite differences": (numerical_param_grads, repeat),
                "forward mode": (modes.forward_mode_gradient, repeat)}
        grads = {name: f(weights, biases, x, y) for name, (f, _) in ways.items()}
        flat = {name: g[0] + g[1] for name, g in grads.items()}
        seconds = {name: median_time(f, weights, biases, x, y, repeat=times, warmup=False,
                                     clock=time.process_time)
                   for name, (f, times) in ways.items()}
        rows.append(GradientTiming(
            sizes, sum(p.size for p in weights + biases), seconds,
            rel_error(flat["finite differences"], flat["backprop"]),
            rel_error(flat["forward mode"], flat["backprop"])))
    return rows
# --8<-- [end:time_gradients]


def format_gradient_timings(rows):
    """The timings as a text table: P, median milliseconds of each way, ratios to backprop."""
    head = ("layers", "P", "backprop ms", "differences ms", "forward mode ms", "FD/BP", "FM/BP")
    body = [("-".join(map(str, r.sizes)), str(r.n_params),
             *(f"{1e3 * r.seconds[w]:.3f}" for w in WAYS),
             f"{r.ratio('finite differences'):.0f}", f"{r.ratio('forward mode'):.0f}")
            for r in rows]
    return text_table(head, body)
