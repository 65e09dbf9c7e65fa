"""The notation map: five sources' conventions against ours, each claim checked by code.

``SOURCES`` holds one record per source: its conventions as data (how it
stores W, the factor its gradients carry, the axis its examples run along,
how it reduces a batch, its ReLU′(0)).  ``ROWS`` holds one row per
convention: the text of its cell for every source and for us, and a
``holds(source)`` that recomputes the claim: it rebuilds a small example in
that source's conventions (written here from the source's stated formulas),
computes the quantity the way the source does and compares it, using the
source's record, with our engine.  ``holds`` returns True when the stated
convention holds and None where the row does not apply (a sigmoid-only
network has no ReLU′(0)).  The page ``notation-map.md`` prints the table from
``ROWS`` and the tests call every check.
"""

from functools import lru_cache
from typing import Callable, NamedTuple

import numpy as np

from derivations import batched, rowmajor, vectorized
from derivations.activations import relu, relu_prime, sigmoid, sigmoid_prime, softmax
from derivations.book.companions import circles, coursera, lecture, nnfs, udl
from derivations.gradcheck import BOUND, central_difference, mean_cost, rel_error
from derivations.network import feedforward

__all__ = ["ROWS", "Row", "SOURCES", "Source", "case", "results", "table_markdown"]


class Source(NamedTuple):
    """One source's conventions, as the checks read them."""

    title: str                 # the column heading
    in_by_out: bool            # W stored n_in × n_out, the transpose of our wˡ
    factor: float              # its gradients are factor × ours (2: a cost without ½)
    example_axis: int          # examples run along axis 1 (columns) or 0 (rows)
    batch: str | None          # "mean" or "sum" of the per-example gradients; None: one example
    relu_prime_0: float | None  # ReLU′(0) as it takes it; None: no ReLU


#: Column order: ours first, so the reference column is always in view.
SOURCES = {
    "ours": Source("This site", False, 1.0, 1, "mean", 0.0),
    "udl": Source("UDL notebook", False, 1.0, 1, None, 1.0),
    "circles": Source("Circles tutorial", False, 1.0, 1, "mean", None),
    "lecture": Source("Lecture notebook", True, 2.0, 1, "mean", 0.0),
    "nnfs": Source("nnfs ch. 9", True, 1.0, 0, "sum", 0.0),
    "coursera": Source("Coursera assignment", False, 2.0, 1, "mean", None),
}


class Row(NamedTuple):
    key: str
    label: str
    cells: dict
    holds: Callable


def _close(a, b):
    return np.shape(a) == np.shape(b) and bool(np.allclose(a, b, rtol=1e-10, atol=1e-12))


# ---------------------------------------------------------------- the examples
# Each case: the source's parameters in its own storage, data in its own
# layout, and the source's forward and backward computed from its formulas.

@lru_cache(maxsize=None)
def case(source):
    """The example for ``source`` as a dict (built once)."""
    return _BUILDERS[source]()


def _udl():
    Om, beta = udl.build()
    x, y = np.array([[udl.INPUT]]), np.array([[udl.TARGET]])
    K = len(Om) - 1
    f, h = [None] * (K + 1), [x] + [None] * K
    for k in range(K + 1):                         # f_k = β_k + Ω_k h_k
        f[k] = beta[k] + Om[k] @ h[k]
        if k < K:
            h[k + 1] = relu(f[k])
    dl_df = [None] * (K + 1)
    dl_df[K] = f[K] - y                            # ℓ = ½(f_K − y)²
    for k in range(K, 0, -1):
        dl_df[k - 1] = udl.indicator(f[k - 1]) * (Om[k].T @ dl_df[k])
    grads_W = [dl_df[k] @ h[k].T for k in range(K + 1)]       # all_dl_dweights
    trace = vectorized.backprop_trace(Om, beta, x, y, **udl.names)
    P = [W.copy() for W in Om]

    def loss():                                    # ℓ as a function of the stored Ω
        h_k = x
        for k in range(K + 1):
            f_k = beta[k] + P[k] @ h_k
            h_k = relu(f_k) if k < K else f_k
        return float(0.5 * (h_k - y)[0, 0] ** 2)

    return dict(stored=Om, ours_w=Om, biases_src=beta, ours_b=beta, z_src=f, a_src=h,
                z_map=lambda k: trace.z[k + 1], a_map=lambda k: trace.a[k], trace=trace,
                err_src=dl_df, err_map=lambda k: trace.delta[k + 1], err_factor=1.0,
                grads_src=grads_W, grads_ours=trace.nabla_w[1:], grad_transposed=False,
                cost_src=float(0.5 * (f[K] - y)[0, 0] ** 2),
                cost_ours=float(0.5 * (trace.a[-1] - y)[0, 0] ** 2),
                probe=(Om[0], 1, 6), relu_prime_0=udl.indicator(0.0), named=(P, grads_W, loss))


