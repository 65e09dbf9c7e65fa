"""Activation functions σ and their derivatives σ′.

Every function takes a float or a numpy array and works elementwise, except
softmax, which acts on each example (a column, or a row with ``axis=1``).

Conventions
-----------
* ReLU′(0) = 0.  ReLU has no derivative at 0; we pick the value 0, as PyTorch
  and most libraries do.  Finite-difference checks keep inputs away from 0.
* σ′ can be computed from the output a = σ(z) instead of z for sigmoid
  (a(1 − a)), tanh (1 − a²) and the identity (1).  ``Activation.prime_from``
  uses a where it can, so backprop reuses the forward pass.
* A result has the precision of its input: float32 in, float32 out.
"""

from functools import partial
from typing import Callable, NamedTuple

import numpy as np

__all__ = [
    "ACTIVATIONS",
    "Activation",
    "HIDDEN_ACTIVATIONS",
    "IDENTITY",
    "RELU",
    "SIGMOID",
    "SOFTMAX",
    "TANH",
    "get_activation",
    "identity",
    "identity_prime",
    "relu",
    "relu_prime",
    "sigmoid",
    "sigmoid_prime",
    "softmax",
    "softmax_jacobian",
    "softmax_vjp",
    "tanh",
    "tanh_prime",
]


def sigmoid(z):
    """σ(z) = 1 / (1 + e^(−z)), elementwise.

    For z < −709, e^(−z) overflows to inf and 1 / (1 + inf) = 0, which is σ(z)
    to double precision, so the overflow is silenced rather than reported.
    This form keeps full relative precision for large negative z, where
    σ(z) ≈ e^z is tiny; 1 − σ(−z) would round it to 0.
    """
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(np.negative(z)))


def sigmoid_prime(z):
    """σ′(z) = σ(z)(1 − σ(z))."""
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh(z):
    """tanh(z)."""
    return np.tanh(z)


def tanh_prime(z):
    """tanh′(z) = 1 − tanh²(z)."""
    t = np.tanh(z)
    return 1.0 - t * t


def relu(z):
    """ReLU(z) = max(0, z)."""
    return np.maximum(z, 0.0)


def relu_prime(z):
    """ReLU′(z) = 1 if z > 0 else 0 (we take ReLU′(0) = 0)."""
    return (np.asarray(z) > 0).astype(np.result_type(z, 1.0))


def identity(z):
    """id(z) = z, for linear output layers (regression)."""
    return z


def identity_prime(z):
    """id′(z) = 1."""
    return np.ones_like(z, dtype=np.result_type(z, 1.0))


# --8<-- [start:softmax]
def softmax(z, axis=0):
    """softmax(z)_j = e^(z_j) / Σ_k e^(z_k), for each column of z.

    z has shape (n, 1) or (n, N); pass axis=1 for examples stored as rows.
    Subtracting the maximum first changes nothing mathematically and keeps
    e^(·) ≤ 1, so it cannot overflow.
    """
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)
# --8<-- [end:softmax]


# --8<-- [start:softmax_jacobian]
def softmax_jacobian(z):
    """J = diag(a) − a aᵀ, J[j, k] = ∂a_j/∂z_k = a_j([j = k] − a_k).  Shapes: z (n, 1) → (n, n).

    [j = k] is 1 when j = k and 0 otherwise (written δ_jk elsewhere; here δ is the error).
    """
    a = softmax(z)
    return np.diagflat(a) - a @ a.T
# --8<-- [end:softmax_jacobian]


# --8<-- [start:softmax_vjp]
def softmax_vjp(a, nabla_a, axis=0):
    """Jᵀ∇ₐC for the softmax Jacobian J at output a, column by column.

    J = diag(a) − a aᵀ is symmetric, so Jᵀ∇ₐC = a ⊙ (∇ₐC − aᵀ∇ₐC).  This is
    the softmax version of BP1's ∇ₐC ⊙ σ′(z): σ′ is no longer diagonal.
    """
    return a * (nabla_a - np.sum(a * nabla_a, axis=axis, keepdims=True))
# --8<-- [end:softmax_vjp]


class Activation(NamedTuple):
    """An activation: σ, σ′(z), and σ′ given both z and a = σ(z).

    ``prime_from(z, a)`` is σ′(z), computed from a where that is cheaper, so
    backprop reuses the forward pass.  Softmax is not elementwise: its σ′ is a
    full Jacobian, so instead of ``prime`` it has ``vjp(a, nabla_a, axis)`` =
    Jᵀ∇ₐC, which BP1 uses; ``vjp`` is None for the elementwise activations.
    """

    name: str
    f: Callable
    prime: Callable
    prime_from: Callable  # (z, a) -> σ′(z)
    vjp: Callable | None = None

    def along(self, axis):
        """σ for arrays whose neurons lie along ``axis`` (only softmax needs to know)."""
        return self.f if self.vjp is None else partial(self.f, axis=axis)


def _sigmoid_prime_from(z, a):
    return a * (1.0 - a)


def _tanh_prime_from(z, a):
    return 1.0 - a * a


def _relu_prime_from(z, a):
    return relu_prime(z)


def _identity_prime_from(z, a):
    return identity_prime(a)


def _no_elementwise_prime(*args):
    raise TypeError("softmax has a full Jacobian, not an elementwise σ′; use softmax_vjp")


SIGMOID = Activation("sigmoid", sigmoid, sigmoid_prime, _sigmoid_prime_from)
TANH = Activation("tanh", tanh, tanh_prime, _tanh_prime_from)
RELU = Activation("relu", relu, relu_prime, _relu_prime_from)
IDENTITY = Activation("identity", identity, identity_prime, _identity_prime_from)
SOFTMAX = Activation("softmax", softmax, _no_elementwise_prime, _no_elementwise_prime,
                     softmax_vjp)

ACTIVATIONS = {act.name: act for act in (SIGMOID, TANH, RELU, IDENTITY, SOFTMAX)}

#: Activations allowed in hidden layers (the elementwise ones).
HIDDEN_ACTIVATIONS = ("sigmoid", "tanh", "relu", "identity")


def get_activation(name, *, argument="activation", allowed=None):
    """Look an activation up by name; a clear ValueError lists the valid names."""
    allowed = tuple(ACTIVATIONS) if allowed is None else tuple(allowed)
    if not isinstance(name, str):
        raise TypeError(
            f"{argument} must be a string, one of {', '.join(map(repr, allowed))}; "
            f"got {type(name).__name__}"
        )
    if name not in allowed:
        raise ValueError(
            f"unknown {argument} {name!r}; expected one of {', '.join(map(repr, allowed))}"
        )
    return ACTIVATIONS[name]
