"""Starter: backprop for one example, vectorized form (exercise of the chapter "Vectorized form").

The forward pass and BP3 are written; BP1, BP2 and BP4 are placeholders that
return zeros.  Replace them one at a time, and after each, check with

    python -m derivations diagnose vectorized_backprop.py

The check reads your δˡ from nabla_b (BP3: ∂C/∂bˡ = δˡ), so it tells you which
of the three is wrong, or not written yet.

Shapes: x (n_0, 1), y (n_L, 1); weights[l] is (n_{l+1}, n_l) and biases[l]
(n_{l+1}, 1), so w[l] below is the text's wˡ.  Sigmoid in every layer, cost
C = ½‖a − y‖².  backprop returns (nabla_w, nabla_b), weights first.
"""

import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def sigmoid_prime(z):
    return sigmoid(z) * (1.0 - sigmoid(z))


def backprop(weights, biases, x, y):
    L = len(weights)
    w, b = [None, *weights], [None, *biases]     # w[l] is wˡ, b[l] is bˡ
    z, a = [None] * (L + 1), [None] * (L + 1)
    a[0] = x
    for l in range(1, L + 1):                    # zˡ = wˡ aˡ⁻¹ + bˡ, aˡ = σ(zˡ)
        z[l] = w[l] @ a[l - 1] + b[l]
        a[l] = sigmoid(z[l])

    delta = [None] * (L + 1)
    delta[L] = np.zeros_like(a[L])               # BP1: δᴸ = ∇ₐC ⊙ σ′(zᴸ)
    for l in range(L - 1, 0, -1):
        delta[l] = np.zeros_like(a[l])           # BP2: δˡ = ((wˡ⁺¹)ᵀ δˡ⁺¹) ⊙ σ′(zˡ)

    nabla_b = [delta[l] for l in range(1, L + 1)]                # BP3: ∂C/∂bˡ = δˡ
    nabla_w = [np.zeros_like(w[l]) for l in range(1, L + 1)]     # BP4: ∂C/∂wˡ = δˡ (aˡ⁻¹)ᵀ
    return nabla_w, nabla_b
