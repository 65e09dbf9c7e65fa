"""The backpropagation algorithm, written once for every form.

A form (scalar, index, vectorized, batched, rowmajor) is a ``Form`` value: its
layout and its four equations bp1…bp4, stated once in its module as ``FORM``.
``run`` strings them together:

1. forward pass: zˡ and aˡ for every layer;
2. output error δᴸ (BP1);
3. errors δᴸ⁻¹, …, δ¹, each from the layer after it (BP2);
4. gradients ∂C/∂bˡ (BP3) and ∂C/∂wˡ (BP4) from the errors.

``backprop_trace(form, weights, biases, x, y, ...)`` validates the inputs,
resolves the names and runs; every form's ``backprop`` is a one-line call to
``backprop``.  A variant of a form, for instance a mistake, is the same form
with one equation swapped, run by the same code::

    from dataclasses import replace

    wrong = replace(vectorized.FORM, bp2=my_bp2)
    trace = algorithm.backprop_trace(wrong, weights, biases, x, y)
"""

# --8<-- [start:imports]
from dataclasses import dataclass
from typing import Callable, NamedTuple

from derivations import validate

# --8<-- [end:imports]

__all__ = ["Form", "Forward", "Gradients", "Trace", "backprop", "backprop_trace", "forward",
           "output_error", "run"]


@dataclass(frozen=True)
class Form:
    """One form of backpropagation: its layout and its four equations.

    * ``name``: the form's module name, e.g. ``"vectorized"``;
    * ``feature_axis``: the axis along which a layer's neurons lie (0 when
      examples are columns, 1 when they are rows, None for plain numbers);
    * ``validate(weights, biases, x, y, sigma_L, cost)``: the inputs checked
      and converted for this layout, returned as (weights, biases, x, y);
    * ``forward(weights, biases, x, sigma, sigma_L)``: the forward pass
      (σ functions, no checks), returning text-indexed lists (z, a);
    * ``bp1(nabla_a, sp)``, ``bp2(w_next, delta_next, sp)``, ``bp3(delta)``,
      ``bp4(a_prev, delta)``: the four equations, sp being σ′(zˡ).
    """

    name: str
    feature_axis: int | None
    validate: Callable
    forward: Callable
    bp1: Callable
    bp2: Callable
    bp3: Callable
    bp4: Callable


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


class Gradients(NamedTuple):
    """What ``backprop`` returns: ``(nabla_w, nabla_b)``, weights first.

    nabla_w[l] = ∂C/∂weights[l] and nabla_b[l] = ∂C/∂biases[l], same shapes.
    Nielsen's network.py returns ``(nabla_b, nabla_w)``, the other order:
    unpacking ours in his order runs and swaps the two, so name the fields
    (``grads.nabla_w``) when in doubt.
    """

    nabla_w: list
    nabla_b: list


# --8<-- [start:forward]
class Forward(NamedTuple):
    """Text-indexed results of the forward pass: z[l] = zˡ, a[l] = aˡ."""

    z: list
    a: list


def forward(weights, biases, x, sigma, sigma_L):
    """zˡ = wˡ aˡ⁻¹ + bˡ and aˡ = σ(zˡ) for l = 1, …, L (no input checks).

    x is (n_0, N): one example per column.
    """
    L = len(weights)
    z, a = [None] * (L + 1), [None] * (L + 1)
    a[0] = x
    for l in range(1, L + 1):
        z[l] = weights[l - 1] @ a[l - 1]
        z[l] += biases[l - 1]          # bˡ is added to every column
        a[l] = (sigma_L if l == L else sigma)(z[l])
    return Forward(z, a)
# --8<-- [end:forward]


# --8<-- [start:output_error]
def output_error(form, sigma_L, cost, z_L, a_L, y):
    """δᴸ: BP1 in the form's own arithmetic, or its exact simplification.

    * A cross-entropy with the output it needs cancels σ′ (``cost.delta``):
      δᴸ = a − y after a sigmoid, a·Σⱼyⱼ − y after a softmax (a − y when the
      targets add up to 1), finite even when σ saturates to 1.0.
    * A softmax output with another cost: σ′ is a full Jacobian J, so
      δᴸ = Jᵀ ∇ₐC (``sigma_L.vjp``), not an entrywise product.
    * Otherwise the form's BP1: δᴸ = ∇ₐC ⊙ σ′(zᴸ).
    """
    if cost.delta is not None:
        return cost.delta(a_L, y, form.feature_axis)
    nabla_a = cost.grad(a_L, y)
    if sigma_L.vjp is not None:
        return sigma_L.vjp(a_L, nabla_a, form.feature_axis)
    return form.bp1(nabla_a, sigma_L.prime_from(z_L, a_L))
# --8<-- [end:output_error]


# --8<-- [start:run]
def run(form, weights, biases, x, y, sigma, sigma_L, cost):
    """Backpropagation from a form's forward pass and bp1…bp4 (inputs already validated)."""
    L = len(weights)
    w = [None, *weights]                       # w[l] is wˡ, as in the text
    z, a = form.forward(weights, biases, x, sigma.f, sigma_L.along(form.feature_axis))

    delta = [None] * (L + 1)
    delta[L] = output_error(form, sigma_L, cost, z[L], a[L], y)          # BP1
    for l in range(L - 1, 0, -1):
        sp = sigma.prime_from(z[l], a[l])      # σ′(zˡ), reusing aˡ = σ(zˡ)
        delta[l] = form.bp2(w[l + 1], delta[l + 1], sp)                  # BP2

    nabla_b = [None] + [form.bp3(delta[l]) for l in range(1, L + 1)]     # BP3
    nabla_w = [None] + [form.bp4(a[l - 1], delta[l]) for l in range(1, L + 1)]  # BP4
    return Trace(z, a, delta, nabla_w, nabla_b)
# --8<-- [end:run]


def backprop_trace(form, weights, biases, x, y, activation="sigmoid", cost="quadratic",
                   output_activation=None):
    """Validate, resolve the names once, and ``run``: the text-indexed ``Trace``.

    ``output_activation=None`` means the output layer uses ``activation`` too.
    """
    sigma, sigma_L, cost = validate.resolve(activation, cost, output_activation)
    weights, biases, x, y = form.validate(weights, biases, x, y, sigma_L, cost)
    return run(form, weights, biases, x, y, sigma, sigma_L, cost)


def backprop(form, weights, biases, x, y, activation="sigmoid", cost="quadratic",
             output_activation=None):
    """``Gradients(nabla_w, nabla_b)``: ∂C/∂weights[l] and ∂C/∂biases[l], same shapes."""
    t = backprop_trace(form, weights, biases, x, y, activation, cost, output_activation)
    return Gradients(t.nabla_w[1:], t.nabla_b[1:])
