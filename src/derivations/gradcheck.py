"""Finite-difference checks of backprop, with the tolerance policy stated once.

Policy
------
* Central differences, (C(θ + ε) − C(θ − ε)) / 2ε, in float64 with ε = 1e-5.
  Their error is about ε²|C‴|/6 from truncation plus u·|C|/ε from rounding
  (u ≈ 1.1e-16); ε = 1e-5 balances the two (both near 1e-11 here), which a
  smaller ε would not: at ε = 1e-6 rounding alone is 1e-10·|C|.
* Relative error ‖g − ĝ‖ / max(‖g‖, ‖ĝ‖) over all entries at once; 0 when both
  are zero.  Bound: 1e-7.
* Inputs are kept at least ``KINK_MARGIN`` away from ReLU's kink at 0.  There
  the derivative does not exist, and a quotient whose step reaches across the
  kink measures neither slope.  Every ReLU unit is active (z > 0) for at least
  one example, so that no gradient is zero by construction
  (``check.make_case`` draws such networks).
* For networks too big for one difference per parameter, ``directional_check``
  compares ⟨∇C, v⟩ with a single central difference along a random v.

Everything here works on the column-major layout (``batched``): parameters as
in the contract, X (n_0, N), Y (n_L, N), cost averaged over the N columns.
Inputs are validated as ``batched.backprop`` validates them, and the
parameters perturbed are copies: the caller's arrays are never changed.
"""

import numpy as np

from derivations import validate
from derivations.activations import RELU
from derivations.algorithm import forward

__all__ = [
    "BOUND",
    "EPS",
    "KINK_MARGIN",
    "central_difference",
    "directional_check",
    "forward_difference",
    "kink_distance",
    "mean_cost",
    "numerical_deltas",
    "numerical_param_grads",
    "rel_error",
]

EPS = 1e-5
BOUND = 1e-7
KINK_MARGIN = 1e-3


# --8<-- [start:rel_error]
def flatten(g):
    """One flat float vector from an array or a list of arrays (None skipped)."""
    if isinstance(g, (list, tuple)):
        parts = [np.ravel(np.asarray(p, dtype=float)) for p in g if p is not None]
        return np.concatenate(parts) if parts else np.zeros(0)
    return np.ravel(np.asarray(g, dtype=float))


def rel_error(g, g_hat):
    """‖g − ĝ‖ / max(‖g‖, ‖ĝ‖) over every entry; lists of arrays are joined."""
    g, g_hat = flatten(g), flatten(g_hat)
    if g.shape != g_hat.shape:
        raise ValueError(f"cannot compare shapes {g.shape} and {g_hat.shape}")
    scale = max(np.linalg.norm(g), np.linalg.norm(g_hat))
    return 0.0 if scale == 0 else float(np.linalg.norm(g - g_hat) / scale)
# --8<-- [end:rel_error]


# --8<-- [start:differences]
def perturbable(theta):
    """θ must be a float array: θ ± ε stored in an integer array would be truncated."""
    if not isinstance(theta, np.ndarray) or theta.dtype.kind != "f":
        kind = theta.dtype if isinstance(theta, np.ndarray) else type(theta).__name__
        raise TypeError(f"theta must be a float numpy array, perturbed in place; got {kind}. "
                        "Pass a float copy, e.g. theta.astype(float)")
    return theta


def central_difference(f, theta, eps=EPS):
    """∂f/∂θᵢ ≈ (f(θ + εeᵢ) − f(θ − εeᵢ)) / 2ε for every entry i of θ.

    θ is perturbed in place and restored; f takes no arguments and reads θ.
    """
    grad = np.zeros(perturbable(theta).shape, dtype=theta.dtype)
    for i in np.ndindex(theta.shape):
        old = theta[i]
        theta[i] = old + eps
        f_plus = f()
        theta[i] = old - eps
        f_minus = f()
        theta[i] = old
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def forward_difference(f, theta, eps=EPS):
    """∂f/∂θᵢ ≈ (f(θ + εeᵢ) − f(θ)) / ε: error O(ε), shown failing in the tests."""
    grad = np.zeros(perturbable(theta).shape, dtype=theta.dtype)
    f0 = f()
    for i in np.ndindex(theta.shape):
        old = theta[i]
        theta[i] = old + eps
        grad[i] = (f() - f0) / eps
        theta[i] = old
    return grad
# --8<-- [end:differences]


# --8<-- [start:param_grads]
def validated(weights, biases, X, Y, activation, cost, output_activation):
    """The inputs validated as ``batched.backprop`` validates them, with the names resolved."""
    sigma, sigma_L, cost = validate.resolve(activation, cost, output_activation)
    weights, biases, X, Y = validate.batch_columns(weights, biases, X, Y, sigma_L, cost)
    return weights, biases, X, Y, sigma, sigma_L, cost


