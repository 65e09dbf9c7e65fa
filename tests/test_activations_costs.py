"""Activations and costs: derivatives against central differences, conventions."""

import numpy as np
import pytest

from derivations import activations as A
from derivations import costs as C
from derivations.gradcheck import central_difference, rel_error

Z = np.array([[-3.1], [-0.7], [0.4], [2.2]])


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "identity"])
def test_derivative_matches_central_difference(name):
    act = A.get_activation(name)
    z = Z.copy()
    num = np.zeros_like(z)
    for i in range(len(z)):
        e = np.zeros_like(z)
        e[i] = 1e-6
        num[i] = (act.f(z + e)[i] - act.f(z - e)[i]) / 2e-6
    assert rel_error(act.prime(z), num) < 1e-8
    np.testing.assert_allclose(act.prime_from(z, act.f(z)), act.prime(z), rtol=1e-13, atol=1e-15)


def test_relu_prime_at_zero_is_zero():
    assert A.relu_prime(0.0) == 0.0
    np.testing.assert_array_equal(A.relu_prime(np.array([-1.0, 0.0, 1.0])), [0.0, 0.0, 1.0])


def test_softmax_jacobian_and_vjp():
    z = np.array([[0.3], [-1.2], [2.0]])
    J = A.softmax_jacobian(z)
    num = np.hstack([
        (A.softmax(z + h) - A.softmax(z - h)) / 2e-6
        for h in np.eye(3)[:, :, None] * 1e-6])
    assert rel_error(J, num) < 1e-8
    g = np.array([[0.5], [-1.0], [2.0]])
    np.testing.assert_allclose(A.softmax_vjp(A.softmax(z), g), J.T @ g, rtol=1e-13)
    np.testing.assert_allclose(A.softmax(z).sum(), 1.0)


def test_softmax_rows_and_columns():
    z = np.random.default_rng(0).standard_normal((3, 4))
    np.testing.assert_allclose(A.softmax(z.T, axis=1), A.softmax(z).T)


@pytest.mark.parametrize("name", ["quadratic", "cross_entropy", "categorical_cross_entropy"])
def test_cost_gradient_matches_central_difference(name):
    cost = C.get_cost(name)
    a = np.array([[0.2], [0.7], [0.1]])
    y = np.array([[0.0], [1.0], [0.0]])
    num = central_difference(lambda: cost.value(a, y), a)
    assert rel_error(cost.grad(a, y), num) < 1e-8


def test_quadratic_has_the_half():
    assert C.quadratic(np.array([[3.0]]), np.array([[1.0]])) == 2.0  # ½·2²


def test_cross_entropy_from_logits_equals_from_activations():
    z = np.array([[-2.0, 0.5], [1.5, -0.3]])
    y = np.array([[0.0, 1.0], [0.3, 1.0]])
    assert C.cross_entropy_from_logits(z, y) == pytest.approx(C.cross_entropy(A.sigmoid(z), y),
                                                              rel=1e-13)
    yc = np.array([[0.0, 1.0], [1.0, 0.0]])
    assert C.categorical_cross_entropy_from_logits(z, yc) == pytest.approx(
        C.categorical_cross_entropy(A.softmax(z), yc), rel=1e-13)


def test_cross_entropy_zero_log_zero():
    assert C.cross_entropy(np.array([[0.0], [1.0]]), np.array([[0.0], [1.0]])) == 0.0


def test_unknown_names():
    with pytest.raises(ValueError, match="expected one of 'quadratic'"):
        C.get_cost("mse")
    with pytest.raises(ValueError, match="expected one of 'sigmoid'"):
        A.get_activation("swish")
