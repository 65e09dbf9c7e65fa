"""Scalar form: a chain with one neuron per layer, all plain Python floats.

x → z¹ = w¹x + b¹ → a¹ = σ(z¹) → z² = w²a¹ + b² → … → aᴸ → C.
Every quantity is a single number, so each equation is one multiplication of
chain-rule factors.
"""

import math
import numbers
import sys

# --8<-- [start:imports]
from derivations import algorithm
from derivations._validate import check_names

# --8<-- [end:imports]

__all__ = ["backprop", "backprop_trace", "bp1", "bp2", "bp3", "bp4", "forward"]

FEATURE_AXIS = None  # no vectors here


# --8<-- [start:forward]
def forward(ws, bs, x, sigma, sigma_L):
    """zˡ = wˡ aˡ⁻¹ + bˡ and aˡ = σ(zˡ), as floats; lists indexed by layer l."""
    L = len(ws)
    z, a = [None] * (L + 1), [None] * (L + 1)
    a[0] = x
    for l in range(1, L + 1):
        z[l] = ws[l - 1] * a[l - 1] + bs[l - 1]
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


def feedforward_unchecked(ws, bs, x, sigma, sigma_L):
    return forward(ws, bs, x, sigma.f, sigma_L.f)


def _number(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number (float), got {type(value).__name__}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} is {value}; every input must be finite")
    return value


def _prepare(ws, bs, x, y, activation, cost, output_activation):
    for name, seq in (("ws", ws), ("bs", bs)):
        if not isinstance(seq, (list, tuple)):
            raise TypeError(f"{name} must be a list of floats, one per layer; "
                            f"got {type(seq).__name__}")
        if len(seq) == 0:
            raise ValueError(f"{name} is empty; a network needs at least one layer")
    if len(ws) != len(bs):
        raise ValueError(f"ws has {len(ws)} layers but bs has {len(bs)}; "
                         "they need one float per layer each")
    ws = [_number(w, f"ws[{l}]") for l, w in enumerate(ws)]
    bs = [_number(b, f"bs[{l}]") for l, b in enumerate(bs)]
    x, y = _number(x, "x"), _number(y, "y")
    sigma, sigma_L, c = check_names(activation, cost, output_activation)
    if sigma_L.name == "softmax":
        raise ValueError("output_activation 'softmax' needs several output neurons; "
                         "the scalar chain has one")
    if c.name == "cross_entropy" and not 0.0 <= y <= 1.0:
        raise ValueError(f"y must lie in [0, 1] for cost 'cross_entropy'; got {y:g}")
    return ws, bs, x, y, sigma, sigma_L, c


def backprop_trace(ws, bs, x, y, activation="sigmoid", cost="quadratic",
                   output_activation=None):
    """Backprop on the scalar chain, returning the text-indexed ``algorithm.Trace``."""
    args = _prepare(ws, bs, x, y, activation, cost, output_activation)
    return algorithm.run(_this, *args)


# --8<-- [start:backprop]
def backprop(ws, bs, x, y, activation="sigmoid", cost="quadratic",
             output_activation=None):
    """(nabla_w, nabla_b) as lists of floats: ∂C/∂wˡ and ∂C/∂bˡ for l = 1, …, L."""
    t = backprop_trace(ws, bs, x, y, activation, cost, output_activation)
    return t.nabla_w[1:], t.nabla_b[1:]
# --8<-- [end:backprop]


_this = sys.modules[__name__]
