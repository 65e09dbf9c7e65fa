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
# # Coursera: the curve-drawing network
#
# An assignment in Coursera's *Mathematics for Machine Learning: Multivariate
# Calculus* trains a small sigmoid network to draw a curve: one input, the
# distance $x \in [0, 1]$ along the curve, and two outputs, the point's
# coordinates.  The hidden layers have 6 and 7 neurons, so the sizes are
# [1, 6, 7, 2].  The assignment asks for the six Jacobians
# $J_{W^{(3)}}, J_{b^{(3)}}, \dots, J_{b^{(1)}}$ of the cost.  This page writes each of them with our BP
# equations, makes the factor 2 and the $1/N$ explicit, and trains the network.
#
# A word on the letter: the assignment's Jacobian $J_\theta$ is the gradient of
# its *cost* with respect to the parameter $\theta$, shaped like $\theta$.  On our
# other pages $J$ is something else, the output layer's Jacobian
# $\partial a^L_j/\partial z^L_k$ ([Notation](../../notation/#symbols)).  On this
# page $J$ is always the assignment's.
#
# [Download this notebook (.ipynb)](coursera-curve.ipynb)
#
# ## The assignment's conventions, and ours
#
# Layers, shapes and names match ours one for one: $\mathbf{W}^{(n)}$ is out × in,
# $\mathbf{b}^{(n)}$ a column, $\mathbf{z}^{(n)} = \mathbf{W}^{(n)}\mathbf{a}^{(n-1)} + \mathbf{b}^{(n)}$,
# $\mathbf{a}^{(n)} = \sigma(\mathbf{z}^{(n)})$, and the training points are the
# columns of `x` (1 × N) and `y` (2 × N).  Two things differ:
#
# * **The cost has no ½.**  $C_{\text{src}} = \lVert \mathbf{a}^{(3)} - \mathbf{y}\rVert^2 / N$, summed over both
#   outputs and all N points, is twice our $C = \frac1N\sum_s \frac12\lVert a^L_s - y_s\rVert^2$,
#   with $s = 0, \dots, N-1$ numbering the points.
#   So each point's term $\lVert \mathbf{a}^{(3)}_s - \mathbf{y}_s\rVert^2$ has derivative $2(\mathbf{a}^{(3)}_s - \mathbf{y}_s)$, and every
#   Jacobian is twice our gradient.
# * **The $1/N$** is the assignment's division by `x.size` after summing over the
#   points; in our batched form it is the mean in BP3 and BP4.  It appears once.
#
# In our equations, with $\Delta^{(n)}$ the matrix of errors, one column per point:
#
# $$
# \begin{aligned}
# \Delta^{(3)} &= 2(\mathbf{a}^{(3)} - \mathbf{y}) \odot \sigma'(\mathbf{z}^{(3)}) && \text{BP1, with the factor 2}\\
# \Delta^{(2)} &= (\mathbf{W}^{(3)})^\top \Delta^{(3)} \odot \sigma'(\mathbf{z}^{(2)}), \quad
# \Delta^{(1)} = (\mathbf{W}^{(2)})^\top \Delta^{(2)} \odot \sigma'(\mathbf{z}^{(1)}) && \text{BP2}\\
# J_{\mathbf{b}^{(n)}} &= \tfrac1N \textstyle\sum_s \Delta^{(n)}_s && \text{BP3, the } 1/N\\
# J_{\mathbf{W}^{(n)}} &= \tfrac1N\, \Delta^{(n)} (\mathbf{a}^{(n-1)})^\top && \text{BP4, the } 1/N
# \end{aligned}
# $$
#
# with $\Delta^{(n)}_s$ its column $s$.  In its code the assignment also reuses
# the name `J` for the running product it carries backwards, the derivative of
# the cost with respect to a layer's activations; its line `J = (J.T @ W3).T`
# multiplies that product by $(\mathbf{W}^{(3)})^\top$, written with the examples
# as rows for one line: the same transpose as our BP2.

# %%
import numpy as np

from derivations import batched, gradcheck
from derivations.activations import sigmoid
from derivations.book.companions import coursera
from derivations.book.kernel import describe
from derivations.network import feedforward

rng = np.random.default_rng(4)
weights, biases = coursera.init_like_source(rng)
x, y = coursera.curve(100)
print("shapes:", [w.shape for w in weights], "| x", x.shape, "| y", y.shape)

# %% [markdown]
# ## The six Jacobians through BP1–BP4
#
# `coursera.jacobians` follows the equations above with the engine's batched
# `bp1`…`bp4`.  Each must equal twice our gradient of the mean quadratic cost,
# and central differences of the assignment's own cost:

# %%
J = coursera.jacobians(weights, biases, x, y)
nabla_w, nabla_b = batched.backprop(weights, biases, x, y)
ours_times_two = {f"J_W{n}": 2 * nabla_w[n - 1] for n in (1, 2, 3)}
ours_times_two.update({f"J_b{n}": 2 * nabla_b[n - 1] for n in (1, 2, 3)})


