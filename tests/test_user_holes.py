"""The holes a user falls into: each gets a clear error or a documented rule.

One test (or a few) per hole, in the order of issue 13's list.  Each of these
failed on the engine before the reshape: a silently wrong number, a raw
ZeroDivisionError or matmul error, or a missing sentence.
"""

import re
from pathlib import Path

import numpy as np
import pytest

from derivations import batched, gradcheck, index, network, rowmajor, scalar, vectorized
from derivations.check import make_case

ROOT = Path(__file__).resolve().parents[1]
CASE = make_case([3, 5, 4, 2], 6, "sigmoid", "quadratic", seed=21)


def _in_layout(module, X, Y):
    """(x, y) for ``module`` from column-layout X, Y: one column, all columns, or rows."""
    if module in (vectorized, index):
        return X[:, :1], Y[:, :1]
    return (X.T, Y.T) if module is rowmajor else (X, Y)


ARRAY_FORMS = [index, vectorized, batched, rowmajor]
IDS = ["index", "vectorized", "batched", "rowmajor"]


def _flat(grads):
    return np.concatenate([np.ravel(g) for g in grads[0] + grads[1]])


# 1. np.matrix: `*` is a matrix product for np.matrix ---------------------------------

MATRIX = pytest.mark.filterwarnings("ignore:the matrix subclass:PendingDeprecationWarning")


@MATRIX
@pytest.mark.parametrize("form", ARRAY_FORMS, ids=IDS)
def test_np_matrix_inputs_give_the_ndarray_gradients(form):
    x, y = _in_layout(form, CASE.X, CASE.Y)
    want = form.backprop(CASE.weights, CASE.biases, x, y)
    got = form.backprop([np.asmatrix(w) for w in CASE.weights],
                        [np.asmatrix(b) for b in CASE.biases], np.asmatrix(x), np.asmatrix(y))
    assert all(type(g) is np.ndarray for g in got[0] + got[1])
    np.testing.assert_allclose(_flat(got), _flat(want), rtol=1e-14, atol=0)


@MATRIX
def test_np_matrix_in_the_forward_pass_and_the_differences():
    z, a = network.feedforward([np.asmatrix(w) for w in CASE.weights], CASE.biases,
                               np.asmatrix(CASE.X))
    assert type(a[-1]) is np.ndarray
    np.testing.assert_allclose(a[-1], network.feedforward(CASE.weights, CASE.biases,
                                                          CASE.X).a[-1], rtol=1e-14)
    assert gradcheck.mean_cost(CASE.weights, CASE.biases, np.asmatrix(CASE.X),
                               np.asmatrix(CASE.Y)) == pytest.approx(
        gradcheck.mean_cost(CASE.weights, CASE.biases, CASE.X, CASE.Y), rel=1e-14)


# 2. An empty batch ----------------------------------------------------------------

@pytest.mark.parametrize("form", [batched, rowmajor], ids=["batched", "rowmajor"])
def test_an_empty_batch_is_refused(form):
    x, y = _in_layout(form, CASE.X[:, :0], CASE.Y[:, :0])
    with pytest.raises(ValueError, match=r"X has shape .*: no examples"):
        form.backprop(CASE.weights, CASE.biases, x, y)
    with pytest.raises(ValueError, match="no examples"):
        form.backprop_trace(CASE.weights, CASE.biases, x, y)


def test_an_empty_batch_has_no_mean_cost():
    with pytest.raises(ValueError, match="no examples"):
        gradcheck.mean_cost(CASE.weights, CASE.biases, CASE.X[:, :0], CASE.Y[:, :0])


# 3. gradcheck takes and checks inputs like backprop ------------------------------------