def _circles():
    rng = np.random.default_rng(5)
    Ws, bs = circles.init_like_source(rng)
    X_cols, Y_cols = circles.circles(8, rng)
    X_rows, Y_rows = X_cols.T, Y_cols.T             # the source's data matrix is N × d
    A = [X_rows.T]                                  # it feeds Xᵀ to the first layer
    Z = []
    for W, b in zip(Ws, bs):
        Z.append(W @ A[-1] + b)
        A.append(sigmoid(Z[-1]))
    # Nielsen's per-example backprop, summed, then scaled by η/m: the mean
    delta = (A[-1] - Y_rows.T) * sigmoid_prime(Z[-1])
    trace = batched.backprop_trace(Ws, bs, X_cols, Y_cols)
    m = X_rows.shape[0]
    sum_W_last = delta @ A[-2].T                    # summed dc_dw of the last layer
    P = [W.copy() for W in Ws]

    def cost():                                     # the mean of C_0 over the m rows
        a = X_rows.T
        for W, b in zip(P, bs):
            a = sigmoid(W @ a + b)
        return float(np.mean(0.5 * np.sum((a - Y_rows.T) ** 2, axis=0)))
    return dict(stored=Ws, ours_w=Ws, biases_src=bs, ours_b=bs, z_src=Z, a_src=A,
                z_map=lambda i: trace.z[i + 1], a_map=lambda i: trace.a[i], trace=trace,
                err_src=[None, None, delta], err_map=lambda i: trace.delta[i + 1], err_factor=1.0,
                grads_src=[None, None, sum_W_last / m], grads_ours=trace.nabla_w[1:],
                grad_transposed=False,
                cost_src=float(np.mean(0.5 * np.sum((A[-1] - Y_rows.T) ** 2, axis=0))),
                cost_ours=float(np.mean(0.5 * np.sum((trace.a[-1] - Y_cols) ** 2, axis=0))),
                probe=(Ws[0], 2, 3), relu_prime_0=None,
                named=(P, [None, None, sum_W_last / m], cost),
                batch_grad=lambda Xc, Yc: _circles_update(Ws, bs, Xc, Yc), X=X_cols, Y=Y_cols)


def _circles_update(Ws, bs, X_cols, Y_cols):
    """The source's step direction: (1/m) Σ per-example ∂C/∂w of the last layer."""
    total = 0.0
    for i in range(X_cols.shape[1]):
        nw, _ = vectorized.backprop(Ws, bs, X_cols[:, i:i + 1], Y_cols[:, i:i + 1])
        total = total + nw[-1]
    return total / X_cols.shape[1]


