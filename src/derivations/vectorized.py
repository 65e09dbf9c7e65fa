"""Vectorized form: one training example, stored as a column vector.

Shapes: x (n_0, 1), y (n_L, 1); wˡ = weights[l - 1] is (n_l, n_{l-1});
zˡ, aˡ, δˡ and bˡ are (n_l, 1).  ⊙ is numpy's elementwise ``*``.
"""

import numpy as np  # noqa: F401  (the examples on the page use np)

from derivations import algorithm, validate

__all__ = ["FORM", "backprop", "backprop_trace", "bp1", "bp2", "bp3", "bp4"]


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


FORM = algorithm.Form(
    name="vectorized",
    feature_axis=0,                  # neuron j is row j of a column
    validate=validate.one_example,   # x (n_0, 1), y (n_L, 1)
    forward=algorithm.forward,       # zˡ = wˡ aˡ⁻¹ + bˡ
    bp1=bp1, bp2=bp2, bp3=bp3, bp4=bp4,
)


def backprop_trace(weights, biases, x, y, activation="sigmoid", cost="quadratic",
                   output_activation=None):
    """Backprop for one example, returning the text-indexed ``algorithm.Trace``."""
    return algorithm.backprop_trace(FORM, weights, biases, x, y, activation, cost,
                                    output_activation)


def backprop(weights, biases, x, y, activation="sigmoid", cost="quadratic",
             output_activation=None):
    """(nabla_w, nabla_b) for one example x (n_0, 1) with target y (n_L, 1).

    nabla_w[l] = ∂C/∂weights[l] and nabla_b[l] = ∂C/∂biases[l], same shapes.

    Returns ``Gradients(nabla_w, nabla_b)``: weights first, where Nielsen's
    network.py returns (nabla_b, nabla_w).  ``output_activation=None``: the
    output layer uses ``activation`` too.
    """
    return algorithm.backprop(FORM, weights, biases, x, y, activation, cost,
                              output_activation)
