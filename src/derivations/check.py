"""Every equation × form × activation/cost against finite differences.

``python -m derivations check`` prints the table built here; the site shows
the same table, generated when it is built.
"""

from typing import NamedTuple

import numpy as np

from derivations import FORMS, validate
from derivations.activations import RELU
from derivations.algorithm import backprop_trace
from derivations.costs import get_cost
from derivations.gradcheck import (
    BOUND,
    EPS,
    KINK_MARGIN,
    kink_distance,
    numerical_deltas,
    numerical_param_grads,
    rel_error,
)
from derivations.network import init_params

__all__ = ["ACTIVATION_NAMES", "CASES", "Case", "Row", "check_case", "compared", "errors_of",
           "format_table", "in_layout", "make_case", "run_checks", "smallest_norm", "summary",
           "wake_relu_units"]

ACTIVATION_NAMES = ("sigmoid", "tanh", "relu", "identity")
EQUATIONS = ("BP1", "BP2", "BP3", "BP4")

#: Layer sizes and batch size used for each form.
CASES = {
    "scalar": ([1, 1, 1, 1], 1),
    "index": ([3, 4, 3, 2], 1),
    "vectorized": ([3, 4, 3, 2], 1),
    "batched": ([3, 4, 3, 2], 5),
    "rowmajor": ([3, 4, 3, 2], 5),
}


class Case(NamedTuple):
    """A network and data in the column layout, plus the names that define it."""

    weights: list
    biases: list
    X: np.ndarray
    Y: np.ndarray
    activation: str
    cost: str
    output_activation: str | None

    @property
    def names(self):
        """The keyword arguments every backprop takes: activation, cost, output_activation."""
        return dict(activation=self.activation, cost=self.cost,
                    output_activation=self.output_activation)


def make_case(sizes, N, activation, cost, seed=0, output_activation=None):
    """A random network and batch: every ReLU unit active, and ``KINK_MARGIN`` off its kink.

    ``output_activation=None``: the one the cost needs (sigmoid for binary
    cross-entropy, softmax for categorical), else None, the hidden one.
    A ReLU unit that is inactive (z ≤ 0) on every example passes nothing back,
    so every gradient through it is zero and a check would compare zeros with
    zeros; ``wake_relu_units`` moves such a unit's bias until it is active on
    one example.  Seeds are tried until ``kink_distance`` exceeds ``KINK_MARGIN``.
    """
    output_activation = output_activation or get_cost(cost).output
    for attempt in range(1000):
        rng = np.random.default_rng([seed, attempt])
        weights, biases = init_params(sizes, rng)
        X = rng.standard_normal((sizes[0], N))
        if cost == "categorical_cross_entropy":
            Y = np.eye(sizes[-1])[:, rng.integers(0, sizes[-1], N)]
        else:
            Y = rng.random((sizes[-1], N))
        biases = wake_relu_units(weights, biases, X, activation, output_activation)
        if kink_distance(weights, biases, X, activation, output_activation) > KINK_MARGIN:
            return Case(weights, biases, X, Y, activation, cost, output_activation)
    raise RuntimeError("no network away from the ReLU kink found")  # pragma: no cover


def wake_relu_units(weights, biases, X, activation="relu", output_activation=None):
    """New biases with which every ReLU unit has zˡⱼ > 0 for at least one example.

    A unit whose largest weighted input over the batch, m = maxₛ zˡⱼₛ, is ≤ 0
    gets bˡⱼ − 2m, which turns that largest input into −m ≥ 0.  Layers are
    treated in order, since each change moves the layers above it.
    """
    sigma, sigma_L, _ = validate.resolve(activation, "quadratic", output_activation)
    L = len(weights)
    biases = [np.array(b, dtype=float) for b in biases]
    a = np.asarray(X, dtype=float)
    for l in range(1, L + 1):
        act = sigma_L if l == L else sigma
        z = weights[l - 1] @ a + biases[l - 1]
        if act is RELU:
            top = z.max(axis=1, keepdims=True)
            shift = np.where(top <= 0, -2 * top, 0.0)
            biases[l - 1] += shift
            z = z + shift
        a = act.f(z)
    return biases


def in_layout(form, case):
    """The case's (weights, biases, x, y) in ``form``'s layout, from its feature axis.

    Columns stay as they are, rows are the transposes, and plain numbers
    (feature axis None) are the single entries of the scalar chain.
    """
    w, b, X, Y = case.weights, case.biases, case.X, case.Y
    if form.feature_axis is None:
        return ([float(m[0, 0]) for m in w], [float(v[0, 0]) for v in b],
                float(X[0, 0]), float(Y[0, 0]))
    if form.feature_axis == 1:
        return w, b, X.T, Y.T
    return w, b, X, Y


