"""Starter: the four equations in index form (exercise of the chapter "Index form").

One example as columns (n, 1); write every sum as a loop, no matrix
products.  As in the text, j is a receiving neuron and k a sending one:
wˡ⁺¹ⱼₖ is w_next[j, k], row j of layer l + 1, column k of layer l.
Replace each `raise NotImplementedError(...)`, then check with

    python -m derivations diagnose index_equations.py --form index
"""

import numpy as np


def bp1(nabla_a, sp):
    """BP1: δᴸⱼ = (∂C/∂aᴸⱼ) σ′(zᴸⱼ).  nabla_a, sp: (n_L, 1) → (n_L, 1)."""
    delta = np.zeros_like(nabla_a)
    for j in range(nabla_a.shape[0]):
        raise NotImplementedError("BP1: set delta[j, 0]")
    return delta


def bp2(w_next, delta_next, sp):
    """BP2: δˡₖ = (Σⱼ wˡ⁺¹ⱼₖ δˡ⁺¹ⱼ) σ′(zˡₖ).

    w_next (n_{l+1}, n_l), delta_next (n_{l+1}, 1), sp (n_l, 1) → (n_l, 1).
    """
    n_next, n_l = w_next.shape
    delta = np.zeros((n_l, 1))
    for k in range(n_l):
        total = 0.0
        for j in range(n_next):
            raise NotImplementedError("BP2: add the j-th term of the sum to total")
        delta[k, 0] = total * sp[k, 0]
    return delta


def bp3(delta):
    """BP3: ∂C/∂bˡⱼ = δˡⱼ.  (n_l, 1) → (n_l, 1)."""
    raise NotImplementedError("BP3: return ∂C/∂bˡ")


def bp4(a_prev, delta):
    """BP4: ∂C/∂wˡⱼₖ = aˡ⁻¹ₖ δˡⱼ.  a_prev (n_{l-1}, 1), delta (n_l, 1) → (n_l, n_{l-1})."""
    nabla_w = np.zeros((delta.shape[0], a_prev.shape[0]))
    for j in range(delta.shape[0]):
        for k in range(a_prev.shape[0]):
            raise NotImplementedError("BP4: set nabla_w[j, k]")
    return nabla_w