def _lecture():
    W = lecture.W_SOURCE
    x, y = lecture.X, lecture.Y
    f, a = [], [x]
    for Wl in W:                                    # f = Wᵀ a, ReLU everywhere, no bias
        f.append(Wl.T @ a[-1])
        a.append(relu(f[-1]))
    L = len(W)
    deltas = [None] * L
    deltas[L - 1] = 2 * (a[-1] - y) * (f[-1] > 0)  # MSELoss: d/da (a − y)² = 2(a − y)
    for l in range(L - 2, -1, -1):
        deltas[l] = (f[l] > 0) * (W[l + 1] @ deltas[l + 1])
    grads = [np.outer(a[l], deltas[l]) for l in range(L)]   # in × out: gradients_W
    P = [Wl.copy() for Wl in W]
    w = lecture.to_ours(W)
    b = lecture.zero_biases(w)
    trace = vectorized.backprop_trace(w, b, x, y, **lecture.names)
    return dict(stored=W, ours_w=w, biases_src=None, ours_b=b, z_src=f, a_src=a,
                z_map=lambda i: trace.z[i + 1], a_map=lambda i: trace.a[i], trace=trace,
                err_src=deltas, err_map=lambda i: trace.delta[i + 1], err_factor=2.0,
                grads_src=grads, grads_ours=trace.nabla_w[1:], grad_transposed=True,
                cost_src=float(np.mean((a[-1] - y) ** 2)),
                cost_ours=float(0.5 * np.sum((trace.a[-1] - y) ** 2)),
                probe=(W[-1], 2, 1), relu_prime_0=float(0.0 > 0),
                named=(P, grads, lambda: lecture.mse_loss(P, x, y)),
                batch_grad=lambda Xc, Yc: lecture.source_gradients(W, Xc, Yc)[-1],
                X=np.array([[0.0, 1.0], [1.0, 0.5]]), Y=np.array([[1.0, 0.5]]))


def _nnfs():
    X = nnfs.DENSE_INPUTS                            # rows are examples
    W_src = nnfs.DENSE_WEIGHTS.T                     # in × out
    b_src = nnfs.DENSE_BIASES.T                      # a row
    z_src = X @ W_src + b_src
    a_src = relu(z_src)
    labels = np.array([0, 2, 1])
    Yoh = np.eye(3)[labels]
    p = softmax(a_src, axis=1)
    N = X.shape[0]
    dz_out = (p - Yoh) / N                           # combined softmax + CE backward
    w, b = [nnfs.DENSE_WEIGHTS, np.eye(3)], [nnfs.DENSE_BIASES, np.zeros((3, 1))]
    trace = rowmajor.backprop_trace(w, b, X, Yoh, activation="relu",
                                    cost="categorical_cross_entropy",
                                    output_activation="softmax")
    drelu = dz_out @ np.eye(3).T                     # dinputs of the identity "layer"
    drelu = drelu.copy()
    drelu[z_src <= 0] = 0                            # Activation_ReLU.backward
    dweights = X.T @ drelu                           # Layer_Dense.backward: sums
    P = [W_src.copy()]

    def loss():                                      # mean cross-entropy of the stored W
        p_P = softmax(relu(X @ P[0] + b_src), axis=1)
        return float(np.mean(-np.log(p_P[np.arange(N), labels])))

    return dict(stored=[W_src], ours_w=[nnfs.DENSE_WEIGHTS], biases_src=[b_src],
                ours_b=[nnfs.DENSE_BIASES], z_src=[z_src], a_src=[X, a_src],
                z_map=lambda i: trace.z[i + 1], a_map=lambda i: trace.a[i], trace=trace,
                err_src=[drelu], err_map=lambda i: trace.delta[i + 1] / N, err_factor=1.0,
                grads_src=[dweights], grads_ours=trace.nabla_w[1:2], grad_transposed=True,
                cost_src=float(np.mean(-np.log(p[np.arange(N), labels]))),
                cost_ours=float(np.mean(-np.sum(Yoh * np.log(trace.a[-1]), axis=1))),
                probe=(W_src, 4, 3), relu_prime_0=_nnfs_relu_prime_0(), named=(P, [dweights], loss),
                batch_grad=lambda Xr, Dr: Xr.T @ Dr, X=X, Y=nnfs.DENSE_DVALUES)


def _nnfs_relu_prime_0():
    dvalues = np.ones((1, 1))
    inputs = np.zeros((1, 1))
    d = dvalues.copy()
    d[inputs <= 0] = 0
    return float(d[0, 0])


