"""Demonstrations that break the finite-difference policy, each asserted to fail.

Each demonstration changes one thing on a case that passes with the policy
(central differences, float64, ε = EPS, away from kinks): the passing control
is asserted too, so each failure is caused by the one change.
"""

import numpy as np
import pytest

from derivations import batched
from derivations.check import ACTIVATION_NAMES, make_case
from derivations.gradcheck import (
    BOUND,
    EPS,
    forward_difference,
    kink_distance,
    numerical_param_grads,
    rel_error,
)


def _grads(case, **kw):
    return numerical_param_grads(case.weights, case.biases, case.X, case.Y,
                                 case.activation, case.cost, case.output_activation, **kw)


def _exact(case):
    return batched.backprop(case.weights, case.biases, case.X, case.Y, case.activation,
                            case.cost, case.output_activation)


def _error(case, **kw):
    nw, nb = _grads(case, **kw)
    ew, eb = _exact(case)
    return rel_error(ew + eb, nw + nb)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh"])
def test_forward_differences_fail_the_bound_central_pass(activation):
    case = make_case([3, 4, 2], 3, activation, "quadratic", seed=11)
    assert _error(case) <= BOUND
    assert _error(case, method=forward_difference) > BOUND


@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
def test_float32_fails_the_bound_float64_passes(activation):
    case = make_case([3, 4, 2], 3, activation, "quadratic", seed=12)
    assert _error(case) <= BOUND
    as32 = case._replace(
        weights=[w.astype(np.float32) for w in case.weights],
        biases=[b.astype(np.float32) for b in case.biases],
        X=case.X.astype(np.float32), Y=case.Y.astype(np.float32))
    # float32 keeps ~7 digits: rounding C costs u32·|C|/ε ≈ 1e-2 at ε = 1e-5.
    assert _error(as32) > BOUND


def _relu_case_near_kink(offset):
    """A ReLU network whose first hidden unit sits at z = offset for the one example."""
    case = make_case([2, 3, 1], 1, "relu", "quadratic", seed=13)
    w, b = case.weights, [bb.copy() for bb in case.biases]
    z0 = (w[0] @ case.X)[0, 0]
    b[0][0, 0] = offset - z0
    # identity output: the hidden unit is the only ReLU near its kink
    return case._replace(biases=b, output_activation="identity")


def test_eps_crossing_a_relu_kink_fails():
    near = _relu_case_near_kink(0.3 * EPS)
    assert kink_distance(near.weights, near.biases, near.X, "relu", "identity") < EPS
    assert _error(near) > BOUND


def test_same_network_away_from_the_kink_passes():
    far = _relu_case_near_kink(0.05)
    assert kink_distance(far.weights, far.biases, far.X, "relu", "identity") > 100 * EPS
    assert _error(far) <= BOUND
