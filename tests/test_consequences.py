"""What the equations tell us: unrolled BP2, gradient norms, initialisation, L2 (BP4 + λw).

Every equation of the chapter is checked against central differences in float64
(gradcheck.EPS, gradcheck.BOUND), with ReLU inputs kept off the kink; the
claims the chapter makes in general (σ′ ≤ ¼, the bound on ‖δˡ‖, 1/n versus
2/n for ReLU) are checked on other draws than the page's.
"""

import re

import numpy as np
import pytest

from derivations import batched, vectorized
from derivations.activations import get_activation, sigmoid_prime
from derivations.book.figures import to_img
from derivations.book.figures.consequences import (
    depth_runs,
    gradient_alt,
    gradient_figure,
    init_alt,
    init_figure,
)
from derivations.depth import backward_product, gaussian_params, gradient_norms, unrolled_bp2
from derivations.gradcheck import (
    BOUND,
    KINK_MARGIN,
    central_difference,
    kink_distance,
    numerical_deltas,
    numerical_param_grads,
    rel_error,
)
from derivations.network import feedforward, init_params
from derivations.regularization import l2_backprop, l2_cost, l2_penalty, l2_penalty_grad

SIZES = [4, 6, 5, 6, 3]
ACTIVATIONS = ["sigmoid", "tanh", "relu"]


def _network(activation, seed=0, N=1, sizes=SIZES):
    """A random network and batch; for ReLU a draw whose inputs stay off the kink."""
    for attempt in range(100):
        rng = np.random.default_rng(1000 * seed + attempt)
        weights, biases = init_params(sizes, rng)
        X = rng.standard_normal((sizes[0], N))
        Y = rng.random((sizes[-1], N))
        if activation != "relu" or kink_distance(weights, biases, X) > KINK_MARGIN:
            return weights, biases, X, Y
    raise AssertionError("no draw off the ReLU kink")


def _z_L_from(z_l, l, weights, biases, sigma):
    """zᴸ given zˡ: the forward pass from layer l on (hidden σ up to layer L − 1)."""
    z = z_l
    for m in range(l + 1, len(weights) + 1):
        z = weights[m - 1] @ sigma(z) + biases[m - 1]
    return z


# --- BP2 unrolled --------------------------------------------------------------

@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_unrolled_bp2_gives_the_engines_delta_in_every_layer(activation):
    weights, biases, x, y = _network(activation)
    t = vectorized.backprop_trace(weights, biases, x, y, activation)
    L = len(weights)
    for l in range(1, L + 1):
        M = backward_product(weights, biases, x, l, activation)
        assert M.shape == (SIZES[l], SIZES[L])
        assert rel_error(M @ t.delta[L], t.delta[l]) < 1e-13


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_unrolled_bp2_is_the_transposed_jacobian_by_central_differences(activation):
    weights, biases, x, _ = _network(activation, seed=1)
    z, _ = feedforward(weights, biases, x, activation)
    sigma = get_activation(activation).f
    L = len(weights)
    for l in range(1, L):
        z_l = z[l].copy()
        jacobian_T = np.hstack([
            central_difference(lambda i=i: _z_L_from(z_l, l, weights, biases, sigma)[i, 0], z_l)
            for i in range(SIZES[L])])                 # column i: ∂zᴸ_i/∂zˡ
        assert rel_error(backward_product(weights, biases, x, l, activation), jacobian_T) <= BOUND


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_unrolled_bp2_matches_central_differences_of_the_cost(activation):
    weights, biases, x, y = _network(activation, seed=2)
    num = numerical_deltas(weights, biases, x, y, activation)
    L = len(weights)
    unrolled = [backward_product(weights, biases, x, l, activation) @ num[L]
                for l in range(1, L)]
    assert rel_error(unrolled, num[1:L]) <= BOUND


def test_unrolled_bp2_at_the_output_layer_is_the_identity():
    weights, biases, x, _ = _network("sigmoid")
    assert np.array_equal(backward_product(weights, biases, x, len(weights)), np.eye(SIZES[-1]))


