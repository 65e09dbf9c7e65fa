"""Bad input gets a ValueError or TypeError naming the argument; extremes stay finite."""

import warnings

import numpy as np
import pytest

from derivations import activations, batched, costs, index, network, rowmajor, scalar, vectorized

RNG = np.random.default_rng(0)
W, B = network.init_params([3, 4, 2], RNG)
X = RNG.standard_normal((3, 5))
Y = RNG.random((2, 5))
x, y = X[:, [0]], Y[:, [0]]

# (module, x, y) in each form's own layout
COLUMN_FORMS = [(batched, X, Y), (vectorized, x, y), (index, x, y)]
ALL_ARRAY_FORMS = COLUMN_FORMS + [(rowmajor, X.T, Y.T)]
FORM_IDS = ["batched", "vectorized", "index", "rowmajor"]


def test_one_dimensional_target_is_refused_not_broadcast():
    with pytest.raises(ValueError, match=r"Y must be 2-D with shape \(2, N\).*refused because a − y"):
        batched.backprop(W, B, X, Y[0])


def test_one_dimensional_target_single_output_is_refused():
    w, b = network.init_params([3, 1], RNG)
    with pytest.raises(ValueError, match=r"Y must be 2-D .*1-D shape \(5,\)"):
        batched.backprop(w, b, X, np.ones(5))
    with pytest.raises(ValueError, match=r"Y must be 2-D with shape \(N, 1\)"):
        rowmajor.backprop(w, b, X.T, np.ones(5))


def test_transposed_target_is_named():
    with pytest.raises(ValueError, match=r"Y must have shape \(2, N\).*transposed"):
        batched.backprop(W, B, X, Y.T)
    with pytest.raises(ValueError, match=r"Y must have shape \(N, 2\).*transposed"):
        rowmajor.backprop(W, B, X.T, Y)


def test_transposed_input_is_named():
    with pytest.raises(ValueError, match=r"X must have shape \(3, N\).*transposed"):
        batched.backprop(W, B, X.T, Y)


def test_vectorized_x_must_be_a_column():
    with pytest.raises(ValueError, match=r"x must be 2-D with shape \(3, 1\)"):
        vectorized.backprop(W, B, x.ravel(), y)
    with pytest.raises(ValueError, match=r"x must have shape \(3, 1\)"):
        vectorized.backprop(W, B, X, y)


def test_example_counts_must_match():
    with pytest.raises(ValueError, match="X has 5 examples .* Y has 4"):
        batched.backprop(W, B, X, Y[:, :4])


@pytest.mark.parametrize(("form", "xx", "yy"), ALL_ARRAY_FORMS, ids=FORM_IDS)
def test_weights_that_do_not_chain(form, xx, yy):
    bad = [W[0], RNG.standard_normal((2, 5))]
    with pytest.raises(ValueError, match=r"weights\[1\] has shape \(2, 5\).*chain"):
        form.backprop(bad, B, xx, yy)


@pytest.mark.parametrize(("form", "xx", "yy"), ALL_ARRAY_FORMS, ids=FORM_IDS)
def test_bias_of_the_wrong_shape(form, xx, yy):
    with pytest.raises(ValueError, match=r"biases\[1\] must have shape \(2, 1\).*got \(2,\)"):
        form.backprop(W, [B[0], B[1].ravel()], xx, yy)


@pytest.mark.parametrize(("form", "xx", "yy"), ALL_ARRAY_FORMS, ids=FORM_IDS)
def test_unknown_activation_lists_valid_names(form, xx, yy):
    with pytest.raises(ValueError, match="unknown activation 'sigmoidd'.*"
                                         "'sigmoid', 'tanh', 'relu', 'identity'"):
        form.backprop(W, B, xx, yy, activation="sigmoidd")
    with pytest.raises(ValueError, match="unknown output_activation 'linear'.*'softmax'"):
        form.backprop(W, B, xx, yy, output_activation="linear")


