"""Parameters and the forward pass, for examples stored as columns.

Layer numbering follows the text: the input is layer 0 (a⁰ = x) and the
output layer is L.  The weight matrix wˡ and bias bˡ feed layer l from layer
l − 1, for l = 1, …, L.  Python lists start at 0, so

    weights[l - 1] is wˡ, shape (n_l, n_{l-1});   biases[l - 1] is bˡ, shape (n_l, 1).

The forward pass returns text-indexed lists: ``z[l]`` is zˡ and ``a[l]`` is aˡ
for l = 0, …, L (``z[0]`` is None: the input layer has no weighted input).
``forward`` (no checks) is the algorithm's own, ``algorithm.forward``.
"""

import numpy as np

from derivations import validate
from derivations.algorithm import Forward, forward

__all__ = ["Forward", "feedforward", "forward", "init_params"]


# --8<-- [start:init_params]
def init_params(sizes, rng):
    """Random weights and biases for a network with layer sizes [n_0, …, n_L].

    weights[l] ~ N(0, 1/n_l) with shape (n_{l+1}, n_l), biases[l] ~ N(0, 1)
    with shape (n_{l+1}, 1).  ``rng`` is a numpy Generator, so runs repeat.
    """
    if len(sizes) < 2:
        raise ValueError(f"sizes needs at least an input and an output size; got {sizes}")
    if not all(isinstance(n, (int, np.integer)) and n > 0 for n in sizes):
        raise ValueError(f"sizes must be positive integers, one per layer; got {sizes}")
    if not isinstance(rng, np.random.Generator):
        raise TypeError("rng must be a numpy Generator, e.g. np.random.default_rng(0)")
    weights = [rng.standard_normal((n_out, n_in)) / np.sqrt(n_in)
               for n_in, n_out in zip(sizes[:-1], sizes[1:])]
    biases = [rng.standard_normal((n_out, 1)) for n_out in sizes[1:]]
    return weights, biases
# --8<-- [end:init_params]


def feedforward(weights, biases, x, activation="sigmoid", output_activation=None):
    """The forward pass with input checks; x is (n_0, N).  Returns Forward(z, a).

    ``output_activation=None`` means the output layer uses ``activation`` too.
    """
    sizes, weights, biases = validate.params(weights, biases)
    x = validate.columns(x, sizes[0], "x")
    sigma, sigma_L, _ = validate.resolve(activation, "quadratic", output_activation)
    weights, biases, x, _ = validate.same_precision(weights, biases, x, x)
    return forward(weights, biases, x, sigma.f, sigma_L.f)
