"""Input validation shared by every form: clear errors, never a silent broadcast.

Names are resolved here once (``resolve``: "sigmoid" → the ``Activation``,
"quadratic" → the ``Cost``), and data are checked against one of four layouts,
each a form's ``validate``:

* ``one_example``: x (n_0, 1), y (n_L, 1), one example as a column (vectorized, index);
* ``batch_columns``: X (n_0, N), Y (n_L, N), examples as columns (batched);
* ``batch_rows``: X (N, n_0), Y (N, n_L), examples as rows (rowmajor);
* ``floats``: plain numbers, one neuron per layer (scalar).

Every error names the argument and what was expected.  Arrays come back as
plain float ndarrays (an ``np.matrix``, a nested list or an integer array is
converted; the caller's arrays are never modified) in one precision: the
result type of all of them, so float32 throughout stays float32, and anything
mixed with float64 becomes float64.
"""

import numbers
from functools import partial

import numpy as np

from derivations.activations import HIDDEN_ACTIVATIONS, get_activation
from derivations.costs import COSTS, get_cost

__all__ = ["array", "batch_columns", "batch_rows", "columns", "finite", "floats",
           "number", "one_example", "output", "params", "resolve", "rows", "same_count",
           "same_precision"]


def array(value, name):
    """``value`` as a plain float ndarray, or a TypeError naming ``name``.

    ``np.matrix`` becomes an ndarray: its ``*`` is a matrix product, which
    would turn every ⊙ of the equations into a wrong number.
    """
    if isinstance(value, np.ndarray):
        arr = np.asarray(value)  # a view; np.matrix and other subclasses lose their class
    elif isinstance(value, (list, tuple)) or isinstance(value, numbers.Real):
        try:
            arr = np.asarray(value)
        except ValueError as exc:  # ragged nested lists
            raise TypeError(f"{name} must be a numeric array; {exc}") from None
    else:
        raise TypeError(f"{name} must be a numpy array, got {type(value).__name__}")
    if arr.dtype.kind in "iub":
        arr = arr.astype(np.float64)
    if arr.dtype.kind != "f":
        raise TypeError(f"{name} must hold real numbers, got dtype {arr.dtype}")
    return arr


def finite(arr, name):
    """A ValueError naming ``name`` if ``arr`` holds NaN or inf."""
    # Σ x² is finite only if every entry is: one BLAS pass instead of a boolean
    # mask as large as arr.  Only when it is not (NaN, inf, or entries so
    # large that the squares overflow) is arr inspected entry by entry.
    if np.isfinite(np.vdot(arr, arr)) or np.all(np.isfinite(arr)):
        return
    bad = "NaN" if np.any(np.isnan(arr)) else "inf"
    raise ValueError(f"{name} contains {bad}; every entry must be finite")


def _layer_list(seq, name, what):
    if not isinstance(seq, (list, tuple)):
        raise TypeError(f"{name} must be a list of {what}, one per layer; "
                        f"got {type(seq).__name__}")
    if len(seq) == 0:
        raise ValueError(f"{name} is empty; a network needs at least one layer")


def _same_depth(weights, biases):
    if len(weights) != len(biases):
        raise ValueError(f"weights has {len(weights)} layers but biases has {len(biases)}; "
                         "they need one entry per layer each")


def params(weights, biases):
    """weights[l] is (n_{l+1}, n_l) and biases[l] is (n_{l+1}, 1), chaining layer to layer.

    Returns the layer sizes [n_0, n_1, …, n_L] and the arrays as float ndarrays.
    """
    _layer_list(weights, "weights", "2-D arrays")
    _layer_list(biases, "biases", "2-D arrays")
    _same_depth(weights, biases)
    ws, bs, sizes = [], [], []
    for l, (w, b) in enumerate(zip(weights, biases)):
        w = array(w, f"weights[{l}]")
        b = array(b, f"biases[{l}]")
        if w.ndim != 2:
            raise ValueError(
                f"weights[{l}] must be 2-D with shape (n_{l + 1}, n_{l}); got shape {w.shape}")
        if l == 0:
            if w.shape[1] == 0:
                raise ValueError(f"weights[0] has shape {w.shape}: the input layer would "
                                 "have no neurons; every layer needs at least one")
            sizes.append(w.shape[1])
        elif w.shape[1] != sizes[-1]:
            raise ValueError(
                f"weights[{l}] has shape {w.shape} but weights[{l - 1}] outputs "
                f"{sizes[-1]} values: weights[{l}] must have shape "
                f"(n_{l + 1}, {sizes[-1]}) so the layers chain" + _swapped(weights, biases))
        if w.shape[0] == 0:
            raise ValueError(f"weights[{l}] has shape {w.shape}: layer {l + 1} would have "
                             "no neurons; every layer needs at least one")
        sizes.append(w.shape[0])
        if b.shape != (w.shape[0], 1):
            raise ValueError(f"biases[{l}] must have shape ({w.shape[0]}, 1) to match "
                             f"weights[{l}] {w.shape}; got {b.shape}"
                             + _swapped(weights, biases))
        finite(w, f"weights[{l}]")
        finite(b, f"biases[{l}]")
        ws.append(w)
        bs.append(b)
    return sizes, ws, bs