@pytest.mark.parametrize(("form", "xx", "yy"), ALL_ARRAY_FORMS, ids=FORM_IDS)
def test_unknown_cost_lists_valid_names(form, xx, yy):
    with pytest.raises(ValueError, match="unknown cost 'mse'.*'quadratic', 'cross_entropy'"):
        form.backprop(W, B, xx, yy, cost="mse")


@pytest.mark.parametrize(("form", "xx", "yy"), ALL_ARRAY_FORMS, ids=FORM_IDS)
def test_softmax_is_an_output_activation_only(form, xx, yy):
    with pytest.raises(ValueError, match="softmax is an output activation only: pass "
                                         "output_activation='softmax'"):
        form.backprop(W, B, xx, yy, activation="softmax")


@pytest.mark.parametrize("bad", [np.nan, np.inf])
@pytest.mark.parametrize(("form", "xx", "yy"), ALL_ARRAY_FORMS, ids=FORM_IDS)
def test_nan_or_inf_in_input_weights_or_target(form, xx, yy, bad):
    word = "NaN" if np.isnan(bad) else "inf"
    xb = xx.copy()
    xb[0, 0] = bad
    with pytest.raises(ValueError, match=f"contains {word}"):
        form.backprop(W, B, xb, yy)
    wb = [W[0].copy(), W[1]]
    wb[0][1, 1] = bad
    with pytest.raises(ValueError, match=rf"weights\[0\] contains {word}"):
        form.backprop(wb, B, xx, yy)
    yb = yy.copy()
    yb[-1, -1] = bad
    with pytest.raises(ValueError, match=f"contains {word}"):
        form.backprop(W, B, xx, yb)


@pytest.mark.parametrize(("form", "xx", "yy"), ALL_ARRAY_FORMS, ids=FORM_IDS)
def test_empty_layer_list(form, xx, yy):
    with pytest.raises(ValueError, match="weights is empty"):
        form.backprop([], [], xx, yy)


@pytest.mark.parametrize(("form", "xx", "yy"), ALL_ARRAY_FORMS, ids=FORM_IDS)
def test_cross_entropy_targets_outside_unit_interval(form, xx, yy):
    with pytest.raises(ValueError, match=r"must lie in \[0, 1\] for cost 'cross_entropy'"):
        form.backprop(W, B, xx, yy * 3 - 1, cost="cross_entropy")


def test_cross_entropy_needs_a_sigmoid_output():
    with pytest.raises(ValueError, match="output_activation='sigmoid'"):
        batched.backprop(W, B, X, Y, activation="relu", cost="cross_entropy")


def test_categorical_cross_entropy_needs_softmax():
    with pytest.raises(ValueError, match="needs output_activation='softmax'"):
        batched.backprop(W, B, X, Y, cost="categorical_cross_entropy")


def test_type_errors_name_the_argument():
    with pytest.raises(TypeError, match="weights must be a list"):
        batched.backprop(W[0], B, X, Y)
    with pytest.raises(TypeError, match=r"X must be a numpy array, got str"):
        batched.backprop(W, B, "X", Y)
    with pytest.raises(TypeError, match="activation must be a string"):
        batched.backprop(W, B, X, Y, activation=None)
    with pytest.raises(TypeError, match="must hold real numbers"):
        batched.backprop(W, B, X.astype(complex), Y)


def test_layer_count_mismatch():
    with pytest.raises(ValueError, match="weights has 2 layers but biases has 1"):
        batched.backprop(W, B[:1], X, Y)


class TestScalar:
    def test_empty(self):
        with pytest.raises(ValueError, match="weights is empty"):
            scalar.backprop([], [], 0.5, 0.1)

    def test_lengths(self):
        with pytest.raises(ValueError, match="weights has 2 layers but biases has 1"):
            scalar.backprop([1.0, 2.0], [0.0], 0.5, 0.1)

    def test_non_number(self):
        with pytest.raises(TypeError, match=r"x must be a real number \(float\), got ndarray"):
            scalar.backprop([1.0], [0.0], np.array([0.5]), 0.1)

    def test_nan(self):
        with pytest.raises(ValueError, match=r"weights\[0\] is nan"):
            scalar.backprop([float("nan")], [0.0], 0.5, 0.1)

    def test_softmax(self):
        with pytest.raises(ValueError, match="softmax.*one"):
            scalar.backprop([1.0], [0.0], 0.5, 1.0, cost="categorical_cross_entropy",
                            output_activation="softmax")

    def test_cross_entropy_target(self):
        with pytest.raises(ValueError, match=r"\[0, 1\]"):
            scalar.backprop([1.0], [0.0], 0.5, 2.0, cost="cross_entropy")


