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
# # UDL: backpropagation in a deep ReLU network
#
# *Understanding Deep Learning* (Simon Prince) has a notebook for its Section 7.4
# that runs backpropagation by hand on a deep network of ReLU units.  This page
# rebuilds that network with `derivations`, reproduces every number the notebook
# prints, and lines its notation up with ours.
#
# [Download this notebook (.ipynb)](udl-deep-relu.ipynb)
#
# The source network: an input of size 1, $K = 5$ hidden layers of $D = 6$ ReLU
# units, a linear output of size 1, every weight and bias drawn from $N(0, 1)$
# after `np.random.seed(44)`.  The input is 1.2, the target 30, and the loss is
# least squares, $\ell = \frac12 (f - y)^2$.

# %%
import numpy as np

from derivations import gradcheck, vectorized
from derivations.book.companions import udl
from derivations.book.companions.report import matches_printed
from derivations.book.kernel import describe

np.set_printoptions(precision=3, suppress=True)

# %% [markdown]
# ## The network, drawn in the source's order
#
# A seed fixes a stream of random numbers, not a network: the same seed gives
# the same parameters only if they are drawn in the same order and shapes.  The
# source draws the first weight matrix, then the last, then the first and last
# biases, and only then the middle layers.  `udl.build` follows that order, with
# its own `RandomState(44)` so that numpy's global generator is left alone.

# %%
weights, biases = udl.build()
x = np.array([[udl.INPUT]])
y = np.array([[udl.TARGET]])
print("weight shapes:", [w.shape for w in weights])
print("bias shapes:  ", [b.shape for b in biases])

# %% [markdown]
# ## Their names and ours
#
# UDL counts layers from 0 at the first weight matrix; we count from 0 at the
# input.  So UDL's index $k$ is our $k + 1$.  In this notebook $k$ is always
# UDL's layer index, as in $\boldsymbol\Omega_k$, never the sending neuron of
# our $w^l_{jk}$:
#
# | UDL | meaning | ours | in code |
# |---|---|---|---|
# | $\mathbf{h}_0 = \mathbf{x}$ | input | $a^0 = x$ | `x` |
# | $\boldsymbol\Omega_k$, $\boldsymbol\beta_k$ | weights, biases into the next layer | $w^{k+1}$, $b^{k+1}$ | `weights[k]`, `biases[k]` |
# | $\mathbf{f}_k = \boldsymbol\beta_k + \boldsymbol\Omega_k \mathbf{h}_k$ | pre-activation | $z^{k+1}$ | `trace.z[k + 1]` |
# | $\mathbf{h}_{k+1} = \mathrm{ReLU}(\mathbf{f}_k)$ | activation | $a^{k+1}$ | `trace.a[k + 1]` |
# | $\partial \ell / \partial \mathbf{f}_k$ | error | $\delta^{k+1}$ | `trace.delta[k + 1]` |
# | $\ell = \frac12 (f_K - y)^2$ | loss | $C = \frac12 \lVert a^L - y\rVert^2$ | `cost="quadratic"` |
#
# Both store $\boldsymbol\Omega_k$ as out × in and keep one example as a column,
# so no transposes are needed: `weights[k]` *is* $\boldsymbol\Omega_k$.  The
# output $f_K = z^L$ has no ReLU, which is our `output_activation="identity"`.

# %%
trace = vectorized.backprop_trace(weights, biases, x, y, **udl.names)
output = trace.a[-1][0, 0]
loss = 0.5 * (output - udl.TARGET) ** 2
print(f"network output f_K = a^L = {output:.3f}   (source prints {udl.PUBLISHED_OUTPUT})")
print(f"loss = {loss:.8f}              (source prints {udl.PUBLISHED_LOSS})")

# %% [markdown]
# ## The backward pass is BP1–BP4
#
# The source's backward loop, line by line, in our equations:
#
# * $\partial\ell/\partial \mathbf{f}_K = f_K - y$ is **BP1**,
#   $\delta^L = \nabla_a C \odot \sigma'(z^L)$, with $\sigma$ the identity, so $\sigma' = 1$.
# * $\partial\ell/\partial\boldsymbol\beta_k = \partial\ell/\partial\mathbf{f}_k$ is **BP3**, $\partial C/\partial b^l = \delta^l$.
# * $\partial\ell/\partial\boldsymbol\Omega_k = (\partial\ell/\partial\mathbf{f}_k)\,\mathbf{h}_k^\top$ is **BP4**, $\partial C/\partial w^l = \delta^l (a^{l-1})^\top$.
# * $\partial\ell/\partial\mathbf{f}_{k-1} = \mathbb{I}[\mathbf{f}_{k-1} \ge 0] \odot \boldsymbol\Omega_k^\top\, \partial\ell/\partial\mathbf{f}_k$
#   is **BP2**, $\delta^l = ((w^{l+1})^\top \delta^{l+1}) \odot \sigma'(z^l)$, with ReLU′ as the indicator.
#
# The bias gradients, in UDL's numbering $k = 0, \dots, K$:

# %%
for k in range(udl.K + 1):
    print(f"dl/dbeta_{k} =", trace.nabla_b[k + 1].ravel() + 0.0)   # + 0.0 turns -0. into 0.

# %% [markdown]
# The source prints $\partial\ell/\partial\boldsymbol\beta_k$ for $k = 0, 1, 2$ in full
# and for $k = 3$ before its printout stops.  Ours agree to the three decimals it shows:

# %%
for k, printed in udl.PUBLISHED_BIAS_GRADIENTS.items():
    agree, diff = matches_printed(trace.nabla_b[k + 1], printed, decimals=3)
    print(f"beta_{k}: agrees with the printed values: {agree}  (largest difference {diff:.1e})")

# %% [markdown]
# And the weight gradients $\partial\ell/\partial\boldsymbol\Omega_k = \delta^{k+1}(a^{k})^\top$,
# each the shape of its $\boldsymbol\Omega_k$:

# %%
for k in range(udl.K + 1):
    print(f"dl/dOmega_{k}  shape {trace.nabla_w[k + 1].shape}")
    print(trace.nabla_w[k + 1] + 0.0)

# %% [markdown]
# ### ReLU′ at 0
#
# ReLU has no derivative at 0, so code must pick a value.  The source's
# `indicator_function` sets 1 where $f \ge 0$; we set ReLU′(0) = 0, as PyTorch
# does.  The two differ only where a pre-activation is exactly 0.  None is
# here, so the choice cannot show; swapping the source's indicator into BP2
# gives the same gradients:

# %%
print("smallest |z| over all ReLU units:",
      gradcheck.kink_distance(weights, biases, x, activation="relu", output_activation="identity"))
L = len(weights)
delta = trace.delta[L]
same = True
for l in range(L - 1, 0, -1):
    delta = vectorized.bp2(weights[l], delta, udl.indicator(trace.z[l]))
    same &= np.array_equal(delta, trace.delta[l])
print("UDL's indicator in BP2 gives the same errors:", same)

# %% [markdown]
# ## The source's finite-difference check, and ours
#
# The source checks its derivatives with **forward** differences,
# $(\ell(\theta + \varepsilon) - \ell(\theta))/\varepsilon$ with $\varepsilon = 10^{-6}$,
# and `np.allclose(..., rtol=1e-5, atol=1e-8)` per layer.  Its loops run over
# `range(K)`, so they check $k = 0, \dots, K-1$ and never the output layer $k = K$.
# Run the same way on our gradients, every layer it checks passes:

# %%
rows = udl.forward_difference_check(weights, biases, x, y)
for kind, k, ok in rows:
    print(f"{kind:6s} {k}: allclose with forward differences: {ok}")

# %% [markdown]
# Our check: **central** differences, over every parameter including the output
# layer's, and one relative error
# $\lVert g - \hat g\rVert / \max(\lVert g\rVert, \lVert\hat g\rVert)$
# against the bound $10^{-7}$:

# %%
nabla_w, nabla_b = vectorized.backprop(weights, biases, x, y, **udl.names)
num_w, num_b = gradcheck.numerical_param_grads(weights, biases, x, y, **udl.names)
err = gradcheck.rel_error(nabla_w + nabla_b, num_w + num_b)
n_params = sum(w.size + b.size for w, b in zip(weights, biases))
print(f"relative error, central differences, all {n_params} parameters: {err:.2e}")
print(f"within the bound {gradcheck.BOUND:g}: {err <= gradcheck.BOUND}")