def _swapped(weights, biases):
    """A hint if the first two arguments look like biases, then weights."""
    try:
        w_cols = [np.shape(w)[1] for w in weights]
        b_cols = [np.shape(b)[1] for b in biases]
    except (IndexError, TypeError):
        return ""
    if all(c == 1 for c in w_cols) and any(c != 1 for c in b_cols):
        return (". Are weights and biases swapped? Every weights[l] has one column, as "
                "biases do: pass weights first, (weights, biases, x, y)")
    return ""


def columns(x, rows, name, *, single=False, what="inputs"):
    """x must be (rows, N), N ≥ 1 (or (rows, 1) when ``single``): examples as columns."""
    return _examples(x, rows, name, feature_axis=0, single=single, what=what)


def rows(x, cols, name, *, what="features"):
    """x must be (N, cols), N ≥ 1: examples as rows."""
    return _examples(x, cols, name, feature_axis=1, what=what)


def _examples(x, n, name, feature_axis, single=False, what="inputs"):
    """x with ``n`` entries along ``feature_axis``, at least one example along the other.

    Explains a 1-D array (reshape it, or one-hot encode integer labels) and a
    transposed one.
    """
    labels = what == "outputs" and n > 1 and np.asarray(x).dtype.kind in "iu"
    x = array(x, name)
    one = "column" if feature_axis == 0 else "row"
    shape = (f"({n}, 1)" if single else f"({n}, N)") if feature_axis == 0 else f"(N, {n})"
    if x.ndim == 1:
        layout = f"one example as a {one}" if single else f"examples as {one}s"
        head = f"{name} must be 2-D with shape {shape}, {layout}; got 1-D"
        if labels:
            onehot = (f"np.eye({n})[label].reshape({n}, 1)" if single
                      else f"np.eye({n})[labels]{'.T' if feature_axis == 0 else ''}")
            raise ValueError(
                f"{head} integers of shape {x.shape}. Class labels? The output layer has "
                f"{n} neurons, so each target is a one-hot {one}: {name} = {onehot}")
        reshape = (f"reshape({n}, 1)" if single else f"reshape({n}, -1)") if feature_axis == 0 \
            else f"reshape(-1, {n})"
        why = ("a − y between the output and a 1-D target broadcasts without an error, "
               "into a square matrix whenever the output is a single column"
               if what == "outputs" else
               "w¹ times a 1-D input is 1-D, and adding the bias column b¹ broadcasts "
               "it into a square matrix without an error"
               if feature_axis == 0 else
               "a 1-D array could be one example or one feature of every example")
        raise ValueError(f"{head} shape {x.shape}. It is refused because {why}; "
                         f"use {name}.{reshape}")
    example_axis = 1 - feature_axis
    if x.ndim != 2 or x.shape[feature_axis] != n or (single and x.shape[1] != 1):
        hint = ""
        if x.ndim == 2 and x.shape[example_axis] == n:
            hint = f" (transposed? {name}.T has the expected shape)"
        elif single and x.ndim == 2 and x.shape[0] == n and x.shape[1] > 1:
            hint = (f": {x.shape[1]} examples as columns, where this form takes one. For a "
                    "mini-batch use the batched form (derivations.batched), or pass one "
                    f"column, {name}[:, [i]]")
        raise ValueError(
            f"{name} must have shape {shape} ({n} {what}, one {one} per example); "
            f"got {x.shape}{hint}")
    if x.shape[example_axis] == 0:
        raise ValueError(f"{name} has shape {x.shape}: no examples. A mini-batch needs at "
                         f"least one {one}; its mean cost over 0 examples is undefined")
    finite(x, name)
    return x


def same_count(X, Y, axis, xname="X", yname="Y"):
    """X and Y hold the same number of examples along ``axis``."""
    if X.shape[axis] != Y.shape[axis]:
        where = "columns" if axis == 1 else "rows"
        raise ValueError(
            f"{xname} has {X.shape[axis]} examples ({where}) but {yname} has "
            f"{Y.shape[axis]}; they need one target per example")