def _coursera():
    rng = np.random.default_rng(11)
    W, b = coursera.init_like_source(rng)
    x, y = coursera.curve(12)
    z, a = [], [x]
    for Wl, bl in zip(W, b):
        z.append(Wl @ a[-1] + bl)
        a.append(sigmoid(z[-1]))
    J = coursera.jacobians(W, b, x, y)
    J3 = 2 * (a[-1] - y) * coursera.d_sigma_cosh(z[-1])      # the assignment's partial J
    trace = batched.backprop_trace(W, b, x, y)
    P = [Wl.copy() for Wl in W]
    return dict(stored=W, ours_w=W, biases_src=b, ours_b=b, z_src=z, a_src=a,
                z_map=lambda i: trace.z[i + 1], a_map=lambda i: trace.a[i], trace=trace,
                err_src=[None, None, J3], err_map=lambda i: trace.delta[i + 1], err_factor=2.0,
                grads_src=[J["J_W1"], J["J_W2"], J["J_W3"]], grads_ours=trace.nabla_w[1:],
                grad_transposed=False,
                cost_src=coursera.cost_source(W, b, x, y),
                cost_ours=float(np.mean(0.5 * np.sum((trace.a[-1] - y) ** 2, axis=0))),
                probe=(W[0], 1, 6), relu_prime_0=None,
                named=(P, [J["J_W1"], J["J_W2"], J["J_W3"]],
                       lambda: coursera.cost_source(P, b, x, y)),
                batch_grad=lambda xc, yc: coursera.jacobians(W, b, xc, yc)["J_W3"], X=x, Y=y)


def _ours():
    rng = np.random.default_rng(3)
    w = [rng.standard_normal((3, 2)), rng.standard_normal((1, 3))]
    b = [rng.standard_normal((3, 1)), rng.standard_normal((1, 1))]
    X = rng.standard_normal((2, 6))
    Y = rng.uniform(size=(1, 6))
    trace = batched.backprop_trace(w, b, X, Y)
    z, a = feedforward(w, b, X)
    P = [wl.copy() for wl in w]
    return dict(stored=w, ours_w=w, biases_src=b, ours_b=b, z_src=z[1:], a_src=a,
                z_map=lambda i: trace.z[i + 1], a_map=lambda i: trace.a[i], trace=trace,
                err_src=trace.delta[1:], err_map=lambda i: trace.delta[i + 1], err_factor=1.0,
                grads_src=trace.nabla_w[1:], grads_ours=trace.nabla_w[1:], grad_transposed=False,
                cost_src=float(np.mean(0.5 * np.sum((a[-1] - Y) ** 2, axis=0))),
                cost_ours=float(np.mean(0.5 * np.sum((trace.a[-1] - Y) ** 2, axis=0))),
                probe=(w[0], 2, 3), relu_prime_0=float(relu_prime(0.0)),
                named=(P, batched.backprop(w, b, X, Y)[0], lambda: mean_cost(P, b, X, Y)),
                batch_grad=lambda Xc, Yc: batched.backprop(w, b, Xc, Yc)[0][0], X=X, Y=Y)


_BUILDERS = {"udl": _udl, "circles": _circles, "lecture": _lecture, "nnfs": _nnfs,
             "coursera": _coursera, "ours": _ours}


# ---------------------------------------------------------------- the checks

def _weights_hold(s):
    c = case(s)
    flip = SOURCES[s].in_by_out                    # in × out storage: ours is its transpose
    return all(_close(W.T if flip else W, w) for W, w in zip(c["stored"], c["ours_w"]))


def _biases_hold(s):
    c = case(s)
    if c["biases_src"] is None:                    # no biases: ours with b = 0 gives its z
        return all(_close(c["z_src"][i], c["z_map"](i)) for i in range(len(c["z_src"])))
    return all(_close(np.reshape(bs, bo.shape), bo)
               for bs, bo in zip(c["biases_src"], c["ours_b"]))


def _z_holds(s):
    c = case(s)
    return all(_close(zs, c["z_map"](i)) for i, zs in enumerate(c["z_src"]))


def _a_holds(s):
    c = case(s)
    return all(_close(a, c["a_map"](i)) for i, a in enumerate(c["a_src"]))


def _error_holds(s):
    c = case(s)
    ok = True
    for i, e in enumerate(c["err_src"]):
        if e is not None:
            ok &= _close(e, c["err_factor"] * c["err_map"](i))
    return ok