def test_unrolled_bp2_core_multiplies_diag_and_transpose_one_layer_at_a_time():
    weights, biases, x, _ = _network("tanh", seed=3)
    z, _ = feedforward(weights, biases, x, "tanh")
    w = [None, *weights]
    sp = get_activation("tanh").prime
    by_hand = np.diagflat(sp(z[2])) @ w[3].T @ np.diagflat(sp(z[3])) @ w[4].T
    assert np.allclose(unrolled_bp2(w, z, 2, sp), by_hand, rtol=1e-13, atol=0)


# --- σ′ ≤ ¼ and the bound on ‖δˡ‖ ----------------------------------------------

def test_sigmoid_prime_is_at_most_a_quarter_with_equality_only_at_zero():
    z = np.concatenate([np.linspace(-40, 40, 80001), np.random.default_rng(0).normal(0, 5, 10**5)])
    sp = sigmoid_prime(z)
    assert sp.max() == 0.25 and sigmoid_prime(0.0) == 0.25
    assert np.all(sp[z != 0] < 0.25)


@pytest.mark.parametrize("seed", range(5))
def test_sigmoid_error_obeys_the_quarter_spectral_norm_bound(seed):
    sizes = [8] * 11
    weights, biases, x, y = _network("sigmoid", seed=seed, sizes=sizes)
    t = vectorized.backprop_trace(weights, biases, x, y)
    L = len(weights)
    factors = [None, None] + [np.linalg.norm(w, 2) / 4 for w in weights[1:]]   # index m: wᵐ
    for l in range(1, L):
        bound = np.prod(factors[l + 1:]) * np.linalg.norm(t.delta[L])
        assert np.linalg.norm(t.delta[l]) <= bound * (1 + 1e-12)


# --- gradient norms -------------------------------------------------------------

@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_gradient_norms_match_central_differences(activation):
    weights, biases, X, Y = _network(activation, seed=4, N=5)
    norms = gradient_norms(weights, biases, X, Y, activation)
    num_w, num_b = numerical_param_grads(weights, biases, X, Y, activation)
    assert norms.w[0] is None and norms.b[0] is None and len(norms.w) == len(weights) + 1
    assert rel_error(norms.w[1:] + norms.b[1:],
                     [np.linalg.norm(g) for g in num_w + num_b]) <= BOUND


def test_one_example_weight_gradient_norm_is_error_times_activation():
    weights, biases, x, y = _network("sigmoid", seed=5)
    t = vectorized.backprop_trace(weights, biases, x, y)
    norms = gradient_norms(weights, biases, x, y)
    for l in range(1, len(weights) + 1):
        expected = np.linalg.norm(t.delta[l]) * np.linalg.norm(t.a[l - 1])
        assert norms.w[l] == pytest.approx(expected, rel=1e-12)


# --- initialisation -------------------------------------------------------------

def test_gaussian_params_with_one_over_n_and_unit_bias_variance_is_init_params():
    sizes = [3, 7, 4, 2]
    mine = gaussian_params(sizes, np.random.default_rng(9), lambda n: 1 / n, 1.0)
    theirs = init_params(sizes, np.random.default_rng(9))
    for p, q in zip(mine[0] + mine[1], theirs[0] + theirs[1]):
        assert np.allclose(p, q, rtol=1e-15, atol=0)


@pytest.mark.parametrize(("weight_var", "expected"), [(lambda n: 2 / n, 2 / 400), (0.3, 0.3)])
def test_gaussian_params_draw_the_variance_asked_for(weight_var, expected):
    weights, biases = gaussian_params([400, 400], np.random.default_rng(0), weight_var)
    assert np.var(weights[0]) == pytest.approx(expected, rel=0.02)
    assert np.all(biases[0] == 0)


