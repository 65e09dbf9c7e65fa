"""Softmax and cross-entropy: every equation of the chapter against central differences.

Policy (derivations.gradcheck): central differences in float64 at ε = EPS,
relative error ≤ BOUND.  δᴸ is compared with ∂C/∂zᴸ by nudging zᴸ itself
(``numerical_deltas``), never with another formula alone.
"""

import numpy as np
import pytest

from derivations import activations, batched, general_bp1, index, rowmajor, scalar, vectorized
from derivations.activations import sigmoid, sigmoid_prime, softmax, softmax_jacobian, softmax_vjp
from derivations.book.figures import to_img
from derivations.book.figures.softmax import slowdown_figure
from derivations.costs import (
    categorical_cross_entropy, categorical_cross_entropy_delta,
    categorical_cross_entropy_from_logits, cross_entropy, cross_entropy_from_logits, get_cost,
    quadratic_grad)
from derivations.gradcheck import BOUND, EPS, central_difference, numerical_deltas, rel_error
from derivations.network import init_params

MODULES = {"index": index, "vectorized": vectorized, "batched": batched, "rowmajor": rowmajor}
SIZES, N = [4, 5, 3], 4
PAIRINGS = {"softmax+categorical": ("softmax", "categorical_cross_entropy"),
            "sigmoid+binary": ("sigmoid", "cross_entropy")}


def _network(seed=3):
    rng = np.random.default_rng(seed)
    weights, biases = init_params(SIZES, rng)
    X = rng.standard_normal((SIZES[0], N))
    Y = np.eye(SIZES[-1])[:, rng.integers(0, SIZES[-1], N)]   # one-hot columns
    return weights, biases, X, Y


def _jacobian_by_differences(f, z):
    """Row j: central differences of f(z)[j] in every entry of z (z perturbed on a copy)."""
    z = z.copy()
    return np.vstack([central_difference(lambda j=j: f(z)[j, 0], z, EPS).T
                      for j in range(z.shape[0])])


def _engine_delta(form, weights, biases, X, Y, **names):
    """δᴸ from the form's own backprop, as columns (n_L, N) or (n_L, 1)."""
    if form == "rowmajor":
        return rowmajor.backprop_trace(weights, biases, X.T, Y.T, **names).delta[-1].T
    if form in ("index", "vectorized"):
        return MODULES[form].backprop_trace(weights, biases, X[:, :1], Y[:, :1],
                                            **names).delta[-1]
    return batched.backprop_trace(weights, biases, X, Y, **names).delta[-1]


def _general_delta(form, Js, G):
    """The general BP1 Jᵀ∇ₐC in ``form``, as columns; one example for index and vectorized."""
    if form in ("index", "vectorized"):
        return general_bp1.BP1[form](Js[0], G[:, :1])
    if form == "rowmajor":
        return general_bp1.bp1_rowmajor(Js, G.T).T
    return general_bp1.bp1_batched(Js, G)


# --- the softmax Jacobian --------------------------------------------------------------

@pytest.mark.parametrize("n", [2, 3, 6])
def test_softmax_jacobian_entries_match_finite_differences(n):
    z = np.random.default_rng(n).standard_normal((n, 1)) * 2
    J = softmax_jacobian(z)
    assert rel_error(J, _jacobian_by_differences(softmax, z)) <= BOUND
    a = softmax(z)[:, 0]
    by_index = np.array([[a[j] * ((j == k) - a[k]) for k in range(n)] for j in range(n)])
    np.testing.assert_allclose(J, by_index, rtol=1e-15, atol=1e-17)   # aⱼ([j = k] − aₖ)
    np.testing.assert_array_equal(general_bp1.jacobian("softmax", z), J)


def test_softmax_jacobian_is_symmetric_with_columns_summing_to_zero():
    z = np.array([[2.0], [1.0], [-1.0], [0.3]])
    J = softmax_jacobian(z)
    np.testing.assert_array_equal(J, J.T)
    assert np.abs(J.sum(axis=0)).max() < 1e-16
    assert np.all(np.diag(J) > 0) and np.all(J[~np.eye(4, dtype=bool)] < 0)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "identity", "relu"])
