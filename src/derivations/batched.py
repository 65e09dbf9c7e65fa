"""Mini-batch form: N examples at once, one example per column.

Shapes: X (n_0, N), Y (n_L, N); Zˡ, Aˡ, Δˡ are (n_l, N); column x of Δˡ is
that example's own error δˡₓ.  The cost is the mean C = (1/N) Σₓ Cₓ, so the
1/N enters once, in BP3 and BP4, where the columns are summed.
"""

import sys

# --8<-- [start:imports]
import numpy as np  # noqa: F401  (the examples on the page use np)

from derivations import algorithm
from derivations._validate import (
    check_columns,
    check_names,
    check_params,
    check_same_count,
    check_targets,
)
from derivations.network import forward

# --8<-- [end:imports]

__all__ = ["backprop", "backprop_trace", "bp1", "bp2", "bp3", "bp4"]

FEATURE_AXIS = 0


# --8<-- [start:bp1]
def bp1(nabla_A, sp):
    """BP1: Δᴸ = ∇_A C ⊙ σ′(Zᴸ), column by column.  Shapes: (n_L, N) each."""
    return nabla_A * sp
# --8<-- [end:bp1]


# --8<-- [start:bp2]
def bp2(W_next, Delta_next, sp):
    """BP2: Δˡ = ((Wˡ⁺¹)ᵀ Δˡ⁺¹) ⊙ σ′(Zˡ): one matrix product for all N columns.

    Shapes: W_next (n_{l+1}, n_l), Delta_next (n_{l+1}, N), sp (n_l, N) → (n_l, N).
    """
    Delta = W_next.T @ Delta_next
    Delta *= sp  # ⊙ in place: no second (n_l, N) array
    return Delta
# --8<-- [end:bp2]


# --8<-- [start:bp3]
def bp3(Delta):
    """BP3: ∂C/∂bˡ = (1/N) Σₓ δˡₓ, the mean of Δˡ's columns.  Shape (n_l, 1)."""
    return Delta.mean(axis=1, keepdims=True)
# --8<-- [end:bp3]


# --8<-- [start:bp4]
def bp4(A_prev, Delta):
    """BP4: ∂C/∂wˡ = (1/N) Σₓ δˡₓ (aˡ⁻¹ₓ)ᵀ = (1/N) Δˡ (Aˡ⁻¹)ᵀ.

    Shapes: Delta (n_l, N), A_prev (n_{l-1}, N) → (n_l, n_{l-1}).  The sum of N
    outer products is a single matrix product; no (N, n_l, n_{l-1}) array.
    """
    nabla_w = Delta @ A_prev.T
    nabla_w *= 1.0 / Delta.shape[1]
    return nabla_w
# --8<-- [end:bp4]


def feedforward_unchecked(weights, biases, X, sigma, sigma_L):
    return forward(weights, biases, X, sigma.f, sigma_L.f)


def _prepare(weights, biases, X, Y, activation, cost, output_activation):
    sizes, weights, biases = check_params(weights, biases)
    X = check_columns(X, sizes[0], "X")
    Y = check_columns(Y, sizes[-1], "Y", what="outputs")
    check_same_count(X, Y, axis=1)
    sigma, sigma_L, c = check_names(activation, cost, output_activation)
    check_targets(Y, c, "Y")
    return weights, biases, X, Y, sigma, sigma_L, c


def backprop_trace(weights, biases, X, Y, activation="sigmoid", cost="quadratic",
                   output_activation=None):
    """Backprop for a mini-batch, returning the text-indexed ``algorithm.Trace``."""
    args = _prepare(weights, biases, X, Y, activation, cost, output_activation)
    return algorithm.run(_this, *args)


# --8<-- [start:backprop]
def backprop(weights, biases, X, Y, activation="sigmoid", cost="quadratic",
             output_activation=None):
    """(nabla_w, nabla_b) of the mean cost over the N columns of X (n_0, N), Y (n_L, N)."""
    t = backprop_trace(weights, biases, X, Y, activation, cost, output_activation)
    return t.nabla_w[1:], t.nabla_b[1:]
# --8<-- [end:backprop]


_this = sys.modules[__name__]
