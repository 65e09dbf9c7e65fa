"""All forms compute the same gradients on the same network."""

import inspect
from dataclasses import replace

import numpy as np
import pytest

from derivations import algorithm, batched, index, rowmajor, scalar, vectorized
from derivations.check import ACTIVATION_NAMES, make_case

COSTS = ("quadratic", "cross_entropy", "categorical_cross_entropy")
TOL = dict(rtol=1e-12, atol=1e-14)


def _assert_lists_close(got, want):
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert np.shape(g) == np.shape(w)
        np.testing.assert_allclose(g, w, **TOL)


@pytest.mark.parametrize("cost", COSTS)
@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
def test_forms_agree_on_one_example(activation, cost):
    c = make_case([3, 5, 4, 3], 1, activation, cost, seed=7)
    want = vectorized.backprop(c.weights, c.biases, c.X, c.Y, **c.names)
    for got in (index.backprop(c.weights, c.biases, c.X, c.Y, **c.names),
                batched.backprop(c.weights, c.biases, c.X, c.Y, **c.names),
                rowmajor.backprop(c.weights, c.biases, c.X.T, c.Y.T, **c.names)):
        _assert_lists_close(got[0], want[0])
        _assert_lists_close(got[1], want[1])


@pytest.mark.parametrize("cost", COSTS)
@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
def test_batched_is_the_mean_of_per_example_gradients(activation, cost):
    c = make_case([4, 3, 2], 6, activation, cost, seed=3)
    nw, nb = batched.backprop(c.weights, c.biases, c.X, c.Y, **c.names)
    per = [vectorized.backprop(c.weights, c.biases, c.X[:, [i]], c.Y[:, [i]], **c.names)
           for i in range(6)]
    _assert_lists_close(nw, [np.mean([p[0][l] for p in per], axis=0) for l in range(2)])
    _assert_lists_close(nb, [np.mean([p[1][l] for p in per], axis=0) for l in range(2)])


@pytest.mark.parametrize("cost", COSTS)
@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
def test_rowmajor_is_the_transpose_of_batched(activation, cost):
    c = make_case([4, 3, 2], 5, activation, cost, seed=4)
    col = batched.backprop_trace(c.weights, c.biases, c.X, c.Y, **c.names)
    row = rowmajor.backprop_trace(c.weights, c.biases, c.X.T, c.Y.T, **c.names)
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
    gw, gb = scalar.backprop(ws, bs, float(c.X[0, 0]), float(c.Y[0, 0]), **c.names)
    assert all(isinstance(v, float) for v in gw + gb)
    vw, vb = vectorized.backprop(c.weights, c.biases, c.X, c.Y, **c.names)
    np.testing.assert_allclose(gw, [v[0, 0] for v in vw], **TOL)
    np.testing.assert_allclose(gb, [v[0, 0] for v in vb], **TOL)


def test_every_form_exposes_the_four_equations_and_backprop():
    from derivations import FORMS
    for name, module in FORMS.items():
        for fn in ("bp1", "bp2", "bp3", "bp4", "backprop", "backprop_trace"):
            assert callable(getattr(module, fn)), f"{name}.{fn}"


@pytest.mark.parametrize("name", ["scalar", "index", "vectorized", "batched", "rowmajor"])
def test_each_form_states_its_contract_once(name):
    """FORM holds the module's own four equations; the generic algorithm runs it."""
    from derivations import FORMS
    module = FORMS[name]
    form = module.FORM
    assert isinstance(form, algorithm.Form) and form.name == name
    assert (form.bp1, form.bp2, form.bp3, form.bp4) == (module.bp1, module.bp2, module.bp3,
                                                        module.bp4)
    params = inspect.signature(module.backprop).parameters
    assert list(params) == ["weights", "biases", *list(params)[2:4], "activation", "cost",
                            "output_activation"]
    assert (params["activation"].default, params["cost"].default,
            params["output_activation"].default) == ("sigmoid", "quadratic", None)


def test_a_form_with_one_equation_swapped_runs_in_the_same_algorithm():
    c = make_case([3, 5, 4, 2], 1, "sigmoid", "quadratic", seed=2)

    def bp2_doubled(w_next, delta_next, sp):
        return 2 * vectorized.bp2(w_next, delta_next, sp)

    right = vectorized.backprop_trace(c.weights, c.biases, c.X, c.Y)
    wrong = algorithm.backprop_trace(replace(vectorized.FORM, bp2=bp2_doubled),
                                     c.weights, c.biases, c.X, c.Y)
    np.testing.assert_array_equal(wrong.delta[3], right.delta[3])      # BP1 untouched
    np.testing.assert_allclose(wrong.delta[2], 2 * right.delta[2], **TOL)
    np.testing.assert_allclose(wrong.delta[1], 4 * right.delta[1], **TOL)
    assert vectorized.FORM.bp2 is vectorized.bp2                       # the original stands


def test_backprop_returns_weights_first_as_named_fields():
    c = make_case([3, 5, 2], 4, "tanh", "quadratic", seed=6)
    grads = batched.backprop(c.weights, c.biases, c.X, c.Y)
    nabla_w, nabla_b = grads
    assert grads.nabla_w is nabla_w and grads.nabla_b is nabla_b
    assert [g.shape for g in nabla_w] == [w.shape for w in c.weights]
    assert [g.shape for g in nabla_b] == [b.shape for b in c.biases]
    assert grads == (nabla_w, nabla_b)


def test_scalar_takes_weights_and_biases_like_the_others():
    gw, gb = scalar.backprop(weights=[0.8, -1.3], biases=[0.2, 0.5], x=0.9, y=0.2)
    vw, vb = vectorized.backprop(weights=[np.array([[0.8]]), np.array([[-1.3]])],
                                 biases=[np.array([[0.2]]), np.array([[0.5]])],
                                 x=np.array([[0.9]]), y=np.array([[0.2]]))
    np.testing.assert_allclose(gw + gb, [float(g[0, 0]) for g in vw + vb], **TOL)