def test_elementwise_jacobian_is_diagonal_and_matches_finite_differences(name):
    z = np.array([[-1.3], [0.4], [2.1]])     # off ReLU's kink
    act = activations.get_activation(name)
    J = general_bp1.jacobian(name, z)
    np.testing.assert_array_equal(J, np.diagflat(act.prime(z)))
    assert rel_error(J, _jacobian_by_differences(act.f, z)) <= BOUND


def test_jacobians_stack_one_per_example_in_both_layouts():
    Z = np.random.default_rng(0).standard_normal((3, 5))
    Js = general_bp1.jacobians("softmax", Z)
    assert Js.shape == (5, 3, 3)
    for x in range(5):
        np.testing.assert_array_equal(Js[x], softmax_jacobian(Z[:, [x]]))
    np.testing.assert_array_equal(general_bp1.jacobians("softmax", Z.T, axis=1), Js)


# --- BP1 in general ----------------------------------------------------------------------

@pytest.mark.parametrize("form", list(MODULES))
def test_general_bp1_matches_finite_differences_for_softmax(form):
    """Jᵀ∇ₐC in each form against ∂C/∂zᴸ by nudging zᴸ: softmax output, quadratic cost."""
    weights, biases, X, Y = _network()
    names = dict(activation="tanh", output_activation="softmax", cost="quadratic")
    t = batched.backprop_trace(weights, biases, X, Y, **names)
    Js = general_bp1.jacobians("softmax", t.z[-1])
    delta = _general_delta(form, Js, quadratic_grad(t.a[-1], Y))
    num = numerical_deltas(weights, biases, X, Y, **names)[-1][:, :delta.shape[1]]
    assert rel_error(delta, num) <= BOUND
    # The engine (softmax_vjp, no J built) gives the same error in the same form.
    assert rel_error(delta, _engine_delta(form, weights, biases, X, Y, **names)) < 1e-14
    # Keeping only J's diagonal, as the entrywise BP1 would, is far off.
    entrywise = quadratic_grad(t.a[-1], Y) * np.diagonal(Js, axis1=1, axis2=2).T
    assert rel_error(entrywise[:, :delta.shape[1]], num) > 0.1


@pytest.mark.parametrize("form", list(MODULES))
def test_general_bp1_transposes_a_non_symmetric_jacobian(form):
    """softmax's J is symmetric and hides a missing transpose; a = softmax(M z) does not.

    There J = softmax_jacobian(M z) M, and Jᵀ∇ₐC must match ∂C/∂z by differences,
    with C = Σₓ ½‖aₓ − yₓ‖²; Jᵀ replaced by J must not.
    """
    rng = np.random.default_rng(4)
    M = rng.standard_normal((3, 3))
    Z, Y = rng.standard_normal((3, N)), rng.random((3, N))
    Zp = Z.copy()

    def cost():
        return 0.5 * float(np.sum((softmax(M @ Zp) - Y) ** 2))

    num = central_difference(cost, Zp, EPS)
    Js = np.stack([softmax_jacobian(M @ Z[:, [x]]) @ M for x in range(N)])
    assert rel_error(Js, np.swapaxes(Js, 1, 2)) > 0.1               # really not symmetric
    G = softmax(M @ Z) - Y
    delta = _general_delta(form, Js, G)
    assert rel_error(delta, num[:, :delta.shape[1]]) <= BOUND
    untransposed = _general_delta(form, np.swapaxes(Js, 1, 2), G)
    assert rel_error(untransposed, num[:, :delta.shape[1]]) > 0.1