def _cost_holds(s):
    c = case(s)
    return bool(np.isclose(c["cost_src"], SOURCES[s].factor * c["cost_ours"], rtol=1e-12))


def _layout_holds(s):
    c, src = case(s), SOURCES[s]
    first = c["a_src"][0]                          # the input as the source's layer 0 holds it
    n_in = c["stored"][0].shape[0 if src.in_by_out else 1]
    return first.shape[1 - src.example_axis] == n_in   # features run across the other axis


def _storage_holds(s):
    W, n_in, n_out = case(s)["probe"]              # a layer with n_in ≠ n_out
    return W.shape == ((n_in, n_out) if SOURCES[s].in_by_out else (n_out, n_in))


def _factor_holds(s):
    c, src = case(s), SOURCES[s]
    ok = True
    for gs, go in zip(c["grads_src"], c["grads_ours"]):
        if gs is None:
            continue
        ok &= _close(gs, src.factor * (go.T if src.in_by_out else go))
    return ok


def _reduction_holds(s):
    c, src = case(s), SOURCES[s]
    if src.batch is None:
        return None
    X, Y, axis = c["X"], c["Y"], src.example_axis
    g1 = c["batch_grad"](X, Y)
    g2 = c["batch_grad"](np.concatenate([X, X], axis=axis), np.concatenate([Y, Y], axis=axis))
    return _close(g2, {"sum": 2.0, "mean": 1.0}[src.batch] * g1)   # a sum doubles, a mean stays


def _relu0_holds(s):
    expected = SOURCES[s].relu_prime_0
    if expected is None:
        return None
    return float(case(s)["relu_prime_0"]) == expected


def _names_hold(s):
    """The source's named gradients are ∂(its own cost)/∂(its stored weights).

    Checked against central differences of the source's cost, in the source's
    storage, without our engine: the factor row compares with our gradients.
    """
    params, named, cost = case(s)["named"]
    return all(rel_error(g, central_difference(cost, p)) < BOUND
               for p, g in zip(params, named) if g is not None)


# ---------------------------------------------------------------- the table

