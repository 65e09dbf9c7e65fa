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
# # nnfs chapter 9: examples as rows
#
# Chapter 9 of *Neural Networks from Scratch* (Kinsley and Kukieła) builds
# backpropagation from one ReLU neuron up to a dense layer, ReLU, softmax and
# categorical cross-entropy, all with one example per **row**.  This page
# rebuilds each step with our row-major form and reproduces the numbers the
# chapter's notebook prints.
#
# [Download this notebook (.ipynb)](nnfs-chapter9.ipynb)
#
# ## The book's conventions, and ours
#
# A tilde marks an array in the row layout, one example per row:
# $\tilde A^l = (A^l)^\top$, $\tilde Z^l$, $\tilde\Delta^l$, each $N \times n_l$ (see
# [Mini-batches](../../mini-batches/#examples-as-rows)).
#
# | | nnfs | ours (`rowmajor`) |
# |---|---|---|
# | data | one example per row: `inputs` is $N \times n_{l-1}$ | the same: $\tilde A^{l-1}$, $N \times n_{l-1}$ |
# | weights | `weights`, **in × out**, $n_{l-1} \times n_l$ | $w^l$, out × in: `weights` $= (w^l)^\top$ |
# | biases | a row, $1 \times n_l$ | a column $b^l$: `biases` $= (b^l)^\top$ |
# | forward | `inputs @ weights + biases` | $\tilde Z^l = \tilde A^{l-1}(w^l)^\top + \mathbf 1 (b^l)^\top$ |
# | incoming gradient | `dvalues` $= \partial C_{\text{sum}}/\partial(\text{layer output})$ | $\partial C_{\text{sum}}/\partial \tilde A^l$, which $\odot\,\sigma'(\tilde Z^l)$ turns into $\tilde\Delta^l$ |
# | `dweights` | `inputs.T @ dvalues`, summed over rows | BP4: $\frac1N (\tilde\Delta^l)^\top \tilde A^{l-1}$, transposed, times $N$ |
# | `dbiases` | `dvalues.sum(axis=0)` | BP3: mean of the rows of $\tilde\Delta^l$, times $N$ |
# | `dinputs` | `dvalues @ weights.T` | BP2 before $\odot\,\sigma'$: $\tilde\Delta^l w^l$ |
# | ReLU′(0) | 0 in the `Activation_ReLU` class (`inputs <= 0`) | 0 |
#
# The book's layers **sum** over the examples.  The table takes `dvalues` to be
# the gradient of the summed cost $C_{\text{sum}} = \sum_s C_s$ (see
# [Mini-batches](../../mini-batches/#averaged-or-summed-where-1n-enters)), as in
# this chapter's stand-alone cells, whose `dvalues` are given by hand; then the
# book's sums are $N$ times our means, and to print them we multiply by $N$.
# Chained from the mean loss, the loss's own backward divides by $N$
# (`dinputs / samples`), every row of the table carries that $1/N$, and
# `dweights` and `dbiases` are our BP4 (transposed) and BP3 exactly.  Either way
# the $1/N$ appears exactly once.

# %%
import numpy as np

from derivations import gradcheck, rowmajor
from derivations.activations import softmax, softmax_jacobian
from derivations.book.companions import nnfs
from derivations.book.companions.report import matches_printed
from derivations.book.kernel import describe

np.set_printoptions(precision=4, suppress=True)

# %% [markdown]
# ## One neuron
#
# Inputs $x = (1, -2, 3)$, weights $w = (-3, -1, 2)$, bias $b = 1$, and a ReLU.
# The chapter backpropagates the neuron's *output itself* (as if minimizing it),
# so the incoming gradient is 1.  In our terms that is BP1 with
# $\partial C/\partial a = 1$; then BP3 gives $\partial a/\partial b$, BP4
# $\partial a/\partial w_k = x_k\,\delta$, and BP2 (without its $\sigma'$)
# $\partial a/\partial x_k = w_k\,\delta$:

# %%
n = nnfs.single_neuron([1.0, -2.0, 3.0], [-3.0, -1.0, 2.0], 1.0)
print(f"z = {n['z']}, ReLU output = {n['a']}")
print(f"d relu/dz = {n['dz']}  (the neuron is active, so ReLU' = 1)")
print(f"d relu/db = {n['db']}")
print(f"d relu/dw = {n['dw']}  (= x times delta)")
print(f"d relu/dx = {n['dx']}  (= w times delta)")

