"""batched.backprop, the loop a training run calls, against algorithm.run's trace.

batched.backprop reorders the loop, computes hidden activations in place and
keeps its working arrays between calls; none of that may change a number,
leak memory between calls, or mix up two threads.
"""

import threading

import numpy as np
import pytest

from derivations import activations, batched
from derivations._validate import check_finite
from derivations.check import ACTIVATION_NAMES, make_case

COSTS = ("quadratic", "cross_entropy", "categorical_cross_entropy")
TOL = dict(rtol=1e-13, atol=1e-15)


def _names(case):
    return dict(activation=case.activation, cost=case.cost,
                output_activation=case.output_activation)


def _trace_grads(c):
    t = batched.backprop_trace(c.weights, c.biases, c.X, c.Y, **_names(c))
    return t.nabla_w[1:], t.nabla_b[1:]


def _assert_same(got, want):
    for g_list, w_list in zip(got, want):
        assert len(g_list) == len(w_list)
        for g, w in zip(g_list, w_list):
            assert g.shape == w.shape
            np.testing.assert_allclose(g, w, **TOL)


@pytest.mark.parametrize("sizes", [[3, 2], [3, 5, 2], [4, 6, 5, 3], [2, 4, 4, 4, 3]])
@pytest.mark.parametrize("cost", COSTS)
@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
def test_backprop_equals_the_trace(activation, cost, sizes):
    c = make_case(sizes, 7, activation, cost, seed=len(sizes))
    _assert_same(batched.backprop(c.weights, c.biases, c.X, c.Y, **_names(c)), _trace_grads(c))


def test_kept_arrays_do_not_leak_between_calls():
    """Shapes change, come back; earlier results stay as they were."""
    big = make_case([5, 6, 4, 3], 9, "tanh", "quadratic", seed=1)
    small = make_case([5, 6, 4, 3], 2, "tanh", "quadratic", seed=2)
    other = make_case([2, 3, 2], 9, "relu", "cross_entropy", seed=3)
    first = batched.backprop(big.weights, big.biases, big.X, big.Y, **_names(big))
    kept = [[g.copy() for g in part] for part in first]
    for c in (small, other, big, big, small):
        _assert_same(batched.backprop(c.weights, c.biases, c.X, c.Y, **_names(c)),
                     _trace_grads(c))
    _assert_same(first, kept)  # later calls did not write into earlier results
    for part in first:
        for g in part:
            assert g.base is None or g.base.shape == g.shape  # not a view of a kept array


def test_inputs_are_not_modified():
    c = make_case([4, 5, 3, 2], 6, "sigmoid", "quadratic", seed=5)
    before = [a.copy() for a in (*c.weights, *c.biases, c.X, c.Y)]
    batched.backprop(c.weights, c.biases, c.X, c.Y, **_names(c))
    for a, b in zip((*c.weights, *c.biases, c.X, c.Y), before):
        np.testing.assert_array_equal(a, b)


def test_float32_inputs_with_float64_weights_give_float64_gradients():
    c = make_case([3, 4, 2], 5, "sigmoid", "quadratic", seed=6)
    X32 = c.X.astype(np.float32)
    nw, nb = batched.backprop(c.weights, c.biases, X32, c.Y)
    t = batched.backprop_trace(c.weights, c.biases, X32, c.Y)
    assert all(g.dtype == np.float64 for g in nw + nb)
    _assert_same((nw, nb), (t.nabla_w[1:], t.nabla_b[1:]))


def test_threads_keep_their_own_arrays():
    cases = [make_case([6, 8, 5, 3], n, "sigmoid", "quadratic", seed=n) for n in (3, 11)]
    want = [_trace_grads(c) for c in cases]
    failures = []

    def work(c, w):
        for _ in range(200):
            got = batched.backprop(c.weights, c.biases, c.X, c.Y, **_names(c))
            try:
                _assert_same(got, w)
            except AssertionError as exc:  # pragma: no cover - reported below
                failures.append(exc)
                return

    threads = [threading.Thread(target=work, args=(c, w)) for c, w in zip(cases, want)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "identity", "softmax"])
def test_of_sum_is_sigma_of_the_sum(name):
    act = activations.get_activation(name)
    rng = np.random.default_rng(0)
    u, b = rng.standard_normal((4, 6)) * 3, rng.standard_normal((4, 1))
    want = act.f(u + b)
    np.testing.assert_allclose(act.of_sum(u, b), want, rtol=1e-15, atol=0)
    buf = u.copy()
    got = act.of_sum(buf, b, out=buf)  # in place, as batched.backprop calls it
    np.testing.assert_allclose(got, want, rtol=1e-15, atol=0)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "identity"])
def test_prime_of_a_is_sigma_prime(name):
    act = activations.get_activation(name)
    z = np.array([[-30.0, -3.1, -0.7], [0.4, 2.2, 30.0]])
    a = act.f(z)
    np.testing.assert_allclose(act.prime_of_a(a), act.prime(z), rtol=1e-13, atol=1e-300)
    out = np.full_like(z, np.nan)
    assert act.prime_of_a(a, out=out) is out
    np.testing.assert_allclose(out, act.prime(z), rtol=1e-13, atol=1e-300)
    assert act.prime_of_a(float(a[0, 1])) == pytest.approx(float(act.prime(z[0, 1])), rel=1e-13)


def test_softmax_has_no_elementwise_prime():
    with pytest.raises(TypeError, match="softmax_vjp"):
        activations.get_activation("softmax").prime_of_a(np.ones((2, 1)) / 2)


def test_sigmoid_keeps_relative_precision_far_left():
    """σ(z) ≈ eᶻ for z ≪ 0; the form 1 − σ(−z) would round it to 0."""
    z = np.array([-40.0, -300.0, -700.0])
    np.testing.assert_allclose(activations.sigmoid(z), np.exp(z), rtol=1e-14)
    # e^(−z) overflows past z = −709.78: σ is then 0, within 1e-308 of the truth
    assert activations.sigmoid(-709.0) == pytest.approx(np.exp(-709.0), rel=1e-14)
    assert activations.sigmoid(-710.0) == 0.0


def test_finite_check_accepts_values_whose_squares_overflow():
    check_finite(np.array([[1e200], [-1e300]]), "x")  # Σx² is inf; the entries are finite
    with pytest.raises(ValueError, match="x contains inf"):
        check_finite(np.array([[1e300], [np.inf]]), "x")
