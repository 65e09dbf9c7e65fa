"""BP1 in general: δᴸ = Jᵀ ∇ₐC, with J = ∂aᴸ/∂zᴸ the output layer's Jacobian.

Entry (j, k) of J is ∂aᴸⱼ/∂zᴸₖ: row j is the output that receives, column k
the weighted input that sends, the order of wˡⱼₖ.  An elementwise σ
has the diagonal J = diag(σ′(zᴸ)), and Jᵀ∇ₐC is then each form's own ``bp1``,
∇ₐC ⊙ σ′(zᴸ).  A softmax output has the full J = diag(aᴸ) − aᴸ(aᴸ)ᵀ, and only
this general equation holds.

The four functions below are that equation in the index, vectorized, batched
and row-major forms, with J built explicitly.  The engine never builds J: for
softmax it applies ``activations.softmax_vjp``, a ⊙ (∇ₐC − aᵀ∇ₐC), which is the
same product in O(n_L) instead of O(n_L²) work; the tests hold the two equal.
The scalar chain has no general BP1: with one output neuron J is the 1 × 1
σ′(zᴸ), and its BP1 already is Jᵀ ∂C/∂aᴸ.
"""

# --8<-- [start:imports]
import numpy as np

from derivations import validate
from derivations.activations import Activation, get_activation, softmax_jacobian

# --8<-- [end:imports]

__all__ = ["BP1", "bp1_batched", "bp1_index", "bp1_rowmajor", "bp1_vectorized", "jacobian",
           "jacobians"]


# --8<-- [start:jacobian]
def jacobian(activation, z):
    """J = ∂a/∂z for one example z (n_L, 1): shape (n_L, n_L), J[j, k] = ∂aⱼ/∂zₖ.

    ``activation`` is a name ("sigmoid", "softmax", ...) or an ``Activation``.
    Elementwise σ: J = diag(σ′(z)).  Softmax: J = diag(a) − a aᵀ.
    """
    sigma = activation if isinstance(activation, Activation) else get_activation(activation)
    z = validate.array(z, "z")
    if z.ndim != 2 or z.shape[1] != 1:
        raise ValueError(f"z must be one example as a column, shape (n_L, 1); got {z.shape}")
    if sigma.vjp is None:
        return np.diagflat(sigma.prime(z))
    return softmax_jacobian(z)


def jacobians(activation, Z, axis=0):
    """Jₛ = ∂aₛ/∂zₛ for every example s of a batch: shape (N, n_L, n_L).

    Z holds one example per column (axis=0, Z is (n_L, N)) or per row
    (axis=1, Z is (N, n_L)); ``axis`` is the one along which the neurons lie.
    """
    if axis not in (0, 1):
        raise ValueError(f"axis must be 0 (examples as columns) or 1 (rows); got {axis!r}")
    Z = validate.array(Z, "Z")
    if Z.ndim != 2:
        raise ValueError(f"Z must be 2-D, one example per {'column' if axis == 0 else 'row'}; "
                         f"got shape {Z.shape}")
    columns = Z if axis == 0 else Z.T
    return np.stack([jacobian(activation, columns[:, [s]]) for s in range(columns.shape[1])])
# --8<-- [end:jacobian]


# --8<-- [start:index]
def bp1_index(J, nabla_a):
    """BP1: δᴸₖ = Σⱼ Jⱼₖ ∂C/∂aᴸⱼ, a sum over the first index of J, as in BP2.

    zᴸₖ reaches the cost through every output aᴸⱼ.  Shapes: J (n_L, n_L),
    nabla_a (n_L, 1) → (n_L, 1).
    """
    n_L = nabla_a.shape[0]
    delta = np.zeros_like(nabla_a)
    for k in range(n_L):
        total = 0.0
        for j in range(n_L):
            total += J[j, k] * nabla_a[j, 0]
        delta[k, 0] = total
    return delta
# --8<-- [end:index]


# --8<-- [start:vectorized]
def bp1_vectorized(J, nabla_a):
    """BP1: δᴸ = Jᵀ ∇ₐC.  Shapes: J (n_L, n_L), nabla_a (n_L, 1) → (n_L, 1)."""
    return J.T @ nabla_a
# --8<-- [end:vectorized]


# --8<-- [start:batched]
def bp1_batched(Js, G):
    """BP1: column s of Δᴸ is Jₛᵀ (column s of Gᴸ), each example with its own Jₛ.

    Shapes: Js, the stack of the Jₛ, (N, n_L, n_L); G (n_L, N) → (n_L, N).
    The subscripts read as the sum: Δᴸₖₛ = Σⱼ (Jₛ)ⱼₖ Gᴸⱼₛ.
    """
    return np.einsum("sjk,js->ks", Js, G)
# --8<-- [end:batched]


# --8<-- [start:rowmajor]
def bp1_rowmajor(Js, G):
    """BP1: row s of Δ̃ᴸ is (row s of G̃ᴸ) Jₛ, the transpose of Jₛᵀ (column s of Gᴸ).

    Shapes: Js, the stack of the Jₛ, (N, n_L, n_L); G (N, n_L) → (N, n_L): no
    transpose on Jₛ.  The subscripts read as the sum: Δ̃ᴸₛₖ = Σⱼ G̃ᴸₛⱼ (Jₛ)ⱼₖ.
    """
    return np.einsum("sj,sjk->sk", G, Js)
# --8<-- [end:rowmajor]


#: The general BP1 of each form that has one, by the form's name.
BP1 = {"index": bp1_index, "vectorized": bp1_vectorized, "batched": bp1_batched,
       "rowmajor": bp1_rowmajor}