@pytest.mark.parametrize("form", list(MODULES))
def test_general_bp1_with_a_diagonal_jacobian_is_the_forms_bp1(form):
    """For an elementwise σ, Jᵀ∇ₐC = ∇ₐC ⊙ σ′(zᴸ): the form's own bp1."""
    rng = np.random.default_rng(1)
    Z, G = rng.standard_normal((3, N)), rng.standard_normal((3, N))
    Js = general_bp1.jacobians("sigmoid", Z)
    general = _general_delta(form, Js, G)
    cols = general.shape[1]
    if form == "rowmajor":
        own = rowmajor.bp1(G.T, sigmoid_prime(Z).T).T
    else:
        own = MODULES[form].bp1(G[:, :cols], sigmoid_prime(Z)[:, :cols])
    np.testing.assert_allclose(general, own, rtol=1e-15, atol=0)


def test_general_bp1_matches_finite_differences_for_an_elementwise_output():
    weights, biases, X, Y = _network()
    names = dict(activation="tanh", output_activation="sigmoid", cost="quadratic")
    t = batched.backprop_trace(weights, biases, X, Y, **names)
    delta = general_bp1.bp1_batched(general_bp1.jacobians("sigmoid", t.z[-1]),
                                    quadratic_grad(t.a[-1], Y))
    assert rel_error(delta, numerical_deltas(weights, biases, X, Y, **names)[-1]) <= BOUND


def test_scalar_chain_bp1_is_the_one_by_one_general_bp1():
    """One output neuron: J is the 1 × 1 σ′(zᴸ), and Jᵀ ∂C/∂aᴸ is the scalar BP1."""
    t = scalar.backprop_trace([0.8, -1.3], [0.2, 0.5], 0.9, 0.2)
    J = general_bp1.jacobian("sigmoid", np.array([[t.z[-1]]]))
    general = general_bp1.bp1_vectorized(J, np.array([[t.a[-1] - 0.2]]))
    assert general.shape == (1, 1)
    assert general[0, 0] == pytest.approx(t.delta[-1], rel=1e-15)


@pytest.mark.parametrize("axis", [0, 1])
def test_softmax_vjp_equals_the_explicit_jacobian(axis):
    rng = np.random.default_rng(2)
    Z, G = rng.standard_normal((4, 6)), rng.standard_normal((4, 6))
    Js = general_bp1.jacobians("softmax", Z)
    if axis == 0:
        explicit = general_bp1.bp1_batched(Js, G)
        vjp = softmax_vjp(softmax(Z), G)
    else:
        explicit = general_bp1.bp1_rowmajor(Js, G.T)
        vjp = softmax_vjp(softmax(Z.T, axis=1), G.T, axis=1)
    assert rel_error(vjp, explicit) < 1e-14


# --- the a − y collapse -----------------------------------------------------------------

@pytest.mark.parametrize("form", list(MODULES))
@pytest.mark.parametrize("pairing", list(PAIRINGS))
def test_cross_entropy_collapse_matches_finite_differences(pairing, form):
    output, cost = PAIRINGS[pairing]
    weights, biases, X, Y = _network()
    names = dict(activation="tanh", output_activation=output, cost=cost)
    num = numerical_deltas(weights, biases, X, Y, **names)[-1]
    t = batched.backprop_trace(weights, biases, X, Y, **names)
    assert rel_error(t.a[-1] - Y, num) <= BOUND                     # δᴸ = aᴸ − y
    engine = _engine_delta(form, weights, biases, X, Y, **names)
    np.testing.assert_allclose(engine, (t.a[-1] - Y)[:, :engine.shape[1]], rtol=0, atol=1e-15)
    # ... and it is what Jᵀ∇ₐC gives before any cancellation.
    Js = general_bp1.jacobians(output, t.z[-1])
    uncancelled = _general_delta(form, Js, get_cost(cost).grad(t.a[-1], Y))
    assert rel_error(uncancelled, num[:, :uncancelled.shape[1]]) <= BOUND


