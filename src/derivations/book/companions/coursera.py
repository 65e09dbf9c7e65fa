"""The Coursera curve-drawing assignment, rebuilt: a 1-6-7-2 sigmoid network.

Its conventions and ours:

* Examples are columns, wˡ is out × in and bˡ a column: W⁽ⁿ⁾, b⁽ⁿ⁾, z⁽ⁿ⁾, a⁽ⁿ⁾
  are our wⁿ, bⁿ, zⁿ, aⁿ, layer by layer (layer 0 is the input).
* The cost is C_src = ‖a⁽³⁾ − y‖² / N, the squared error summed over the
  outputs and averaged over the N training points: no ½, so C_src = 2 C with
  our C = (1/N) Σₛ ½‖aₛ − yₛ‖².  Every Jacobian J_W, J_b is 2 times our
  batched gradient; the 1/N is the same mean as our BP3 and BP4.
* σ′ is written as cosh(z/2)⁻²/4, which equals σ(z)(1 − σ(z)).
"""

import numpy as np

from derivations import batched
from derivations.activations import sigmoid, sigmoid_prime
from derivations.network import feedforward

__all__ = ["SIZES", "cost_source", "curve", "d_sigma_cosh", "init_like_source", "jacobians",
           "sigma_identity_gap", "steepest_descent"]

SIZES = [1, 6, 7, 2]


def d_sigma_cosh(z):
    """The source's σ′(z) = cosh(z/2)⁻² / 4 (keep |z| below ~1400: cosh overflows)."""
    return np.cosh(z / 2) ** (-2) / 4


def init_like_source(rng, sizes=SIZES):
    """Every weight and bias standard normal, halved, as the source initialises."""
    weights = [rng.standard_normal((n_out, n_in)) / 2 for n_in, n_out in zip(sizes[:-1], sizes[1:])]
    biases = [rng.standard_normal((n_out, 1)) / 2 for n_out in sizes[1:]]
    return weights, biases


def curve(N=100):
    """N points of a closed curve inside (0, 1)²: the training set, x (1, N), y (2, N).

    x runs from 0 to 1 along the curve and y is the position, with t = 2πx:
    (0.5 + 0.3 cos t, 0.5 + 0.25 sin t + 0.08 cos 2t), a kidney-shaped loop
    well inside the sigmoid's range (0, 1).
    """
    x = np.linspace(0.0, 1.0, N)[None, :]
    t = 2 * np.pi * x
    y = np.vstack([0.5 + 0.3 * np.cos(t),
                   0.5 + 0.25 * np.sin(t) + 0.08 * np.cos(2 * t)])
    return x, y


def cost_source(weights, biases, x, y):
    """C_src = ‖a⁽³⁾ − y‖² / N, with ‖·‖ over all outputs and points."""
    _, a = feedforward(weights, biases, x)
    return float(np.sum((a[-1] - y) ** 2)) / x.shape[1]


def jacobians(weights, biases, x, y):
    """J_W3, J_b3, J_W2, J_b2, J_W1, J_b1 of C_src, through our batched BP1–BP4.

    ∂C_src/∂a⁽³⁾ is 2(a⁽³⁾ − y) per example: the factor 2 from the square.
    The batched BP3/BP4 average the N columns: the source's 1/N.
    """
    W1, W2, W3 = weights
    z, a = feedforward(weights, biases, x)
    delta3 = batched.bp1(2 * (a[3] - y), sigmoid_prime(z[3]))   # factor 2 here
    delta2 = batched.bp2(W3, delta3, sigmoid_prime(z[2]))
    delta1 = batched.bp2(W2, delta2, sigmoid_prime(z[1]))
    return {
        "J_W3": batched.bp4(a[2], delta3), "J_b3": batched.bp3(delta3),   # 1/N inside
        "J_W2": batched.bp4(a[1], delta2), "J_b2": batched.bp3(delta2),
        "J_W1": batched.bp4(a[0], delta1), "J_b1": batched.bp3(delta1),
    }


def steepest_descent(weights, biases, x, y, *, iterations, step, record_every=0):
    """Full-batch steepest descent on C_src: θ ← θ − step · J_θ.

    J = 2 × our batched gradient, so this is our gradient descent with learning
    rate 2·step.  Returns (weights, biases, costs) with costs recorded every
    ``record_every`` iterations (and at the start and end).
    """
    weights = [w.copy() for w in weights]
    biases = [b.copy() for b in biases]
    costs = [(0, cost_source(weights, biases, x, y))]
    for it in range(1, iterations + 1):
        nabla_w, nabla_b = batched.backprop(weights, biases, x, y)
        weights = [w - step * 2 * nw for w, nw in zip(weights, nabla_w)]
        biases = [b - step * 2 * nb for b, nb in zip(biases, nabla_b)]
        if (record_every and it % record_every == 0) or it == iterations:
            costs.append((it, cost_source(weights, biases, x, y)))
    return weights, biases, costs


def sigma_identity_gap(z):
    """max |cosh(z/2)⁻²/4 − σ(z)(1 − σ(z))| over the points z."""
    s = sigmoid(z)
    return float(np.max(np.abs(d_sigma_cosh(z) - s * (1 - s))))
