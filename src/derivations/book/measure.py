"""Timing BP4 for a mini-batch three ways: one matrix product against per-example work.

BP4 for a batch is ∂C/∂wˡ = (1/N) Σₛ δˡₛ (aˡ⁻¹ₛ)ᵀ, a mean of N outer products.
It can be computed

* ``matrix_product``: (1/N) Δˡ (Aˡ⁻¹)ᵀ, one call to the BLAS (``batched.bp4``);
* ``stacked_outer``: build the (N, n_l, n_{l-1}) stack of outer products with
  broadcasting, then average over the first axis;
* ``looped_outer``: a Python loop over the N examples, adding one outer
  product at a time.

All three give the same matrix (up to rounding).  ``compare_bp4`` times them
and reports medians of repeated runs and their ratios to the matrix product:
ratios, not absolute times, because absolute times depend on the machine.
"""

import contextlib
import time
from typing import NamedTuple

import numpy as np

from derivations import batched

__all__ = ["Timing", "compare_bp4", "format_timings", "looped_outer", "matrix_product",
           "median_time", "single_thread_supported", "stacked_outer"]


# --8<-- [start:ways]
def matrix_product(A_prev, Delta):
    """(1/N) Δ Aᵀ: the N outer products summed inside one matrix product."""
    return batched.bp4(A_prev, Delta)


def stacked_outer(A_prev, Delta):
    """Mean over s of the stack δₛ aₛᵀ, shape (N, n_l, n_{l-1}) before the mean."""
    stack = Delta.T[:, :, None] * A_prev.T[:, None, :]
    return stack.mean(axis=0)


def looped_outer(A_prev, Delta):
    """One outer product per example, added up in a Python loop."""
    N = Delta.shape[1]
    total = np.zeros((Delta.shape[0], A_prev.shape[0]))
    for s in range(N):
        total += Delta[:, [s]] @ A_prev[:, [s]].T
    return total / N
# --8<-- [end:ways]


def median_time(f, *args, repeat=7):
    """Median wall-clock seconds of ``repeat`` calls f(*args), after one warm-up call."""
    f(*args)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        f(*args)
        times.append(time.perf_counter() - start)
    return float(np.median(times))


class Timing(NamedTuple):
    """One way of computing BP4: its name, median seconds, and ratio to the fastest way."""

    name: str
    median: float
    ratio: float


def single_thread_supported():
    """True if ``compare_bp4(single_thread=True)`` can limit the BLAS to one thread."""
    try:
        import threadpoolctl  # noqa: F401
    except ImportError:  # pragma: no cover - threadpoolctl is optional
        return False
    return True


def _single_thread():
    """A context that limits the BLAS to one thread, if threadpoolctl is installed."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl is optional
        return contextlib.nullcontext()
    return threadpool_limits(limits=1)


def compare_bp4(n_l=128, n_prev=128, N=256, repeat=7, seed=0, single_thread=True):
    """Median times of the three ways of computing BP4, as ``Timing`` rows.

    ``ratio`` is each median divided by the matrix product's median.  With
    ``single_thread`` the BLAS uses one core (if threadpoolctl is installed),
    so the comparison is about the arithmetic, not about parallelism.
    """
    rng = np.random.default_rng(seed)
    A_prev = rng.standard_normal((n_prev, N))
    Delta = rng.standard_normal((n_l, N))
    ways = {"matrix product": matrix_product,
            "stacked outer products": stacked_outer,
            "looped outer products": looped_outer}
    reference = matrix_product(A_prev, Delta)
    for name, f in ways.items():
        if not np.allclose(f(A_prev, Delta), reference):
            raise AssertionError(f"{name} disagrees with the matrix product")  # pragma: no cover
    with _single_thread() if single_thread else contextlib.nullcontext():
        medians = {name: median_time(f, A_prev, Delta, repeat=repeat)
                   for name, f in ways.items()}
    base = medians["matrix product"]
    return [Timing(name, m, m / base) for name, m in medians.items()]


def format_timings(rows, markdown=False):
    """The timings as a table: median in milliseconds and ratio to the matrix product."""
    head = ("way", "median (ms)", "ratio")
    body = [(r.name, f"{1e3 * r.median:.3f}", f"{r.ratio:.1f}") for r in rows]
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|---|---:|---:|"]
        lines += ["| " + " | ".join(cells) + " |" for cells in body]
        return "\n".join(lines)
    widths = [max(len(c) for c in col) for col in zip(head, *body, strict=True)]
    fmt = "  ".join(f"{{:<{widths[0]}}}" if i == 0 else f"{{:>{w}}}"
                    for i, w in enumerate(widths))
    return "\n".join(fmt.format(*cells) for cells in [head, *body])