def test_collapse_to_a_minus_y_needs_targets_that_sum_to_one():
    weights, biases, X, _ = _network()
    y_two = np.array([[1.0], [1.0], [0.0]])
    names = dict(activation="tanh", output_activation="softmax",
                 cost="categorical_cross_entropy")
    num = numerical_deltas(weights, biases, X[:, :1], y_two, **names)[-1]
    a = vectorized.backprop_trace(weights, biases, X[:, :1], y_two, **names).a[-1]
    assert rel_error(a - y_two, num) > 0.1
    assert rel_error(categorical_cross_entropy_delta(a, y_two), num) <= BOUND
    assert rel_error(2 * a - y_two, num) <= BOUND                    # a Σy − y with Σy = 2


def test_log_sum_exp_form_differentiates_to_a_minus_y():
    z = np.array([[0.7], [-1.1], [2.4]])
    y = np.array([[0.0], [1.0], [0.0]])
    grad = central_difference(lambda: categorical_cross_entropy_from_logits(z, y), z)
    assert rel_error(softmax(z) - y, grad) <= BOUND


def test_two_class_softmax_is_a_sigmoid_of_the_difference():
    z = np.array([[1.3], [-0.4]])
    y = np.array([[1.0], [0.0]])
    assert softmax(z)[0, 0] == pytest.approx(sigmoid(z[0, 0] - z[1, 0]), rel=1e-15)
    assert categorical_cross_entropy(softmax(z), y) == pytest.approx(
        cross_entropy(sigmoid(z[:1] - z[1:]), y[:1]), rel=1e-14)


# --- the learning slowdown ----------------------------------------------------------------

def _train_one_neuron(cost, steps=300, eta=0.15):
    ws, bs, out, deltas = [2.0], [2.0], [], []
    for _ in range(steps + 1):
        t = scalar.backprop_trace(ws, bs, 1.0, 0.0, cost=cost)
        out.append(t.a[1])
        deltas.append(t.delta[1])
        ws, bs = [ws[0] - eta * t.nabla_w[1]], [bs[0] - eta * t.nabla_b[1]]
    return np.array(out), np.array(deltas)


def test_saturated_output_learns_slowly_with_the_quadratic_cost_only():
    quad, d_quad = _train_one_neuron("quadratic")
    ce, d_ce = _train_one_neuron("cross_entropy")
    # δ differs by exactly the factor σ′(z) that cross-entropy cancels.
    assert d_quad[0] / d_ce[0] == pytest.approx(sigmoid_prime(4.0), rel=1e-12)
    assert quad[0] == ce[0] > 0.98
    below = {k: int(np.argmax(v < 0.5)) for k, v in (("quad", quad), ("ce", ce))}
    assert 0 < 5 * below["ce"] < below["quad"]
    assert np.all(ce[1:] <= quad[1:])
    # The quadratic δ is not monotonic in z: past its peak it falls as σ saturates.
    z = np.linspace(-6, 6, 241)
    dq = quadratic_grad(sigmoid(z), 0.0) * sigmoid_prime(z)
    assert 0 < z[np.argmax(dq)] < 4.0 and dq[-1] < dq.max() / 10


def test_saturated_softmax_error_vanishes_with_the_quadratic_cost_only():
    y = np.array([[0.0], [1.0], [0.0]])
    quad, ce = [], []
    for m in (1.0, 4.0, 8.0, 12.0):
        a = softmax(np.array([[m], [0.0], [0.0]]))
        quad.append(np.linalg.norm(softmax_vjp(a, quadratic_grad(a, y))))
        ce.append(np.linalg.norm(categorical_cross_entropy_delta(a, y)))
    assert np.all(np.diff(quad) < 0) and np.all(np.diff(ce) > 0)
    assert ce[-1] > 1e4 * quad[-1] and ce[-1] < np.sqrt(2)


# --- numerically stable forms -------------------------------------------------------------