def C_src():
    return coursera.cost_source(weights, biases, x, y)


for name in ("J_W3", "J_b3", "J_W2", "J_b2", "J_W1", "J_b1"):
    n = int(name[-1])
    param = (weights if name[2] == "W" else biases)[n - 1]
    numerical = gradcheck.central_difference(C_src, param)
    print(f"{name} {str(J[name].shape):7s} vs 2 x ours: "
          f"{gradcheck.rel_error(J[name], ours_times_two[name]):.1e}   "
          f"vs central differences of C_src: {gradcheck.rel_error(J[name], numerical):.1e}")

# %% [markdown]
# Dropping the 2 would halve every Jacobian, and dividing by `x.size` a second
# time would shrink them by another factor $N$; both fail the same check (see
# "A factor of 2" and "1/N applied twice" on the site's Common mistakes page:
# [factor of 2](../../mistakes/#factor-two), [1/N twice](../../mistakes/#n-twice)).
#
# ## σ′ written with cosh
#
# The assignment writes $\sigma'(z) = \cosh(z/2)^{-2}/4$.  It is the familiar
# $\sigma(z)(1 - \sigma(z))$: with $\sigma(z) = 1/(1 + e^{-z})$,
#
# $$
# \sigma(z)\bigl(1 - \sigma(z)\bigr) = \frac{e^{-z}}{(1 + e^{-z})^2}
# = \frac{1}{(e^{z/2} + e^{-z/2})^2} = \frac{1}{4\cosh^2(z/2)} .
# $$
#
# Numerically, over $-10 \le z \le 10$.  (Far out in the tails each form has its
# own trouble: $1 - \sigma(z)$ loses its relative precision once $\sigma(z)$ is
# close to 1, and beyond $|z| \approx 1400$ the cosh overflows.)

# %%
z = np.linspace(-10.0, 10.0, 2001)
s = sigmoid(z)
gap = coursera.sigma_identity_gap(z)
rel = np.max(np.abs(coursera.d_sigma_cosh(z) - s * (1 - s)) / (s * (1 - s)))
print(f"largest absolute difference: {gap:.1e}; largest relative difference: {rel:.1e}")

# %% [markdown]
# ## Training by steepest descent
#
# Each iteration moves every parameter against its Jacobian,
# $\theta \leftarrow \theta - \eta J_\theta$, on the whole training set.  Since
# $J = 2\nabla C$, a step $\eta$ here is our gradient descent with learning rate
# $2\eta$.  The assignment uses a step size ("aggression") of 7 and tens of
# thousands of iterations with noise added; we run plain steepest descent with
# $\eta = 7$ for 4000 iterations, enough for the network to draw the curve.

# %%
y_before = feedforward(weights, biases, x)[1][-1]
w_fit, b_fit, costs = coursera.steepest_descent(weights, biases, x, y, iterations=4000, step=7.0,
                                                record_every=250)
y_after = feedforward(w_fit, b_fit, x)[1][-1]
print(f"C_src: {costs[0][1]:.4f} before, {costs[-1][1]:.5f} after {costs[-1][0]} iterations")

# %% tags=["hide-input"]
from IPython.display import HTML

from derivations.book.figures import to_img
from derivations.book.figures.notebooks import curve_figure

# The alt text, read from the curves.
cost_values = np.array([c for _, c in costs])
before_size = float(np.max(np.ptp(y_before, axis=1)))
loop_size = float(np.min(np.ptp(y, axis=1)))
dist_before = np.linalg.norm(y_before - y, axis=0)
dist_after = np.linalg.norm(y_after - y, axis=0)
assert before_size < loop_size / 10, "before training the curve is a short stroke"
assert dist_before.mean() > 10 * dist_after.mean(), "training brings it onto the points"
assert np.all(np.diff(cost_values) < 0), "the cost falls at every recorded iteration"
HTML(to_img(
    curve_figure(y, y_before, y_after, costs),
    alt=f"Left: the {y.shape[1]} training points of a closed loop in the plane, about "
        f"{loop_size:.1f} across, and the network's curve before training, a short stroke "
        f"at most {before_size:.3f} long, its points on average {dist_before.mean():.2f} "
        f"from their targets; after training the curve runs through the training points, "
        f"on average {dist_after.mean():.3f} and at most {dist_after.max():.3f} from them. "
        f"Right: the cost C_src on a log scale, falling at every recorded iteration of "
        f"steepest descent, from {cost_values[0]:.3f} to {cost_values[-1]:.1e}."))

# %% [markdown]
# ## Summary
#
# * The assignment's $J_{W^{(n)}}, J_{b^{(n)}}$ are BP4 and BP3 of our batched form,
#   times 2 for its cost without the ½, with the $1/N$ in the same place as ours.
# * $\cosh(z/2)^{-2}/4$ and $\sigma(1 - \sigma)$ are the same function.
# * Steepest descent with these Jacobians trains the 1-6-7-2 network to draw the curve.

# %%
print(describe())
