"""Input checks shared by every form: clear errors, never a silent broadcast."""

import numbers

import numpy as np

from .activations import HIDDEN_ACTIVATIONS, get_activation
from .costs import get_cost


def as_float_array(value, name):
    """``value`` as a float ndarray, or a TypeError naming ``name``."""
    if isinstance(value, np.ndarray):
        arr = value
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


def check_finite(arr, name):
    # Σ x² is finite only if every entry is: one BLAS pass instead of a boolean
    # mask as large as arr.  Only when it is not (NaN, inf, or entries so
    # large that the squares overflow) is arr inspected entry by entry.
    if np.isfinite(np.vdot(arr, arr)) or np.all(np.isfinite(arr)):
        return
    bad = "NaN" if np.any(np.isnan(arr)) else "inf"
    raise ValueError(f"{name} contains {bad}; every entry must be finite")


def check_params(weights, biases):
    """Weights chain (weights[l]: (n_{l+1}, n_l)) and biases[l] is (n_{l+1}, 1).

    Returns the layer sizes [n_0, n_1, ..., n_L] and float arrays.
    """
    for name, seq in (("weights", weights), ("biases", biases)):
        if not isinstance(seq, (list, tuple)):
            raise TypeError(
                f"{name} must be a list of 2-D arrays, one per layer; "
                f"got {type(seq).__name__}"
            )
        if len(seq) == 0:
            raise ValueError(f"{name} is empty; a network needs at least one layer")
    if len(weights) != len(biases):
        raise ValueError(
            f"weights has {len(weights)} layers but biases has {len(biases)}; "
            "they need one entry per layer each"
        )
    ws, bs = [], []
    sizes = []
    for l, (w, b) in enumerate(zip(weights, biases)):
        w = as_float_array(w, f"weights[{l}]")
        b = as_float_array(b, f"biases[{l}]")
        if w.ndim != 2:
            raise ValueError(
                f"weights[{l}] must be 2-D with shape (n_{l + 1}, n_{l}); got shape {w.shape}"
            )
        if l == 0:
            sizes.append(w.shape[1])
        elif w.shape[1] != sizes[-1]:
            raise ValueError(
                f"weights[{l}] has shape {w.shape} but weights[{l - 1}] outputs "
                f"{sizes[-1]} values: weights[{l}] must have shape "
                f"(n_{l + 1}, {sizes[-1]}) so the layers chain"
            )
        sizes.append(w.shape[0])
        if b.shape != (w.shape[0], 1):
            raise ValueError(
                f"biases[{l}] must have shape ({w.shape[0]}, 1) to match "
                f"weights[{l}] {w.shape}; got {b.shape}"
            )
        check_finite(w, f"weights[{l}]")
        check_finite(b, f"biases[{l}]")
        ws.append(w)
        bs.append(b)
    return sizes, ws, bs


def check_columns(x, rows, name, *, single=False, what="inputs"):
    """x must be (rows, N) (or (rows, 1) when ``single``); explain 1-D and transposes."""
    x = as_float_array(x, name)
    expected = f"({rows}, 1)" if single else f"({rows}, N)"
    if x.ndim == 1:
        raise ValueError(
            f"{name} must be 2-D with shape {expected}, examples as columns; got 1-D "
            f"shape {x.shape}. A 1-D array would broadcast silently against "
            f"({rows}, N) into an (N, N) result; use {name}.reshape({rows}, -1)"
        )
    if x.ndim != 2 or x.shape[0] != rows or (single and x.shape[1] != 1):
        hint = ""
        if x.ndim == 2 and x.shape[1] == rows:
            hint = f" (transposed? {name}.T has the expected shape)"
        raise ValueError(
            f"{name} must have shape {expected} ({rows} {what}, one column per "
            f"example); got {x.shape}{hint}"
        )
    check_finite(x, name)
    return x


def check_rows(x, cols, name, *, what="features"):
    """x must be (N, cols): examples as rows."""
    x = as_float_array(x, name)
    if x.ndim == 1:
        raise ValueError(
            f"{name} must be 2-D with shape (N, {cols}), examples as rows; got 1-D "
            f"shape {x.shape}. A 1-D array would broadcast silently into an (N, N) "
            f"result; use {name}.reshape(-1, {cols})"
        )
    if x.ndim != 2 or x.shape[1] != cols:
        hint = ""
        if x.ndim == 2 and x.shape[0] == cols:
            hint = f" (transposed? {name}.T has the expected shape)"
        raise ValueError(
            f"{name} must have shape (N, {cols}) ({cols} {what}, one row per "
            f"example); got {x.shape}{hint}"
        )
    check_finite(x, name)
    return x


def check_same_count(X, Y, axis, xname="X", yname="Y"):
    if X.shape[axis] != Y.shape[axis]:
        where = "columns" if axis == 1 else "rows"
        raise ValueError(
            f"{xname} has {X.shape[axis]} examples ({where}) but {yname} has "
            f"{Y.shape[axis]}; they need one target per example"
        )


def check_names(activation, cost, output_activation):
    """Resolve names to (hidden σ, output σ, cost), with clear errors."""
    act = get_activation(activation, allowed=HIDDEN_ACTIVATIONS)
    out = act if output_activation is None else get_activation(
        output_activation, argument="output_activation"
    )
    c = get_cost(cost)
    if c.name == "categorical_cross_entropy" and out.name != "softmax":
        raise ValueError(
            "cost 'categorical_cross_entropy' needs output_activation='softmax'; "
            f"got output activation {out.name!r}"
        )
    if c.name == "cross_entropy" and out.name not in ("sigmoid", "softmax"):
        raise ValueError(
            "cost 'cross_entropy' needs outputs strictly between 0 and 1; use "
            f"output_activation='sigmoid' (the output layer is {out.name!r})"
        )
    return act, out, c


def check_targets(y, cost, name="y"):
    if cost.name in ("cross_entropy", "categorical_cross_entropy"):
        if np.any(y < 0) or np.any(y > 1):
            raise ValueError(
                f"{name} must lie in [0, 1] for cost {cost.name!r}; "
                f"got values from {np.min(y):g} to {np.max(y):g}"
            )
