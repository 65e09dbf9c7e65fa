"""Mini-batch SGD (derivations.training): it lowers the cost, and its step is η∇C."""

import numpy as np
import pytest

from derivations import batched
from derivations.gradcheck import mean_cost
from derivations.network import init_params
from derivations.training import accuracy, disc_data, sgd, sgd_step

NAMES = dict(activation="tanh", cost="cross_entropy", output_activation="sigmoid")


def _problem(seed=0, M=120):
    rng = np.random.default_rng(seed)
    X, Y = disc_data(M, rng)
    weights, biases = init_params([2, 8, 1], np.random.default_rng(seed + 1))
    return weights, biases, X, Y


def test_disc_data_shapes_and_balance():
    X, Y = disc_data(1000, np.random.default_rng(0))
    assert X.shape == (2, 1000) and Y.shape == (1, 1000)
    assert set(np.unique(Y)) == {0.0, 1.0}
    assert 0.4 < Y.mean() < 0.6


@pytest.mark.parametrize(("batch_size", "epochs"), [(1, 10), (10, 30), (120, 300)])
def test_training_lowers_the_loss(batch_size, epochs):
    weights, biases, X, Y = _problem()
    h = sgd(weights, biases, X, Y, epochs=epochs, batch_size=batch_size, eta=0.5,
            rng=np.random.default_rng(2), **NAMES)
    assert len(h.loss) == epochs + 1
    assert h.loss[-1] < 0.9 * h.loss[0]
    assert h.loss[0] == pytest.approx(mean_cost(weights, biases, X, Y, **NAMES))
    assert h.loss[-1] == pytest.approx(mean_cost(h.weights, h.biases, X, Y, **NAMES))


def test_training_reaches_good_accuracy():
    weights, biases, X, Y = _problem()
    h = sgd(weights, biases, X, Y, epochs=100, batch_size=10, eta=0.5,
            rng=np.random.default_rng(2), **NAMES)
    assert accuracy(h.weights, h.biases, X, Y, "tanh", "sigmoid") > 0.85


def test_sgd_does_not_change_its_arguments():
    weights, biases, X, Y = _problem()
    before = [p.copy() for p in weights + biases]
    sgd(weights, biases, X, Y, epochs=2, batch_size=10, eta=0.5,
        rng=np.random.default_rng(2), **NAMES)
    for p, q in zip(weights + biases, before, strict=True):
        np.testing.assert_array_equal(p, q)


def test_sgd_is_deterministic_given_the_rng():
    weights, biases, X, Y = _problem()
    runs = [sgd(weights, biases, X, Y, epochs=3, batch_size=7, eta=0.5,
                rng=np.random.default_rng(5), **NAMES) for _ in range(2)]
    assert runs[0].loss == runs[1].loss


def test_step_is_eta_times_the_mean_gradient():
    weights, biases, X, Y = _problem()
    eta = 0.1
    new_w, new_b = sgd_step(weights, biases, X, Y, eta, **NAMES)
    nabla_w, nabla_b = batched.backprop(weights, biases, X, Y, **NAMES)
    for new, old, g in zip(new_w + new_b, weights + biases, nabla_w + nabla_b, strict=True):
        np.testing.assert_allclose(new, old - eta * g)


def test_small_step_decreases_cost_by_eta_times_squared_gradient_norm():
    weights, biases, X, Y = _problem()
    eta = 1e-4
    nabla_w, nabla_b = batched.backprop(weights, biases, X, Y, **NAMES)
    predicted = eta * sum(float(np.sum(g * g)) for g in nabla_w + nabla_b)
    new_w, new_b = sgd_step(weights, biases, X, Y, eta, **NAMES)
    actual = (mean_cost(weights, biases, X, Y, **NAMES)
              - mean_cost(new_w, new_b, X, Y, **NAMES))
    assert actual == pytest.approx(predicted, rel=1e-3)


def test_full_batch_gradient_descent_lowers_the_loss_every_epoch():
    weights, biases, X, Y = _problem()
    h = sgd(weights, biases, X, Y, epochs=20, batch_size=X.shape[1], eta=0.5,
            rng=np.random.default_rng(2), **NAMES)
    assert all(after < before for before, after in zip(h.loss, h.loss[1:], strict=False))