def cost_of(weights, biases, X, Y, sigma, sigma_L, cost):
    """C = (1/N) Σₛ Cₛ, with σ and the cost already resolved (no checks)."""
    z, a = forward(weights, biases, X, sigma.f, sigma_L.f)
    return cost.total(z[-1], a[-1], Y) / X.shape[1]


def mean_cost(weights, biases, X, Y, activation="sigmoid", cost="quadratic",
              output_activation=None):
    """C = (1/N) Σₛ Cₛ for X (n_0, N), Y (n_L, N)."""
    return cost_of(*validated(weights, biases, X, Y, activation, cost, output_activation))


def numerical_param_grads(weights, biases, X, Y, activation="sigmoid", cost="quadratic",
                          output_activation=None, eps=EPS, method=central_difference):
    """Difference quotients of the mean cost for every weight and bias (BP3, BP4)."""
    weights, biases, X, Y, *names = validated(weights, biases, X, Y, activation, cost,
                                            output_activation)
    weights = [w.copy() for w in weights]      # perturbed in place: never the caller's
    biases = [b.copy() for b in biases]

    def C():
        return cost_of(weights, biases, X, Y, *names)

    nabla_w = [method(C, w, eps) for w in weights]
    nabla_b = [method(C, b, eps) for b in biases]
    return nabla_w, nabla_b
# --8<-- [end:param_grads]


# --8<-- [start:deltas]
def cost_from_layer(l, z_l, weights, biases, Y, sigma, sigma_L, cost):
    """Σₛ Cₛ with zˡ given: run the forward pass on from layer l."""
    L = len(weights)
    z = z_l
    a = (sigma_L if l == L else sigma).f(z)
    for m in range(l + 1, L + 1):
        z = weights[m - 1] @ a + biases[m - 1]
        a = (sigma_L if m == L else sigma).f(z)
    return cost.total(z, a, Y)


def numerical_deltas(weights, biases, X, Y, activation="sigmoid", cost="quadratic",
                     output_activation=None, eps=EPS, method=central_difference):
    """δˡ ≈ ∂C/∂zˡ by perturbing zˡ itself (BP1 for l = L, BP2 below).

    The cost is the sum Σₛ Cₛ, so column s is example s's own error δˡₛ,
    comparable with every form's δ.  Text-indexed: result[l] for l = 1…L.
    """
    weights, biases, X, Y, sigma, sigma_L, cost = validated(
        weights, biases, X, Y, activation, cost, output_activation)
    z, _ = forward(weights, biases, X, sigma.f, sigma_L.f)
    deltas = [None]
    for l in range(1, len(weights) + 1):
        z_l = z[l].copy()
        deltas.append(method(
            lambda z_l=z_l, l=l: cost_from_layer(
                l, z_l, weights, biases, Y, sigma, sigma_L, cost),
            z_l, eps))
    return deltas
# --8<-- [end:deltas]


# --8<-- [start:directional]
def directional_check(backprop, weights, biases, X, Y, rng, activation="sigmoid",
                      cost="quadratic", output_activation=None, eps=1e-5):
    """Relative error between ⟨∇C, v⟩ and one central difference along random v.

    Two cost evaluations instead of two per parameter, for networks too large
    for ``numerical_param_grads``.  ``backprop`` is e.g. ``batched.backprop``.
    """
    weights, biases, X, Y, *names = validated(weights, biases, X, Y, activation, cost,
                                            output_activation)
    nabla_w, nabla_b = backprop(weights, biases, X, Y, activation, cost, output_activation)
    v_w = [rng.standard_normal(w.shape) for w in weights]
    v_b = [rng.standard_normal(b.shape) for b in biases]
    exact = sum(np.sum(g * v) for g, v in zip(nabla_w + nabla_b, v_w + v_b))

    def C(t):
        ws = [w + t * v for w, v in zip(weights, v_w)]
        bs = [b + t * v for b, v in zip(biases, v_b)]
        return cost_of(ws, bs, X, Y, *names)

    estimate = (C(eps) - C(-eps)) / (2 * eps)
    return abs(exact - estimate) / max(abs(exact), abs(estimate))
# --8<-- [end:directional]


def kink_distance(weights, biases, X, activation="relu", output_activation=None):
    """min |zˡⱼ| over every ReLU unit: how far the inputs are from the kink."""
    sizes, weights, biases = validate.params(weights, biases)
    X = validate.columns(X, sizes[0], "X")
    sigma, sigma_L, _ = validate.resolve(activation, "quadratic", output_activation)
    z, _ = forward(weights, biases, X, sigma.f, sigma_L.f)
    L = len(weights)
    zs = [z[l] for l in range(1, L + 1) if (sigma_L if l == L else sigma) is RELU]
    return min((float(np.min(np.abs(zl))) for zl in zs), default=np.inf)
