"""Starter: the four equations of the scalar chain (exercise of the chapter "The scalar chain").

Every quantity is one number: one neuron per layer.  Replace each
`raise NotImplementedError(...)` with a return statement, then check with

    python -m derivations diagnose scalar_equations.py --form scalar

The check calls each function on the right inputs from random chains
(sigmoid, C = ½(a − y)²) and says which equation is wrong, and how.
"""


def bp1(dC_da, sp):
    """BP1: δᴸ = ∂C/∂aᴸ · σ′(zᴸ); sp is σ′(zᴸ)."""
    raise NotImplementedError("BP1: return δᴸ")


def bp2(w_next, delta_next, sp):
    """BP2: δˡ = wˡ⁺¹ δˡ⁺¹ σ′(zˡ); sp is σ′(zˡ)."""
    raise NotImplementedError("BP2: return δˡ")


def bp3(delta):
    """BP3: ∂C/∂bˡ = δˡ."""
    raise NotImplementedError("BP3: return ∂C/∂bˡ")


def bp4(a_prev, delta):
    """BP4: ∂C/∂wˡ = aˡ⁻¹ δˡ."""
    raise NotImplementedError("BP4: return ∂C/∂wˡ")