def test_stable_costs_equal_naive_ones_where_those_are_finite():
    rng = np.random.default_rng(7)
    Z = 4.0 * rng.standard_normal((3, 50))
    Y = np.eye(3)[:, rng.integers(0, 3, 50)]
    Yb = rng.random((3, 50))
    naive_cat = -np.sum(Y * np.log(np.exp(Z) / np.exp(Z).sum(axis=0)))
    naive_bin = -np.sum(Yb * np.log(1 / (1 + np.exp(-Z)))
                        + (1 - Yb) * np.log(1 - 1 / (1 + np.exp(-Z))))
    assert np.isfinite(naive_cat) and np.isfinite(naive_bin)
    assert categorical_cross_entropy_from_logits(Z, Y) == pytest.approx(naive_cat, rel=1e-13)
    assert cross_entropy_from_logits(Z, Yb) == pytest.approx(naive_bin, rel=1e-13)


def test_naive_forms_overflow_where_stable_ones_are_exact():
    z = np.array([[1000.0], [0.0], [-1000.0]])
    y = np.array([[0.0], [0.0], [1.0]])
    with np.errstate(over="raise"), pytest.raises(FloatingPointError, match="overflow"):
        np.exp(z)
    with np.errstate(all="ignore"):
        assert np.isnan((np.exp(z) / np.exp(z).sum())[0, 0])
        assert categorical_cross_entropy(softmax(z), y) == np.inf
        assert cross_entropy(sigmoid(np.array([[40.0]])), np.array([[0.0]])) == np.inf
        assert np.isnan(softmax_vjp(softmax(z), -y / softmax(z))).any()
    np.testing.assert_array_equal(softmax(z), [[1.0], [0.0], [0.0]])
    assert categorical_cross_entropy_from_logits(z, y) == 2000.0      # LSE(z) − z₂ = 1000 + 1000
    assert cross_entropy_from_logits(np.array([[40.0]]), np.array([[0.0]])) == 40.0
    assert np.all(np.isfinite(categorical_cross_entropy_delta(softmax(z), y)))


# --- bad input, figures ------------------------------------------------------------------

def test_jacobian_refuses_what_is_not_one_column():
    with pytest.raises(ValueError, match=r"z must be one example as a column"):
        general_bp1.jacobian("softmax", np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match=r"z must be one example as a column"):
        general_bp1.jacobian("softmax", np.ones((3, 2)))
    with pytest.raises(ValueError, match="unknown activation 'swish'"):
        general_bp1.jacobian("swish", np.ones((3, 1)))
    with pytest.raises(TypeError, match="z must be"):
        general_bp1.jacobian("softmax", "abc")


def test_jacobians_refuse_a_bad_axis_or_shape():
    with pytest.raises(ValueError, match="axis must be 0"):
        general_bp1.jacobians("softmax", np.ones((3, 2)), axis=2)
    with pytest.raises(ValueError, match="Z must be 2-D"):
        general_bp1.jacobians("softmax", np.ones(3))


def test_jacobians_leave_their_argument_alone():
    Z = np.random.default_rng(0).standard_normal((3, 4))
    before = Z.copy()
    general_bp1.jacobians("softmax", Z)
    general_bp1.jacobians("tanh", Z, axis=1)
    np.testing.assert_array_equal(Z, before)


def _figure():
    z = np.linspace(-6, 6, 25)
    a = sigmoid(z)
    deltas = {"quadratic": a * sigmoid_prime(z), "cross-entropy": a}
    outputs = {"quadratic": np.linspace(0.98, 0.2, 11), "cross-entropy": np.linspace(0.98, 0.01, 11)}
    return slowdown_figure(z, deltas, 4.0, outputs)


def test_slowdown_figure_needs_alt_text_and_is_deterministic():
    with pytest.raises(ValueError, match="alt text"):
        to_img(_figure(), alt=" ")
    assert to_img(_figure(), alt="a figure") == to_img(_figure(), alt="a figure")


def test_slowdown_figure_names_its_curves():
    z = np.linspace(-1, 1, 5)
    with pytest.raises(ValueError, match="labels"):
        slowdown_figure(z, {"quadratic": z}, 0.0, {"quadratic": z})
