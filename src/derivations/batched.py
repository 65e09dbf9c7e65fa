"""Mini-batch form: N examples at once, one example per column.

Shapes: X (n_0, N), Y (n_L, N); Zˡ, Aˡ, Δˡ are (n_l, N); column s of Δˡ is
that example's own error δˡₛ.  The cost is the mean C = (1/N) Σₛ Cₛ, so the
1/N enters once, in BP3 and BP4, where the columns are summed.
"""

# --8<-- [start:imports]
import numpy as np

from derivations import algorithm, fast, validate

# --8<-- [end:imports]

__all__ = ["FORM", "backprop", "backprop_trace", "bp1", "bp2", "bp3", "bp4"]


# --8<-- [start:bp1]
def bp1(G, sp):
    """BP1: Δᴸ = Gᴸ ⊙ σ′(Zᴸ), column by column.  Shapes: (n_L, N) each.

    Column s of Gᴸ is ∇ₐC_s, example s's own output gradient (not the mean cost's).
    """
    return G * sp
# --8<-- [end:bp1]


# --8<-- [start:bp2]
def bp2(W_next, Delta_next, sp, out=None):
    """BP2: Δˡ = ((wˡ⁺¹)ᵀ Δˡ⁺¹) ⊙ σ′(Zˡ): one matrix product for all N columns.

    Shapes: W_next (n_{l+1}, n_l), Delta_next (n_{l+1}, N), sp (n_l, N) → (n_l, N).
    ``out``, if given, is an (n_l, N) array to write Δˡ into.
    """
    Delta = np.matmul(W_next.T, Delta_next, out=out)
    Delta *= sp  # ⊙ in place: no second (n_l, N) array
    return Delta
# --8<-- [end:bp2]


# --8<-- [start:bp3]
def bp3(Delta):
    """BP3: ∂C/∂bˡ = (1/N) Σₛ δˡₛ = Δˡ (1/N)𝟙, the mean of Δˡ's columns.  Shape (n_l, 1).

    Written as a matrix–vector product, like BP4's matrix product: the same
    mean as ``Delta.mean(axis=1, keepdims=True)``, and faster for large N.
    """
    N = Delta.shape[1]
    return Delta @ np.full((N, 1), 1.0 / N, dtype=Delta.dtype)
# --8<-- [end:bp3]


# --8<-- [start:bp4]
def bp4(A_prev, Delta):
    """BP4: ∂C/∂wˡ = (1/N) Σₛ δˡₛ (aˡ⁻¹ₛ)ᵀ = (1/N) Δˡ (Aˡ⁻¹)ᵀ.

    Shapes: Delta (n_l, N), A_prev (n_{l-1}, N) → (n_l, n_{l-1}).  The sum of N
    outer products is a single matrix product; no (N, n_l, n_{l-1}) array.
    """
    nabla_w = Delta @ A_prev.T
    nabla_w *= 1.0 / Delta.shape[1]
    return nabla_w
# --8<-- [end:bp4]


FORM = algorithm.Form(
    name="batched",
    feature_axis=0,                   # neuron j is row j; examples are columns
    validate=validate.batch_columns,  # X (n_0, N), Y (n_L, N)
    forward=algorithm.forward,        # Zˡ = wˡ Aˡ⁻¹ + bˡ, bˡ added to every column
    bp1=bp1, bp2=bp2, bp3=bp3, bp4=bp4,
)


def backprop_trace(weights, biases, X, Y, activation="sigmoid", cost="quadratic",
                   output_activation=None):
    """Backprop for a mini-batch, returning the text-indexed ``algorithm.Trace``."""
    return algorithm.backprop_trace(FORM, weights, biases, X, Y, activation, cost,
                                    output_activation)


def backprop(weights, biases, X, Y, activation="sigmoid", cost="quadratic",
             output_activation=None):
    """(nabla_w, nabla_b) of the mean cost; X is (n_0, N), Y is (n_L, N).

    The loop a training run calls: ``fast.backprop`` runs these same four
    equations with a library's bookkeeping (arrays kept between calls, no
    stored Zˡ); the tests hold it to ``backprop_trace``.

    Returns ``Gradients(nabla_w, nabla_b)``: weights first, where Nielsen's
    network.py returns (nabla_b, nabla_w).  ``output_activation=None``: the
    output layer uses ``activation`` too.
    """
    return fast.backprop(FORM, weights, biases, X, Y, activation, cost, output_activation)
