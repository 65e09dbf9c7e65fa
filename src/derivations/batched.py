"""Mini-batch form: N examples at once, one example per column.

Shapes: X (n_0, N), Y (n_L, N); Zˡ, Aˡ, Δˡ are (n_l, N); column x of Δˡ is
that example's own error δˡₓ.  The cost is the mean C = (1/N) Σₓ Cₓ, so the
1/N enters once, in BP3 and BP4, where the columns are summed.
"""

import sys
import threading

# --8<-- [start:imports]
import numpy as np  # noqa: F401  (the examples on the page use np)

from derivations import algorithm
from derivations._validate import (
    check_columns,
    check_names,
    check_params,
    check_same_count,
    check_targets,
)
from derivations.network import forward

# --8<-- [end:imports]

__all__ = ["backprop", "backprop_trace", "bp1", "bp2", "bp3", "bp4"]

FEATURE_AXIS = 0


# --8<-- [start:bp1]
def bp1(nabla_A, sp):
    """BP1: Δᴸ = ∇_A C ⊙ σ′(Zᴸ), column by column.  Shapes: (n_L, N) each."""
    return nabla_A * sp
# --8<-- [end:bp1]


# --8<-- [start:bp2]
def bp2(W_next, Delta_next, sp, out=None):
    """BP2: Δˡ = ((Wˡ⁺¹)ᵀ Δˡ⁺¹) ⊙ σ′(Zˡ): one matrix product for all N columns.

    Shapes: W_next (n_{l+1}, n_l), Delta_next (n_{l+1}, N), sp (n_l, N) → (n_l, N).
    ``out``, if given, is an (n_l, N) array to write Δˡ into.
    """
    Delta = np.matmul(W_next.T, Delta_next, out=out)
    Delta *= sp  # ⊙ in place: no second (n_l, N) array
    return Delta
# --8<-- [end:bp2]


# --8<-- [start:bp3]
def bp3(Delta):
    """BP3: ∂C/∂bˡ = (1/N) Σₓ δˡₓ = Δˡ (1/N)𝟙, the mean of Δˡ's columns.  Shape (n_l, 1).

    Written as a matrix–vector product, like BP4's matrix product: the same
    mean as ``Delta.mean(axis=1, keepdims=True)``, and faster for large N.
    """
    N = Delta.shape[1]
    return Delta @ np.full((N, 1), 1.0 / N)
# --8<-- [end:bp3]


# --8<-- [start:bp4]
def bp4(A_prev, Delta):
    """BP4: ∂C/∂wˡ = (1/N) Σₓ δˡₓ (aˡ⁻¹ₓ)ᵀ = (1/N) Δˡ (Aˡ⁻¹)ᵀ.

    Shapes: Delta (n_l, N), A_prev (n_{l-1}, N) → (n_l, n_{l-1}).  The sum of N
    outer products is a single matrix product; no (N, n_l, n_{l-1}) array.
    """
    nabla_w = Delta @ A_prev.T
    nabla_w *= 1.0 / Delta.shape[1]
    return nabla_w
# --8<-- [end:bp4]


def feedforward_unchecked(weights, biases, X, sigma, sigma_L):
    return forward(weights, biases, X, sigma.f, sigma_L.f)


def _prepare(weights, biases, X, Y, activation, cost, output_activation):
    sizes, weights, biases = check_params(weights, biases)
    X = check_columns(X, sizes[0], "X")
    Y = check_columns(Y, sizes[-1], "Y", what="outputs")
    check_same_count(X, Y, axis=1)
    sigma, sigma_L, c = check_names(activation, cost, output_activation)
    check_targets(Y, c, "Y")
    return weights, biases, X, Y, sigma, sigma_L, c


def backprop_trace(weights, biases, X, Y, activation="sigmoid", cost="quadratic",
                   output_activation=None):
    """Backprop for a mini-batch, returning the text-indexed ``algorithm.Trace``."""
    args = _prepare(weights, biases, X, Y, activation, cost, output_activation)
    return algorithm.run(_this, *args)


# --8<-- [start:backprop]
def backprop(weights, biases, X, Y, activation="sigmoid", cost="quadratic",
             output_activation=None):
    """(nabla_w, nabla_b) of the mean cost; X is (n_0, N), Y is (n_L, N).

    ``algorithm.run``'s equations, with three changes for speed:

    * after BP1 it walks down the layers once: BP3 and BP4 for layer l,
      then BP2 for layer l − 1, as Nielsen's code does;
    * a hidden layer's Zˡ is never stored: σ(Wˡ Aˡ⁻¹ + bˡ) is computed in
      Aˡ's own array, and σ′ from Aˡ alone (``Activation.prime_of_a``);
    * the hidden layers' arrays are kept for the next call with the same
      shapes (one set per thread), and once BP4 has read Aˡ⁻¹, its array
      takes Δˡ⁻¹.  Only the returned gradients are new memory.
    """
    weights, biases, X, Y, sigma, sigma_L, c = _prepare(
        weights, biases, X, Y, activation, cost, output_activation)
    L = len(weights)
    A, spare = _work_arrays(weights, biases, X)  # A[l] is Aˡ; A[0] is X

    for l in range(1, L):  # hidden layers: Aˡ = σ(Wˡ Aˡ⁻¹ + bˡ), in place
        np.matmul(weights[l - 1], A[l - 1], out=A[l])
        sigma.of_sum(A[l], biases[l - 1], out=A[l])
    Z_L = weights[L - 1] @ A[L - 1] + biases[L - 1]  # the output keeps Zᴸ
    A[L] = sigma_L.f(Z_L)
    Delta = algorithm.output_error(_this, c, sigma_L, Z_L, A[L], Y)  # BP1

    nabla_w, nabla_b = [None] * L, [None] * L
    for l in range(L, 0, -1):  # here Delta is Δˡ
        nabla_b[l - 1] = bp3(Delta)                                  # BP3
        nabla_w[l - 1] = bp4(A[l - 1], Delta)                        # BP4
        if l > 1:
            sp = sigma.prime_of_a(A[l - 1], out=spare[l - 1])  # σ′(Zˡ⁻¹)
            Delta = bp2(weights[l - 1], Delta, sp, out=A[l - 1])     # BP2
    return nabla_w, nabla_b
# --8<-- [end:backprop]


_local = threading.local()


def _work_arrays(weights, biases, X):
    """Text-indexed list A (A[0] is X) and a spare array per hidden layer.

    A[l] and spare[l] are (n_l, N) arrays for the hidden layers l = 1, …, L − 1,
    kept for the next call on the same thread with the same shapes and dtype:
    a fresh multi-megabyte array costs page faults that can take longer than
    the arithmetic done in it.  Each thread keeps one set, its most recent;
    X and the results are never kept.
    """
    dtype = np.result_type(X, *weights, *biases)
    key = (X.shape[1], dtype, tuple(w.shape for w in weights))
    kept = getattr(_local, "arrays", None)
    if kept is None or kept[0] != key:
        N, hidden = X.shape[1], [w.shape[0] for w in weights[:-1]]
        kept = (key, *([np.empty((n, N), dtype) for n in hidden] for _ in range(2)))
        _local.arrays = kept
    _, A, spare = kept
    return [X, *A, None], [None, *spare]


_this = sys.modules[__name__]
