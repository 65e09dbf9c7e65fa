"""The backpropagation algorithm, written once for every form.

Each form module (scalar, index, vectorized, batched, rowmajor) supplies its
forward pass and its four equations bp1…bp4; ``run`` strings them together:

1. forward pass: zˡ and aˡ for every layer;
2. output error δᴸ (BP1);
3. errors δᴸ⁻¹, …, δ¹, each from the layer after it (BP2);
4. gradients ∂C/∂bˡ (BP3) and ∂C/∂wˡ (BP4) from the errors.
"""

# --8<-- [start:imports]
from typing import NamedTuple

from derivations.activations import softmax_vjp

# --8<-- [end:imports]

__all__ = ["Trace", "output_error", "run"]


class Trace(NamedTuple):
    """Everything backprop computed, text-indexed: index l means layer l.

    z[l], a[l], delta[l] for l = 0, …, L (z[0] and delta[0] are None) and
    nabla_w[l] = ∂C/∂wˡ, nabla_b[l] = ∂C/∂bˡ for l = 1, …, L (index 0 None).
    """

    z: list
    a: list
    delta: list
    nabla_w: list
    nabla_b: list


# --8<-- [start:output_error]
def output_error(form, cost, sigma_L, z_L, a_L, y):
    """δᴸ: BP1 in the form's own arithmetic, with two exact simplifications.

    * cross-entropy after a sigmoid: ∇ₐC ⊙ σ′(zᴸ) = (a − y)/(a(1 − a)) ⊙ a(1 − a)
      = a − y.  The cancelled form stays finite when σ saturates to 1.0.
    * softmax output: σ′ is a full Jacobian, so δᴸ = Jᵀ ∇ₐC (``softmax_vjp``);
      with categorical cross-entropy that is a ⊙ Σⱼyⱼ − y = a − y.
    """
    if cost.name == "cross_entropy" and sigma_L.name == "sigmoid":
        return a_L - y
    if sigma_L.name == "softmax":
        if cost.name == "categorical_cross_entropy":
            return a_L * y.sum(axis=form.FEATURE_AXIS, keepdims=True) - y
        return softmax_vjp(a_L, cost.grad(a_L, y), axis=form.FEATURE_AXIS)
    return form.bp1(cost.grad(a_L, y), sigma_L.prime_from(z_L, a_L))
# --8<-- [end:output_error]


# --8<-- [start:run]
def run(form, weights, biases, x, y, sigma, sigma_L, cost):
    """Backpropagation from a form's feedforward and bp1…bp4 (inputs already checked)."""
    L = len(weights)
    w = [None, *weights]                       # w[l] is wˡ, as in the text
    z, a = form.feedforward_unchecked(weights, biases, x, sigma, sigma_L)

    delta = [None] * (L + 1)
    delta[L] = output_error(form, cost, sigma_L, z[L], a[L], y)          # BP1
    for l in range(L - 1, 0, -1):
        sp = sigma.prime_from(z[l], a[l])      # σ′(zˡ), reusing aˡ = σ(zˡ)
        delta[l] = form.bp2(w[l + 1], delta[l + 1], sp)                  # BP2

    nabla_b = [None] + [form.bp3(delta[l]) for l in range(1, L + 1)]     # BP3
    nabla_w = [None] + [form.bp4(a[l - 1], delta[l]) for l in range(1, L + 1)]  # BP4
    return Trace(z, a, delta, nabla_w, nabla_b)
# --8<-- [end:run]