# %% [markdown]
# Why central differences: with the same $\varepsilon$, the forward quotient's
# truncation error is about $\varepsilon\,|C''|/2$, the central one's about
# $\varepsilon^2 |C'''|/6$, and both carry a rounding error of about
# $u\,|C|/\varepsilon$, with $u$ the unit roundoff of float64
# ([Checking the equations](../../checking/#forward-and-central-differences)).
#
# This network makes the central quotient unusually good.  Move one parameter
# and hold the others: every pre-activation after it is a piecewise linear
# function of that parameter (a ReLU is linear on each side of its kink, and the
# output has no activation), so the loss $\frac12 (f_K - y)^2$ is piecewise
# *quadratic*, with $C''' = 0$ on each piece.  For every parameter and every step
# of the figure, $\theta - \varepsilon$ and $\theta + \varepsilon$ lie on the same piece
# (no ReLU switches between them), and there the central quotient of a quadratic
# is exact: only rounding remains, and its error *falls* as $\varepsilon$ grows,
# over the whole range of the figure.  The forward quotient keeps its truncation error
# $\varepsilon\,|C''|/2$, so its curve is V-shaped: rounding on the left,
# truncation on the right.  On a sigmoid network $C'''$ is not zero, and the
# central curve is a V too, as on the checking page.

# %% tags=["hide-input"]
from IPython.display import HTML

from derivations.book.figures import to_img
from derivations.book.figures.notebooks import difference_error_figure
from derivations.network import feedforward


def C():
    return gradcheck.mean_cost(weights, biases, x, y, **udl.names)


eps_values = np.logspace(-9, -3, 7)
forward, central = [], []
for eps in eps_values:
    f_grads = [gradcheck.forward_difference(C, p, eps) for p in weights + biases]
    c_grads = [gradcheck.central_difference(C, p, eps) for p in weights + biases]
    forward.append(gradcheck.rel_error(nabla_w + nabla_b, f_grads))
    central.append(gradcheck.rel_error(nabla_w + nabla_b, c_grads))
forward, central = np.array(forward), np.array(central)


def pattern():
    """Which ReLU units are active: the piece of the loss the parameters are on."""
    z, _ = feedforward(weights, biases, x, activation="relu", output_activation="identity")
    return [zl > 0 for zl in z[1:-1]]


def same_piece(step):
    """True when no ReLU switches as any one parameter moves by ±step."""
    here = pattern()
    for p in weights + biases:
        for i in np.ndindex(p.shape):
            old = p[i]
            for t in (old - step, old + step):
                p[i] = t
                moved = pattern()
                p[i] = old
                if any(np.any(m != h) for m, h in zip(moved, here)):
                    return False
    return True


best = int(np.argmin(forward))
log_eps = np.log10(eps_values)
central_slope = np.polyfit(log_eps, np.log10(central), 1)[0]
right_slope = np.polyfit(log_eps[best + 1:], np.log10(forward[best + 1:]), 1)[0]
# What the prose above says about these curves:
assert same_piece(eps_values[-1]), "every step stays on one piece of the loss"
assert np.all(np.diff(central) < 0), "the central error falls over the whole range"
assert abs(central_slope + 1) < 0.1, "like rounding alone, u|C|/eps"
assert 0 < best < len(eps_values) - 1, "the forward curve is V-shaped"
assert abs(right_slope - 1) < 0.1, "its right branch is truncation, rising like eps"
assert np.all(central < forward), "central is better than forward at every step"
HTML(to_img(
    difference_error_figure(eps_values, forward, central, gradcheck.BOUND),
    alt=(f"Log-log plot of the relative error of finite-difference gradients against "
         f"the step epsilon, from {eps_values[0]:.0e} to {eps_values[-1]:.0e}, for the UDL "
         f"network. Central differences fall over the whole range, like 1/epsilon, from "
         f"{central[0]:.1e} to {central[-1]:.1e}: rounding only, no truncation. Forward "
         f"differences are V-shaped, lowest ({forward[best]:.1e}) at epsilon "
         f"{eps_values[best]:.0e}, then rising in proportion to epsilon to "
         f"{forward[-1]:.1e}. A dotted line marks the bound {gradcheck.BOUND:g}.")))

# %% [markdown]
# ## Summary
#
# * Same draws, same network: output, loss and every printed gradient reproduced.
# * UDL's $\mathbf{f}_k, \mathbf{h}_k, \boldsymbol\Omega_k, \boldsymbol\beta_k$ are our
#   $z^{k+1}, a^k, w^{k+1}, b^{k+1}$; its backward loop is BP1–BP4 line for line.
# * Its ReLU′(0) = 1 and our ReLU′(0) = 0 agree whenever no pre-activation is 0.
# * Its check uses forward differences and skips the output layer; central
#   differences over all parameters pass a far tighter bound, and on this
#   piecewise quadratic loss they carry no truncation error, only rounding.

# %%
print(describe())
