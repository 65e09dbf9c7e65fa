"""L2 regularisation: the cost C + (λ/2) Σₗ ‖wˡ‖², and the λw it adds to BP4.

The penalty holds the weights only; biases are not regularised, the
convention Nielsen follows.  It does not depend on any zˡ, so δˡ, and with it
BP1, BP2 and BP3, stay as they are:

    ∂C_λ/∂wˡ = δˡ (aˡ⁻¹)ᵀ + λ wˡ,   ∂C_λ/∂bˡ = δˡ.

C is the mean cost of ``batched`` (examples as columns, X (n_0, N)), so the
gradients are ``batched.backprop``'s with λwˡ added.  Nielsen divides the
penalty by his n, the number of training examples (M in the book):
(λ/2M) Σ w² in our letters, so his λ is M times this one.
"""

import numpy as np

from derivations import batched, validate
from derivations.algorithm import Gradients
from derivations.gradcheck import mean_cost

__all__ = ["l2_backprop", "l2_cost", "l2_penalty", "l2_penalty_grad"]


def _checked(weights, lmbda):
    """The weights as float arrays and λ as a float ≥ 0, or an error naming the argument."""
    lmbda = validate.number(lmbda, "lmbda")
    if lmbda < 0:
        raise ValueError(f"lmbda must be ≥ 0, the strength λ of the penalty; got {lmbda}")
    if not isinstance(weights, (list, tuple)):
        raise TypeError(f"weights must be a list of 2-D arrays, one per layer; "
                        f"got {type(weights).__name__}")
    weights = [validate.array(w, f"weights[{i}]") for i, w in enumerate(weights)]
    for i, w in enumerate(weights):
        validate.finite(w, f"weights[{i}]")
    return weights, lmbda


def l2_penalty(weights, lmbda):
    """(λ/2) Σₗ ‖wˡ‖²: half λ times the sum of every squared weight; no bias."""
    weights, lmbda = _checked(weights, lmbda)
    return 0.5 * lmbda * sum(float(np.sum(w * w)) for w in weights)


def l2_penalty_grad(weights, lmbda):
    """∂/∂wˡ of (λ/2) Σₗ ‖wˡ‖² = λ wˡ, one array per layer, shaped like the weights."""
    weights, lmbda = _checked(weights, lmbda)
    return [lmbda * w for w in weights]


# --8<-- [start:l2]
def l2_cost(weights, biases, X, Y, lmbda, activation="sigmoid", cost="quadratic",
            output_activation=None):
    """C_λ = C + (λ/2) Σₗ ‖wˡ‖², C the mean cost over the N columns of X."""
    return (mean_cost(weights, biases, X, Y, activation, cost, output_activation)
            + l2_penalty(weights, lmbda))


def l2_backprop(weights, biases, X, Y, lmbda, activation="sigmoid", cost="quadratic",
                output_activation=None):
    """∂C_λ/∂wˡ = δˡ(aˡ⁻¹)ᵀ + λwˡ (BP4, batch mean, plus λwˡ); ∂C_λ/∂bˡ: BP3 as before."""
    nabla_w, nabla_b = batched.backprop(weights, biases, X, Y, activation, cost,
                                        output_activation)
    decay = l2_penalty_grad(weights, lmbda)                  # λwˡ for every layer
    return Gradients([nw + d for nw, d in zip(nabla_w, decay)], nabla_b)
# --8<-- [end:l2]