# ---- extreme but valid inputs: finite results, no RuntimeWarning -------------

def test_sigmoid_is_stable_at_large_magnitude():
    z = np.array([-1e4, -710.0, -40.0, 0.0, 40.0, 710.0, 1e4])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = activations.sigmoid(z)
        sp = activations.sigmoid_prime(z)
    assert np.all(np.isfinite(s)) and np.all(np.isfinite(sp))
    assert s[0] == 0.0 and s[-1] == 1.0 and s[3] == 0.5
    # equal to the textbook formula wherever that one does not overflow
    mid = np.array([-40.0, -5.0, 0.3, 5.0, 40.0])
    np.testing.assert_allclose(activations.sigmoid(mid), 1 / (1 + np.exp(-mid)), rtol=0, atol=3e-16)
    assert activations.sigmoid(0.3) == pytest.approx(1 / (1 + np.exp(-0.3)), rel=1e-15)


def test_softmax_is_stable_at_large_magnitude():
    z = np.array([[1e4], [0.0], [-1e4]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a = activations.softmax(z)
    np.testing.assert_array_equal(a, [[1.0], [0.0], [0.0]])


@pytest.mark.parametrize("cost", ["quadratic", "cross_entropy"])
@pytest.mark.parametrize("form", [batched, vectorized, index])
def test_saturated_sigmoids_give_finite_gradients(form, cost):
    w = [np.full((4, 3), 400.0), np.full((2, 4), -400.0)]
    b = [np.zeros((4, 1)), np.zeros((2, 1))]
    xx = np.ones((3, 1)) * 10
    yy = np.array([[1.0], [0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nw, nb = form.backprop(w, b, xx, yy, activation="sigmoid", cost=cost)
    assert all(np.all(np.isfinite(g)) for g in nw + nb)


def test_saturated_cross_entropy_cost_is_finite_from_logits():
    z = np.array([[800.0], [-800.0]])
    yy = np.array([[1.0], [0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        c = costs.cross_entropy_from_logits(z, yy)
    assert c == 0.0


# ---------------------------------------------------------------- hints for a new reader


def test_swapped_weights_and_biases_get_a_hint():
    import numpy as np

    from derivations import network, vectorized

    w, b = network.init_params([3, 4, 2], np.random.default_rng(0))
    with pytest.raises(ValueError, match="Are weights and biases swapped"):
        vectorized.backprop(b, w, np.ones((3, 1)), np.ones((2, 1)) / 2)


def test_a_batch_passed_to_the_vectorized_form_is_sent_to_batched():
    import numpy as np

    from derivations import network, vectorized

    w, b = network.init_params([3, 4, 2], np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"5 examples as columns.*batched form"):
        vectorized.backprop(w, b, np.ones((3, 5)), np.ones((2, 5)) / 2)
    with pytest.raises(ValueError, match=r"one example as a column; got 1-D.*reshape\(2, 1\)"):
        vectorized.backprop(w, b, np.ones((3, 1)), np.ones(2) / 2)


def test_the_scalar_chain_takes_zero_dimensional_arrays():
    import numpy as np

    from derivations import scalar

    plain = scalar.backprop([0.5, 0.3], [0.1, 0.2], 0.4, 0.6)
    arrays = scalar.backprop([np.array(0.5), np.float64(0.3)], [0.1, np.array(0.2)],
                             np.array(0.4), 0.6)
    assert plain == arrays
    with pytest.raises(TypeError, match="x must be a real number"):
        scalar.backprop([0.5, 0.3], [0.1, 0.2], np.array([0.4]), 0.6)
