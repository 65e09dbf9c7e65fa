"""Scalar form: a chain with one neuron per layer, all plain Python floats.

x → z¹ = w¹x + b¹ → a¹ = σ(z¹) → z² = w²a¹ + b² → … → aᴸ → C.
Every quantity is a single number, so each equation is one multiplication of
chain-rule factors.  weights and biases are lists of floats, one per layer.
"""

from derivations import algorithm, validate

__all__ = ["FORM", "backprop", "backprop_trace", "bp1", "bp2", "bp3", "bp4", "forward"]


# --8<-- [start:forward]
def forward(weights, biases, x, sigma, sigma_L):
    """zˡ = wˡ aˡ⁻¹ + bˡ and aˡ = σ(zˡ), as floats; lists indexed by layer l."""
    L = len(weights)
    z, a = [None] * (L + 1), [None] * (L + 1)
    a[0] = x
    for l in range(1, L + 1):
        z[l] = weights[l - 1] * a[l - 1] + biases[l - 1]
        a[l] = float((sigma_L if l == L else sigma)(z[l]))
    return z, a
# --8<-- [end:forward]


# --8<-- [start:bp1]
def bp1(dC_da, sp):
    """BP1: δᴸ = ∂C/∂aᴸ · σ′(zᴸ)."""
    return float(dC_da * sp)
# --8<-- [end:bp1]


# --8<-- [start:bp2]
def bp2(w_next, delta_next, sp):
    """BP2: δˡ = wˡ⁺¹ δˡ⁺¹ σ′(zˡ)."""
    return float(w_next * delta_next * sp)
# --8<-- [end:bp2]


# --8<-- [start:bp3]
def bp3(delta):
    """BP3: ∂C/∂bˡ = δˡ."""
    return float(delta)
# --8<-- [end:bp3]


# --8<-- [start:bp4]
def bp4(a_prev, delta):
    """BP4: ∂C/∂wˡ = aˡ⁻¹ δˡ."""
    return float(a_prev * delta)
# --8<-- [end:bp4]


FORM = algorithm.Form(
    name="scalar",
    feature_axis=None,          # plain numbers: no axes
    validate=validate.floats,   # weights, biases: lists of floats; x, y: floats
    forward=forward,
    bp1=bp1, bp2=bp2, bp3=bp3, bp4=bp4,
)


def backprop_trace(weights, biases, x, y, activation="sigmoid", cost="quadratic",
                   output_activation=None):
    """Backprop on the scalar chain, returning the text-indexed ``algorithm.Trace``."""
    return algorithm.backprop_trace(FORM, weights, biases, x, y, activation, cost,
                                    output_activation)


def backprop(weights, biases, x, y, activation="sigmoid", cost="quadratic",
             output_activation=None):
    """(nabla_w, nabla_b) as lists of floats: ∂C/∂wˡ and ∂C/∂bˡ for l = 1, …, L.

    Returns ``Gradients(nabla_w, nabla_b)``: weights first, where Nielsen's
    network.py returns (nabla_b, nabla_w).  ``output_activation=None``: the
    output layer uses ``activation`` too.
    """
    return algorithm.backprop(FORM, weights, biases, x, y, activation, cost,
                              output_activation)