def test_relu_needs_two_over_n_to_keep_the_activation_scale():
    runs = {c: depth_runs("relu", lambda n, c=c: c / n, 0.0, depth=12, width=30, N=64,
                          seeds=range(3)) for c in (1, 2)}
    per_layer = {c: (r.median("a")[11] / r.median("a")[1]) ** (1 / 10) for c, r in runs.items()}
    assert per_layer[1] == pytest.approx(np.sqrt(0.5), rel=0.1)
    assert per_layer[2] == pytest.approx(1.0, rel=0.1)


def test_deep_sigmoid_first_layer_gradient_is_orders_below_the_last():
    r = depth_runs("sigmoid", lambda n: 1 / n, 1.0, depth=12, width=16, N=16, seeds=range(10, 13))
    assert np.all(r.w[:, 0] < 1e-5 * r.w[:, -1])


# --- L2 regularisation: BP4 + λw -------------------------------------------------

@pytest.mark.parametrize("lmbda", [0.0, 0.05, 2.0])
@pytest.mark.parametrize(("activation", "cost", "output"),
                         [("sigmoid", "quadratic", None), ("tanh", "cross_entropy", "sigmoid"),
                          ("relu", "quadratic", "identity")])
def test_l2_backprop_matches_central_differences(lmbda, activation, cost, output):
    weights, biases, X, Y = _network(activation, seed=6, N=4)
    grads = l2_backprop(weights, biases, X, Y, lmbda, activation, cost, output)
    ws, bs = [w.copy() for w in weights], [b.copy() for b in biases]
    num = [central_difference(lambda: l2_cost(ws, bs, X, Y, lmbda, activation, cost, output), p)
           for p in ws + bs]
    assert rel_error(grads.nabla_w + grads.nabla_b, num) <= BOUND


def test_l2_adds_lambda_w_to_bp4_and_leaves_bp3_alone():
    weights, biases, X, Y = _network("sigmoid", seed=7, N=3)
    plain = batched.backprop(weights, biases, X, Y)
    reg = l2_backprop(weights, biases, X, Y, 0.3)
    for g, p, w in zip(reg.nabla_w, plain.nabla_w, weights):
        assert np.array_equal(g, p + 0.3 * w)
    for g, p in zip(reg.nabla_b, plain.nabla_b):
        assert np.array_equal(g, p)


def test_l2_penalty_is_half_lambda_times_the_squared_weights_and_ignores_biases():
    weights = [np.array([[1.0, -2.0]]), np.array([[3.0], [0.5]])]
    assert l2_penalty(weights, 0.4) == pytest.approx(0.2 * (1 + 4 + 9 + 0.25))
    assert all(np.array_equal(g, 0.4 * w) for g, w in zip(l2_penalty_grad(weights, 0.4), weights))


def test_weight_decay_step_shrinks_then_steps():
    weights, biases, X, Y = _network("tanh", seed=8, N=3)
    eta, lmbda = 0.1, 0.2
    reg = l2_backprop(weights, biases, X, Y, lmbda, "tanh")
    plain = batched.backprop(weights, biases, X, Y, "tanh")
    for w, g, p in zip(weights, reg.nabla_w, plain.nabla_w):
        assert np.allclose(w - eta * g, (1 - eta * lmbda) * w - eta * p, rtol=1e-14, atol=1e-15)


def test_l2_keeps_float32_and_leaves_the_arguments_alone():
    weights, biases, X, Y = _network("sigmoid", seed=9, N=2)
    w32 = [w.astype(np.float32) for w in weights]
    b32 = [b.astype(np.float32) for b in biases]
    before = [w.copy() for w in w32] + [b.copy() for b in b32]
    grads = l2_backprop(w32, b32, X.astype(np.float32), Y.astype(np.float32), 0.1)
    assert all(g.dtype == np.float32 for g in grads.nabla_w + grads.nabla_b)
    assert all(np.array_equal(p, q) for p, q in zip(before, w32 + b32))


# --- bad input -------------------------------------------------------------------

W, B, X1, Y1 = _network("sigmoid", seed=10)