# %% [markdown]
# ## The dense layer
#
# Three examples of four inputs, a layer of three neurons, and incoming
# gradients `dvalues` whose rows are 1, 2 and 3.  `nnfs.dense_backward` computes
# the book's three arrays from our row-major BP2–BP4:

# %%
dinputs, dweights, dbiases = nnfs.dense_backward(nnfs.DENSE_INPUTS, nnfs.DENSE_WEIGHTS,
                                                 nnfs.DENSE_DVALUES)
for name, ours, printed in [("dinputs", dinputs, nnfs.PUBLISHED_DINPUTS),
                            ("dweights", dweights, nnfs.PUBLISHED_DWEIGHTS),
                            ("dbiases", dbiases, nnfs.PUBLISHED_DBIASES)]:
    agree, _ = matches_printed(ours, printed, decimals=2)
    print(f"{name}:\n{ours}\n   matches the chapter's print: {agree}")
print("every row of dvalues constant:", bool(np.all(nnfs.DENSE_DVALUES == nnfs.DENSE_DVALUES[:, :1])))
print("the columns of dweights all equal:", bool(np.all(dweights == dweights[:, :1])))

# %% [markdown]
# `dweights` is a sum over the three examples of one outer product each,
# $\sum_s a^{l-1}_s (\delta^l_s)^\top$ in the book's in × out layout, with $s$
# numbering the examples; the chapter adds the three outer products by hand to
# show it.  In our notation this is BP4 summed over the batch.  Its three
# columns are equal because every row of `dvalues` is constant: within each
# example, every neuron of the layer receives the same incoming gradient, so
# every neuron's column $\sum_s a^{l-1}_s \delta^l_{js}$ is the same sum.
#
# ## Dense layer and ReLU, one step of size 0.001
#
# The chapter's last dense-layer cell runs the layer forward with its biases,
# applies ReLU, backpropagates an incoming gradient of 1 through the ReLU (so
# the layer's error is the ReLU mask, BP1 with $\partial C/\partial a = 1$), and
# takes one step with learning rate 0.001:

# %%
new_weights, new_biases = nnfs.dense_relu_step(nnfs.DENSE_INPUTS, nnfs.DENSE_WEIGHTS,
                                               nnfs.DENSE_BIASES, lr=0.001)
print("updated weights (in x out):\n", new_weights)
print("updated biases:", new_biases)
print("match the chapter's print:",
      matches_printed(new_weights, nnfs.PUBLISHED_UPDATED_WEIGHTS, decimals=4)[0],
      matches_printed(new_biases, nnfs.PUBLISHED_UPDATED_BIASES, decimals=3)[0])

# %% [markdown]
# ## ReLU's backward pass is the ⊙ σ′ of BP1 and BP2
#
# The incoming gradient times ReLU′ of the layer's input, elementwise: the mask is
# ReLU′(z), 1 where $z > 0$ and 0 elsewhere.

# %%
mask, product = nnfs.relu_backward(nnfs.RELU_Z, nnfs.RELU_DVALUES)
print("ReLU'(z):\n", mask)
print("dvalues * ReLU'(z):\n", product)
print("match the chapter's print:",
      matches_printed(mask, nnfs.PUBLISHED_RELU_MASK, decimals=0)[0],
      matches_printed(product, nnfs.PUBLISHED_RELU_PRODUCT, decimals=0)[0])

# %% [markdown]
# The chapter shows two versions of this mask: its `Activation_ReLU` zeroes the
# gradient where `inputs <= 0` (ReLU′(0) = 0, as we do), while one exploratory
# cell zeroes it only where `z < 0` (ReLU′(0) = 1).  They differ only at inputs
# exactly 0, and the example has none:

# %%
print("any z exactly 0:", bool(np.any(nnfs.RELU_Z == 0)))

# %% [markdown]
# ## Softmax: a full Jacobian instead of ⊙ σ′
#
# Softmax mixes its inputs: output $j$ depends on every $z_k$, with
# $\partial a_j/\partial z_k = a_j([j = k] - a_k)$, with $[j = k]$ equal to 1 when
# $j = k$ and 0 otherwise.  BP1's elementwise
# $\nabla_a C \odot \sigma'(z^L)$ becomes a matrix–vector product
# $J^\top \nabla_a C$ with $J = \mathrm{diag}(a) - a a^\top$, one Jacobian per
# example (row).  For one example:

