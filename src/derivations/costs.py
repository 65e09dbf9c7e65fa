"""Cost functions C(a, y) and their gradients ∇ₐC.

Values are summed over every entry, so for a mini-batch (examples as columns)
``value`` returns Σₓ Cₓ; the batched form divides by N where the text says so.
Gradients are elementwise: column x of ∇ₐC is ∂Cₓ/∂aₓ.

* ``"quadratic"``: C = ½‖a − y‖², ∇ₐC = a − y.
* ``"cross_entropy"`` (binary): C = −Σ[y ln a + (1 − y) ln(1 − a)],
  ∇ₐC = (a − y) / (a(1 − a)).  Needs 0 < a < 1 and 0 ≤ y ≤ 1.
* ``"categorical_cross_entropy"``: C = −Σ y ln a with a = softmax(zᴸ),
  ∇ₐC = −y / a.  Needs output_activation="softmax".
"""

# --8<-- [start:imports]
from typing import Callable, NamedTuple

import numpy as np

# --8<-- [end:imports]

__all__ = [
    "COSTS",
    "Cost",
    "categorical_cross_entropy",
    "categorical_cross_entropy_grad",
    "cross_entropy",
    "cross_entropy_grad",
    "get_cost",
    "quadratic",
    "quadratic_grad",
]


# --8<-- [start:quadratic]
def quadratic(a, y):
    """C = ½‖a − y‖², summed over all entries (Σₓ Cₓ for a batch)."""
    return 0.5 * float(np.sum((a - y) ** 2))


def quadratic_grad(a, y):
    """∇ₐC = a − y.  The ½ in C cancels the 2 from differentiating the square."""
    return a - y
# --8<-- [end:quadratic]


# --8<-- [start:cross_entropy]
def cross_entropy(a, y):
    """C = −Σ[y ln a + (1 − y) ln(1 − a)], with 0 · ln 0 taken as 0."""
    a = np.asarray(a, dtype=float)
    y = np.asarray(y, dtype=float)
    with np.errstate(divide="ignore"):
        pos = np.where(y > 0, y * np.log(np.where(y > 0, a, 1.0)), 0.0)
        neg = np.where(y < 1, (1 - y) * np.log(np.where(y < 1, 1 - a, 1.0)), 0.0)
    return -float(np.sum(pos + neg))


def cross_entropy_grad(a, y):
    """∇ₐC = −y/a + (1 − y)/(1 − a) = (a − y) / (a(1 − a))."""
    return (a - y) / (a * (1.0 - a))
# --8<-- [end:cross_entropy]


# --8<-- [start:categorical]
def categorical_cross_entropy(a, y):
    """C = −Σ y ln a (a = softmax output, each column of y sums to 1)."""
    a = np.asarray(a, dtype=float)
    with np.errstate(divide="ignore"):
        terms = np.where(y > 0, y * np.log(np.where(y > 0, a, 1.0)), 0.0)
    return -float(np.sum(terms))


def categorical_cross_entropy_grad(a, y):
    """∇ₐC = −y / a."""
    return -y / a
# --8<-- [end:categorical]


def _softplus(z):
    """ln(1 + e^z) without overflow."""
    return np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))


def cross_entropy_from_logits(z, y):
    """Binary cross-entropy of a = σ(z), computed from z: Σ[softplus(z) − y z].

    Equal to ``cross_entropy(sigmoid(z), y)`` but accurate when σ(z) rounds
    to 0 or 1; finite-difference checks use it.
    """
    return float(np.sum(_softplus(z) - y * z))


def categorical_cross_entropy_from_logits(z, y):
    """−Σ y ln softmax(z), computed with a stable log-sum-exp."""
    m = np.max(z, axis=0, keepdims=True)
    log_softmax = z - m - np.log(np.sum(np.exp(z - m), axis=0, keepdims=True))
    return -float(np.sum(y * log_softmax))


class Cost(NamedTuple):
    """A cost by name: value C(a, y) and gradient ∇ₐC(a, y)."""

    name: str
    value: Callable
    grad: Callable


COSTS = {
    "quadratic": Cost("quadratic", quadratic, quadratic_grad),
    "cross_entropy": Cost("cross_entropy", cross_entropy, cross_entropy_grad),
    "categorical_cross_entropy": Cost(
        "categorical_cross_entropy",
        categorical_cross_entropy,
        categorical_cross_entropy_grad,
    ),
}


def get_cost(name):
    """Look a cost up by name; a clear ValueError lists the valid names."""
    valid = ", ".join(map(repr, COSTS))
    if not isinstance(name, str):
        raise TypeError(f"cost must be a string, one of {valid}; got {type(name).__name__}")
    if name not in COSTS:
        raise ValueError(f"unknown cost {name!r}; expected one of {valid}")
    return COSTS[name]


def total_cost(cost, output_activation, z_L, a_L, y):
    """Σₓ Cₓ, from the logits zᴸ where that is more accurate than from aᴸ."""
    if cost == "cross_entropy" and output_activation == "sigmoid":
        return cross_entropy_from_logits(z_L, y)
    if cost == "categorical_cross_entropy" and output_activation == "softmax":
        return categorical_cross_entropy_from_logits(z_L, y)
    return get_cost(cost).value(a_L, y)
