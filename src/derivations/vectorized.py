"""Vectorized form: one training example, stored as a column vector.

Shapes: x (n_0, 1), y (n_L, 1); wˡ = weights[l - 1] is (n_l, n_{l-1});
zˡ, aˡ, δˡ and bˡ are (n_l, 1).  ⊙ is numpy's elementwise ``*``.
"""

import sys

# --8<-- [start:imports]
import numpy as np  # noqa: F401  (the examples on the page use np)

from derivations import algorithm
from derivations._validate import check_columns, check_names, check_params, check_targets
from derivations.network import forward

# --8<-- [end:imports]

__all__ = ["backprop", "backprop_trace", "bp1", "bp2", "bp3", "bp4"]

FEATURE_AXIS = 0  # vectors are columns: neuron j is row j


# --8<-- [start:bp1]
def bp1(nabla_a, sp):
    """BP1: δᴸ = ∇ₐC ⊙ σ′(zᴸ).  Shapes: (n_L, 1) each."""
    return nabla_a * sp
# --8<-- [end:bp1]


# --8<-- [start:bp2]
def bp2(w_next, delta_next, sp):
    """BP2: δˡ = ((wˡ⁺¹)ᵀ δˡ⁺¹) ⊙ σ′(zˡ).

    Shapes: w_next (n_{l+1}, n_l), delta_next (n_{l+1}, 1), sp (n_l, 1) → (n_l, 1).
    The transpose carries the error backwards: (n_l, n_{l+1}) @ (n_{l+1}, 1).
    """
    return (w_next.T @ delta_next) * sp
# --8<-- [end:bp2]


# --8<-- [start:bp3]
def bp3(delta):
    """BP3: ∂C/∂bˡ = δˡ.  Shape (n_l, 1)."""
    return delta
# --8<-- [end:bp3]


# --8<-- [start:bp4]
def bp4(a_prev, delta):
    """BP4: ∂C/∂wˡ = δˡ (aˡ⁻¹)ᵀ, an outer product.

    Shapes: delta (n_l, 1), a_prev (n_{l-1}, 1) → (n_l, n_{l-1}), the shape of wˡ.
    """
    return delta @ a_prev.T
# --8<-- [end:bp4]


def feedforward_unchecked(weights, biases, x, sigma, sigma_L):
    return forward(weights, biases, x, sigma.f, sigma_L.f)


def _prepare(weights, biases, x, y, activation, cost, output_activation):
    sizes, weights, biases = check_params(weights, biases)
    x = check_columns(x, sizes[0], "x", single=True)
    y = check_columns(y, sizes[-1], "y", single=True, what="outputs")
    sigma, sigma_L, c = check_names(activation, cost, output_activation)
    check_targets(y, c)
    return weights, biases, x, y, sigma, sigma_L, c


def backprop_trace(weights, biases, x, y, activation="sigmoid", cost="quadratic",
                   output_activation=None):
    """Backprop for one example, returning the text-indexed ``algorithm.Trace``."""
    args = _prepare(weights, biases, x, y, activation, cost, output_activation)
    return algorithm.run(_this, *args)


# --8<-- [start:backprop]
def backprop(weights, biases, x, y, activation="sigmoid", cost="quadratic",
             output_activation=None):
    """(nabla_w, nabla_b) for one example x (n_0, 1) with target y (n_L, 1).

    nabla_w[l] = ∂C/∂weights[l] and nabla_b[l] = ∂C/∂biases[l], same shapes.
    """
    t = backprop_trace(weights, biases, x, y, activation, cost, output_activation)
    return t.nabla_w[1:], t.nabla_b[1:]
# --8<-- [end:backprop]


_this = sys.modules[__name__]
