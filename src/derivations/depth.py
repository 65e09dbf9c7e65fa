"""What BP2 does over many layers: the product it unrolls to, gradient sizes per layer.

* ``backward_product``: BP2 applied L − l times is one matrix,
  δˡ = diag(σ′(zˡ)) (wˡ⁺¹)ᵀ diag(σ′(zˡ⁺¹)) ⋯ diag(σ′(zᴸ⁻¹)) (wᴸ)ᵀ δᴸ;
* ``gradient_norms``: ‖∂C/∂wˡ‖ and ‖∂C/∂bˡ‖ for every layer l, how fast each
  layer learns;
* ``gaussian_params``: ``init_params``'s draws with another weight variance
  (Var(wˡ) = 1/n, 2/n, 1, …) and bias variance, for comparing initialisations.

Lists are text-indexed like ``algorithm.Trace``: entry l is layer l, entry 0
is None.
"""

import numbers
from typing import NamedTuple

import numpy as np

from derivations import batched
from derivations.activations import HIDDEN_ACTIVATIONS, get_activation
from derivations.network import feedforward, init_params

__all__ = ["LayerNorms", "backward_product", "gaussian_params", "gradient_norms",
           "unrolled_bp2"]


# --8<-- [start:unrolled_bp2]
def unrolled_bp2(w, z, l, sigma_prime):
    """The product diag(σ′(zˡ)) (wˡ⁺¹)ᵀ ⋯ diag(σ′(zᴸ⁻¹)) (wᴸ)ᵀ, which turns δᴸ into δˡ.

    ``w`` and ``z`` are text-indexed (w[l′] is wˡ′, z[l′] is zˡ′ of one example,
    shape (n_l′, 1)); the product has shape (n_l, n_L).  No input checks.
    """
    L = len(w) - 1
    product = np.eye(len(z[L]))
    for layer in range(L - 1, l - 1, -1):   # BP2 once per layer l′, L − 1 down to l
        # diag(σ′(zˡ′)) times a matrix is σ′(zˡ′) * matrix: row k times σ′(zˡ′ₖ)
        product = sigma_prime(z[layer]) * (w[layer + 1].T @ product)
    return product
# --8<-- [end:unrolled_bp2]


def backward_product(weights, biases, x, l, activation="sigmoid"):
    """BP2 unrolled from layer L down to l: the matrix that turns δᴸ into δˡ.

    diag(σ′(zˡ)) (wˡ⁺¹)ᵀ ⋯ diag(σ′(zᴸ⁻¹)) (wᴸ)ᵀ, shape (n_l, n_L), for one
    example x (n_0, 1); the identity for l = L.  ``activation`` is the hidden
    layers' σ.  The product is (∂zᴸ/∂zˡ)ᵀ: the transposed Jacobian of zᴸ in zˡ.
    """
    z, _ = feedforward(weights, biases, x, activation)
    _check_example_and_layer(z[1], l, len(weights))
    sigma = get_activation(activation, allowed=HIDDEN_ACTIVATIONS)
    return unrolled_bp2([None, *weights], z, l, sigma.prime)


class LayerNorms(NamedTuple):
    """‖∂C/∂wˡ‖ (Frobenius) and ‖∂C/∂bˡ‖ for l = 1…L; index 0 is None."""

    w: list
    b: list


# --8<-- [start:gradient_norms]
def gradient_norms(weights, biases, X, Y, activation="sigmoid", cost="quadratic",
                   output_activation=None):
    """‖∂C/∂wˡ‖ and ‖∂C/∂bˡ‖ of the mean cost, for every layer l = 1…L.

    X (n_0, N), Y (n_L, N), as for ``batched.backprop``.  By BP3 the second is
    the size of the mean error (1/N) Σₛ δˡₛ; by BP4 the first multiplies the
    errors by the activations aˡ⁻¹ that feed layer l.  Text-indexed, like
    ``algorithm.Trace``: ``.w[l]`` and ``.b[l]``, with None at index 0.
    """
    nabla_w, nabla_b = batched.backprop(weights, biases, X, Y, activation, cost,
                                        output_activation)
    return LayerNorms([None] + [float(np.linalg.norm(grad)) for grad in nabla_w],
                      [None] + [float(np.linalg.norm(grad)) for grad in nabla_b])
# --8<-- [end:gradient_norms]


# --8<-- [start:gaussian_params]
def gaussian_params(sizes, rng, weight_var, bias_var=0.0):
    """weights[l] ~ 𝒩(0, weight_var), shape (n_{l+1}, n_l); biases[l] ~ 𝒩(0, bias_var).

    ``weight_var`` is a variance, or a function of the fan-in n_l (how many
    inputs each neuron of the layer has) giving one: ``lambda n: 1 / n`` gives
    ``init_params``'s weights, ``lambda n: 2 / n`` He et al.'s for ReLU.  The
    numbers are ``init_params``'s draws rescaled, so one ``rng`` seed gives
    the same network at every scale.
    """
    bias_var = _variance(bias_var, "bias_var")
    weights, biases = init_params(sizes, rng)        # w ~ 𝒩(0, 1/n), b ~ 𝒩(0, 1)
    rescaled = []
    for w in weights:
        n = w.shape[1]
        var = _variance(weight_var(n) if callable(weight_var) else weight_var, "weight_var")
        rescaled.append(w * np.sqrt(n * var))        # 𝒩(0, 1/n) · √(n var) = 𝒩(0, var)
    return rescaled, [b * np.sqrt(bias_var) for b in biases]
# --8<-- [end:gaussian_params]


def _variance(value, name):
    """A variance: a finite real number ≥ 0, or an error naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        what = "a function of the fan-in n returning one" if name == "weight_var" else ""
        raise TypeError(f"{name} must be a real number ≥ 0{' or ' + what if what else ''}; "
                        f"got {type(value).__name__}")
    value = float(value)
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite variance ≥ 0; got {value}")
    return value


def _check_example_and_layer(z_1, l, L):
    """One example (a single column), and a layer number l from 1 to L."""
    if z_1.shape[1] != 1:
        raise ValueError(f"x must be one example, a column of shape (n_0, 1); got "
                         f"{z_1.shape[1]} columns. diag(σ′(zˡ)) belongs to one example")
    if isinstance(l, bool) or not isinstance(l, numbers.Integral):
        raise TypeError(f"l must be a layer number, an integer from 1 to L = {L}; "
                        f"got {type(l).__name__}")
    if not 1 <= l <= L:
        raise ValueError(f"l must be a layer number from 1 to L = {L}; got {l}")
