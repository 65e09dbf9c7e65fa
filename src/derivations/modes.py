"""Forward mode and reverse mode: the layer Jacobian and Jacobian–vector products.

Layer l + 1, seen from the weighted inputs, is the function

    zˡ ↦ zˡ⁺¹ = wˡ⁺¹ σ(zˡ) + bˡ⁺¹,   with Jacobian   ∂zˡ⁺¹/∂zˡ = wˡ⁺¹ diag(σ′(zˡ)).

Reverse mode multiplies that Jacobian from the left by a row vector, (δˡ)ᵀ =
(δˡ⁺¹)ᵀ ∂zˡ⁺¹/∂zˡ (a vector–Jacobian product): that is BP2, ``vectorized.bp2``,
and one backward pass gives every ∂C/∂θ.  Forward mode multiplies it from the
right by a column, (∂zˡ⁺¹/∂zˡ) żˡ (a Jacobian–vector product): it pushes a
tangent, the derivative of every quantity along one direction v in parameter
space, through the forward pass, and gets one number, the directional
derivative Ċ = ⟨∇C, v⟩.
The gradient then takes P passes, one per parameter.

Examples are columns (X (n_0, N), Y (n_L, N)) and the cost is the mean over
the N columns, as in ``batched`` and ``gradcheck``; inputs are validated as
``batched.backprop`` validates them, and never modified.
"""

import numpy as np

from derivations import batched, validate
from derivations.algorithm import Gradients, output_error
from derivations.gradcheck import validated

__all__ = ["forward_mode_gradient", "jvp", "layer_jacobian", "layer_jvp"]


# --8<-- [start:layer_jacobian]
def layer_jacobian(w_next, sp):
    """∂zˡ⁺¹/∂zˡ = wˡ⁺¹ diag(σ′(zˡ)): entry (j, k) is wˡ⁺¹ⱼₖ σ′(zˡₖ).

    Shapes: w_next (n_{l+1}, n_l), sp = σ′(zˡ) (n_l, 1) → (n_{l+1}, n_l).
    Multiplying by diag(σ′) from the right scales column k by σ′(zˡₖ), so the
    diagonal matrix is never built.
    """
    w_next, sp = _layer_arrays(w_next, sp)     # 2-D, and sp a column (n_l, 1)
    return w_next * sp.T
# --8<-- [end:layer_jacobian]


# --8<-- [start:layer_jvp]
def layer_jvp(w_next, sp, u):
    """(∂zˡ⁺¹/∂zˡ) u = wˡ⁺¹ (σ′(zˡ) ⊙ u), without forming the Jacobian.

    Shapes: w_next (n_{l+1}, n_l), sp and u (n_l, 1) → (n_{l+1}, 1).
    """
    w_next, sp = _layer_arrays(w_next, sp)     # 2-D, and sp a column (n_l, 1)
    u = validate.array(u, "u")
    if u.shape != sp.shape:
        raise ValueError(f"u must have the shape of sp, {sp.shape}; got {u.shape}")
    return w_next @ (sp * u)
# --8<-- [end:layer_jvp]


def _layer_arrays(w_next, sp):
    w_next, sp = validate.array(w_next, "w_next"), validate.array(sp, "sp")
    if w_next.ndim != 2:
        raise ValueError(f"w_next must be 2-D, (n_{{l+1}}, n_l); got shape {w_next.shape}")
    if sp.shape != (w_next.shape[1], 1):
        raise ValueError(f"sp must be a column (n_l, 1) = ({w_next.shape[1]}, 1) to match "
                         f"w_next {w_next.shape}; got {sp.shape}")
    return w_next, sp