@pytest.mark.parametrize(("l", "error", "message"), [
    (0, ValueError, r"l must be a layer number from 1 to L = 4; got 0"),
    (5, ValueError, r"from 1 to L = 4; got 5"),
    (1.0, TypeError, r"l must be a layer number, an integer .* got float"),
    (True, TypeError, r"got bool"),
])
def test_backward_product_names_a_bad_layer(l, error, message):
    with pytest.raises(error, match=message):
        backward_product(W, B, X1, l)


def test_backward_product_needs_one_example_and_an_elementwise_activation():
    with pytest.raises(ValueError, match=r"x must be one example.*got 3 columns"):
        backward_product(W, B, np.hstack([X1, X1, X1]), 1)
    with pytest.raises(ValueError, match="softmax is an output activation only"):
        backward_product(W, B, X1, 1, activation="softmax")
    with pytest.raises(ValueError, match=r"x must be 2-D"):
        backward_product(W, B, X1.ravel(), 1)


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    (dict(weight_var=-1.0), ValueError, r"weight_var must be a finite variance ≥ 0; got -1.0"),
    (dict(weight_var=np.nan), ValueError, r"weight_var must be a finite variance"),
    (dict(weight_var="1/n"), TypeError, r"weight_var must be a real number ≥ 0 or a function"),
    (dict(weight_var=lambda n: -1 / n), ValueError, r"weight_var must be a finite variance"),
    (dict(weight_var=1.0, bias_var=-0.5), ValueError, r"bias_var must be a finite variance"),
    (dict(weight_var=1.0, bias_var=None), TypeError, r"bias_var must be a real number ≥ 0; got"),
])
def test_gaussian_params_names_a_bad_variance(kwargs, error, message):
    with pytest.raises(error, match=message):
        gaussian_params([3, 2], np.random.default_rng(0), **kwargs)


@pytest.mark.parametrize(("lmbda", "error", "message"), [
    (-0.1, ValueError, r"lmbda must be ≥ 0"),
    (np.inf, ValueError, r"lmbda is inf"),
    ("0.1", TypeError, r"lmbda must be a real number"),
    (None, TypeError, r"lmbda must be a real number"),
])
def test_l2_names_a_bad_lambda(lmbda, error, message):
    for call in (lambda: l2_backprop(W, B, X1, Y1, lmbda), lambda: l2_cost(W, B, X1, Y1, lmbda),
                 lambda: l2_penalty(W, lmbda)):
        with pytest.raises(error, match=message):
            call()


def test_l2_names_bad_weights():
    with pytest.raises(TypeError, match=r"weights must be a list of 2-D arrays"):
        l2_penalty(W[0], 0.1)
    with pytest.raises(ValueError, match=r"weights\[1\] contains NaN"):
        l2_penalty([W[0], np.full_like(W[1], np.nan)], 0.1)


# --- figures ----------------------------------------------------------------------

def _small_runs():
    setup = dict(depth=4, width=5, N=4, seeds=range(2))
    return ({"init": {a: depth_runs(a, lambda n: 1 / n, 1.0, **setup) for a in ACTIVATIONS}},
            {a: {"1/n": depth_runs(a, lambda n: 1 / n, 0.0, **setup)} for a in ACTIVATIONS})


def test_consequences_figures_are_deterministic_with_alt_text():
    runs, init_runs = _small_runs()
    titles, labels = {"init": "init_params"}, {"1/n": "Var(w) = 1/n"}
    for draw, alt in [(lambda: gradient_figure(runs, titles), gradient_alt(runs, titles)),
                      (lambda: init_figure(init_runs, labels), init_alt(init_runs, labels))]:
        first, second = to_img(draw(), alt=alt), to_img(draw(), alt=alt)
        assert first == second
        assert re.search(r'alt="[^"]*sigmoid[^"]*relu', first)
        with pytest.raises(ValueError, match="alt text"):
            to_img(draw(), alt=" ")