def test_integer_weights_are_differenced_as_floats():
    w = [np.array([[1, -2, 0], [2, 1, -1]]), np.array([[1, -1]])]
    b = [np.array([[0], [1]]), np.array([[0]])]
    as_float = ([v.astype(float) for v in w], [v.astype(float) for v in b])
    X, Y = CASE.X[:, :3], np.array([[0.2, 0.7, 0.4]])
    got = gradcheck.numerical_param_grads(w, b, X, Y)
    want = gradcheck.numerical_param_grads(*as_float, X, Y)
    assert gradcheck.rel_error(got[0] + got[1], want[0] + want[1]) < 1e-12
    exact = batched.backprop(w, b, X, Y)
    assert gradcheck.rel_error(got[0] + got[1], exact[0] + exact[1]) < gradcheck.BOUND
    assert w[0].dtype.kind == "i" and w[0][0, 1] == -2          # the caller's arrays untouched


def test_a_perturbed_array_must_hold_floats():
    theta = np.array([1, 2, 3])
    with pytest.raises(TypeError, match="theta must be a float numpy array.*int"):
        gradcheck.central_difference(lambda: float(np.sum(theta**2)), theta)
    with pytest.raises(TypeError, match="theta must be a float numpy array"):
        gradcheck.forward_difference(lambda: 0.0, [1.0, 2.0])


def test_nested_lists_are_arrays_to_gradcheck():
    lists = ([w.tolist() for w in CASE.weights], [b.tolist() for b in CASE.biases],
             CASE.X.tolist(), CASE.Y.tolist())
    got = gradcheck.numerical_param_grads(*lists)
    want = gradcheck.numerical_param_grads(CASE.weights, CASE.biases, CASE.X, CASE.Y)
    assert gradcheck.rel_error(got[0] + got[1], want[0] + want[1]) == 0.0
    assert gradcheck.mean_cost(*lists) == gradcheck.mean_cost(CASE.weights, CASE.biases,
                                                              CASE.X, CASE.Y)


def test_gradcheck_refuses_what_backprop_refuses():
    w, b, X, Y = CASE.weights, CASE.biases, CASE.X, CASE.Y
    with pytest.raises(ValueError, match=r"Y must be 2-D with shape \(2, N\)"):
        gradcheck.mean_cost(w, b, X, Y[0])                       # used to broadcast
    with pytest.raises(ValueError, match=r"X must have shape \(3, N\).*transposed"):
        gradcheck.numerical_param_grads(w, b, X.T, Y)            # used to be a matmul error
    with pytest.raises(ValueError, match=r"Y must have shape \(2, N\).*transposed"):
        gradcheck.numerical_deltas(w, b, X, Y.T)
    with pytest.raises(ValueError, match=r"weights\[1\] has shape"):
        gradcheck.directional_check(batched.backprop, [w[0], w[1].T, w[2]], b, X, Y,
                                    np.random.default_rng(0))
    with pytest.raises(ValueError, match="contains NaN"):
        gradcheck.kink_distance(w, b, np.full_like(X, np.nan))


# 4. Binary cross-entropy needs a sigmoid output ---------------------------------------

@pytest.mark.parametrize("form", ARRAY_FORMS, ids=IDS)
def test_binary_cross_entropy_after_softmax_is_refused(form):
    x, y = _in_layout(form, CASE.X, CASE.Y)
    with pytest.raises(ValueError, match="cost 'cross_entropy' needs output_activation="
                                         "'sigmoid'.*use cost='categorical_cross_entropy'"):
        form.backprop(CASE.weights, CASE.biases, x, y, cost="cross_entropy",
                      output_activation="softmax")


# 5. One precision rule for every form ---------------------------------------------------

@pytest.mark.parametrize("form", ARRAY_FORMS, ids=IDS)
@pytest.mark.parametrize(("x_dtype", "w_dtype", "result"), [
    (np.float32, np.float32, np.float32),      # all float32: float32
    (np.float32, np.float64, np.float64),      # mixed: float64
    (np.int64, np.float32, np.float64),        # integers count as float64
])
def test_gradients_come_back_in_the_inputs_precision(form, x_dtype, w_dtype, result):
    x, y = _in_layout(form, CASE.X, CASE.Y)
    if np.dtype(x_dtype).kind == "i":
        x = np.round(x * 3)
    nw, nb = form.backprop([w.astype(w_dtype) for w in CASE.weights],
                           [b.astype(w_dtype) for b in CASE.biases], x.astype(x_dtype),
                           y.astype(w_dtype))
    assert {g.dtype for g in nw + nb} == {np.dtype(result)}