def resolve(activation, cost, output_activation):
    """Names → objects, once: (hidden σ, output σ, cost), with clear errors.

    ``output_activation=None`` means the output layer uses ``activation`` too
    (a ReLU network then has a ReLU output).
    """
    if activation == "softmax":
        raise ValueError(
            "softmax is an output activation only: pass output_activation='softmax', "
            "and for the hidden layers an elementwise activation, one of "
            f"{', '.join(map(repr, HIDDEN_ACTIVATIONS))}")
    sigma = get_activation(activation, allowed=HIDDEN_ACTIVATIONS)
    sigma_L = sigma if output_activation is None else get_activation(
        output_activation, argument="output_activation")
    c = get_cost(cost)
    if c.output is not None and sigma_L.name != c.output:
        other = [o.name for o in COSTS.values() if o.output == sigma_L.name]
        hint = f"; for a {sigma_L.name} output use cost={other[0]!r}" if other else ""
        raise ValueError(
            f"cost {c.name!r} needs output_activation={c.output!r}; the output layer is "
            f"{sigma_L.name!r}{hint}")
    return sigma, sigma_L, c


def output(n_L, sigma_L, cost, y, name="y"):
    """What the output layer and the cost need: softmax over ≥ 2 neurons, y in [0, 1]."""
    if sigma_L.vjp is not None and n_L < 2:
        raise ValueError(
            f"output_activation {sigma_L.name!r} needs at least two output neurons; got "
            "one, and a softmax of one number is always 1, with every gradient 0")
    if cost.unit_targets and (np.any(y < 0) or np.any(y > 1)):
        raise ValueError(
            f"{name} must lie in [0, 1] for cost {cost.name!r}; "
            f"got values from {np.min(y):g} to {np.max(y):g}")


def same_precision(weights, biases, x, y):
    """Every array in one dtype: their result type (float32 stays float32 only if all are)."""
    dtype = np.result_type(*weights, *biases, x, y)
    return ([w.astype(dtype, copy=False) for w in weights],
            [b.astype(dtype, copy=False) for b in biases],
            x.astype(dtype, copy=False), y.astype(dtype, copy=False))


def one_example(weights, biases, x, y, sigma_L, cost):
    """Layout of one example: x (n_0, 1), y (n_L, 1), parameters as in ``params``."""
    return _data(weights, biases, x, y, sigma_L, cost, partial(columns, single=True),
                 ("x", "y"), example_axis=1)


def batch_columns(weights, biases, X, Y, sigma_L, cost):
    """Layout of a mini-batch as columns: X (n_0, N), Y (n_L, N), N ≥ 1."""
    return _data(weights, biases, X, Y, sigma_L, cost, columns, ("X", "Y"), example_axis=1)


def batch_rows(weights, biases, X, Y, sigma_L, cost):
    """Layout of a mini-batch as rows: X (N, n_0), Y (N, n_L), N ≥ 1."""
    return _data(weights, biases, X, Y, sigma_L, cost, rows, ("X", "Y"), example_axis=0)


def _data(weights, biases, x, y, sigma_L, cost, check, names, example_axis):
    """Parameters, then x and y by ``check`` (``columns`` or ``rows``), in one precision."""
    sizes, weights, biases = params(weights, biases)
    x = check(x, sizes[0], names[0])
    y = check(y, sizes[-1], names[1], what="outputs")
    same_count(x, y, example_axis, *names)
    output(sizes[-1], sigma_L, cost, y, names[1])
    return same_precision(weights, biases, x, y)


def number(value, name):
    """``value`` as a finite Python float, or an error naming ``name``; a 0-d array
    (``np.float64(0.5)``, ``np.array(0.5)``) counts as its number."""
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "fiu":
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number (float), got {type(value).__name__}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} is {value}; every input must be finite")
    return value


def floats(weights, biases, x, y, sigma_L, cost):
    """Layout of the scalar chain: one float per layer in weights and biases; x, y floats."""
    _layer_list(weights, "weights", "floats")
    _layer_list(biases, "biases", "floats")
    _same_depth(weights, biases)
    weights = [number(w, f"weights[{l}]") for l, w in enumerate(weights)]
    biases = [number(b, f"biases[{l}]") for l, b in enumerate(biases)]
    x, y = number(x, "x"), number(y, "y")
    output(1, sigma_L, cost, y, "y")
    return weights, biases, x, y
