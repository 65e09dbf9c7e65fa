"""Activation functions σ and their derivatives σ′.

Every function takes a float or a numpy array and works elementwise, except
softmax, which acts on each column (one example per column).

Conventions
-----------
* ReLU′(0) = 0.  ReLU has no derivative at 0; we pick the value 0, as PyTorch
  and most libraries do.  Finite-difference checks keep inputs away from 0.
* σ′ can be computed from the output a = σ(z) instead of z for sigmoid
  (a(1 − a)), tanh (1 − a²) and ReLU (a > 0).  ``Activation.prime_from``
  uses whichever is cheapest, so backprop reuses the forward pass.
"""

# --8<-- [start:imports]
from typing import Callable, NamedTuple

import numpy as np

# --8<-- [end:imports]

__all__ = [
    "ACTIVATIONS",
    "Activation",
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


# --8<-- [start:sigmoid]
def sigmoid(z):
    """σ(z) = 1 / (1 + e^(−z)), computed as ½(1 + tanh(z/2)).

    The two are equal, since tanh(u) = (1 − e^(−2u)) / (1 + e^(−2u)).  The
    tanh form cannot overflow, while e^(−z) overflows float64 for z < −709.
    Arrays are computed in one buffer, in place: for large batches,
    allocating fresh arrays costs more than the arithmetic.
    """
    if np.ndim(z) == 0:
        return 0.5 * (1.0 + np.tanh(0.5 * z))
    s = np.multiply(z, 0.5, dtype=np.result_type(z, 0.5))
    np.tanh(s, out=s)
    s += 1.0
    s *= 0.5
    return s


def sigmoid_prime(z):
    """σ′(z) = σ(z)(1 − σ(z))."""
    s = sigmoid(z)
    return s * (1.0 - s)
# --8<-- [end:sigmoid]


# --8<-- [start:others]
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
    return np.where(np.asarray(z) > 0, 1.0, 0.0)


def identity(z):
    """id(z) = z, for linear output layers (regression)."""
    return z


def identity_prime(z):
    """id′(z) = 1."""
    return np.ones_like(z, dtype=np.result_type(z, 1.0))
# --8<-- [end:others]


# --8<-- [start:softmax]
def softmax(z, axis=0):
    """softmax(z)_j = e^(z_j) / Σ_k e^(z_k), for each column of z.

    z has shape (n, 1) or (n, N); pass axis=1 for examples stored as rows.
    Subtracting the maximum first changes nothing mathematically and keeps
    e^(·) ≤ 1, so it cannot overflow.
    """
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def softmax_jacobian(z):
    """∂a_j/∂z_k = a_j(δ_jk − a_k) for one column z of shape (n, 1): (n, n)."""
    a = softmax(z)
    return np.diagflat(a) - a @ a.T


def softmax_vjp(a, g, axis=0):
    """Jᵀg for the softmax Jacobian J at output a, column by column.

    J = diag(a) − a aᵀ is symmetric, so Jᵀg = a ⊙ (g − aᵀg).  This is the
    softmax version of BP1's ∇ₐC ⊙ σ′(z): σ′ is no longer diagonal.
    """
    return a * (g - np.sum(a * g, axis=axis, keepdims=True))
# --8<-- [end:softmax]


class Activation(NamedTuple):
    """An activation by name: σ, σ′(z), and σ′ computed from (z, a = σ(z))."""

    name: str
    f: Callable
    prime: Callable
    prime_from: Callable  # (z, a) -> σ′(z), reusing a where that is cheaper


def _sigmoid_prime_from(z, a):
    sp = 1.0 - a
    sp *= a  # σ′ = σ(1 − σ), in place
    return sp


def _tanh_prime_from(z, a):
    return 1.0 - a * a


def _relu_prime_from(z, a):
    return relu_prime(z)


def _identity_prime_from(z, a):
    return identity_prime(z)


def _softmax_prime_from(z, a):
    raise TypeError(
        "softmax has a full Jacobian, not an elementwise σ′; use softmax_vjp"
    )


ACTIVATIONS = {
    "sigmoid": Activation("sigmoid", sigmoid, sigmoid_prime, _sigmoid_prime_from),
    "tanh": Activation("tanh", tanh, tanh_prime, _tanh_prime_from),
    "relu": Activation("relu", relu, relu_prime, _relu_prime_from),
    "identity": Activation("identity", identity, identity_prime, _identity_prime_from),
    "softmax": Activation("softmax", softmax, _softmax_prime_from, _softmax_prime_from),
}

#: Activations allowed in hidden layers (elementwise ones).
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