ROWS = [
    Row("weights", "Weights of layer l", {
        "udl": "$\\Omega_k$ (`all_weights[k]`), $k = l - 1$",
        "circles": "$W^l$, $w^l_{jk}$ (`W_1`, `W_2`, `W_3`)",
        "lecture": "$W^{[l]}$ (`W[l-1]`)",
        "nnfs": "`weights` of a `Layer_Dense`",
        "coursera": "$\\mathbf{W}^{(l)}$ (`W1`, `W2`, `W3`)",
        "ours": "$w^l$ (`weights[l-1]`)"}, _weights_hold),
    Row("biases", "Biases", {
        "udl": "$\\beta_k$ (`all_biases[k]`)",
        "circles": "$b^l$ (`b_1`, …)",
        "lecture": "none (our $b^l = 0$)",
        "nnfs": "`biases`, a row $1 \\times n_l$",
        "coursera": "$\\mathbf{b}^{(l)}$",
        "ours": "$b^l$, a column"}, _biases_hold),
    Row("z", "Weighted input", {
        "udl": "pre-activation $f_k$",
        "circles": "$z^l$ (\"activity\")",
        "lecture": "$\\mathbf{f}^{[l]}$ (`linear_values`)",
        "nnfs": "dense layer `output`",
        "coursera": "$\\mathbf{z}^{(l)}$",
        "ours": "$z^l$"}, _z_holds),
    Row("a", "Activation", {
        "udl": "$h_k$, $h_0 = x$",
        "circles": "$a^l$",
        "lecture": "$\\mathbf{a}^{[l]}$, $\\mathbf{a}^{[0]} = x$",
        "nnfs": "activation `output`",
        "coursera": "$\\mathbf{a}^{(l)}$, $\\mathbf{a}^{(0)} = x$",
        "ours": "$a^l$, $a^0 = x$"}, _a_holds),
    Row("error", "Error", {
        "udl": "$\\partial\\ell/\\partial f_k = \\delta^{k+1}$",
        "circles": "$\\delta^l$",
        "lecture": "$\\delta^{[l]} = 2\\delta^l$",
        "nnfs": "gradient after ReLU's backward: $\\delta^l / N$, rows",
        "coursera": "`J` after `* d_sigma(z)`: $2\\delta^l$",
        "ours": "$\\delta^l = \\partial C/\\partial z^l$"}, _error_holds),
    Row("cost", "Cost", {
        "udl": "$\\ell = \\frac12(f_K - y)^2$",
        "circles": "$C_0 = \\frac12\\lVert a^L - y\\rVert^2$",
        "lecture": "`MSELoss`: mean of $(a - y)^2$",
        "nnfs": "mean categorical cross-entropy",
        "coursera": "$\\lVert \\mathbf{a}^{(3)} - \\mathbf{y}\\rVert^2 / N$",
        "ours": "$\\frac12\\lVert a^L - y\\rVert^2$, mean over the batch"}, _cost_holds),
    Row("layout", "Examples stored as", {
        "udl": "one column",
        "circles": "rows of $X$, fed as $X^\\top$: columns",
        "lecture": "one column",
        "nnfs": "rows (row-major)",
        "coursera": "columns",
        "ours": "columns (`rowmajor`: rows)"}, _layout_holds),
    Row("storage", "W stored", {
        "udl": "out × in",
        "circles": "out × in",
        "lecture": "in × out",
        "nnfs": "in × out",
        "coursera": "out × in",
        "ours": "out × in"}, _storage_holds),
    Row("factor", "½ or ×2 in the gradient", {
        "udl": "½ in the loss: no factor",
        "circles": "½ (its derivation drops the 2)",
        "lecture": "×2 ($2/n_L$ in general)",
        "nnfs": "none (cross-entropy)",
        "coursera": "×2",
        "ours": "½ in the cost: no factor"}, _factor_holds),
    Row("reduction", "Over a batch", {
        "udl": "one example",
        "circles": "sum, step $\\eta/m$ ($m$: our $N$): a mean",
        "lecture": "mean (`MSELoss`)",
        "nnfs": "layers sum; the loss's backward divides by $N$",
        "coursera": "mean (`/ x.size`)",
        "ours": "mean ($1/N$ in BP3, BP4)"}, _reduction_holds),
    Row("relu0", "ReLU′(0)", {
        "udl": "1 (indicator of $f \\ge 0$)",
        "circles": "— (sigmoid only)",
        "lecture": "0 (`x > 0`)",
        "nnfs": "0 (`inputs <= 0` zeroed)",
        "coursera": "— (sigmoid only)",
        "ours": "0"}, _relu0_holds),
    Row("names", "Gradient names", {
        "udl": "`all_dl_dweights`, `all_dl_dbiases`",
        "circles": "`dc_dw_l`, `dc_db_l`; Nielsen's `nabla_w`, `nabla_b`, returned as "
                   "`(nabla_b, nabla_w)`",
        "lecture": "`gradients_W`",
        "nnfs": "`dweights`, `dbiases`, `dinputs`",
        "coursera": "`J_W3`, `J_b3`, …, `J_b1`",
        "ours": "`nabla_w`, `nabla_b`: $\\partial C/\\partial w^l$, $\\partial C/\\partial b^l$, "
                "returned in that order"},
        _names_hold),
]


def results():
    """{(row key, source): True / False / None} for every cell of the table."""
    return {(row.key, s): row.holds(s) for row in ROWS for s in SOURCES}


def table_markdown(cells=None):
    """The notation map as a Markdown table; a checked cell gets ✓, a failed one ✗.

    ``cells`` is what ``results()`` returns (computed here when not given).
    """
    cells = results() if cells is None else cells
    mark = {True: " ✓", False: " ✗", None: ""}
    head = "| | " + " | ".join(src.title for src in SOURCES.values()) + " |"
    rule = "|---" * (len(SOURCES) + 1) + "|"
    lines = [head, rule]
    for row in ROWS:
        line = [row.cells[s] + mark[cells[(row.key, s)]] for s in SOURCES]
        lines.append(f"| **{row.label}** | " + " | ".join(line) + " |")
    return "\n".join(lines)
