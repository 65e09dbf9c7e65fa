"""Starter: the four equations for a mini-batch, examples as columns
(exercise of the chapter "Mini-batches").

Δˡ is (n_l, N): column s is example s's own error δˡₛ.  The cost is the
mean over the N examples.  Replace each `raise NotImplementedError(...)`,
then check with

    python -m derivations diagnose batched_equations.py --form batched
"""

import numpy as np


def bp1(nabla_A, sp):
    """BP1: Δᴸ = Gᴸ ⊙ σ′(Zᴸ), Gᴸ = nabla_A.  (n_L, N) each."""
    raise NotImplementedError("BP1: return Δᴸ")


def bp2(W_next, Delta_next, sp):
    """BP2: Δˡ = ((wˡ⁺¹)ᵀ Δˡ⁺¹) ⊙ σ′(Zˡ).

    W_next (n_{l+1}, n_l), Delta_next (n_{l+1}, N), sp (n_l, N) → (n_l, N).
    """
    raise NotImplementedError("BP2: return Δˡ")


def bp3(Delta):
    """BP3: ∂C/∂bˡ = (1/N) Σₛ δˡₛ.  (n_l, N) → (n_l, 1), the shape of bˡ."""
    raise NotImplementedError("BP3: return ∂C/∂bˡ")


def bp4(A_prev, Delta):
    """BP4: ∂C/∂wˡ = (1/N) Δˡ (Aˡ⁻¹)ᵀ.  (n_{l-1}, N), (n_l, N) → (n_l, n_{l-1})."""
    raise NotImplementedError("BP4: return ∂C/∂wˡ")
