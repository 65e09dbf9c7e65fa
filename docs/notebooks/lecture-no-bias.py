# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Lecture: no biases, in × out weights, MSELoss
#
# A lecture notebook implements backpropagation for a three-layer network in
# NumPy and checks it against PyTorch's autograd.  Its conventions differ from
# ours in four places at once, which makes it a good exercise in translation.
# This page rebuilds its network with `derivations`, reproduces the gradients
# it prints, and cross-checks them against PyTorch when PyTorch is installed.
#
# [Download this notebook (.ipynb)](lecture-no-bias.ipynb)
#
# ## The source's conventions, and ours
#
# | | source | ours |
# |---|---|---|
# | weight matrix of layer $l$ | $W^{[l]}$, stored **in × out** | $w^l$, out × in: $w^l = (W^{[l]})^\top$ |
# | forward pass | $\mathbf{f}^{[l]} = (W^{[l]})^\top \mathbf{a}^{[l-1]}$, **no bias** | $z^l = w^l a^{l-1} + b^l$ |
# | activations | ReLU on **every** layer, the output too | any; here ReLU, output ReLU |
# | loss | `MSELoss`: mean of $(a - y)^2$ | $\frac12\lVert a - y\rVert^2$ per example, mean over a batch |
# | error recursion | $\delta^{[l]} = g'(\mathbf{f}^{[l]}) \circ (W^{[l+1]}\delta^{[l+1]})$ | BP2: $\delta^l = ((w^{l+1})^\top\delta^{l+1}) \odot \sigma'(z^l)$ |
# | weight gradient | $\mathbf{a}^{[l-1]}(\delta^{[l]})^\top$, in × out | BP4: $\delta^l (a^{l-1})^\top$, out × in |
#
# Three translations follow from the table.
#
# * **Layout.** Since $W^{[l+1]} = (w^{l+1})^\top$, the source's BP2 has the
#   transpose already inside the stored matrix, and its BP4 is ours transposed.
# * **No bias** is our network with every $b^l = 0$, held fixed.  A partial
#   derivative $\partial C/\partial w^l_{jk}$ moves one weight and holds every other
#   parameter fixed, the biases included; at $b = 0$ it therefore sees exactly the
#   no-bias network, and our weight gradients at $b = 0$ are the source's.  (The
#   errors $\delta^l$ and activations $a^l$ in BP4 do depend on $b$: they are
#   simply evaluated at $b = 0$.)
# * **Factor 2.** `MSELoss` averages $(a - y)^2$ over all $N n_L$ entries, which is
#   $\frac{2}{n_L}$ times our mean of $\frac12\lVert a - y\rVert^2$.  Here $N = n_L = 1$,
#   so the source's gradient is exactly twice ours: its BP1 reads
#   $\delta^{[L]} = 2(\hat y - y)\, g'(\mathbf{f}^{[L]})$.

# %%
import numpy as np

from derivations import gradcheck, vectorized
from derivations.book.companions import lecture
from derivations.book.companions.report import matches_printed
from derivations.book.kernel import describe

np.set_printoptions(precision=5, suppress=True)

# %% [markdown]
# ## Forward pass
#
# The source's weights, stored in × out, become ours by transposing; the input
# is $x = (0, 1)^\top$ and the target $y = 1$.

# %%
weights = lecture.to_ours(lecture.W_SOURCE)
biases = lecture.zero_biases(weights)
trace = vectorized.backprop_trace(weights, biases, lecture.X, lecture.Y, **lecture.names)
for l in (1, 2, 3):
    agree, _ = matches_printed(trace.z[l], lecture.PUBLISHED_LINEAR[l - 1], decimals=3)
    print(f"layer {l}: f = z^{l} = {trace.z[l].ravel()}, a = {trace.a[l].ravel()}"
          f"   (matches the source's print: {agree})")

# %% [markdown]
# ## The gradients, through our BP1–BP4
#
# `lecture.source_gradients` runs our backprop on the transposed weights with
# zero biases, multiplies by $2/n_L$ and transposes each $\partial C/\partial w^l$
# back to in × out:

# %%
grads = lecture.source_gradients(lecture.W_SOURCE, lecture.X, lecture.Y)
for l, (g, printed) in enumerate(zip(grads, lecture.PUBLISHED_GRADIENTS), start=1):
    agree, diff = matches_printed(g, printed, decimals=5)
    print(f"dLoss/dW[{l}] (in x out):\n{g + 0.0}\n"
          f"   agrees with the source's printed gradient: {agree} (largest difference {diff:.1e})")

# %% [markdown]
# The first row of $\partial\ell/\partial W^{[1]}$ is zero because the first input
# is 0: BP4 multiplies the error by the activation feeding the weight.
#
# Central differences of the source's own loss, `MSELoss` of the no-bias network,
# check the factor 2 and the transposes at once:

# %%
W = [w.copy() for w in lecture.W_SOURCE]
numerical = [gradcheck.central_difference(lambda: lecture.mse_loss(W, lecture.X, lecture.Y), w)
             for w in W]
err = gradcheck.rel_error(grads, numerical)
print(f"relative error against central differences of MSELoss: {err:.2e} "
      f"(bound {gradcheck.BOUND:g})")

# %% [markdown]
# ## Cross-check against PyTorch
#
# PyTorch's `nn.Linear(n_in, n_out, bias=False)` stores its weight **out × in**,
# like us, and computes $x W^\top$ for a row $x$.  So its `weight` is our $w^l$,
# and its `.grad` is our $\partial\ell/\partial w^l$; the source transposes both
# ways to print in × out.  PyTorch is an optional dependency of this project;
# without it this cell says so and moves on.

# %% tags=["needs-torch"]
try:
    import torch
except ImportError:
    torch = None
    print("PyTorch is not installed in this environment, so the autograd cross-check "
          "is skipped (install the project's 'torch' extra to run it).")

if torch is not None:
    layers = [torch.tensor(w, dtype=torch.float64, requires_grad=True) for w in weights]
    a = torch.tensor(lecture.X.T, dtype=torch.float64)          # one example as a row
    for w in layers:
        a = torch.relu(a @ w.T)
    loss = torch.nn.MSELoss()(a, torch.tensor(lecture.Y.T, dtype=torch.float64))
    loss.backward()
    torch_grads = [w.grad.numpy().T for w in layers]            # back to in x out
    print(f"PyTorch {torch.__version__}: relative difference from our gradients "
          f"{gradcheck.rel_error(grads, torch_grads):.1e}")

# %% [markdown]
# ## A slip in the source
#
# When the source compares the forward passes, its line for PyTorch's layer 3
# prints `f2` and `a2` again, so the printout shows layer 2's two values beside
# NumPy's single $f^{[3]}$.  The corrected line prints
# `f3.ravel()` and `a3.ravel()`.  The gradients it compares afterwards are
# unaffected.  (Its formula heading also names the gradient
# $\partial\hat y/\partial W^{[l]}$, while the code differentiates the loss.)
#
# ## Summary
#
# * In × out storage, no bias, ReLU output and `MSELoss` are four adapters around
#   the same BP1–BP4: transpose, zero biases, output $\sigma = $ ReLU, factor $2/n_L$.
# * With them, our engine reproduces the source's three gradient matrices.

# %%
print(describe())