def test_the_scalar_chain_works_in_python_floats():
    gw, gb = scalar.backprop([np.float32(0.8), 2], [0.1, np.float32(0.2)], np.float32(0.3), 1)
    assert all(type(g) is float for g in gw + gb)


# 6. Zero-width layers, softmax as a hidden activation, integer labels ------------------

@pytest.mark.parametrize("sizes", [[3, 0, 2], [0, 4, 2], [3, 4, 0]])
def test_a_layer_without_neurons_is_refused(sizes):
    w = [np.zeros((n_out, n_in)) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
    b = [np.zeros((n_out, 1)) for n_out in sizes[1:]]
    with pytest.raises(ValueError, match=r"weights\[\d\] has shape .* no neurons"):
        batched.backprop(w, b, np.zeros((sizes[0], 2)), np.zeros((sizes[-1], 2)))
    with pytest.raises(ValueError, match="positive integers"):
        network.init_params(sizes, np.random.default_rng(0))


def test_softmax_as_a_hidden_activation_says_where_it_belongs():
    with pytest.raises(ValueError, match="softmax is an output activation only"):
        rowmajor.backprop(CASE.weights, CASE.biases, CASE.X.T, CASE.Y.T, activation="softmax")


def test_a_softmax_of_one_neuron_is_refused():
    w, b = network.init_params([3, 1], np.random.default_rng(1))
    with pytest.raises(ValueError, match="softmax' needs at least two output neurons"):
        batched.backprop(w, b, CASE.X, np.ones((1, 6)), cost="categorical_cross_entropy",
                         output_activation="softmax")


@pytest.mark.parametrize(("form", "onehot"), [
    (batched, r"Y = np\.eye\(2\)\[labels\]\.T"),
    (rowmajor, r"Y = np\.eye\(2\)\[labels\]$"),
    (vectorized, r"y = np\.eye\(2\)\[label\]\.reshape\(2, 1\)"),
], ids=["batched", "rowmajor", "vectorized"])
def test_integer_class_labels_get_the_one_hot_fix(form, onehot):
    labels = np.array([0, 1, 1, 0, 1, 0])
    x, _ = _in_layout(form, CASE.X, CASE.Y)
    y = labels[:x.shape[1] if form is not rowmajor else x.shape[0]]
    with pytest.raises(ValueError, match="Class labels\\?.*one-hot.*" + onehot) as err:
        form.backprop(CASE.weights, CASE.biases, x, y, cost="categorical_cross_entropy",
                      output_activation="softmax")
    assert "reshape(2, -1)" not in str(err.value)


def test_one_dimensional_floats_still_get_the_reshape_hint():
    with pytest.raises(ValueError, match=r"use Y\.reshape\(2, -1\)"):
        batched.backprop(CASE.weights, CASE.biases, CASE.X, CASE.Y.ravel())


# 7. Written where people trip: the return order and output_activation=None ---------------

ORDER = re.compile(r"\(nabla_w, nabla_b\).*\(nabla_b, nabla_w\)", re.S)
OUTPUT = re.compile(r"output_activation=None.*activation", re.S)


def test_the_readme_states_the_return_order_and_the_output_default():
    conventions_part = (ROOT / "README.md").read_text(encoding="utf-8").split("## Conventions")[1]
    assert ORDER.search(conventions_part) and "Nielsen" in conventions_part
    assert OUTPUT.search(conventions_part)


@pytest.mark.parametrize("form", [scalar, *ARRAY_FORMS], ids=["scalar", *IDS])
def test_each_backprop_docstring_states_both(form):
    assert ORDER.search(form.backprop.__doc__), form.__name__
    assert OUTPUT.search(form.backprop.__doc__), form.__name__


def test_the_notation_map_states_both():
    from derivations.book.companions import conventions

    table = conventions.table_markdown()
    assert "returned in that order" in table and "`(nabla_b, nabla_w)`" in table
    page = (ROOT / "docs" / "notation-map.md").read_text(encoding="utf-8")
    assert ORDER.search(page) and OUTPUT.search(page)
