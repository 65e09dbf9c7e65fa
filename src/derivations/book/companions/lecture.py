"""The lecture notebook, rebuilt: no biases, W stored in × out, ReLU everywhere, MSELoss.

The source's conventions and ours:

* W⁽ˡ⁾ is stored in × out, (n_{l-1}, n_l), and the forward pass is
  f⁽ˡ⁾ = (W⁽ˡ⁾)ᵀ a⁽ˡ⁻¹⁾.  Our wˡ is out × in, so wˡ = (W⁽ˡ⁾)ᵀ.
* There are no biases.  A network without biases is ours with every bˡ = 0
  held fixed; its weight gradients do not depend on b (BP4 uses only δ and a).
* ReLU follows every layer, the output layer too.
* PyTorch's ``MSELoss`` is the mean over all N·n_L entries of (a − y)².  Per
  example with one output that is (a − y)², twice our ½(a − y)², so every
  gradient carries a factor 2; in general the factor is 2/n_L and the mean
  over N examples is our batched mean.
* Gradients come out in the stored layout: ∂ℓ/∂W⁽ˡ⁾ = a⁽ˡ⁻¹⁾ (δ⁽ˡ⁾)ᵀ, in × out,
  the transpose of our BP4 δˡ (aˡ⁻¹)ᵀ.  Its BP2 reads δ⁽ˡ⁾ = g′(f⁽ˡ⁾) ∘ (W⁽ˡ⁺¹⁾ δ⁽ˡ⁺¹⁾)
  with no transpose written, because W⁽ˡ⁺¹⁾ = (wˡ⁺¹)ᵀ already.
"""

import numpy as np

from derivations import batched
from derivations.network import feedforward

__all__ = ["PUBLISHED_GRADIENTS", "PUBLISHED_LINEAR", "W_SOURCE", "X", "Y", "mse_loss",
           "source_gradients", "to_ours", "zero_biases"]

#: The source's weights, stored in × out: layers 1 and 2 are 2 × 2, the output 2 × 1.
W_SOURCE = [
    np.array([[0.2, 0.5], [0.2, 0.4]]),
    np.array([[0.5, 0.7], [0.6, 0.8]]),
    np.array([[0.9], [1.0]]),
]
X = np.array([[0.0], [1.0]])
Y = np.array([[1.0]])

names = dict(activation="relu", cost="quadratic", output_activation="relu")


def to_ours(W_in_out):
    """wˡ = (W⁽ˡ⁾)ᵀ: from in × out storage to our out × in."""
    return [W.T.copy() for W in W_in_out]


def zero_biases(weights):
    """bˡ = 0 for every layer: our network with the biases switched off."""
    return [np.zeros((w.shape[0], 1)) for w in weights]


def mse_loss(W_in_out, X, Y):
    """PyTorch's MSELoss of the no-bias ReLU network: mean over all entries of (a − y)²."""
    w = to_ours(W_in_out)
    _, a = feedforward(w, zero_biases(w), X, activation="relu", output_activation="relu")
    return float(np.mean((a[-1] - Y) ** 2))


def source_gradients(W_in_out, X, Y):
    """∂ MSELoss / ∂W⁽ˡ⁾ in the source's in × out layout, from our BP1–BP4.

    Our batched form differentiates C = (1/N) Σₛ ½‖aₛ − yₛ‖².  MSELoss is
    (1/(N n_L)) Σₛ ‖aₛ − yₛ‖² = (2/n_L) C, so each gradient is (2/n_L) times
    ours, transposed back to in × out.
    """
    w = to_ours(W_in_out)
    nabla_w, _ = batched.backprop(w, zero_biases(w), X, Y, **names)
    factor = 2.0 / Y.shape[0]
    return [factor * nw.T for nw in nabla_w]


#: The gradients the source prints from NumPy (5 significant decimals), in × out.
#: Used only to compare against, never to compute.
PUBLISHED_GRADIENTS = [
    [[0.0, 0.0], [-0.5382, -0.62712]],
    [[-0.08424, -0.0936], [-0.16848, -0.1872]],
    [[-0.15912], [-0.21528]],
]
#: The pre-activations f⁽¹⁾, f⁽²⁾, f⁽³⁾ the source prints.
PUBLISHED_LINEAR = [[0.2, 0.4], [0.34, 0.46], [0.766]]
