"""Cost functions C(a, y) and their gradients ∇ₐC.

Values are summed over every entry, so for a mini-batch (examples as columns)
``value`` returns Σₛ Cₛ; the batched form divides by N where the text says so.
Gradients are elementwise: column s of ∇ₐC is ∂Cₛ/∂aₛ.

* ``"quadratic"``: C = ½‖a − y‖², ∇ₐC = a − y.  Any output activation.
* ``"cross_entropy"`` (binary): C = −Σ[y ln a + (1 − y) ln(1 − a)],
  ∇ₐC = (a − y) / (a(1 − a)).  Needs a sigmoid output and 0 ≤ y ≤ 1.
* ``"categorical_cross_entropy"``: C = −Σ y ln a with a = softmax(zᴸ),
  ∇ₐC = −y / a.  Needs a softmax output and 0 ≤ y ≤ 1 (one-hot columns).
  Targets whose entries do not sum to 1 are accepted, not rescaled: the
  softmax then gives δᴸ = a ⊙ Σⱼ yⱼ − y, which is a − y only when Σⱼ yⱼ = 1
  (``categorical_cross_entropy_delta``); a backprop that writes a − y is
  right for one-hot or probability targets only.

The two cross-entropies each need one output activation, and with it σ′
cancels from BP1: δᴸ = a − y.  A ``Cost`` carries that simplification
(``delta``) with the activation it needs (``output``), so backprop asks the
cost rather than testing names.
"""

from typing import Callable, NamedTuple

import numpy as np

__all__ = [
    "COSTS",
    "Cost",
    "categorical_cross_entropy",
    "categorical_cross_entropy_delta",
    "categorical_cross_entropy_from_logits",
    "categorical_cross_entropy_grad",
    "cross_entropy",
    "cross_entropy_delta",
    "cross_entropy_from_logits",
    "cross_entropy_grad",
    "get_cost",
    "quadratic",
    "quadratic_grad",
]


def quadratic(a, y):
    """C = ½‖a − y‖², summed over all entries (Σₛ Cₛ for a batch)."""
    return 0.5 * float(np.sum((a - y) ** 2))


def quadratic_grad(a, y):
    """∇ₐC = a − y.  The ½ in C cancels the 2 from differentiating the square."""
    return a - y


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


# --8<-- [start:cross_entropy_delta]
def cross_entropy_delta(a, y, axis=0):
    """δᴸ after a sigmoid output: (a − y)/(a(1 − a)) ⊙ a(1 − a) = a − y.

    The cancelled form stays finite when σ saturates to 1.0.
    """
    return a - y
# --8<-- [end:cross_entropy_delta]


def categorical_cross_entropy(a, y):
    """C = −Σ y ln a (a = softmax output, each column of y sums to 1)."""
    a = np.asarray(a, dtype=float)
    with np.errstate(divide="ignore"):
        terms = np.where(y > 0, y * np.log(np.where(y > 0, a, 1.0)), 0.0)
    return -float(np.sum(terms))


def categorical_cross_entropy_grad(a, y):
    """∇ₐC = −y / a."""
    return -y / a


# --8<-- [start:categorical_cross_entropy_delta]
def categorical_cross_entropy_delta(a, y, axis=0):
    """δᴸ after a softmax output: Jᵀ(−y/a) = a ⊙ Σⱼyⱼ − y, which is a − y for one-hot y.

    ``axis`` is the axis along which an example's neurons lie (1 for rows).
    """
    return a * y.sum(axis=axis, keepdims=True) - y
# --8<-- [end:categorical_cross_entropy_delta]


# --8<-- [start:cross_entropy_from_logits]
def _softplus(z):
    """ln(1 + e^z) without overflow."""
    return np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))


def cross_entropy_from_logits(z, y):
    """Binary cross-entropy of a = σ(z), computed from z: Σ[softplus(z) − y z].

    Equal to ``cross_entropy(sigmoid(z), y)`` but accurate when σ(z) rounds
    to 0 or 1; finite-difference checks use it.
    """
    return float(np.sum(_softplus(z) - y * z))
# --8<-- [end:cross_entropy_from_logits]


# --8<-- [start:categorical_cross_entropy_from_logits]
def categorical_cross_entropy_from_logits(z, y):
    """−Σ y ln softmax(z), computed with a stable log-sum-exp (examples as columns)."""
    z_max = np.max(z, axis=0, keepdims=True)
    log_softmax = z - z_max - np.log(np.sum(np.exp(z - z_max), axis=0, keepdims=True))
    return -float(np.sum(y * log_softmax))
# --8<-- [end:categorical_cross_entropy_from_logits]


class Cost(NamedTuple):
    """A cost: its value, its gradient, and what it needs of the output layer.

    ``output`` names the output activation the cost needs (None: any).  With
    that output σ′ cancels from BP1, and ``delta(a, y, axis)`` is δᴸ itself;
    ``from_logits(z, y)`` is Σₛ Cₛ computed from zᴸ, accurate where a rounds
    to 0 or 1.  ``unit_targets``: y must lie in [0, 1].
    """

    name: str
    value: Callable
    grad: Callable
    output: str | None = None
    delta: Callable | None = None
    from_logits: Callable | None = None
    unit_targets: bool = False

    def total(self, z, a, y):
        """Σₛ Cₛ of the output layer, from the logits zᴸ where that is more accurate."""
        return self.value(a, y) if self.from_logits is None else self.from_logits(z, y)


QUADRATIC = Cost("quadratic", quadratic, quadratic_grad)
CROSS_ENTROPY = Cost("cross_entropy", cross_entropy, cross_entropy_grad, output="sigmoid",
                     delta=cross_entropy_delta, from_logits=cross_entropy_from_logits,
                     unit_targets=True)
CATEGORICAL_CROSS_ENTROPY = Cost(
    "categorical_cross_entropy", categorical_cross_entropy, categorical_cross_entropy_grad,
    output="softmax", delta=categorical_cross_entropy_delta,
    from_logits=categorical_cross_entropy_from_logits, unit_targets=True)

COSTS = {c.name: c for c in (QUADRATIC, CROSS_ENTROPY, CATEGORICAL_CROSS_ENTROPY)}


def get_cost(name):
    """Look a cost up by name; a clear ValueError lists the valid names."""
    valid = ", ".join(map(repr, COSTS))
    if not isinstance(name, str):
        raise TypeError(f"cost must be a string, one of {valid}; got {type(name).__name__}")
    if name not in COSTS:
        raise ValueError(f"unknown cost {name!r}; expected one of {valid}")
    return COSTS[name]