# %%
z = np.array([[0.7, 0.1, 0.2]]).T
print("softmax(z) =", softmax(z).ravel())
print("Jacobian diag(a) - a a^T:\n", softmax_jacobian(z))
print("symmetric:", np.allclose(softmax_jacobian(z), softmax_jacobian(z).T),
      "| rows sum to 0:", np.allclose(softmax_jacobian(z).sum(axis=1), 0.0))

# %% [markdown]
# ## Categorical cross-entropy, chained and combined
#
# The loss's backward gives $\partial C/\partial \hat y = -y/\hat y$ per example,
# divided by $N$ for the mean; softmax's backward multiplies each row by its
# Jacobian.  The chapter's shortcut does both at once: $(\hat y - y)/N$.  On a
# batch of logits with one-hot labels:

# %%
rng = np.random.default_rng(9)
Z = rng.standard_normal((5, 3))
labels = np.array([0, 2, 1, 1, 0])
Y = np.eye(3)[labels]
chained = nnfs.softmax_ce_chained(Z, Y)
combined = nnfs.softmax_ce_combined(Z, Y)
print("combined (y_hat - y)/N:\n", combined)
print(f"relative difference, chained vs combined: {gradcheck.rel_error(chained, combined):.1e}")

# %% [markdown]
# The combined form is also exactly our engine's BP1 for a softmax output with
# categorical cross-entropy, $\delta^L = \hat y - y$ per example, with the batch
# mean applied in BP3 and BP4.  Exactly, because every row of `Y` is one-hot and
# so adds up to 1; for targets that do not, the engine's BP1 is
# $\hat y \sum_k y_k - y$
# ([Softmax](../../softmax/#softmax-with-categorical-cross-entropy)).
# A one-layer network whose weighted input is
# $Z$ (identity weights, zero biases, input $Z$ itself) shows it:

# %%
trace = rowmajor.backprop_trace([np.eye(3)], [np.zeros((3, 1))], Z, Y,
                                cost="categorical_cross_entropy", output_activation="softmax")
print("engine's delta^L / N equals the combined gradient:",
      np.allclose(trace.delta[1] / Z.shape[0], combined, rtol=1e-12, atol=1e-15))
num = gradcheck.numerical_param_grads([np.eye(3)], [np.zeros((3, 1))], Z.T, Y.T,
                                      cost="categorical_cross_entropy",
                                      output_activation="softmax")
nabla_b = rowmajor.bp3(trace.delta[1])
print(f"and its bias gradient passes central differences: rel. error "
      f"{gradcheck.rel_error(nabla_b, num[1]):.1e}")

# %% [markdown]
# ## Slips in the chapter's notebook, stated plainly
#
# * In its second `Layer_Dense.backward`, the line
#   `self.biases = np.sum(dvalues, axis=0, keepdims=True)` overwrites the biases
#   with their gradient.  Corrected: `self.dbiases = np.sum(dvalues, axis=0, keepdims=True)`.
# * Its first `Layer_Dense` stores `self.inputs = inputs` in `__init__`, where
#   `inputs` is the number of inputs, and `forward` never stores the batch, so
#   `backward` would multiply by a count.  Corrected: `self.inputs = inputs` as
#   the first line of `forward`.
# * In its second `Activation_Softmax.backward`, the line
#   `self.dinputs[index] = np.dot(jacobian_matrix, single_dvalues)` is indented
#   outside the loop, so only the last example's gradient is written (the rest of
#   `np.empty_like` stays uninitialized).  Corrected: indent it into the `for`
#   loop, as in the class above it.
#
# ## Summary
#
# * The book's `dweights`, `dbiases`, `dinputs` are our row-major BP4, BP3 and
#   BP2 (before its σ′) in the in × out layout, summed instead of averaged.
# * ReLU's backward is the ⊙ σ′ of BP1/BP2; softmax replaces it by a Jacobian.
# * With cross-entropy the chain collapses to $(\hat y - y)/N$: our BP1,
#   $\delta^L = \hat y - y$ for each example, with the mean's $1/N$ that our BP3
#   and BP4 apply.

# %%
print(describe())