def _as_columns(values):
    """Text-indexed gradients as column-layout arrays (index 0 dropped)."""
    return [np.atleast_2d(np.asarray(v, dtype=float)) for v in values[1:]]


def _delta_columns(form, deltas):
    """Text-indexed errors as columns: a row layout's Δ is transposed back."""
    cols = _as_columns(deltas)
    return [d.T for d in cols] if form.feature_axis == 1 else cols


class Row(NamedTuple):
    form: str
    activation: str
    cost: str
    errors: dict  # equation -> relative error (None where the network has no such layer)
    smallest: float | None = None  # the smallest norm of a layer's compared values

    @property
    def passed(self):
        """Every error within ``BOUND``, and no layer compared zeros with zeros."""
        return (all(e is None or e <= BOUND for e in self.errors.values())
                and (self.smallest is None or self.smallest > 0))


def compared(form, case):
    """{equation: (backprop's values, central differences)}, lists of column arrays, per layer.

    ``form`` is a name or a ``Form``; a ``Form`` may be a variant, e.g.
    ``replace(batched.FORM, bp2=wrong)``.  BP2 is None when the network has
    one layer of weights.
    """
    form = FORMS[form].FORM if isinstance(form, str) else form
    trace = backprop_trace(form, *in_layout(form, case), **case.names)
    data = (case.weights, case.biases, case.X, case.Y)
    num_delta = numerical_deltas(*data, **case.names)[1:]
    num_w, num_b = numerical_param_grads(*data, **case.names)
    delta = _delta_columns(form, trace.delta)
    return {
        "BP1": ([delta[-1]], [num_delta[-1]]),
        "BP2": (delta[:-1], num_delta[:-1]) if len(delta) > 1 else None,
        "BP3": (_as_columns(trace.nabla_b), num_b),
        "BP4": (_as_columns(trace.nabla_w), num_w),
    }


def check_case(form, case):
    """Relative errors of BP1…BP4 in ``form`` (a name or a ``Form``) against central differences."""
    return errors_of(compared(form, case))


def errors_of(pairs):
    """{equation: relative error} of ``compared``'s pairs (None stays None)."""
    return {eq: None if pair is None else rel_error(*pair) for eq, pair in pairs.items()}


def smallest_norm(pairs):
    """min over every equation and layer of max(‖g‖, ‖ĝ‖): 0 when a layer compared zeros."""
    return min(max(np.linalg.norm(g), np.linalg.norm(g_hat))
               for pair in pairs.values() if pair is not None for g, g_hat in zip(*pair))


def run_checks(seed=0):
    """One Row per form × activation × cost (softmax needs more than one neuron)."""
    rows = []
    for form, (sizes, N) in CASES.items():
        costs = ["quadratic", "cross_entropy"]
        if sizes[-1] > 1:
            costs.append("categorical_cross_entropy")
        for activation in ACTIVATION_NAMES:
            for cost in costs:
                pairs = compared(form, make_case(sizes, N, activation, cost, seed))
                rows.append(Row(form, activation, cost, errors_of(pairs),
                                float(smallest_norm(pairs))))
    return rows


def _output_name(row):
    out = get_cost(row.cost).output
    return row.cost if out is None else f"{row.cost} ({out} output)"


def format_table(rows, markdown=False):
    """The rows as an aligned text table, or as a Markdown table."""
    head = ["form", "hidden σ", "cost", *EQUATIONS, "result"]
    body = []
    for r in rows:
        errs = ["—" if r.errors[e] is None else f"{r.errors[e]:.1e}" for e in EQUATIONS]
        body.append([r.form, r.activation, _output_name(r), *errs, "pass" if r.passed else "FAIL"])
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(cells) + " |" for cells in body]
        return "\n".join(lines)
    widths = [max(len(str(c)) for c in col) for col in zip(head, *body)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    return "\n".join([fmt.format(*head), fmt.format(*("-" * w for w in widths))]
                     + [fmt.format(*cells) for cells in body])


def summary(rows):
    failed = sum(not r.passed for r in rows)
    return (f"central differences, eps = {EPS:g}, float64; relative error "
            f"‖g − ĝ‖ / max(‖g‖, ‖ĝ‖) ≤ {BOUND:g}, and no layer's gradient zero; "
            f"{len(rows) - failed} of {len(rows)} rows pass")
