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
# # Circles: Nielsen's loop and the batch
#
# A tutorial notebook builds backpropagation up from a chain of single neurons
# on a 1-D step, through vectorized equations, to a sigmoid network of sizes
# [2, 3, 3, 1] trained on two concentric circles.  It trains the same network
# twice, with its own code and with Nielsen's per-example `backprop`, and checks
# that both end with the same weights.  This page rebuilds all of that with
# `derivations`, generates the data itself, and shows how the network's hidden
# layer rearranges the circles as it learns.
#
# [Download this notebook (.ipynb)](circles-nielsen.ipynb)
#
# **Conventions.** The source writes $w^l$ as (neurons in layer $l$) × (neurons in
# layer $l-1$), like Nielsen and like us, so $z^l = w^l a^{l-1} + b^l$ needs no
# transpose.  It keeps one example per *row* of its data matrix $X$ ($N \times d$)
# and feeds $X^\top$ to the first layer; we store examples as columns from the
# start.  Its per-example cost is $\frac12\lVert a - y\rVert^2$ (our quadratic
# cost), its $\delta$, BP1–BP4 and names are Nielsen's, and so ours.

# %%
import numpy as np

from derivations import batched, gradcheck, scalar
from derivations.book.companions import circles
from derivations.book.kernel import describe
from derivations.network import feedforward

rng = np.random.default_rng(2023)

# %% [markdown]
# ## The data, generated here
#
# The 1-D step: 1000 inputs evenly spaced on $[-5, 5]$, label $-1$ for $x \le 0$
# and $+1$ for $x > 0$.  The circles: 500 points on the unit circle (label 0)
# and 500 on a circle of radius 0.3 (label 1), each coordinate with Gaussian
# noise of standard deviation 0.1, not shuffled.  Each is stored as we store
# every batch, one example per column.

# %%
x_toy, y_toy = circles.toy_step(1000)
X, Y = circles.circles(1000, rng)
print("1-D step:", x_toy.shape, y_toy.shape, "  circles:", X.shape, Y.shape)

# %% tags=["hide-input"]
from IPython.display import HTML

from derivations.book.figures import to_img
from derivations.book.figures.notebooks import circles_data_figure, representation_animation

HTML(to_img(circles_data_figure(x_toy, y_toy, X, Y),
            alt="Left: the 1-D step data, label -1 for inputs up to 0 and +1 after. "
                "Right: the two-circles data, an outer ring of blue circles (label 0) around "
                "an inner ring of orange triangles (label 1)."))

# %% [markdown]
# ## The 1-D chain and a gradient check
#
# With one neuron per layer every quantity is a number, and BP1–BP4 are plain
# products: $\delta^L = (a^L - y)\,\sigma'(z^L)$, $\delta^l = w^{l+1}\delta^{l+1}\sigma'(z^l)$,
# $\partial C/\partial b^l = \delta^l$, $\partial C/\partial w^l = a^{l-1}\delta^l$.
# Our scalar form computes them for the first toy example; central differences
# of the cost check all six derivatives at once.

# %%
ws = list(rng.uniform(size=3))
bs = list(rng.uniform(size=3))
x0, y0 = float(x_toy[0, 0]), float(y_toy[0, 0])
g_w, g_b = scalar.backprop(ws, bs, x0, y0)

as_arrays = [np.array([[v]]) for v in ws], [np.array([[v]]) for v in bs]
num_w, num_b = gradcheck.numerical_param_grads(*as_arrays, np.array([[x0]]), np.array([[y0]]))
err = gradcheck.rel_error(g_w + g_b, num_w + num_b)
print(f"input {x0}, label {y0}: dC/dw = {np.round(g_w, 6)}, dC/db = {np.round(g_b, 6)}")
print(f"relative error against central differences: {err:.2e} (bound {gradcheck.BOUND:g})")

# %% [markdown]
# ## Nielsen's loop and the batched form, from the same start
#
# The source's training run: mini-batches of 50 consecutive examples, 10 epochs,
# $\eta = 0.01$, no shuffling, initial weights uniform on $[0, 1)$ except the output
# layer's, which are standard normal.  Nielsen's `update_mini_batch` runs `backprop`
# once per example, sums the gradients and steps by $\eta/m$ times the sum; his
# $m$, the number of examples in the mini-batch, is our $N$.  Our batched form
# computes the *mean* over the batch's $N$ columns in one pass (the $1/N$ sits
# in BP3 and BP4), so its step is $\eta$ times the gradient.  The two
# are the same arithmetic in a different order:

# %%
w0, b0 = circles.init_like_source(rng)
run = dict(epochs=10, batch_size=50, eta=0.01)
w_batch, b_batch = circles.train_batched(w0, b0, X, Y, **run)
w_loop, b_loop = circles.train_per_example(w0, b0, X, Y, **run)

pairs = list(zip(w_batch + b_batch, w_loop + b_loop))
largest = max(float(np.max(np.abs(p - q))) for p, q in pairs)
print("allclose (rtol 1e-12, atol 1e-15):",
      all(np.allclose(p, q, rtol=1e-12, atol=1e-15) for p, q in pairs))
print(f"largest difference in any weight or bias: {largest:.1e}")
print("np.array_equal on every array:", all(np.array_equal(p, q) for p, q in pairs))

