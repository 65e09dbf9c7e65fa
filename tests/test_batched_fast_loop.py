"""batched.backprop (fast.backprop), the loop a training run calls, against the trace.

The fast loop reorders the loop, computes hidden activations in place and
keeps its working arrays between calls; none of that may change a number,
leak memory between calls, or mix up two threads.  It is the one special
case: these tests pin it to batched.backprop_trace, the generic algorithm.
"""

import threading

import numpy as np
import pytest

from derivations import activations, batched, fast
from derivations.check import ACTIVATION_NAMES, make_case
from derivations.validate import finite

COSTS = ("quadratic", "cross_entropy", "categorical_cross_entropy")
TOL = dict(rtol=1e-13, atol=1e-15)


def _trace_grads(c):
    t = batched.backprop_trace(c.weights, c.biases, c.X, c.Y, **c.names)
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
    _assert_same(batched.backprop(c.weights, c.biases, c.X, c.Y, **c.names), _trace_grads(c))


def test_kept_arrays_do_not_leak_between_calls():
    """Shapes change, come back; earlier results stay as they were."""
    big = make_case([5, 6, 4, 3], 9, "tanh", "quadratic", seed=1)
    small = make_case([5, 6, 4, 3], 2, "tanh", "quadratic", seed=2)
    other = make_case([2, 3, 2], 9, "relu", "cross_entropy", seed=3)
    first = batched.backprop(big.weights, big.biases, big.X, big.Y, **big.names)
    kept = [[g.copy() for g in part] for part in first]
    for c in (small, other, big, big, small):
        _assert_same(batched.backprop(c.weights, c.biases, c.X, c.Y, **c.names),
                     _trace_grads(c))
    _assert_same(first, kept)  # later calls did not write into earlier results
    for part in first:
        for g in part:
            assert g.base is None or g.base.shape == g.shape  # not a view of a kept array


def test_inputs_are_not_modified():
    c = make_case([4, 5, 3, 2], 6, "sigmoid", "quadratic", seed=5)
    before = [a.copy() for a in (*c.weights, *c.biases, c.X, c.Y)]
    batched.backprop(c.weights, c.biases, c.X, c.Y, **c.names)
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
            got = batched.backprop(c.weights, c.biases, c.X, c.Y, **c.names)
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


HIDDEN = ["sigmoid", "tanh", "relu", "identity"]


@pytest.mark.parametrize("name", HIDDEN)
def test_of_sum_is_sigma_of_the_sum(name):
    act = activations.get_activation(name)
    rng = np.random.default_rng(0)
    u, b = rng.standard_normal((4, 6)) * 3, rng.standard_normal((4, 1))
    want = act.f(u + b)
    buf = u.copy()
    got = fast.IN_PLACE[act].of_sum(buf, b, out=buf)  # in place, as the loop calls it
    assert got is buf
    np.testing.assert_array_equal(got, want)  # the same numbers, bit for bit


@pytest.mark.parametrize("name", HIDDEN)
def test_prime_of_a_is_sigma_prime(name):
    act = activations.get_activation(name)
    z = np.array([[-30.0, -3.1, -0.7], [0.4, 2.2, 30.0]])
    a = act.f(z)
    out = np.full_like(z, np.nan)
    assert fast.IN_PLACE[act].prime_of_a(a, out=out) is out
    np.testing.assert_array_equal(out, act.prime_from(z, a))
    np.testing.assert_allclose(out, act.prime(z), rtol=1e-13, atol=1e-300)


def test_every_hidden_activation_has_in_place_forms_and_softmax_none():
    assert set(fast.IN_PLACE) == {activations.get_activation(n) for n in HIDDEN}
    with pytest.raises(TypeError, match="softmax_vjp"):
        activations.SOFTMAX.prime(np.ones((2, 1)) / 2)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_the_fast_loop_keeps_the_precision_rule(dtype):
    c = make_case([3, 5, 4, 2], 6, "tanh", "quadratic", seed=8)
    args = [[w.astype(dtype) for w in c.weights], [b.astype(dtype) for b in c.biases],
            c.X.astype(dtype), c.Y.astype(dtype)]
    nw, nb = batched.backprop(*args)
    t = batched.backprop_trace(*args)
    assert {g.dtype for g in nw + nb + t.nabla_w[1:] + t.nabla_b[1:]} == {np.dtype(dtype)}
    np.testing.assert_allclose(nw[0], t.nabla_w[1], rtol=1e-5 if dtype == np.float32 else 1e-13)


def test_sigmoid_keeps_relative_precision_far_left():
    """σ(z) ≈ eᶻ for z ≪ 0; the form 1 − σ(−z) would round it to 0."""
    z = np.array([-40.0, -300.0, -700.0])
    np.testing.assert_allclose(activations.sigmoid(z), np.exp(z), rtol=1e-14)
    # e^(−z) overflows past z = −709.78: σ is then 0, within 1e-308 of the truth
    assert activations.sigmoid(-709.0) == pytest.approx(np.exp(-709.0), rel=1e-14)
    assert activations.sigmoid(-710.0) == 0.0


def test_finite_check_accepts_values_whose_squares_overflow():
    finite(np.array([[1e200], [-1e300]]), "x")  # Σx² is inf; the entries are finite
    with pytest.raises(ValueError, match="x contains inf"):
        finite(np.array([[1e300], [np.inf]]), "x")
