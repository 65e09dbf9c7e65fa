"""Starter: the four equations for a mini-batch, examples as rows
(exercise of the chapter "Mini-batches").

The tilde marks the row layout: Δ̃ˡ = (Δˡ)ᵀ is (N, n_l), and row s is
example s's own error.  The parameters keep the text's layout, wˡ
(n_l, n_{l-1}) and bˡ (n_l, 1).  The cost is the mean over the N examples.
Replace each `raise NotImplementedError(...)`, then check with

    python -m derivations diagnose rowmajor_equations.py --form rowmajor
"""

import numpy as np


def bp1(nabla_A, sp):
    """BP1: Δ̃ᴸ = G̃ᴸ ⊙ σ′(Z̃ᴸ), G̃ᴸ = nabla_A.  (N, n_L) each."""
    raise NotImplementedError("BP1: return Δ̃ᴸ")


def bp2(W_next, Delta_next, sp):
    """BP2: Δ̃ˡ = (Δ̃ˡ⁺¹ wˡ⁺¹) ⊙ σ′(Z̃ˡ).

    Delta_next (N, n_{l+1}), W_next (n_{l+1}, n_l), sp (N, n_l) → (N, n_l).
    """
    raise NotImplementedError("BP2: return Δ̃ˡ")


def bp3(Delta):
    """BP3: ∂C/∂bˡ = the mean of Δ̃ˡ's rows, as a column.  (N, n_l) → (n_l, 1)."""
    raise NotImplementedError("BP3: return ∂C/∂bˡ")


def bp4(A_prev, Delta):
    """BP4: ∂C/∂wˡ = (1/N) (Δ̃ˡ)ᵀ Ãˡ⁻¹.  (N, n_{l-1}), (N, n_l) → (n_l, n_{l-1})."""
    raise NotImplementedError("BP4: return ∂C/∂wˡ")
