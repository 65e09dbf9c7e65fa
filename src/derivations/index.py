"""Index form: one example, every sum written out as a loop over j and k.

The letters follow the text: in layer l, neuron j receives from neuron k of
layer l − 1 through the weight wˡⱼₖ = w[j, k].  Arrays hold columns (n, 1) like
the vectorized form, but no matrix product or broadcast is used: each entry is
computed by the sum the text writes down.
"""

import numpy as np

from derivations import algorithm, validate

__all__ = ["FORM", "backprop", "backprop_trace", "bp1", "bp2", "bp3", "bp4", "forward"]


# --8<-- [start:forward]
def forward(weights, biases, x, sigma, sigma_L):
    """zˡⱼ = Σₖ wˡⱼₖ aˡ⁻¹ₖ + bˡⱼ and aˡⱼ = σ(zˡⱼ), one entry at a time."""
    L = len(weights)
    z, a = [None] * (L + 1), [None] * (L + 1)
    a[0] = x
    for l in range(1, L + 1):
        w, b = weights[l - 1], biases[l - 1]
        n_l, n_prev = w.shape
        z[l] = np.zeros((n_l, 1), dtype=w.dtype)
        for j in range(n_l):
            total = 0.0
            for k in range(n_prev):
                total += w[j, k] * a[l - 1][k, 0]
            z[l][j, 0] = total + b[j, 0]
        a[l] = (sigma_L if l == L else sigma)(z[l])
    return z, a
# --8<-- [end:forward]


# --8<-- [start:bp1]
def bp1(nabla_a, sp):
    """BP1: δᴸⱼ = (∂C/∂aᴸⱼ) σ′(zᴸⱼ) for each output neuron j.  Shapes (n_L, 1)."""
    delta = np.zeros_like(nabla_a)
    for j in range(nabla_a.shape[0]):
        delta[j, 0] = nabla_a[j, 0] * sp[j, 0]
    return delta
# --8<-- [end:bp1]


# --8<-- [start:bp2]
def bp2(w_next, delta_next, sp):
    """BP2: δˡₖ = (Σⱼ wˡ⁺¹ⱼₖ δˡ⁺¹ⱼ) σ′(zˡₖ).

    Neuron k of layer l sends to every neuron j of layer l + 1, so the sum runs
    over all of them: down column k of wˡ⁺¹, over its first (receiving) index.
    That is the transpose of BP2's vector form.  Shapes: w_next (n_{l+1}, n_l),
    delta_next (n_{l+1}, 1), sp (n_l, 1) → (n_l, 1).
    """
    n_next, n_l = w_next.shape
    delta = np.zeros((n_l, 1), dtype=delta_next.dtype)
    for k in range(n_l):
        total = 0.0
        for j in range(n_next):
            total += w_next[j, k] * delta_next[j, 0]
        delta[k, 0] = total * sp[k, 0]
    return delta
# --8<-- [end:bp2]


# --8<-- [start:bp3]
def bp3(delta):
    """BP3: ∂C/∂bˡⱼ = δˡⱼ.  Shape (n_l, 1)."""
    nabla_b = np.zeros_like(delta)
    for j in range(delta.shape[0]):
        nabla_b[j, 0] = delta[j, 0]
    return nabla_b
# --8<-- [end:bp3]


# --8<-- [start:bp4]
def bp4(a_prev, delta):
    """BP4: ∂C/∂wˡⱼₖ = aˡ⁻¹ₖ δˡⱼ.  Shapes: (n_{l-1}, 1), (n_l, 1) → (n_l, n_{l-1})."""
    n_l, n_prev = delta.shape[0], a_prev.shape[0]
    nabla_w = np.zeros((n_l, n_prev), dtype=delta.dtype)
    for j in range(n_l):
        for k in range(n_prev):
            nabla_w[j, k] = a_prev[k, 0] * delta[j, 0]
    return nabla_w
# --8<-- [end:bp4]


FORM = algorithm.Form(
    name="index",
    feature_axis=0,                  # columns (n, 1), entry j is neuron j
    validate=validate.one_example,   # x (n_0, 1), y (n_L, 1)
    forward=forward,                 # every sum a loop
    bp1=bp1, bp2=bp2, bp3=bp3, bp4=bp4,
)


def backprop_trace(weights, biases, x, y, activation="sigmoid", cost="quadratic",
                   output_activation=None):
    """Backprop with explicit loops, returning the text-indexed ``algorithm.Trace``."""
    return algorithm.backprop_trace(FORM, weights, biases, x, y, activation, cost,
                                    output_activation)


def backprop(weights, biases, x, y, activation="sigmoid", cost="quadratic",
             output_activation=None):
    """(nabla_w, nabla_b) for one example, every sum an explicit loop.

    Same signature and result as ``vectorized.backprop``.

    Returns ``Gradients(nabla_w, nabla_b)``: weights first, where Nielsen's
    network.py returns (nabla_b, nabla_w).  ``output_activation=None``: the
    output layer uses ``activation`` too.
    """
    return algorithm.backprop(FORM, weights, biases, x, y, activation, cost,
                              output_activation)
