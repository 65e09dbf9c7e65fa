"""Starter: the four equations for a mini-batch, examples as rows
(exercise of the chapter "Mini-batches").

Δˡ is (N, n_l): row x is example x's error.  The parameters keep the text's
layout, wˡ (n_l, n_{l-1}) and bˡ (n_l, 1).  The cost is the mean over the N
examples.  Replace each `raise NotImplementedError(...)`, then check with

    python -m derivations diagnose rowmajor_equations.py --form rowmajor
"""

import numpy as np


def bp1(nabla_A, sp):
    """BP1: Δᴸ = ∇_A C ⊙ σ′(Zᴸ).  (N, n_L) each."""
    raise NotImplementedError("BP1: return Δᴸ")


def bp2(W_next, Delta_next, sp):
    """BP2: Δˡ = (Δˡ⁺¹ wˡ⁺¹) ⊙ σ′(Zˡ).

    Delta_next (N, n_{l+1}), W_next (n_{l+1}, n_l), sp (N, n_l) → (N, n_l).
    """
    raise NotImplementedError("BP2: return Δˡ")


def bp3(Delta):
    """BP3: ∂C/∂bˡ = the mean of Δˡ's rows, as a column.  (N, n_l) → (n_l, 1)."""
    raise NotImplementedError("BP3: return ∂C/∂bˡ")


def bp4(A_prev, Delta):
    """BP4: ∂C/∂wˡ = (1/N) (Δˡ)ᵀ Aˡ⁻¹.  (N, n_{l-1}), (N, n_l) → (n_l, n_{l-1})."""
    raise NotImplementedError("BP4: return ∂C/∂wˡ")