# %% [markdown]
# The weights agree to the last bit or two, and that is all one should ask.
# The loop adds 50 outer products one by one; the batched BP4 adds them inside
# one matrix product, in whatever order the linear-algebra library chooses.
# Floating-point addition is not associative, so the two may differ in the last
# place.  Compare with a tolerance (`np.allclose`, or our relative error), never
# with `==` or `np.array_equal`: exact equality can fail for correct code, and
# passes here or there only by luck of the summation order.  (The source's own
# comparisons show both sides of this: its two training runs come out
# `np.array_equal`, while its check that a bias folded into the weight matrix
# gives the same outputs prints `False` for two networks that agree to rounding.)
#
# ## A gradient check on a mini-batch
#
# The batched gradient of the mean cost over one batch, against central differences:

# %%
cols = slice(0, 50)
nabla_w, nabla_b = batched.backprop(w0, b0, X[:, cols], Y[:, cols])
num_w, num_b = gradcheck.numerical_param_grads(w0, b0, X[:, cols], Y[:, cols])
err = gradcheck.rel_error(nabla_w + nabla_b, num_w + num_b)
print(f"relative error: {err:.2e}; within the bound {gradcheck.BOUND:g}: "
      f"{err <= gradcheck.BOUND}")

# %% [markdown]
# ## How the hidden layer rearranges the circles
#
# Ten epochs at $\eta = 0.01$ barely move the weights.  To watch the network
# learn, we train the same initial network with the batched form for 200 epochs
# at $\eta = 4$, shuffling the examples every epoch, and record the second hidden
# layer's three activations $a^2 = (a^2_0, a^2_1, a^2_2)$ for every point every
# ten epochs.  Each point of the data is a point of the unit cube.  The output
# neuron sees nothing but $a^2$ and draws one plane through the cube
# ($w^3 a^2 + b^3 = 0$), so the classes are separable exactly when the hidden
# layers have pulled the inner and outer circles to opposite sides of a plane.

# %%
frames, w_trained, b_trained = circles.snapshots(
    w0, b0, X, Y, epochs=200, batch_size=50, eta=4.0, rng=np.random.default_rng(7), every=10)
_, a = feedforward(w_trained, b_trained, X)
accuracy = float(np.mean((a[-1] > 0.5) == (Y > 0.5)))
print(f"mean cost: {frames[0][2]:.4f} before training, {frames[-1][2]:.4f} after 200 epochs")
print(f"training accuracy after 200 epochs: {accuracy:.1%}")

# %% tags=["hide-input"]
# The alt text, read from the frames.  A network that answers 0.5 for every point
# has mean cost 1/8 on these balanced 0/1 labels: the plateau of the first epochs.
epochs = np.array([e for e, _, _ in frames])
costs = np.array([c for _, _, c in frames])
inner = Y[0] == 1
gap = np.array([np.linalg.norm(A[:, inner].mean(axis=1) - A[:, ~inner].mean(axis=1))
                for _, A, _ in frames])
on_plateau = np.abs(costs[1:] - 1 / 8) < 0.005
plateau_end = int(epochs[1:][on_plateau].max())
misclassified = int(round((1 - accuracy) * X.shape[1]))
assert np.all(on_plateau[: int(np.sum(on_plateau))]), "one plateau, at the start"
assert plateau_end >= epochs[-1] / 2, "the plateau lasts most of training"
assert np.all(gap[epochs <= plateau_end] < 0.05), "one cluster while on the plateau"
assert gap[-1] > 10 * gap[epochs <= plateau_end].max(), "then the classes pull apart"
HTML(representation_animation(
    frames, Y,
    alt=f"Animation, {len(frames)} frames: the second hidden layer's activations for all "
        f"{X.shape[1]} points as a 3-D scatter in the unit cube, every ten epochs of "
        f"training. For the first {plateau_end} of {epochs[-1]} epochs all points sit in "
        f"one small cluster, the centres of the two classes at most "
        f"{gap[epochs <= plateau_end].max():.3f} apart, and from epoch {epochs[1]} on the "
        f"mean cost stays near 0.125, the cost of answering 0.5 for every point. Then "
        f"the cluster pulls apart: the "
        f"inner circle's points (orange triangles) move to one end and the outer circle's "
        f"(blue circles) to the other, {gap[-1]:.2f} apart at epoch {epochs[-1]}, where one "
        f"plane separates all but {misclassified} of the points."))

# %% [markdown]
# ## Two slips in the source, stated plainly
#
# * In its index-form derivation the source writes $\partial a^L_j/\partial z^L_j$
#   as $\sigma(z^L_j)(1 - z^L_j)$.  The derivative is $\sigma(z)(1 - \sigma(z))$;
#   its code (`sigmoid(z)*(1-sigmoid(z))`) has it right.
# * It checks the bias-in-the-weights network against the original with
#   `np.equal(output_new, output_old).all()` and gets `False`: two algebraically equal
#   networks whose outputs differ by rounding.  The corrected line is
#   `np.allclose(output_new, output_old)`.
#
# ## Summary
#
# * Nielsen's per-example loop and our batched form end with the same weights up
#   to rounding; compare them with a tolerance, not with `==`.
# * The batched gradient passes the central-difference check.
# * During training the hidden layer carries the two circles to opposite sides
#   of a plane, which is what the output neuron needs; for most of the 200 epochs
#   it sits on a plateau first, answering about 0.5 for every point.

# %%
print(describe())
