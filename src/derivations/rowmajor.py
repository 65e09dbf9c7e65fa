"""Row-major mini-batch form: one example per row, as most libraries store data.

The text marks the row layout with a tilde.  Shapes: X̃ (N, n_0), Ỹ (N, n_L);
Z̃ˡ, Ãˡ, Δ̃ˡ are (N, n_l).  The parameters keep the text's layout, wˡ
(n_l, n_{l-1}) and bˡ (n_l, 1), so the two layouts share one set of weights.
Every data array is the transpose of its column-major twin (``batched``):

    X̃ = Xᵀ,  Z̃ˡ = (Zˡ)ᵀ,  Ãˡ = (Aˡ)ᵀ,  Δ̃ˡ = (Δˡ)ᵀ,

and transposing the column-major equations, with (UV)ᵀ = VᵀUᵀ, gives these.
In the code the arrays keep their plain names: ``X`` is X̃, ``Delta`` is Δ̃ˡ.
"""

# --8<-- [start:imports]
import numpy as np  # noqa: F401  (the examples on the page use np)

from derivations import algorithm, validate

# --8<-- [end:imports]

__all__ = ["FORM", "backprop", "backprop_trace", "bp1", "bp2", "bp3", "bp4", "forward"]


# --8<-- [start:forward]
def forward(weights, biases, X, sigma, sigma_L):
    """Z̃ˡ = Ãˡ⁻¹ (wˡ)ᵀ + (bˡ)ᵀ and Ãˡ = σ(Z̃ˡ); X = X̃ is (N, n_0).  Text-indexed lists."""
    L = len(weights)
    Z, A = [None] * (L + 1), [None] * (L + 1)
    A[0] = X
    for l in range(1, L + 1):
        Z[l] = A[l - 1] @ weights[l - 1].T + biases[l - 1].T
        A[l] = (sigma_L if l == L else sigma)(Z[l])
    return Z, A
# --8<-- [end:forward]


# --8<-- [start:bp1]
def bp1(G, sp):
    """BP1: Δ̃ᴸ = G̃ᴸ ⊙ σ′(Z̃ᴸ), row by row.  Shapes: (N, n_L) each.

    Row s of G̃ᴸ is (∇ₐC_s)ᵀ, example s's own output gradient (not the mean cost's).
    """
    return G * sp
# --8<-- [end:bp1]


# --8<-- [start:bp2]
def bp2(W_next, Delta_next, sp):
    """BP2: Δ̃ˡ = (Δ̃ˡ⁺¹ wˡ⁺¹) ⊙ σ′(Z̃ˡ), the column form's ((wˡ⁺¹)ᵀ Δˡ⁺¹) ⊙ σ′(Zˡ) transposed.

    Shapes: Delta_next (N, n_{l+1}), W_next (n_{l+1}, n_l), sp (N, n_l) → (N, n_l).
    """
    return (Delta_next @ W_next) * sp
# --8<-- [end:bp2]


# --8<-- [start:bp3]
def bp3(Delta):
    """BP3: ∂C/∂bˡ = (1/N) (Δ̃ˡ)ᵀ 𝟙, the mean of Δ̃ˡ's rows, as a column (n_l, 1) like bˡ."""
    return Delta.mean(axis=0)[:, None]
# --8<-- [end:bp3]


# --8<-- [start:bp4]
def bp4(A_prev, Delta):
    """BP4: ∂C/∂wˡ = (1/N) (Δ̃ˡ)ᵀ Ãˡ⁻¹.

    Shapes: A_prev (N, n_{l-1}), Delta (N, n_l) → (n_l, n_{l-1}), the shape of wˡ.
    """
    return (Delta.T @ A_prev) / Delta.shape[0]
# --8<-- [end:bp4]


# --8<-- [start:form]
FORM = algorithm.Form(
    name="rowmajor",
    feature_axis=1,                  # neuron j is column j; examples are rows
    validate=validate.batch_rows,    # X̃ (N, n_0), Ỹ (N, n_L)
    forward=forward,                 # Z̃ˡ = Ãˡ⁻¹ (wˡ)ᵀ + (bˡ)ᵀ
    bp1=bp1, bp2=bp2, bp3=bp3, bp4=bp4,
)
# --8<-- [end:form]


def backprop_trace(weights, biases, X, Y, activation="sigmoid", cost="quadratic",
                   output_activation=None):
    """Backprop for row-major data, returning the text-indexed ``algorithm.Trace``."""
    return algorithm.backprop_trace(FORM, weights, biases, X, Y, activation, cost,
                                    output_activation)


# --8<-- [start:backprop]
def backprop(weights, biases, X, Y, activation="sigmoid", cost="quadratic",
             output_activation=None):
    """(nabla_w, nabla_b) of the mean cost over the N rows of X (N, n_0), Y (N, n_L).

    Same result as ``batched.backprop(weights, biases, X.T, Y.T, ...)``.

    Returns ``Gradients(nabla_w, nabla_b)``: weights first, where Nielsen's
    network.py returns (nabla_b, nabla_w).  ``output_activation=None``: the
    output layer uses ``activation`` too.
    """
    return algorithm.backprop(FORM, weights, biases, X, Y, activation, cost,
                              output_activation)
# --8<-- [end:backprop]