# --8<-- [start:jvp]
def tangent_pass(weights, biases, X, Y, dweights, dbiases, sigma, sigma_L, cost):
    """C and Ċ along (ẇ, ḃ), carrying each quantity's tangent beside it (no checks).

    żˡ = wˡ ȧˡ⁻¹ + ẇˡ aˡ⁻¹ + ḃˡ (product rule), ȧˡ = σ′(zˡ) ⊙ żˡ, ȧ⁰ = 0.
    """
    L = len(weights)
    a, a_dot = X, np.zeros_like(X)            # the input does not move
    for l in range(1, L + 1):
        w, b = weights[l - 1], biases[l - 1]
        z = w @ a + b
        z_dot = w @ a_dot + dweights[l - 1] @ a + dbiases[l - 1]
        if l < L:
            a = sigma.f(z)
            a_dot = sigma.prime_from(z, a) * z_dot
    a_L = sigma_L.f(z)
    N = X.shape[1]
    C = cost.total(z, a_L, Y) / N
    # The cost is a scalar: its derivative along żᴸ is ⟨∂C/∂zᴸ, żᴸ⟩, and
    # ∂C/∂zᴸ of example s is the cost's own derivative δᴸₛ (BP1).
    dC_dz = output_error(batched.FORM, sigma_L, cost, z, a_L, Y)
    return C, float(np.sum(dC_dz * z_dot)) / N
# --8<-- [end:jvp]


def jvp(weights, biases, X, Y, dweights, dbiases, activation="sigmoid", cost="quadratic",
        output_activation=None):
    """Forward mode: (C, Ċ) with Ċ = ⟨∇C, v⟩ = Σₗ ⟨∂C/∂wˡ, ẇˡ⟩ + ⟨∂C/∂bˡ, ḃˡ⟩.

    ``dweights[l]`` and ``dbiases[l]`` (the direction v) have the shapes of
    ``weights[l]`` and ``biases[l]``.  One forward pass, one number.
    """
    weights, biases, X, Y, sigma, sigma_L, c = validated(
        weights, biases, X, Y, activation, cost, output_activation)
    dweights, dbiases = _direction(weights, biases, dweights, dbiases)
    return tangent_pass(weights, biases, X, Y, dweights, dbiases, sigma, sigma_L, c)


def _direction(weights, biases, dweights, dbiases):
    """v = (dweights, dbiases) checked against the parameters' shapes."""
    out = []
    for name, params, given in (("dweights", weights, dweights), ("dbiases", biases, dbiases)):
        if not isinstance(given, (list, tuple)):
            raise TypeError(f"{name} must be a list of arrays, one per layer; "
                            f"got {type(given).__name__}")
        if len(given) != len(params):
            raise ValueError(f"{name} has {len(given)} layers; the network has {len(params)}")
        arrays = []
        for l, (p, g) in enumerate(zip(params, given)):
            g = validate.array(g, f"{name}[{l}]")
            if g.shape != p.shape:
                raise ValueError(f"{name}[{l}] must have the shape of its parameter, "
                                 f"{p.shape}; got {g.shape}")
            validate.finite(g, f"{name}[{l}]")
            arrays.append(g.astype(p.dtype, copy=False))
        out.append(arrays)
    return out


# --8<-- [start:forward_mode_gradient]
def forward_mode_gradient(weights, biases, X, Y, activation="sigmoid", cost="quadratic",
                          output_activation=None):
    """∇C by forward mode: one tangent pass per parameter, along each unit direction.

    P parameters cost P passes; returns ``Gradients(nabla_w, nabla_b)`` like backprop.
    """
    weights, biases, X, Y, *names = validated(weights, biases, X, Y, activation, cost,
                                              output_activation)
    seeds = [np.zeros_like(p) for p in weights + biases]          # v = 0 ...
    grads = [np.zeros_like(p) for p in weights + biases]
    L = len(weights)
    for seed, grad in zip(seeds, grads):
        for i in np.ndindex(seed.shape):
            seed[i] = 1.0                                           # ... but vᵢ = 1
            _, grad[i] = tangent_pass(weights, biases, X, Y, seeds[:L], seeds[L:], *names)
            seed[i] = 0.0
    return Gradients(grads[:L], grads[L:])
# --8<-- [end:forward_mode_gradient]
