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
def sigmoid(z, out=None):
    """σ(z) = 1 / (1 + e^(−z)), elementwise; ``out`` may be z itself.

    For z < −709, e^(−z) overflows to inf and 1 / (1 + inf) = 0, which is σ(z)
    to double precision, so the overflow is silenced rather than reported.
    This form keeps full relative precision for large negative z, where
    σ(z) ≈ e^z is tiny; 1 − σ(−z) would round it to 0.
    """
    if np.ndim(z) == 0 and out is None:
        with np.errstate(over="ignore"):
            return 1.0 / (1.0 + np.exp(-z))
    return _logistic_of_negated(np.negative(z, out=out, dtype=np.result_type(z, 1.0)))


def _logistic_of_negated(t):
    """1 / (1 + e^t) = σ(−t), computed in t's own buffer."""
    with np.errstate(over="ignore"):
        np.exp(t, out=t)
    t += 1.0
    return np.reciprocal(t, out=t)


def sigmoid_prime(z):
    """σ′(z) = σ(z)(1 − σ(z))."""
    s = sigmoid(z)
    return s * (1.0 - s)
# --8<-- [end:sigmoid]


# --8<-- [start:others]
def tanh(z, out=None):
    """tanh(z)."""
    return np.tanh(z, out=out)


def tanh_prime(z):
    """tanh′(z) = 1 − tanh²(z)."""
    t = np.tanh(z)
    return 1.0 - t * t


def relu(z, out=None):
    """ReLU(z) = max(0, z)."""
    return np.maximum(z, 0.0, out=out)


def relu_prime(z):
    """ReLU′(z) = 1 if z > 0 else 0 (we take ReLU′(0) = 0)."""
    return np.where(np.asarray(z) > 0, 1.0, 0.0)


def identity(z, out=None):
    """id(z) = z, for linear output layers (regression)."""
    if out is None or out is z:
        return z
    np.copyto(out, z)
    return out


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
    """An activation by name: σ, σ′(z), and two forms the fast batched loop uses.

    ``prime_from(z, a)`` is σ′(z) given both z and a = σ(z), reusing a where
    that is cheaper.  ``prime_of_a(a, out)`` is σ′(z) from a alone, for the
    elementwise activations.  ``of_sum(u, b, out)`` is σ(u + b), computed in
    ``out`` (which may be u), so a layer's weighted input z = u + b never needs
    an array of its own.
    """

    name: str
    f: Callable
    prime: Callable
    prime_from: Callable  # (z, a) -> σ′(z)
    prime_of_a: Callable  # (a, out=None) -> σ′(z), from a = σ(z) only
    of_sum: Callable      # (u, b, out=None) -> σ(u + b)


def _sigmoid_prime_of_a(a, out=None):
    sp = np.subtract(1.0, a, out=out)
    return np.multiply(sp, a, out=out)  # σ′ = σ(1 − σ)


def _tanh_prime_of_a(a, out=None):
    sq = np.multiply(a, a, out=out)
    return np.subtract(1.0, sq, out=out)  # tanh′ = 1 − tanh²


def _relu_prime_of_a(a, out=None):
    if out is None:
        out = np.empty_like(a, dtype=np.result_type(a, 1.0))
    return np.greater(a, 0.0, out=out)  # 1.0 where a > 0, which is where z > 0


def _identity_prime_of_a(a, out=None):
    if out is None:
        return np.ones_like(a, dtype=np.result_type(a, 1.0))
    out.fill(1.0)
    return out


def _softmax_prime_from(*args, **kwargs):
    raise TypeError(
        "softmax has a full Jacobian, not an elementwise σ′; use softmax_vjp"
    )


def _from_a(prime_of_a):
    """prime_from(z, a) for an activation whose σ′ needs only a."""
    def prime_from(z, a):
        return prime_of_a(a)
    prime_from.__name__ = prime_of_a.__name__.replace("_of_a", "_from")
    return prime_from


def _relu_prime_from(z, a):
    return relu_prime(z)


def _sigmoid_of_sum(u, b, out=None):
    """σ(u + b) = 1 / (1 + e^(−b − u)): the bias and the sign in one pass."""
    return _logistic_of_negated(np.subtract(-b, u, out=out))


def _of_sum(f):
    """σ(u + b) for an activation with no fused form: add, then apply σ in place."""
    def of_sum(u, b, out=None):
        s = np.add(u, b, out=out)
        return f(s, out=s)
    of_sum.__name__ = f"_{f.__name__}_of_sum"
    return of_sum


def _softmax_of_sum(u, b, out=None):
    return softmax(np.add(u, b, out=out))


ACTIVATIONS = {
    "sigmoid": Activation("sigmoid", sigmoid, sigmoid_prime, _from_a(_sigmoid_prime_of_a),
                          _sigmoid_prime_of_a, _sigmoid_of_sum),
    "tanh": Activation("tanh", tanh, tanh_prime, _from_a(_tanh_prime_of_a),
                       _tanh_prime_of_a, _of_sum(tanh)),
    "relu": Activation("relu", relu, relu_prime, _relu_prime_from,
                       _relu_prime_of_a, _of_sum(relu)),
    "identity": Activation("identity", identity, identity_prime, _from_a(_identity_prime_of_a),
                           _identity_prime_of_a, _of_sum(identity)),
    "softmax": Activation("softmax", softmax, _softmax_prime_from, _softmax_prime_from,
                          _softmax_prime_from, _softmax_of_sum),
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
