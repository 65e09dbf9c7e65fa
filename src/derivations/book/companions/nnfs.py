"""Neural Networks from Scratch, chapter 9, rebuilt with the row-major form.

The book keeps one example per row, like our ``rowmajor`` form, but stores a
dense layer's weights in × out, (n_{l-1}, n_l), and its biases as a row
(1, n_l).  So W_nnfs = (wˡ)ᵀ and b_nnfs = (bˡ)ᵀ.  Its backward passes receive
``dvalues`` = ∂C/∂(layer output), one row per example, and return

* ``dweights`` = Xᵀ dvalues, in × out: N times our row-major BP4, transposed
  (the book sums over examples; its loss divides by N before this step);
* ``dbiases``  = Σ over rows of dvalues: N times our BP3, as a row;
* ``dinputs``  = dvalues W_nnfsᵀ = Δ wˡ: the first half of our row-major BP2,
  before the ⊙ σ′(zˡ⁻¹) that the previous activation's backward applies.
"""

import numpy as np

from derivations import rowmajor
from derivations.activations import relu_prime, softmax, softmax_jacobian

__all__ = ["DENSE_BIASES", "DENSE_DVALUES", "DENSE_INPUTS", "DENSE_WEIGHTS",
           "PUBLISHED_DBIASES", "PUBLISHED_DINPUTS", "PUBLISHED_DWEIGHTS", "PUBLISHED_RELU_MASK",
           "PUBLISHED_RELU_PRODUCT", "PUBLISHED_UPDATED_BIASES", "PUBLISHED_UPDATED_WEIGHTS",
           "RELU_DVALUES",
           "RELU_Z", "dense_backward", "dense_relu_step", "relu_backward", "single_neuron",
           "softmax_ce_chained", "softmax_ce_combined"]

#: The dense layer of the chapter: 3 examples (rows), 4 inputs, 3 neurons.
DENSE_INPUTS = np.array([[1.0, 2.0, 3.0, 2.5],
                         [2.0, 5.0, -1.0, 2.0],
                         [-1.5, 2.7, 3.3, -0.8]])
#: Our out × in weights wˡ (3, 4); the book stores their transpose.
DENSE_WEIGHTS = np.array([[0.2, 0.8, -0.5, 1.0],
                          [0.5, -0.91, 0.26, -0.5],
                          [-0.26, -0.27, 0.17, 0.87]])
DENSE_BIASES = np.array([[2.0], [3.0], [0.5]])
DENSE_DVALUES = np.array([[1.0, 1.0, 1.0], [2.0, 2.0, 2.0], [3.0, 3.0, 3.0]])

#: The ReLU example: weighted inputs z and incoming gradients, one example per row.
RELU_Z = np.array([[1.0, 2.0, -3.0, -4.0], [2.0, -7.0, -1.0, 3.0], [-1.0, 2.0, 5.0, -1.0]])
RELU_DVALUES = np.arange(1.0, 13.0).reshape(3, 4)


def single_neuron(x, w, b, dvalue=1.0):
    """One ReLU neuron a = max(z, 0), z = Σₖ wₖxₖ + b, and the gradient of a itself.

    δ = dvalue · ReLU′(z) (BP1 with ∂C/∂a = dvalue); ∂a/∂b = δ (BP3);
    ∂a/∂wₖ = xₖ δ (BP4); ∂a/∂xₖ = wₖ δ (BP2 before its σ′).
    """
    x = np.asarray(x, dtype=float)[None, :]          # one example, one row
    w = np.asarray(w, dtype=float)[None, :]          # one neuron: wˡ is (1, n)
    z = x @ w.T + b
    delta = rowmajor.bp1(np.full_like(z, dvalue), relu_prime(z))
    return {
        "z": float(z[0, 0]),
        "a": float(np.maximum(z, 0.0)[0, 0]),
        "dz": float(delta[0, 0]),
        "db": float(rowmajor.bp3(delta)[0, 0]),
        "dw": rowmajor.bp4(x, delta)[0],
        "dx": rowmajor.bp2(w, delta, np.ones_like(x))[0],
    }


def dense_backward(inputs, w, dvalues):
    """The book's dense backward pass from our row-major BP2–BP4.

    Returns (dinputs, dweights, dbiases) in the book's layouts: dweights in × out
    and dbiases a row.  N undoes the mean in our BP3/BP4, because the book sums.
    """
    N = inputs.shape[0]
    dinputs = rowmajor.bp2(w, dvalues, np.ones_like(inputs))   # Δ wˡ, no σ′ yet
    dweights = N * rowmajor.bp4(inputs, dvalues).T             # (Δᵀ A)ᵀ = Aᵀ Δ
    dbiases = N * rowmajor.bp3(dvalues).T                      # Σ of the rows
    return dinputs, dweights, dbiases


def relu_backward(z, dvalues):
    """dvalues ⊙ ReLU′(z): the ⊙ σ′ of BP1/BP2, with ReLU′(0) = 0.  Returns (mask, product)."""
    mask = relu_prime(z)
    return mask, dvalues * mask


def dense_relu_step(inputs, w, b, lr=0.001):
    """The chapter's dense layer + ReLU: forward, backward with dvalues = 1, one step.

    The ReLU's incoming gradient is 1 everywhere, so the layer's δ is the
    ReLU mask itself.  Returns the updated weights in × out and biases as a row.
    """
    z = inputs @ w.T + b.T
    delta = rowmajor.bp1(np.ones_like(z), relu_prime(z))
    _, dweights, dbiases = dense_backward(inputs, w, delta)
    return w.T - lr * dweights, b.T - lr * dbiases


def softmax_ce_chained(z, y_onehot):
    """∂C/∂z for C = mean over rows of −Σ y ln softmax(z), by the chain rule.

    Categorical cross-entropy's backward gives ∂C/∂a = −y/a / N; each row is
    then multiplied by the softmax Jacobian J = diag(a) − a aᵀ (BP1 with a
    full Jacobian instead of ⊙ σ′).
    """
    a = softmax(z, axis=1)
    N = z.shape[0]
    dA = -y_onehot / a / N
    return np.vstack([softmax_jacobian(z[i][:, None]) @ dA[i][:, None] for i in range(N)]
                     ).reshape(z.shape)


def softmax_ce_combined(z, y_onehot):
    """The shortcut: ∂C/∂z = (ŷ − y)/N with ŷ = softmax(z)."""
    return (softmax(z, axis=1) - y_onehot) / z.shape[0]


# Values as the chapter's notebook prints them; used only to compare against.
PUBLISHED_DINPUTS = [[0.44, -0.38, -0.07, 1.37], [0.88, -0.76, -0.14, 2.74],
                     [1.32, -1.14, -0.21, 4.11]]
PUBLISHED_DWEIGHTS = [[0.5, 0.5, 0.5], [20.1, 20.1, 20.1], [10.9, 10.9, 10.9], [4.1, 4.1, 4.1]]
PUBLISHED_DBIASES = [[6.0, 6.0, 6.0]]
PUBLISHED_UPDATED_WEIGHTS = [[0.1985, 0.5005, -0.2615], [0.7903, -0.9147, -0.2797],
                             [-0.5053, 0.2537, 0.1647], [0.9963, -0.5017, 0.8663]]
PUBLISHED_UPDATED_BIASES = [[1.997, 2.998, 0.497]]
PUBLISHED_RELU_MASK = [[1, 1, 0, 0], [1, 0, 0, 1], [0, 1, 1, 0]]
PUBLISHED_RELU_PRODUCT = [[1, 2, 0, 0], [5, 0, 0, 8], [0, 10, 11, 0]]
