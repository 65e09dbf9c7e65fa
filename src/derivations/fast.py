"""The loop a training run calls: the batched equations with a library's bookkeeping.

``batched.backprop`` is ``fast.backprop(batched.FORM, ...)``.  It runs the
same bp1…bp4 as ``algorithm.run`` and returns the same gradients (the tests
hold it to ``batched.backprop_trace``), with three changes for speed:

* after BP1 it walks down the layers once: BP3 and BP4 for layer l, then BP2
  for layer l − 1, as Nielsen's code does;
* a hidden layer's Zˡ is never stored: σ(wˡ Aˡ⁻¹ + bˡ) is computed in Aˡ's own
  array, and σ′ from Aˡ alone, with the in-place helpers below;
* the hidden layers' arrays are kept for the next call with the same shapes
  (one set per thread), and once BP4 has read Aˡ⁻¹, its array takes Δˡ⁻¹.
  Only the returned gradients are new memory.

The performance note (docs/performance.md) shows it and where its time goes.
"""

import threading
from typing import Callable, NamedTuple

import numpy as np

from derivations import algorithm, validate
from derivations.activations import IDENTITY, RELU, SIGMOID, TANH

__all__ = ["IN_PLACE", "InPlace", "backprop"]


class InPlace(NamedTuple):
    """An activation's two in-place forms, for arrays the loop keeps.

    ``of_sum(u, b, out)`` is σ(u + b) written into ``out`` (which may be u), so
    a layer's weighted input z = u + b never needs an array of its own;
    ``prime_of_a(a, out)`` is σ′(z) from a = σ(z) alone, written into ``out``.
    """

    of_sum: Callable
    prime_of_a: Callable


def _sigmoid_of_sum(u, b, out):
    t = np.subtract(-b, u, out=out)   # −(u + b): the bias and the sign in one pass
    with np.errstate(over="ignore"):  # e^709.8 overflows to inf, and 1/(1 + inf) = 0 is σ
        np.exp(t, out=t)
    t += 1.0
    return np.reciprocal(t, out=t)


def _sigmoid_prime_of_a(a, out):
    sp = np.subtract(1.0, a, out=out)
    return np.multiply(sp, a, out=sp)        # σ′ = σ(1 − σ)


def _tanh_of_sum(u, b, out):
    s = np.add(u, b, out=out)
    return np.tanh(s, out=s)


def _tanh_prime_of_a(a, out):
    sq = np.multiply(a, a, out=out)
    return np.subtract(1.0, sq, out=sq)      # tanh′ = 1 − tanh²


def _relu_of_sum(u, b, out):
    s = np.add(u, b, out=out)
    return np.maximum(s, 0.0, out=s)


def _relu_prime_of_a(a, out):
    return np.greater(a, 0.0, out=out)       # 1.0 where a > 0, which is where z > 0


def _identity_of_sum(u, b, out):
    return np.add(u, b, out=out)


def _identity_prime_of_a(a, out):
    out.fill(1.0)
    return out


#: The in-place forms of each hidden activation, keyed by the activation itself.
IN_PLACE = {
    SIGMOID: InPlace(_sigmoid_of_sum, _sigmoid_prime_of_a),
    TANH: InPlace(_tanh_of_sum, _tanh_prime_of_a),
    RELU: InPlace(_relu_of_sum, _relu_prime_of_a),
    IDENTITY: InPlace(_identity_of_sum, _identity_prime_of_a),
}


# --8<-- [start:backprop]
def backprop(form, weights, biases, X, Y, activation="sigmoid", cost="quadratic",
             output_activation=None):
    """Gradients(nabla_w, nabla_b) of the mean cost, by ``form``'s equations.

    ``form`` holds examples as columns and its bp2 takes ``out=`` (batched.FORM).
    """
    sigma, sigma_L, cost = validate.resolve(activation, cost, output_activation)
    weights, biases, X, Y = form.validate(weights, biases, X, Y, sigma_L, cost)
    of_sum, prime_of_a = IN_PLACE[sigma]
    L = len(weights)
    A, spare = _work_arrays(weights, X)  # A[l] is Aˡ; A[0] is X

    for l in range(1, L):  # hidden layers: Aˡ = σ(wˡ Aˡ⁻¹ + bˡ), in place
        np.matmul(weights[l - 1], A[l - 1], out=A[l])
        of_sum(A[l], biases[l - 1], out=A[l])
    Z_L = weights[L - 1] @ A[L - 1] + biases[L - 1]  # the output keeps Zᴸ
    A[L] = sigma_L.along(form.feature_axis)(Z_L)
    Delta = algorithm.output_error(form, sigma_L, cost, Z_L, A[L], Y)  # BP1

    nabla_w, nabla_b = [None] * L, [None] * L
    for l in range(L, 0, -1):  # here Delta is Δˡ
        nabla_b[l - 1] = form.bp3(Delta)                                # BP3
        nabla_w[l - 1] = form.bp4(A[l - 1], Delta)                      # BP4
        if l > 1:
            sp = prime_of_a(A[l - 1], out=spare[l - 1])  # σ′(Zˡ⁻¹)
            Delta = form.bp2(weights[l - 1], Delta, sp, out=A[l - 1])  # BP2
    return algorithm.Gradients(nabla_w, nabla_b)
# --8<-- [end:backprop]


_local = threading.local()


def _work_arrays(weights, X):
    """Text-indexed list A (A[0] is X) and a spare array per hidden layer.

    A[l] and spare[l] are (n_l, N) arrays for the hidden layers l = 1, …, L − 1,
    kept for the next call on the same thread with the same shapes and dtype:
    a fresh multi-megabyte array costs page faults that can take longer than
    the arithmetic done in it.  Each thread keeps one set, its most recent;
    X and the results are never kept.
    """
    key = (X.shape[1], X.dtype, tuple(w.shape for w in weights))
    kept = getattr(_local, "arrays", None)
    if kept is None or kept[0] != key:
        N, hidden = X.shape[1], [w.shape[0] for w in weights[:-1]]
        kept = (key, *([np.empty((n, N), X.dtype) for n in hidden] for _ in range(2)))
        _local.arrays = kept
    _, A, spare = kept
    return [X, *A, None], [None, *spare]
