"""All forms compute the same gradients on the same network."""

import numpy as np
import pytest

from derivations import batched, index, rowmajor, scalar, vectorized
from derivations.check import ACTIVATION_NAMES, make_case

COSTS = ("quadratic", "cross_entropy", "categorical_cross_entropy")
TOL = dict(rtol=1e-12, atol=1e-14)


def _assert_lists_close(got, want):
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert np.shape(g) == np.shape(w)
        np.testing.assert_allclose(g, w, **TOL)


def _names(case):
    return dict(activation=case.activation, cost=case.cost,
                output_activation=case.output_activation)


@pytest.mark.parametrize("cost", COSTS)
@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
def test_forms_agree_on_one_example(activation, cost):
    c = make_case([3, 5, 4, 3], 1, activation, cost, seed=7)
    want = vectorized.backprop(c.weights, c.biases, c.X, c.Y, **_names(c))
    for got in (index.backprop(c.weights, c.biases, c.X, c.Y, **_names(c)),
                batched.backprop(c.weights, c.biases, c.X, c.Y, **_names(c)),
                rowmajor.backprop(c.weights, c.biases, c.X.T, c.Y.T, **_names(c))):
        _assert_lists_close(got[0], want[0])
        _assert_lists_close(got[1], want[1])


@pytest.mark.parametrize("cost", COSTS)
@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
def test_batched_is_the_mean_of_per_example_gradients(activation, cost):
    c = make_case([4, 3, 2], 6, activation, cost, seed=3)
    nw, nb = batched.backprop(c.weights, c.biases, c.X, c.Y, **_names(c))
    per = [vectorized.backprop(c.weights, c.biases, c.X[:, [i]], c.Y[:, [i]], **_names(c))
           for i in range(6)]
    _assert_lists_close(nw, [np.mean([p[0][l] for p in per], axis=0) for l in range(2)])
    _assert_lists_close(nb, [np.mean([p[1][l] for p in per], axis=0) for l in range(2)])


@pytest.mark.parametrize("cost", COSTS)
@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
def test_rowmajor_is_the_transpose_of_batched(activation, cost):
    c = make_case([4, 3, 2], 5, activation, cost, seed=4)
    col = batched.backprop_trace(c.weights, c.biases, c.X, c.Y, **_names(c))
    row = rowmajor.backprop_trace(c.weights, c.biases, c.X.T, c.Y.T, **_names(c))
    for l in range(1, 3):
        np.testing.assert_allclose(row.z[l], col.z[l].T, **TOL)
        np.testing.assert_allclose(row.delta[l], col.delta[l].T, **TOL)
        np.testing.assert_allclose(row.nabla_w[l], col.nabla_w[l], **TOL)
        np.testing.assert_allclose(row.nabla_b[l], col.nabla_b[l], **TOL)


@pytest.mark.parametrize("cost", ("quadratic", "cross_entropy"))
@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
def test_scalar_chain_agrees_with_vectorized(activation, cost):
    c = make_case([1, 1, 1, 1], 1, activation, cost, seed=5)
    ws = [float(w[0, 0]) for w in c.weights]
    bs = [float(b[0, 0]) for b in c.biases]
    gw, gb = scalar.backprop(ws, bs, float(c.X[0, 0]), float(c.Y[0, 0]), **_names(c))
    assert all(isinstance(v, float) for v in gw + gb)
    vw, vb = vectorized.backprop(c.weights, c.biases, c.X, c.Y, **_names(c))
    np.testing.assert_allclose(gw, [v[0, 0] for v in vw], **TOL)
    np.testing.assert_allclose(gb, [v[0, 0] for v in vb], **TOL)


def test_every_form_exposes_the_four_equations_and_backprop():
    from derivations import FORMS
    for name, module in FORMS.items():
        for fn in ("bp1", "bp2", "bp3", "bp4", "backprop", "backprop_trace"):
            assert callable(getattr(module, fn)), f"{name}.{fn}"
