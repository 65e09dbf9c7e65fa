"""Check your own backprop: which equation is wrong, and the likely mistake.

Write ``backprop(weights, biases, x, y)`` returning ``(nabla_w, nabla_b)`` in a
form's layout, or that form's four functions ``bp1``…``bp4``, then::

    from derivations import diagnose
    print(diagnose.backprop(my_backprop, form="vectorized"))
    print(diagnose.equations({"bp2": my_bp2}, form="index"))

or, in a shell, ``python -m derivations diagnose my_backprop.py``.  The answer
is a ``Diagnosis``: ``ok``, ``equation`` ("BP1"…"BP4", or None when the error
is not one equation's), ``mistake`` (an id of ``mistakes.CATALOGUE``, or
"unknown"; None when ``ok``) and ``message``, which ``str()`` gives.

The method
----------
1. Networks: ``len(SIZES)`` random networks whose layer widths all differ, so
   that a missing transpose cannot hide in a square matrix, with a batch of
   ``BATCH`` examples for the mini-batch forms (no layer has that many
   neurons), drawn by ``check.make_case`` away from ReLU's kink.  The scalar
   chain has one neuron per layer.
2. The truth: central differences of the cost (``gradcheck``, ε = ``EPS``,
   float64) for every weight and bias, and for every zˡ, which gives δˡ.  A
   result is right when its relative error is at most ``BOUND`` on every
   network, the policy of the checking page.
3. Where: the first wrong equation.  From ``backprop``'s result: δᴸ through
   the nabla_b of the output layer (BP1), the hidden δˡ through the hidden
   nabla_b (BP2), nabla_b against nabla_w (BP3), nabla_w given the reader's own
   δ (BP4); a mini-batch form is also run one example at a time, which tells
   the per-example equations from the batch mean.  ``bp1``…``bp4`` are each
   called on the right inputs and checked alone.
4. Which mistake: every catalogue variant that can be made in the form runs on
   the same networks, in every equation it can be made in; the reader's result
   matches a variant when the two agree to ``BOUND``.  The tests check that the
   variants' results differ from each other and from the right one.
5. Shapes: code that raises on those networks (a missing transpose does) is
   explained, line and shapes, and runs again on square networks
   (``SQUARE``), where such a mistake runs and can be matched.

The reader's code runs in this process, on copies of the arguments (a
function that changes its arguments is told so); what it prints while being
checked is not shown, and a function that never returns is not stopped.
"""

import copy
import importlib.util
import inspect
import io
import json
import os
import re
import sys
import textwrap
import warnings
from contextlib import redirect_stdout
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import NamedTuple

import numpy as np

from derivations import FORMS, algorithm, validate
from derivations.check import make_case
from derivations.explain import explain
from derivations.gradcheck import BOUND, EPS, numerical_deltas, numerical_param_grads, rel_error
from derivations.mistakes import CATALOGUE, PROBLEMS

__all__ = ["BATCH", "BOUND", "CannotCheck", "Diagnosis", "EPS", "EQUATIONS", "PAGES", "SEED",
           "SITE_URL", "SIZES", "DEPTHS", "SQUARE", "SQUARE_BATCH", "backprop", "candidates", "equations", "file",
           "link", "load"]

#: Layer sizes of the test networks: in each, every width differs from the others.
#: Right code is also run on networks of DEPTHS, so that it must work for any depth.
SIZES = ([3, 5, 4, 2], [4, 2, 6, 3], [2, 6, 3, 5])
DEPTHS = ([3, 5, 2], [2, 4, 3, 5, 6])
#: Examples per mini-batch (batched, rowmajor): no layer above has 7 neurons.
BATCH = 7
#: Where code that raises on SIZES runs again: every layer equally wide.
SQUARE = [4, 4, 4, 4]
SQUARE_BATCH = 3
#: The scalar chain: one neuron per layer.
CHAIN = [1, 1, 1, 1]
#: Network i is drawn with seed SEED + i.
SEED = 0
EQUATIONS = ("BP1", "BP2", "BP3", "BP4")
ONE_EXAMPLE = ("scalar", "index", "vectorized")
#: The page of the site where each form's equations are derived.
PAGES = {"scalar": "scalar", "index": "index-form", "vectorized": "vectorized",
         "batched": "mini-batches", "rowmajor": "mini-batches"}
#: The variable that says where the site lives, for the links in messages.
SITE_ENV = "DERIVATIONS_SITE_URL"
#: Where the site lives unless SITE_ENV says otherwise: mkdocs.yml's site_url
#: (its default, where `make serve` serves the site).
SITE_URL = "http://127.0.0.1:8000/"
#: Width of the message's lines: a terminal's, and a code block's on the site.
WIDTH = 78
HERE = __file__
NOT_WRITTEN = re.compile(r"\bBP([1-4])\b")


@dataclass(frozen=True)
class Diagnosis:
    """What the check found: ``ok``, ``equation``, ``mistake``, ``message``.

    ``str(d)`` is the message; ``d.to_json()`` is one line of JSON with exactly
    these four keys.
    """

    ok: bool
    equation: str | None
    mistake: str | None
    message: str

    def __str__(self):
        return self.message

    def to_json(self):
        """The four fields as one line of JSON."""
        return json.dumps(asdict(self))


class CannotCheck(ValueError):
    """The file cannot be loaded, or defines nothing to check."""


def link(path):
    """``path`` ("mistakes/#sigma-at-a") on the site, as a full address: under
    DERIVATIONS_SITE_URL if it is set, else under ``SITE_URL``."""
    base = os.environ.get(SITE_ENV, "").strip() or SITE_URL
    return f"{base.rstrip('/')}/{path}"


def candidates(form):
    """(mistake, equation) pairs that can be made in ``form`` (a form name).

    equation None makes the mistake everywhere it can be made; a mistake of
    two equations is also made in each alone.
    """
    for m in CATALOGUE.values():
        if form in m.forms:
            yield m, None
            if len(m.equations) > 1:
                for eq in m.equations:
                    yield m, eq


# ---------------------------------------------------------------- the API


def backprop(fn, form="vectorized", activation="sigmoid", cost="quadratic",
             output_activation=None, seed=SEED, sizes=None):
    """Diagnose ``fn(weights, biases, x, y) -> (nabla_w, nabla_b)`` in ``form``'s layout.

    ``activation`` is the hidden layers' σ; ``output_activation=None`` means
    the one ``cost`` needs (sigmoid for cross_entropy, softmax for
    categorical_cross_entropy), else ``activation``.  ``sizes`` (layer widths,
    e.g. ``[3, 4, 2]``) replaces the test networks' ``SIZES`` by networks of
    those widths, for code written for one depth.
    """
    if not callable(fn):
        raise TypeError(f"fn must be a function backprop(weights, biases, x, y); "
                        f"got {type(fn).__name__}")
    check = _Check(form, activation, cost, output_activation, seed, sizes)
    return check.backprop(fn)


def equations(functions, form="vectorized", activation="sigmoid", cost="quadratic",
              output_activation=None, seed=SEED, sizes=None):
    """Diagnose the functions bp1…bp4 of a module, a dict or an object (any of the four).

    Their signatures are those of the form's module: ``bp1(nabla_a, sp)``,
    ``bp2(w_next, delta_next, sp)``, ``bp3(delta)``, ``bp4(a_prev, delta)``.
    """
    found = _bp_functions(functions)
    if not found:
        raise CannotCheck("defines none of bp1, bp2, bp3, bp4: nothing to check")
    check = _Check(form, activation, cost, output_activation, seed, sizes)
    return check.equations(found)


def load(path):
    """The Python file ``path``, run as a module (its ``__main__`` block does not run)."""
    path = Path(path)
    if not path.is_file():
        raise CannotCheck(f"cannot load {path}: no such file")
    spec = importlib.util.spec_from_file_location(f"_diagnosed_{path.stem}", path)
    if spec is None:
        raise CannotCheck(f"cannot load {path}: not a Python file")
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(path.resolve().parent))   # so that its own imports work
    try:
        with _quiet():
            spec.loader.exec_module(module)
    except (Exception, SystemExit) as exc:
        hint = ""
        if not isinstance(exc, (SyntaxError, ImportError)):
            hint = ("\nThe check imports your file, which runs its top level. Put work "
                    "that is not a definition (loading data, training, plotting) under "
                    "`if __name__ == \"__main__\":`, which does not run on import.")
        raise CannotCheck(f"cannot load {path}:\n"
                          + explain(exc, [HERE], within=path).text() + hint) from None
    finally:
        sys.path.remove(str(path.resolve().parent))
    return module


def file(path, form="vectorized", activation="sigmoid", cost="quadratic",
         output_activation=None, seed=SEED, function=None, sizes=None):
    """Load ``path`` and diagnose its ``backprop`` (or ``function``), else its bp1…bp4."""
    module = load(path)
    names = dict(form=form, activation=activation, cost=cost,
                 output_activation=output_activation, seed=seed, sizes=sizes)
    name = function or "backprop"
    fn = getattr(module, name, None)
    if function and function.lower() in ("bp1", "bp2", "bp3", "bp4") and callable(fn):
        return equations({function.lower(): fn}, **names)     # that equation alone
    if callable(fn):
        return backprop(fn, **names)
    own = [k for k, v in vars(module).items() if inspect.isfunction(v)
           and v.__module__ == module.__name__ and not k.startswith("_")]
    listed = (f" It defines {', '.join(f'{k}()' for k in own)}; to check one of them, "
              f"name it with --function, for example --function {own[0]} "
              f"(in Python, function=\"{own[0]}\").") if own else ""
    if function:
        raise CannotCheck(f"{path} defines no function {function!r}." + listed)
    if _bp_functions(module):
        return equations(module, **names)
    methods = [f"{k}.{name}" for k, v in vars(module).items()
               if isinstance(v, type) and callable(getattr(v, name, None))]
    hint = (f" {methods[0]} is a method; add a function that calls it, for example\n\n"
            f"def backprop(weights, biases, x, y):\n"
            f"    net = {methods[0].split('.')[0]}(...)\n"
            f"    net.weights, net.biases = weights, biases\n"
            f"    nabla_b, nabla_w = net.{name}(x, y)     # network.py's order\n"
            f"    return nabla_w, nabla_b\n") if methods else ""
    raise CannotCheck(f"{path} defines nothing to check: define backprop(weights, biases, x, y) "
                      "returning (nabla_w, nabla_b), or some of bp1, bp2, bp3, bp4."
                      + (listed if not methods else "") + hint)


def _bp_functions(functions):
    """{"BP1": bp1, …} for those of bp1…bp4 that ``functions`` holds."""
    get = functions.get if isinstance(functions, dict) else (
        lambda name: getattr(functions, name, None))
    found = {f"BP{i}": get(f"bp{i}") for i in range(1, 5)}
    return {eq: f for eq, f in found.items() if callable(f)}


# ---------------------------------------------------------------- networks


class _Net(NamedTuple):
    """One test network, with the truth to hold a result to."""

    sizes: list
    args: tuple       # (weights, biases, x, y) in the form's layout
    names: dict       # activation, cost, output_activation
    truth: "_Pair"    # ∂C/∂w, ∂C/∂b by central differences, as the form returns them
    deltas: list      # δˡ by central differences, in the form's layout, text-indexed
    trace: algorithm.Trace   # the engine's, in the form's layout: inputs for bp1…bp4


class _Pair(NamedTuple):
    """A backprop result: lists of float arrays (0-d for the scalar chain)."""

    w: list
    b: list


def _build(form, case):
    """A ``_Net`` from a ``check.Case`` (column layout)."""
    from derivations.check import in_layout

    data = (case.weights, case.biases, case.X, case.Y)
    nw, nb = numerical_param_grads(*data, **case.names)
    deltas = numerical_deltas(*data, **case.names)
    if form.feature_axis is None:
        nw, nb = [g.reshape(()) for g in nw], [g.reshape(()) for g in nb]
        deltas = [None] + [d.reshape(()) for d in deltas[1:]]
    elif form.feature_axis == 1:
        deltas = [None] + [d.T for d in deltas[1:]]
    args = in_layout(form, case)
    trace = algorithm.backprop_trace(form, *args, **case.names)
    sizes = [case.weights[0].shape[1]] + [w.shape[0] for w in case.weights]
    return _Net(sizes, args, case.names, _Pair(nw, nb), deltas, trace)


def _same(p, q, bound=BOUND):
    """Two results agree: the same shapes, and a relative error at most ``bound``."""
    if len(p.w) != len(q.w) or len(p.b) != len(q.b):
        return False
    if any(a.shape != b.shape for a, b in zip(p.w + p.b, q.w + q.b)):
        return False
    return bool(rel_error(p.w + p.b, q.w + q.b) <= bound)


# ---------------------------------------------------------------- calling the reader


class _Call(NamedTuple):
    result: object
    error: BaseException | None
    changed: list     # the arguments the call modified, by name


class _quiet:
    """No output, warnings or floating-point messages from the reader's code."""

    def __enter__(self):
        self._stack = [redirect_stdout(io.StringIO()), warnings.catch_warnings(),
                       np.errstate(all="ignore")]
        for c in self._stack:
            c.__enter__()
        warnings.simplefilter("ignore")

    def __exit__(self, *exc):
        for c in reversed(self._stack):
            c.__exit__(*exc)
        return False


def _call(fn, args, arg_names):
    """``fn(*copies of args)``, its error if it raised, and which arguments it changed."""
    fresh, kept = copy.deepcopy(args), copy.deepcopy(args)
    held = [list(a) if isinstance(a, list) else None for a in fresh]   # the objects handed over
    result, error = None, None
    try:
        with _quiet():
            result = fn(*fresh)
    except (Exception, SystemExit) as exc:
        error = exc
    changed = []
    for name, before, after, objects in zip(arg_names, kept, fresh, held):
        if isinstance(before, list):
            ids = [id(a) for a in after]
            if len(before) != len(after):
                changed.append(f"the list {name}, entries added or removed")
            elif ids != [id(a) for a in objects] and sorted(ids) == sorted(
                    id(a) for a in objects):
                changed.append(f"the list {name}, reordered as {name}.reverse() or "
                               ".sort() do")
            else:
                for i, (b, a, o) in enumerate(zip(before, after, objects)):
                    if _equal(b, a):
                        continue
                    changed.append(f"the array {name}[{i}]" if a is o else
                                   f"the list {name}, its entry {name}[{i}] replaced")
        elif not _equal(before, after):
            changed.append(f"the array {name}")
    return _Call(result, error, changed)


def _equal(a, b):
    try:
        return bool(np.array_equal(np.asarray(a), np.asarray(b), equal_nan=True))
    except Exception:
        return False


class _Unreadable(Exception):
    """The reader's result is not two lists of L arrays; the message says what it is."""


def _kind(value):
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of {len(value)}"
    return f"a {type(value).__name__}"


def _read(result, L, scalar):
    """The reader's (nabla_w, nabla_b) as a ``_Pair``, or ``_Unreadable``."""
    want = "two lists, (nabla_w, nabla_b)"
    if result is None:
        raise _Unreadable(f"returns None, where it should return {want}: is a return "
                          "statement missing?")
    if not isinstance(result, (list, tuple)):
        raise _Unreadable(f"returns {_kind(result)}, where it should return {want}")
    if len(result) != 2:
        raise _Unreadable(f"returns {len(result)} values, where it should return {want}, "
                          f"each with one entry per layer (L = {L})")
    parts = []
    for name, part in zip(("nabla_w", "nabla_b"), result):
        if isinstance(part, np.ndarray) and part.dtype == object:
            part = list(part)
        if not isinstance(part, (list, tuple)):
            raise _Unreadable(f"returns {_kind(part)} as {name}, where it should return a "
                              f"list of {L} {'numbers' if scalar else 'arrays'}, one per layer")
        if len(part) == L + 1 and part[0] is None:
            raise _Unreadable(f"returns {name} with {L + 1} entries, the first None: indexed "
                              f"by the text's layer number. Return {name}[1:], so that "
                              f"{name}[l] belongs to weights[l]")
        if len(part) != L:
            raise _Unreadable(f"returns {name} with {len(part)} entries; the network has "
                              f"{_layers_of_weights(L)}, so it needs {L}")
        arrays = []
        for l, g in enumerate(part):
            try:
                arr = np.array(g, dtype=float)
            except (TypeError, ValueError):
                raise _Unreadable(f"returns {name}[{l}] as {_kind(g)}, not numbers") from None
            if scalar:
                if arr.size != 1:
                    raise _Unreadable(f"returns {name}[{l}] with shape {arr.shape}; in the "
                                      "scalar chain every gradient is one number")
                arr = arr.reshape(())
            arrays.append(arr)
        parts.append(arrays)
    return _Pair(*parts)


def _shape_problems(pair, net, arg_names):
    """Where the result's shapes differ from the parameters'."""
    out = []
    shape = np.shape(net.args[2])
    N = next((d for d in shape if d != net.sizes[0]), None) if len(shape) == 2 else None
    for name, got, want, param in (("nabla_w", pair.w, net.truth.w, arg_names[0]),
                                   ("nabla_b", pair.b, net.truth.b, arg_names[1])):
        for l, (g, t) in enumerate(zip(got, want)):
            if g.shape != t.shape:
                hint = ""
                if len(t.shape) == 2 and t.shape[1] == 1 and g.shape == t.shape[:1]:
                    hint = (": a 1-D array, where a column is needed; keep the axis with "
                            "keepdims=True in the sum or mean, or use .reshape(-1, 1)")
                elif len(t.shape) == 2 and g.shape == t.shape[::-1] and t.shape[1] == 1:
                    hint = ": a row, where biases are columns"
                elif (name == "nabla_b" and len(t.shape) == 2 and t.shape[1] == 1
                      and N and N > 1 and g.shape in ((N, 1), (1, N))):
                    axis = "axis=0" if np.shape(net.args[2])[0] == N else "axis=1"
                    hint = (f": one entry per example, so the sum ran over the neurons; "
                            f"sum over the examples instead, {axis} here")
                out.append(f"your {name}[{l}] has shape {g.shape} where {param}[{l}] has "
                           f"{t.shape}{hint}")
    return out


# ---------------------------------------------------------------- the check


def _right_on(fn, check, nets, in_by_out):
    """True if ``fn`` is right on every net of ``check`` (weights handed over in × out if
    ``in_by_out``), its gradients read back transposed where their shapes are."""
    scalar = check.form.name == "scalar"
    for net in nets:
        args = net.args
        if in_by_out:
            w, b, x, y = args
            args = ([a.T for a in w], b, x, y)
        call = _call(fn, args, check.arg_names)
        try:
            if call.error is not None:
                return False
            pair = _read(call.result, len(net.sizes) - 1, scalar)
            flip = [g.shape != t.shape and g.shape == t.shape[::-1]
                    for g, t in zip(pair.w, net.truth.w)]
            if any(flip) or in_by_out:      # nnfs's layout: weights in × out, biases rows
                pair = _Pair([g.T if f else g for g, f in zip(pair.w, flip)],
                             [g.T if g.shape != t.shape and g.shape == t.shape[::-1] else g
                              for g, t in zip(pair.b, net.truth.b)])
            if not _same(pair, net.truth):
                return False
        except _Unreadable:
            return False
    return True


def _deterministic(fn, net, call, arg_names):
    """True if calling ``fn`` on ``net`` again returns what ``call`` returned."""
    again = _call(fn, net.args, arg_names)
    if again.error is not None:
        return False
    try:
        first, second = _read(call.result, len(net.sizes) - 1, False), _read(
            again.result, len(net.sizes) - 1, False)
    except _Unreadable:
        return True                   # unreadable either way: the verdict says so
    return all(_equal(a, b) for a, b in zip(first.w + first.b, second.w + second.b))


def _right_transposed(fn, check, net):
    """True if ``fn``'s gradients on ``net`` have some shapes transposed."""
    call = _call(fn, net.args, check.arg_names)
    try:
        pair = _read(call.result, len(net.sizes) - 1, check.form.name == "scalar")
    except _Unreadable:
        return False
    return any(g.shape != t.shape for g, t in zip(pair.w + pair.b, net.truth.w + net.truth.b))


def _layer_list(layers):
    return (f"layer {layers[0]}" if len(layers) == 1 else
            "layers " + ", ".join(map(str, layers[:-1])) + f" and {layers[-1]}")


def _made_together(form, net, *made):
    """What a backprop returns with every (mistake, equation) of ``made`` made at once."""
    sigma, sigma_L, cost = validate.resolve(**net.names)
    weights, biases, x, y = form.validate(*net.args, sigma_L, cost)
    returns, loop = algorithm.Gradients, None
    for m, eq in made:
        form, sigma, sigma_L, cost = m.made_in(form, sigma, sigma_L, cost, eq)
        loop = m.loop or loop
        if m.returns is not algorithm.Gradients:
            returns = m.returns
    t = algorithm.run(form, weights, biases, x, y, sigma, sigma_L, cost)
    if loop is not None:
        t = loop(form, t, weights, sigma)
    return returns(t.nabla_w[1:], t.nabla_b[1:])


def _check_sizes(sizes):
    """``sizes`` as a tuple of at least two positive ints, or None."""
    if sizes is None:
        return None
    if isinstance(sizes, str) or not hasattr(sizes, "__iter__"):
        raise TypeError(f"sizes must be a list of layer widths such as [3, 4, 2]; got {sizes!r}")
    out = tuple(sizes)
    if len(out) < 2 or not all(isinstance(n, (int, np.integer)) and not isinstance(n, bool)
                               and n > 0 for n in out):
        raise ValueError(f"sizes must be two or more positive layer widths such as [3, 4, 2]; "
                         f"got {sizes!r}")
    return tuple(int(n) for n in out)


class _Verdict(NamedTuple):
    ok: bool
    equation: str | None
    mistake: str | None
    lines: list


class _Check:
    """One diagnosis: the form, the names, and the networks, built once."""

    def __init__(self, form, activation, cost, output_activation, seed, sizes=None):
        if isinstance(form, algorithm.Form):
            form = form.name
        if form not in FORMS:
            raise ValueError(f"form must be one of {', '.join(map(repr, FORMS))}; got {form!r}")
        self.sizes = _check_sizes(sizes)
        self.form = FORMS[form].FORM
        output_activation = output_activation or _needed_output(cost)
        self.sigma, self.sigma_L, self.cost = validate.resolve(activation, cost,
                                                               output_activation)
        self.names = dict(activation=activation, cost=cost,
                          output_activation=output_activation)
        self.seed = int(seed)
        #: The bound results are held to: BOUND, or F32_BOUND for float32 gradients.
        self.bound = BOUND
        self._nets, self._variants = {}, {}
        batch = self.form.name not in ONE_EXAMPLE
        self.arg_names = ("weights", "biases", "X" if batch else "x", "Y" if batch else "y")

    # -- networks and variants

    def nets(self, square=False, first=False):
        """The test networks; ``first``: only the first one, for a quick rejection."""
        if first and square not in self._nets:
            if ("first", square) not in self._nets:
                self._nets["first", square] = self._build_nets(square, count=1)
            return self._nets["first", square]
        if square not in self._nets:
            self._nets[square] = self._build_nets(square)
        return self._nets[square]

    def _build_nets(self, square, count=None):
        given = [list(self.sizes)] * len(SIZES) if self.sizes else SIZES
        if self.form.name == "scalar":
            sizes, N = [[1] * len(s) for s in given], 1
        elif square:
            sizes, N = [[SQUARE[0]] * len(s) for s in given], SQUARE_BATCH
        else:
            sizes, N = given, BATCH
        N = 1 if self.form.name in ONE_EXAMPLE else N
        return [_build(self.form, make_case(s, N, self.names["activation"], self.names["cost"],
                                            self.seed + i, self.names["output_activation"]))
                for i, s in enumerate(sizes[:count])]

    def variants(self, square=False):
        """{(mistake id, equation): [(trace, pair) per network]} for the variants that run
        and differ from the right result on these networks."""
        if square not in self._variants:
            nets, found = self.nets(square), {}
            for m, eq in candidates(self.form.name):
                try:
                    with _quiet():
                        runs = []
                        for net in nets:
                            t = m.trace(self.form, *net.args, **net.names, equation=eq)
                            pair = _read(m.returns(t.nabla_w[1:], t.nabla_b[1:]), len(net.sizes)
                                         - 1, self.form.feature_axis is None)
                            runs.append((t, pair))
                except Exception:
                    continue               # cannot be made on these networks
                if not all(_same(p, net.truth) for (_, p), net in zip(runs, nets)):
                    found[m.id, eq] = runs
            self._variants[square] = found
        return self._variants[square]

    def matches(self, results, square, of=lambda run: run[1]):
        """The variants whose results (``of`` each run) agree with ``results`` on every network."""
        return [key for key, runs in self.variants(square).items()
                if all(_same(r, of(run), self.bound) for r, run in zip(results, runs))]

    # -- backprop(weights, biases, x, y)

    def backprop(self, fn):
        try:
            inspect.signature(fn).bind(*self.arg_names)
        except TypeError:
            return self._diagnosis(_Verdict(False, None, "signature", [
                f"Your function's parameters are {_params(fn)}; the check calls it as "
                f"backprop({', '.join(self.arg_names)}), four positional arguments.",
                "Wrap it if it needs more, for example "
                f"lambda {', '.join(self.arg_names)}: my_backprop({', '.join(self.arg_names)}, "
                "...).", self._problem("signature"), self._settings()]))
        except ValueError:
            pass                            # no signature to read (a builtin): just call it
        nets = self.nets()
        calls = [_call(fn, net.args, self.arg_names) for net in nets]
        failed = next(((c, net) for c, net in zip(calls, nets) if c.error is not None), None)
        verdict = self._after_error(fn, *failed) if failed else self._judge_calls(fn, calls, nets)
        if not failed and not _deterministic(fn, nets[0], calls[0], self.arg_names):
            verdict = _Verdict(False, None, "unknown", [
                "Your function returns different results when called twice with the same "
                "arguments: does it draw random numbers (dropout, np.random) or keep state "
                "between calls? Backprop's gradients depend only on the network and the "
                "data; remove the randomness to check it.", self._settings()])
        elif verdict.ok and not self.sizes:
            verdict = self._other_depths(fn, verdict)
        changed = sorted({n for c in calls for n in c.changed})
        return self._diagnosis(self._hints(verdict, fn, changed))

    def _hints(self, verdict, fn, changed):
        """The verdict with what else the calls showed: changed arguments, another
        form the code is right in, parameters in another order."""
        if changed:
            note = (f"Your function also changes its arguments in place ({'; '.join(changed)}); "
                    "backprop should leave the network and the data as they were.")
            verdict = (verdict._replace(lines=verdict.lines[:1] + [note] + verdict.lines[1:])
                       if not verdict.ok else
                       _Verdict(False, None, "modifies_input", [
                           "Your gradients are right, but your function changes its "
                           f"arguments in place ({'; '.join(changed)}); backprop should leave "
                           "the network and the data as they were.",
                           self._problem("modifies_input"), self._settings()]))
        elsewhere = self._right_elsewhere(fn) if not verdict.ok and not changed else None
        if elsewhere:
            asked = verdict.lines[0]          # with the line of code it quotes, if any
            name, in_by_out = elsewhere
            if in_by_out:
                m = CATALOGUE["weights_in_by_out"]
                how = ("returns each nabla_w[l] in × out, (n_in, n_out)" if in_by_out == "returns"
                       else "reads each weights[l] as stored in × out, (n_in, n_out)")
                verdict = _Verdict(False, None, m.id, [
                    f"Your code is a correct {name} backprop ({_LAYOUTS[name]}) in nnfs's "
                    f"layout: it {how}, as nnfs and many libraries store weights; here "
                    f"weights[l] is (n_out, n_in), and each nabla_w[l] must have that shape.",
                    f"Fix: {m.fix}; drop the transposes your forward and backward passes "
                    f"apply to the weights." + (f" Then run the check with --form {name}."
                                               if name != self.form.name else ""),
                    f"In the {self.form.name} form, as asked, the check says: {asked}",
                    self._more(m), self._settings()])
            else:
                verdict = _Verdict(False, None, "wrong_form", [
                    f"Your code is a correct {name} backprop ({_LAYOUTS[name]}); run "
                    f"the check with --form {name} (in Python, form=\"{name}\").",
                    f"In the {self.form.name} form, which was asked for "
                    f"({_LAYOUTS.get(self.form.name, _LAYOUTS['vectorized'])}), the check "
                    f"says: {asked}", self._problem("wrong_form"), self._settings()])
        elif not verdict.ok and not changed and (
                verdict.mistake == "unknown" or verdict.mistake in CATALOGUE):
            verdict = self._other_settings(fn, verdict) or verdict
        order = _order_hint(fn, self.arg_names)
        if order and not verdict.ok:
            at = 1 if verdict.equation else 0       # after the headline, if there is one
            verdict = verdict._replace(lines=verdict.lines[:at] + [order] + verdict.lines[at:])
        return verdict

    def _right_elsewhere(self, fn):
        """(form name, in_by_out) of another layout in which ``fn`` is right, or None.

        ``in_by_out``: right when every weight matrix is handed over transposed,
        stored in × out (and, with examples as rows, every bias as a row), the
        gradients read back the same way.  From a mini-batch form only the other
        mini-batch layout is tried for the same storage: batch code with a slip
        in its reduction over the examples is right on one example, so "right in
        the vectorized form" would only mislead.
        """
        mine = "vectorized" if self.form.name == "index" else self.form.name
        tried = {"batched": ("rowmajor",), "rowmajor": ("batched",)}.get(
            mine, ("vectorized", "batched", "rowmajor", "scalar"))
        trials = [(name, False) for name in tried if name != mine]
        trials += [(name, True) for name in ("vectorized", "batched", "rowmajor")
                   if self.form.name != "scalar"]
        for name, in_by_out in trials:
            try:
                other = _Check(name, seed=self.seed, sizes=self.sizes, **self.names)
                nets = other.nets()
            except ValueError:             # a setting that form cannot take
                continue
            if _right_on(fn, other, nets, in_by_out):
                if not in_by_out and any(_right_transposed(fn, other, net) for net in nets[:1]):
                    return name, "returns"
                return name, in_by_out
        return None

    def _other_depths(self, fn, verdict):
        """``verdict`` if ``fn`` is also right on networks of DEPTHS, else why not."""
        for sizes in DEPTHS:
            other = _Check(self.form.name, seed=self.seed, sizes=sizes, **self.names)
            net = other.nets()[0]
            call = _call(fn, net.args, self.arg_names)
            if call.error is not None:
                why = explain(call.error, [HERE, algorithm.__file__])
                return _Verdict(False, None, "raises", [
                    f"Your gradients are right on networks of "
                    f"{_layers_of_weights(len(SIZES[0]) - 1)}, but on one of {len(sizes) - 1}, "
                    f"with layer sizes {net.sizes}, your code raises {why.text()}",
                    "Backprop must work for any depth: take the number of layers from "
                    "len(weights). To check code written for one depth, give its widths "
                    "with --sizes (in Python, sizes=[...]).", self._problem("raises"),
                    self._settings()])
            if not _right_on(fn, other, [net], False):
                return _Verdict(False, None, "unknown", [
                    f"Your gradients are right on networks of "
                    f"{_layers_of_weights(len(SIZES[0]) - 1)}, but not on one of "
                    f"{len(sizes) - 1}, with layer sizes {net.sizes}: backprop must work "
                    "for any depth; take the number of layers from len(weights).",
                    self._settings()])
        depths = " and ".join(str(list(s)) for s in DEPTHS)
        return verdict._replace(lines=verdict.lines[:-1] + [
            f"It is also right on networks of other depths, layer sizes {depths}."]
            + verdict.lines[-1:])

    def _right_with_settings(self, fn):
        """(activation, output_activation, cost), other than the asked ones, under which
        ``fn`` is right, or None: the fewest changed flags first."""
        from derivations.activations import ACTIVATIONS, HIDDEN_ACTIVATIONS
        from derivations.costs import COSTS

        asked = self._asked()
        # a linear output before a ReLU one: on networks whose outputs are all active
        # the two give the same gradients, and a linear output is the usual one
        outputs = sorted(ACTIVATIONS, key=lambda o: o == "relu")
        tries = sorted(((a, o, c) for c in COSTS for a in HIDDEN_ACTIVATIONS
                        for o in outputs if (a, o, c) != asked),
                       key=lambda s: len(_flags(s, asked)))
        for activation, output, cost in tries:
            try:
                other = _Check(self.form.name, activation, cost, output, self.seed,
                               self.sizes)
                if not _right_on(fn, other, other.nets(first=True), False):
                    continue
                if _right_on(fn, other, other.nets(), False):
                    return activation, output, cost
            except ValueError:
                continue
        return None

    def _asked(self):
        """(activation, output activation, cost) asked for, the output's made explicit."""
        a = self.names["activation"]
        return a, self.names["output_activation"] or a, self.names["cost"]

    def _other_settings(self, fn, verdict):
        """A wrong_settings verdict if ``fn`` is right under other settings, else None.

        When the settings asked for make ``fn``'s result a catalogued mistake
        (Nielsen's cross-entropy δᴸ = a − y, checked with the quadratic cost, is
        missing_sigma_prime), the verdict stays that mistake, the catalogue's id for
        what the code does with the settings asked for; the settings it is right for
        are said first, and the mistake's fix after them, for the case that the
        asked settings are the reader's network."""
        settings = self._right_with_settings(fn)
        if not settings:
            return None
        asked = self._asked()
        flags = " ".join(_flags(settings, asked))
        activation, output, cost = settings
        network = _network_words(activation, output)
        lines = [f"Your gradients are right for {flags}: your code is right for a network "
                 f"with {network}, and the {cost} cost. If that is your network, run the "
                 f"check with {flags}; if not, your σ, σ′ or ∇ₐC is that setting's."]
        said = verdict.lines[0]
        if verdict.mistake in CATALOGUE and CATALOGUE[verdict.mistake].equations:
            m = CATALOGUE[verdict.mistake]
            lines.append(
                f"With the settings asked for ({_network_words(*asked[:2])}, the {asked[2]} "
                f"cost), {verdict.equation} is wrong: it is \"{m.title}\" (mistake {m.id}); "
                f"your {verdict.equation} equals the correct one {m.change}. If those "
                f"settings are your network's, then: Fix: {m.fix_for(self.form.name)}.")
            lines.append(self._more(m))
            return _Verdict(False, verdict.equation, m.id, lines + [
                self._problem("wrong_settings"), self._settings()])
        lines.append(f"With the settings asked for, the check says: {said}")
        return _Verdict(False, None, "wrong_settings", lines + [
            self._problem("wrong_settings"), self._settings()])

    def _judge_calls(self, fn, calls, nets, square=False):
        L = len(nets[0].sizes) - 1
        try:
            pairs = [_read(c.result, L, self.form.feature_axis is None) for c in calls]
        except _Unreadable as exc:
            none = any(c.result is None for c in calls)
            return _Verdict(False, None, "returns_none" if none else "unknown",
                            [_period(f"Your function {exc}"), self._contract(),
                             self._problem("returns_none") if none else "",
                             self._settings(square)])
        low = _low_precision(c.result for c in calls)
        if not low:
            return self._judge(fn, pairs, nets, square)
        self.bound = LOW_PRECISION                   # float32 is judged to float32's bound
        try:
            verdict = self._judge(fn, pairs, nets, square)
        finally:
            self.bound = BOUND
        if verdict.ok:
            worst = max(rel_error(p.w + p.b, n.truth.w + n.truth.b) for p, n in zip(pairs, nets))
            return _Verdict(False, None, "float32", [
                f"Your gradients are {low}, and agree with central differences to a "
                f"relative error of {worst:.1e}: right to {low}'s precision (within "
                f"{LOW_PRECISION:g}), but the bound {BOUND:g} needs float64. Compute in "
                f"float64 and run the check again; then it can tell a right equation from "
                "a slightly wrong one.", self._problem("float32"), self._settings(square)])
        return verdict._replace(lines=verdict.lines[:1] + [
            f"(Your gradients are {low}: they are held to {low}'s bound, "
            f"{LOW_PRECISION:g}, not float64's.)"] + verdict.lines[1:])

    def _judge(self, fn, pairs, nets, square):
        """The verdict on well-formed results ``pairs``."""
        worst = max(rel_error(p.w + p.b, n.truth.w + n.truth.b) if not _shape_problems(
            p, n, self.arg_names) else np.inf for p, n in zip(pairs, nets))
        if worst <= self.bound:
            return _Verdict(True, None, None, [
                f"Correct: your backprop's gradients agree with central differences on "
                f"every network, largest relative error {worst:.1e} (the bound is {BOUND:g}).",
                self._settings(square)])
        problems = [f"{_sentence(p)} (on the network with layer sizes {net.sizes})."
                    for pair, net in zip(pairs, nets)
                    for p in _shape_problems(pair, net, self.arg_names)]
        found = self.matches(pairs, square)
        if found:
            evidence = (problems[:1] if problems else
                        lambda eq: [self._evidence(eq, pairs, nets)])
            return self._matched(found, square, evidence)
        if problems and self._unreduced_bias(pairs, nets):
            return self._matched([("bias_not_reduced", None)], square, problems[:1])
        two = self._two_slips(pairs, nets, square)
        if two:
            return self._matched_two(two, pairs, nets, square)
        undone = self._undo_convention(pairs, nets)
        if undone:
            convention, fixed = undone
            verdict = self._judge(fn, fixed, nets, square)
            head = (f"Your gradients are {CATALOGUE[convention].change}; read back "
                    "that way, they are checked below.")
            return verdict._replace(lines=[head] + verdict.lines)
        flipped = self._flipped_layers(pairs, nets)
        if flipped:
            return self._transposed_in(fn, flipped, pairs, nets, square)
        if problems:
            first = self._bp1_first(pairs, nets, problems, square)
            if first:
                return first
            eq = "BP4" if any(p.startswith("Your nabla_w") for p in problems) else "BP3"
            rule = ("BP4 gives ∂C/∂wˡ, which has the shape of wˡ" if eq == "BP4"
                    else "BP3 gives ∂C/∂bˡ, which has the shape of bˡ")
            reshaped = [_Pair([g.reshape(t.shape) if g.size == t.size else g
                               for g, t in zip(p.w, n.truth.w)],
                              [g.reshape(t.shape) if g.size == t.size else g
                               for g, t in zip(p.b, n.truth.b)]) for p, n in zip(pairs, nets)]
            numbers = ("Your gradients hold the right numbers, in the wrong shapes."
                       if all(_same(p, n.truth) for p, n in zip(reshaped, nets)) else "")
            return _Verdict(False, eq, "unknown", [
                f"{eq} is wrong: your gradients do not have the shapes of the parameters. "
                f"{problems[0]}", numbers, f"{rule}.",
                f"It matches none of the {len(CATALOGUE)} catalogued mistakes.", self._see(eq),
                self._settings(square)])
        eq, lines = self._where(fn, pairs, nets)
        forward = self._forward_differs(pairs, nets) if eq in ("BP1", "BP2") else []
        if forward:
            return _Verdict(False, None, "unknown", [
                f"Your forward pass is wrong, before any of the four equations: in "
                f"{_layer_list(forward)} your nabla_w is δˡ (ãˡ⁻¹)ᵀ with activations ãˡ⁻¹ that "
                f"are not the network's aˡ⁻¹ = σ(wˡ⁻¹ aˡ⁻² + bˡ⁻¹).",
                "Check the forward pass: each weighted input z = w a + b (with the bias), and "
                f"σ = {self.names['activation']} applied to it (the output layer's: "
                f"{self.names['output_activation'] or self.names['activation']}).", *lines[1:2],
                self._settings(square)])
        unwritten = lines[-1].endswith("written yet?")
        if eq in ("BP1", "BP2") and not unwritten:
            lines = lines + self._sigma_prime_hint(fn, pairs, nets, eq)
        return _Verdict(False, eq, "unknown", lines + [
            "" if unwritten else f"It matches none of the {len(CATALOGUE)} catalogued mistakes.",
            self._see(eq), self._settings(square)])

    def _flipped_layers(self, pairs, nets):
        """The layers (0-based) whose nabla_w is transposed on every network, when that
        is every shape problem there is (the in × out layout, every layer and bias
        flipped, is read elsewhere)."""
        if self.form.feature_axis is None:
            return []
        flipped = set()
        for p, n in zip(pairs, nets):
            if any(g.shape != t.shape for g, t in zip(p.b, n.truth.b)):
                return []
            for l, (g, t) in enumerate(zip(p.w, n.truth.w)):
                if g.shape != t.shape:
                    if g.shape != t.shape[::-1]:
                        return []
                    flipped.add(l)
        return sorted(flipped)

    def _transposed_in(self, fn, flipped, pairs, nets, square):
        """BP4 transposed in the layers ``flipped`` (0-based): read those back, and check
        the equations in order, BP1 first, on the result."""
        m = CATALOGUE["transposed_gradient"]
        fixed = [_Pair([g.T if g.shape != t.shape else g for g, t in zip(p.w, n.truth.w)],
                       p.b) for p, n in zip(pairs, nets)]
        names = ", ".join(f"nabla_w[{l}]" for l in flipped)
        layers = _layer_list([l + 1 for l in flipped])
        L = len(nets[0].sizes) - 1
        where = "every layer" if len(flipped) == L else f"{layers} of the text ({names})"
        said = (f"in {where} your BP4 is {m.change}, so those nabla_w have the shape of "
                f"(wˡ)ᵀ (mistake {m.id}).")
        verdict = self._judge(fn, fixed, nets, square)
        if verdict.ok:
            return _Verdict(False, "BP4", m.id, [
                f"BP4 is wrong, in a known way: \"{m.title}\" (mistake {m.id}), in {where}.",
                _sentence(said), "Read back transposed there, your gradients are right.",
                f"Fix: {m.fix_for(self.form.name)}.", self._more(m), self._settings(square)])
        return verdict._replace(lines=verdict.lines[:-1] + [
            f"BP4 has a second slip: {said} Read back transposed there, your gradients "
            "were checked above equation by equation.", self._more(m)] + verdict.lines[-1:])

    def _bp1_first(self, pairs, nets, problems, square):
        """BP1's verdict, when nabla_b has its shapes and the output layer's is wrong:
        the first equation is reported before the shapes of a later one."""
        if any(p.startswith("Your nabla_b") for p in problems):
            return None
        err = rel_error([p.b[-1] for p in pairs], [n.truth.b[-1] for n in nets])
        if not _bad(err, self.bound):
            return None
        found = [k for k in self.matches([_Pair([], [p.b[-1]]) for p in pairs], square,
                                         of=lambda run: _Pair([], [run[1].b[-1]]))
                 if k[1] in (None, "BP1") and "BP1" in CATALOGUE[k[0]].equations]
        evidence = [self._evidence("BP1", [_Pair(p.b, p.b) for p in pairs], nets),
                    f"Your nabla_w also has wrong shapes: {problems[0]}"]
        if found:
            return self._matched(found, square, evidence)
        return _Verdict(False, "BP1", "unknown", ["BP1 is wrong."] + evidence + [
            f"It matches none of the {len(CATALOGUE)} catalogued mistakes.", self._see("BP1"),
            self._settings(square)])

    def _two_slips(self, pairs, nets, square):
        """((id, eq), (id, eq)): two catalogue variants in different equations that,
        made together, give ``pairs`` on every network; or None.

        Each equation is thus fingerprinted given the other's slip upstream, so a
        second slip after the first is still named."""
        singles = [(m, eq) for m, eq in candidates(self.form.name) if m.equations
                   and (eq is not None or len(m.equations) == 1)]
        for (m1, e1), (m2, e2) in ((a, b) for i, a in enumerate(singles)
                                   for b in singles[i + 1:]):
            q1, q2 = e1 or m1.equations[0], e2 or m2.equations[0]
            if q1 == q2 or m1.id == m2.id or (m1.loop and m2.loop):
                continue
            if ((m1.cost and m2.cost) or (m1.activation and m2.activation)):
                continue
            try:
                with _quiet():
                    runs = [_read(_made_together(self.form, net, (m1, e1), (m2, e2)),
                                  len(net.sizes) - 1, self.form.feature_axis is None)
                            for net in nets]
            except Exception:
                continue
            if all(_same(r, p, self.bound) for r, p in zip(runs, pairs)):
                first, second = sorted([(m1, q1), (m2, q2)], key=lambda k: k[1])
                return first, second
        return None

    def _matched_two(self, two, pairs, nets, square):
        (m1, q1), (m2, q2) = two
        lines = [f"{q1} is wrong, in a known way: \"{m1.title}\" (mistake {m1.id}); and "
                 f"{q2} has a second slip: \"{m2.title}\" (mistake {m2.id}).",
                 self._evidence(q1, pairs, nets),
                 f"Your gradients equal the correct ones with two changes: your {q1} "
                 f"{m1.change}, and your {q2} {m2.change}.",
                 f"Fix {q1}: {m1.fix_for(self.form.name)}.",
                 f"Fix {q2}: {m2.fix_for(self.form.name)}.",
                 self._more(m1), self._more(m2), self._settings(square)]
        return _Verdict(False, q1, m1.id, lines)

    def _unreduced_bias(self, pairs, nets):
        """True in a mini-batch form if every nabla_w has its shape and every nabla_b
        keeps one entry per example (the shape of Δˡ, either way round)."""
        if self.form.name in ONE_EXAMPLE:
            return False
        N = self._batch(nets)
        for p, n in zip(pairs, nets):
            if any(g.shape != t.shape for g, t in zip(p.w, n.truth.w)):
                return False
            if any(g.shape not in ((t.shape[0], N), (N, t.shape[0])) for g, t in
                   zip(p.b, n.truth.b)):
                return False
        return True

    def _where(self, fn, pairs, nets):
        """The first wrong equation, from the result, and the sentences that show it."""
        err = _errors(pairs, nets)
        if _bad(err["b", "out"], self.bound) and _bad(err["w", "out"], self.bound):
            eq = "BP1"
        elif _bad(err["b", "out"], self.bound) or (
                _bad(err["b", "hidden"], self.bound) and not _bad(err["w", "hidden"], self.bound)):
            eq = "BP3"
        elif _bad(err["b", "hidden"], self.bound):
            eq = "BP2"
        else:
            eq = "BP4"
        lines = [self._evidence(eq, pairs, nets)]
        if self.form.name not in ONE_EXAMPLE and eq in ("BP1", "BP2") and (
                self._one_example_each(fn, nets)):
            eq = "BP3" if _bad(err["b", "every"], self.bound) else "BP4"
            part = "nabla_b" if eq == "BP3" else "nabla_w"
            lines = [f"With one example at a time your gradients are right, so BP1 and BP2 "
                     f"are; with {self._batch(nets)} examples your {part} "
                     f"{_differs(err[part[-1], 'every'], 's', self.bound)}."]
        return eq, [f"{eq} is wrong."] + lines + self._layers(pairs, nets, eq) + self._scale(
            pairs, nets, eq)

    def _sigma_prime_hint(self, fn, pairs, nets, eq):
        """A sentence when the first wrong δ is the right one with its σ′ factor replaced
        (BP2) or multiplied (BP1) by another activation's σ′ written in terms of a:
        tanh code with the sigmoid's a(1 − a), or a softmax δᴸ with an extra a(1 − a).
        Judged elementwise on one example of each network."""
        singles = []
        for pair, net in zip(pairs, nets):
            if self.form.name in ONE_EXAMPLE:
                singles.append((pair, net))
                continue
            axis = 1 - self.form.feature_axis
            one = [np.take(a, [0], axis=axis) for a in net.args[2:]]
            single = _build(self.form, _column_case(net, one, self.form))
            call = _call(fn, single.args, self.arg_names)
            try:
                if call.error is not None:
                    return []
                singles.append((_read(call.result, len(net.sizes) - 1, False), single))
            except _Unreadable:
                return []
        L = len(nets[0].sizes) - 1
        if eq == "BP1":
            layer = L
        else:
            wrong = [l for l in range(1, L) if _bad(rel_error(
                [p.b[l - 1] for p, _ in singles], [n.deltas[l] for _, n in singles]),
                self.bound)]
            if not wrong:
                return []
            layer = max(wrong)
        mine, base, acts = [], [], []
        sigma = self.sigma_L if eq == "BP1" else self.sigma
        for p, n in singles:
            right = np.ravel(np.asarray(n.deltas[layer], dtype=float))
            a = np.ravel(np.asarray(n.trace.a[layer], dtype=float))
            if eq == "BP2":
                sp = np.ravel(np.asarray(sigma.prime_from(n.trace.z[layer], n.trace.a[layer]),
                                         dtype=float))
                if not np.all(np.abs(sp) > 1e-12):
                    return []
                right = right / sp                 # (wˡ⁺¹)ᵀ δˡ⁺¹, before σ′
            mine.append(np.ravel(np.asarray(p.b[layer - 1], dtype=float)))
            base.append(right)
            acts.append(a)
        for name, (formula, f) in _PRIMES_OF_A.items():
            if eq == "BP2" and name == self.names["activation"]:
                continue
            if rel_error(mine, [f(a) * b for a, b in zip(acts, base)]) > 1e-6:
                continue
            if eq == "BP1":
                out = (f"Your δᴸ is the right δᴸ times {formula} elementwise, the σ′ of "
                       f"{name} written in terms of a: an extra factor.")
                if self.cost.output is not None:
                    out += (f" With {_article(self.sigma_L.name)} output and the "
                            f"{self.names['cost']} cost, δᴸ = a − y: there is no σ′ factor "
                            "to multiply by.")
                return [out]
            own = _PRIMES_OF_A.get(self.names["activation"], ("σ′(zˡ)", None))[0]
            return [f"In layer {layer}, your σ′ is {formula}, the σ′ of {name} written in "
                    f"terms of a; the hidden layers' σ is {self.names['activation']}, whose σ′ is "
                    f"{own}."]
        return []

    def _forward_differs(self, pairs, nets):
        """The layers l ≥ 2 (the text's numbering) whose nabla_w is an outer product δˡ ãᵀ
        of the reader's own δˡ with activations ã that are not the forward pass's, while
        layer 1, whose input is x itself, agrees: a forward-pass slip.  One example only."""
        if self.form.name not in ONE_EXAMPLE:
            return []
        L = len(nets[0].sizes) - 1
        bp4 = self.form.bp4
        with _quiet():
            try:
                first = [bp4(n.trace.a[0], p.b[0]) for p, n in zip(pairs, nets)]
            except Exception:
                return []
            if rel_error([p.w[0] for p in pairs], first) > 1e-6:
                return []
            off = []
            for l in range(2, L + 1):
                mine, theirs = [], []
                for p, n in zip(pairs, nets):
                    d, gw = np.asarray(p.b[l - 1], float), np.asarray(p.w[l - 1], float)
                    dd = float(np.sum(d * d))
                    if dd == 0:
                        return []
                    a = (gw.T @ d / dd) if d.ndim == 2 else gw / d      # ãˡ⁻¹ from nabla_w
                    if rel_error(bp4(a, d), gw) > 1e-6:
                        return []                      # not an outer product with δˡ
                    mine.append(a)
                    theirs.append(n.trace.a[l - 1])
                if rel_error(mine, theirs) > 1e-4:
                    off.append(l)
        return off

    def _layers(self, pairs, nets, eq):
        """Where, layer by layer (the text's l = 1 … L), when only some layers are wrong,
        and the layers whose gradients are all zeros."""
        L = len(nets[0].sizes) - 1
        part = "w" if eq == "BP4" else "b"
        name = "nabla_w" if part == "w" else "nabla_b"
        wrong = [l for l in range(1, L + 1) if _bad(rel_error(
            [getattr(p, part)[l - 1] for p in pairs],
            [getattr(n.truth, part)[l - 1] for n in nets]), self.bound)]
        zero = [l for l in range(1, L + 1) if all(
            not np.any(p.w[l - 1]) and not np.any(p.b[l - 1]) for p in pairs)]
        out = []
        if wrong and len(wrong) < L:
            right = [l for l in range(1, L + 1) if l not in wrong]
            out.append(f"Layer by layer (l = 1 … {L}): your {name} is wrong in "
                       f"{_layer_list(wrong)} and right in {_layer_list(right)}.")
        if zero and len(zero) < L:
            out.append(f"In {_layer_list(zero)} your nabla_w and nabla_b are all zeros: "
                       "is that layer's gradient ever computed? A loop over the layers that "
                       "stops one layer early leaves it as it was initialised.")
        return out

    def _evidence(self, eq, pairs, nets):
        """What the result shows about equation ``eq``, with the relative error measured."""
        err = _errors(pairs, nets)
        batch = self.form.name not in ONE_EXAMPLE
        per = "the batch mean of " if batch else ""
        if eq == "BP1":
            said = (f"{per}your output error δᴸ (your nabla_b for the last layer) "
                    f"{_differs(err['b', 'out'], 's', self.bound)}")
        elif eq == "BP2":
            said = (f"{per}your output error δᴸ is right, but {per}your hidden-layer errors δˡ "
                    f"(your nabla_b for the hidden layers) "
                    f"{_differs(err['b', 'hidden'], 's' if batch else '', self.bound)}")
        elif eq == "BP3":
            said = f"your nabla_b {_differs(err['b', 'every'], 's', self.bound)}"
            if not _bad(err["w", "every"], self.bound):
                said += ("; your nabla_w is right, so your errors δˡ are, and BP3 is what "
                         "turns them into nabla_b")
        else:
            said = f"your nabla_w {_differs(err['w', 'every'], 's', self.bound)}"
            if not _bad(err["b", "every"], self.bound):
                said = ("your errors δˡ are right, as your nabla_b shows, but " + said)
        return _sentence(f"{said}.")

    def _batch(self, nets):
        return nets[0].args[2].shape[1 - self.form.feature_axis]

    def _one_example_each(self, fn, nets):
        """True if ``fn`` is right on the first example of every network alone."""
        for net in nets:
            axis = 1 - self.form.feature_axis
            one = [np.take(a, [0], axis=axis) for a in net.args[2:]]
            case = _column_case(net, one, self.form)
            single = _build(self.form, case)
            call = _call(fn, single.args, self.arg_names)
            if call.error is not None:
                return False
            try:
                pair = _read(call.result, len(net.sizes) - 1, False)
            except _Unreadable:
                return False
            if not _same(pair, single.truth):
                return False
        return True

    def _scale(self, pairs, nets, eq):
        """"your δ² is 0.9 times the right one": when each layer is a multiple of the truth."""
        part = "w" if eq == "BP4" else "b"
        L = len(nets[0].sizes) - 1
        layers = {"BP1": [L - 1], "BP2": list(range(L - 1))}.get(eq, list(range(L)))
        what = {"BP1": "δᴸ", "BP2": "δˡ", "BP3": "∂C/∂bˡ", "BP4": "∂C/∂wˡ"}[eq]
        if all(not np.any(getattr(p, part)[l]) for p in pairs for l in layers):
            return [f"Your {what} is zero everywhere: is {eq} written yet?"]
        per_net = _per_network_ratio(pairs, nets)
        if per_net:
            return per_net
        ratios = []
        for l in layers:
            got = np.concatenate([getattr(p, part)[l].ravel() for p in pairs])
            want = np.concatenate([getattr(n.truth, part)[l].ravel() for n in nets])
            if not np.all(np.isfinite(got)) or not np.any(want):
                return []
            c = float(got @ want / (want @ want))
            if c == 0 or abs(c - 1) < 1e-3 or rel_error(got, c * want) > 1e-6:
                return []
            ratios.append((l + 1, c))
        if len(ratios) == 1:
            return [f"Your {what} is {ratios[0][1]:.3g} times the right one."]
        if len({f"{c:.3g}" for _, c in ratios}) == 1:
            return [f"In every layer checked, your {what} is {ratios[0][1]:.3g} times the "
                    "right one."]
        return ["Layer by layer, your " + what + " is " + ", ".join(
            f"{c:.3g} times the right one in layer {l}" for l, c in ratios) + "."]

    def _matched(self, found, square, evidence):
        """The verdict when the result equals catalogue variants ``found``; ``evidence``
        is the sentences that show the equation wrong (or a function of the equation)."""
        # A mistake made everywhere can tie with the same mistake made in one equation
        # (a cross-entropy output cancels σ′ in BP1): the narrower one is what shows.
        key, eq = min(found, key=lambda k: len([k[1]] if k[1] else CATALOGUE[k[0]].equations))
        m = CATALOGUE[key]
        made = [eq] if eq else list(m.equations)
        lines = []
        others = list(dict.fromkeys(k for k, _ in found if k != key))
        if not m.equations:                       # a convention: the gradients are right
            lines += [f"Your gradients are right, but {m.change} (mistake {m.id}).",
                      f"Fix: {m.fix_for(self.form.name)}.", self._more(m), self._settings(square)]
            return _Verdict(False, None, m.id, lines)
        first, eqs = made[0], " and ".join(made)
        verb = "equals" if len(made) == 1 else "equal"
        also = ([f"On these networks that is also what {', '.join(others)} would give."]
                if others else [])
        lines += [f"{first} is wrong, in a known way: \"{m.title}\" (mistake {m.id}).",
                  *(evidence(first) if callable(evidence) else evidence),
                  f"Your {eqs} {verb} the correct {eqs} {m.change}.", *also,
                  f"Fix: {m.fix_for(self.form.name)}.",
                  self._more(m), self._settings(square)]
        return _Verdict(False, first, m.id, lines)

    def _undo_convention(self, pairs, nets):
        """(id, pairs read back) if the shapes say Nielsen's order or the in × out layout."""
        shapes = [([g.shape for g in p.w], [g.shape for g in p.b]) for p in pairs]
        want = [([g.shape for g in n.truth.w], [g.shape for g in n.truth.b]) for n in nets]
        if shapes == want or self.form.feature_axis is None:
            return None
        if [(b, w) for w, b in shapes] == want:
            return "return_order", [_Pair(p.b, p.w) for p in pairs]
        if [([s[::-1] for s in w], [s[::-1] for s in b]) for w, b in shapes] == want:
            return "weights_in_by_out", [_Pair([g.T for g in p.w], [g.T for g in p.b])
                                         for p in pairs]
        return None

    def _after_error(self, fn, call, net):
        """The verdict when ``fn`` raised on a network whose layers differ in width."""
        why = explain(call.error, [HERE, algorithm.__file__])
        said = [f"On the network with layer sizes {net.sizes}, your code raises {why.text()}"]
        not_written = isinstance(call.error, NotImplementedError)
        if not_written:
            found = NOT_WRITTEN.search(str(call.error))
            eq = f"BP{found.group(1)}" if found else None
            return _Verdict(False, eq, "unknown", [
                f"{eq or 'Part of your backprop'} is not written yet: {why.where} still "
                f"raises {why.error}.", "Write it, then run the check again.",
                self._settings()])
        if self.form.name != "scalar":
            squares = self.nets(square=True)
            calls = [_call(fn, n.args, self.arg_names) for n in squares]
            if all(c.error is None for c in calls):
                verdict = self._judge_calls(fn, calls, squares, square=True)
                if verdict.ok:
                    return _Verdict(False, None, "raises", said + [
                        f"On networks whose layers are all {SQUARE[0]} wide it runs and is "
                        "right: somewhere a size is taken from the wrong layer, which only "
                        "equal widths hide.", self._problem("raises"), self._settings()])
                lead = f"On networks whose layers are all {SQUARE[0]} wide it runs:"
                return verdict._replace(lines=verdict.lines[:1] + said + [lead]
                                        + verdict.lines[1:])
        depth = _fixed_depth(call.error, net)
        if depth:
            said.append(depth)
        return _Verdict(False, None, "raises", said + [
            "This matches none of the catalogued mistakes by itself; fix the line above and "
            "run the check again.", self._problem("raises"), self._settings()])

    # -- bp1…bp4

    def equations(self, functions):
        units = {eq: self._unit(eq, f) for eq, f in functions.items()}
        status = [f"{eq.lower()}: {u.status}" for eq, u in units.items()]
        summary = (["Status: " + ", ".join(status) + "."] if len(units) > 1 else [])
        skipped = [eq for eq, u in units.items() if u.status == SOFTMAX_BP1]
        checked = {eq: u for eq, u in units.items() if eq not in skipped}
        given = ", ".join(eq.lower() for eq in checked)
        wrong = [eq for eq in EQUATIONS if eq in checked and checked[eq].status != "right"]
        if not checked:
            return self._diagnosis(_Verdict(False, "BP1", "unknown", [
                "Nothing to check: with a softmax output, BP1 is δᴸ = Jᵀ ∇ₐC, the softmax's "
                "Jacobian applied to ∇ₐC, which bp1(nabla_a, sp) cannot express. Write "
                "bp2…bp4, or a whole backprop(weights, biases, x, y), which is checked with "
                "that BP1.", self._settings()]))
        if not wrong:
            worst = max(u.error for u in checked.values())
            missing = [f"bp{i}" for i in range(1, 5) if f"BP{i}" not in units]
            lines = [f"Correct: your {given} agree{'s' if len(checked) == 1 else ''} with "
                     f"central differences on every network, given the right inputs: largest "
                     f"relative error {worst:.1e} (the bound is {BOUND:g})."]
            if missing:
                lines.append(f"Not checked: {', '.join(missing)} (not defined).")
            if skipped:
                lines.append("Not checked: bp1, since with a softmax output BP1 is "
                             "δᴸ = Jᵀ ∇ₐC, not the elementwise product bp1(nabla_a, sp) "
                             "computes; bp2…bp4 were given the right δᴸ.")
            return self._diagnosis(_Verdict(True, None, None, lines + [self._settings()]))
        eq = wrong[0]
        unit = units[eq]
        verdict = self._unit_verdict(eq, functions[eq], unit)
        elsewhere = self._equations_elsewhere(functions)
        if elsewhere:
            return self._diagnosis(_Verdict(False, None, "wrong_form", [
                f"Your {given} are right in the {elsewhere} form ({_LAYOUTS[elsewhere]}); "
                f"run the check with --form {elsewhere} (in Python, form=\"{elsewhere}\").",
                f"In the {self.form.name} form, which was asked for, the check says: "
                f"{verdict.lines[0]}", self._problem("wrong_form"), self._settings()]))
        return self._diagnosis(verdict._replace(lines=verdict.lines[:-1] + summary
                                                + verdict.lines[-1:]))

    def _equations_elsewhere(self, functions):
        """Another form in whose layout every one of ``functions`` is right, or None
        (from a mini-batch form, only the other mini-batch layout: see _right_elsewhere)."""
        mine = "vectorized" if self.form.name == "index" else self.form.name
        tried = {"batched": ("rowmajor",), "rowmajor": ("batched",)}.get(
            mine, ("vectorized", "batched", "rowmajor", "scalar"))
        for name in tried:
            if name == mine:
                continue
            try:
                other = _Check(name, seed=self.seed, sizes=self.sizes, **self.names)
                units = [other._unit(eq, f) for eq, f in functions.items()]
            except Exception:
                continue
            if all(u.status in ("right", SOFTMAX_BP1) for u in units) and any(
                    u.status == "right" for u in units):
                return name
        return None

    def _inputs(self, eq, net):
        """(arguments, expected, layer) for each call of ``eq`` on ``net``: the right inputs."""
        t, L = net.trace, len(net.sizes) - 1
        w = [None, *net.args[0]]
        if eq == "BP1":
            nabla_a = self.cost.grad(t.a[L], net.args[3])
            sp = self.sigma_L.prime_from(t.z[L], t.a[L])
            return [((nabla_a, sp), net.deltas[L], L)]
        if eq == "BP2":
            return [((w[l + 1], t.delta[l + 1], self.sigma.prime_from(t.z[l], t.a[l])),
                     net.deltas[l], l) for l in range(L - 1, 0, -1)]
        if eq == "BP3":
            return [((t.delta[l],), net.truth.b[l - 1], l) for l in range(1, L + 1)]
        return [((t.a[l - 1], t.delta[l]), net.truth.w[l - 1], l) for l in range(1, L + 1)]

    def _unit(self, eq, fn, square=False):
        """Call ``fn`` on the right inputs of every layer of every network; compare."""
        scalar = self.form.feature_axis is None
        names = _ARG_NAMES[eq]
        if eq == "BP1" and self.sigma_L.vjp is not None:
            return _Unit(SOFTMAX_BP1, 0.0, None, None, [], [])
        got, want, outputs = [], [], []
        for net in self.nets(square):
            per_net = []
            for args, expected, l in self._inputs(eq, net):
                call = _call(fn, args, names)
                if call.error is not None:
                    status = ("not written yet" if isinstance(call.error, NotImplementedError)
                              else "raises an error")
                    return _Unit(status, np.inf, call, net, [], call.changed)
                if call.changed:
                    return _Unit("changes its arguments", np.inf, call, net, [], call.changed)
                try:
                    out = np.array(call.result, dtype=float)
                except (TypeError, ValueError):
                    return _Unit("returns no numbers", np.inf, call, net, [], [])
                if scalar and out.size == 1:
                    out = out.reshape(())
                right_shape = np.shape(expected)
                if out.shape != right_shape:
                    return _Unit("wrong shape", np.inf, call, net, [], [], (l, out.shape,
                                                                            right_shape))
                per_net.append(out)
                got.append(out)
                want.append(expected)
            outputs.append(per_net)
        error = rel_error(got, want)
        return _Unit("right" if error <= BOUND else "wrong", error, None, None, outputs, [])

    def _unit_verdict(self, eq, fn, unit, square=False):
        head = f"{eq} is wrong"
        given = _GIVEN[eq]
        if unit.status == "not written yet":
            why = explain(unit.call.error, [HERE])
            return _Verdict(False, eq, "unknown", [
                f"{eq} is not written yet: your {eq.lower()} still raises {why.error} "
                f"({why.where}).", "Write it, then run the check again.", self._settings()])
        if unit.status == "changes its arguments":
            return _Verdict(False, eq, "unknown", [
                f"{head}: your {eq.lower()} changes its arguments in place "
                f"({'; '.join(unit.changed)}); the loop reads them again, so it must "
                "leave them as they were.", self._see(eq), self._settings(square)])
        if unit.status == "returns no numbers":
            return _Verdict(False, eq, "unknown", [
                f"{head}: your {eq.lower()} returns {_kind(unit.call.result)}, not an array.",
                self._see(eq), self._settings(square)])
        if unit.status == "raises an error":
            why = explain(unit.call.error, [HERE])
            prefix = [f"On the network with layer sizes {unit.net.sizes}, your "
                      f"{eq.lower()} raises {why.text()}"]
            if square or self.form.name == "scalar":
                return _Verdict(False, eq, "unknown", [f"{head}."] + prefix + [
                    self._see(eq), self._settings(square)])
            retry = self._unit(eq, fn, square=True)
            if retry.status == "right":
                return _Verdict(False, eq, "unknown", [f"{head}."] + prefix + [
                    f"On networks whose layers are all {SQUARE[0]} wide it runs and is "
                    "right: somewhere a size is taken from the wrong layer, which only equal "
                    "widths hide.", self._see(eq), self._settings()])
            verdict = self._unit_verdict(eq, fn, retry, square=True)
            lead = f"On networks whose layers are all {SQUARE[0]} wide it runs:"
            return verdict._replace(lines=verdict.lines[:1] + prefix + [lead]
                                    + verdict.lines[1:])
        found = self._unit_matches(eq, fn, unit, square)
        measure = (f"Given {given}, your {eq.lower()} returns results that differ from "
                   f"central differences by a relative error of {unit.error:.1e} "
                   f"(the bound is {BOUND:g}).")
        if unit.status == "wrong shape":
            l, got, want = unit.shape
            measure = (f"Given {given}, your {eq.lower()} returns an array of shape {got} "
                       f"for layer {l}, where the right result has shape {want}.")
        if found:
            return self._matched(found, square, [measure])
        return _Verdict(False, eq, "unknown", [
            f"{head}.", measure, f"It matches none of the {len(CATALOGUE)} catalogued mistakes.",
            self._see(eq), self._settings(square)])

    def _unit_matches(self, eq, fn, unit, square):
        """Catalogue variants that ``fn`` reproduces, made in equation ``eq``."""
        nets = self.nets(square)
        L = len(nets[0].sizes) - 1
        if eq == "BP1":
            if unit.status != "wrong":
                return []
            mine = [_Pair([out[0]], []) for out in unit.outputs]
            return self.matches(mine, square, of=lambda run: _Pair(
                [np.asarray(run[0].delta[L], dtype=float)], []))
        hybrid = replace(self.form, **{eq.lower(): fn})
        pairs = []
        for net in nets:
            try:
                with _quiet():
                    t = algorithm.backprop_trace(hybrid, *net.args, **net.names)
                pairs.append(_read((t.nabla_w[1:], t.nabla_b[1:]), L,
                                   self.form.feature_axis is None))
            except Exception:
                return []
        return self.matches(pairs, square)

    # -- words

    def _diagnosis(self, verdict):
        return Diagnosis(verdict.ok, verdict.equation, verdict.mistake,
                         "\n".join(_wrap(line) for line in verdict.lines if line))

    def _settings(self, square=False):
        nets = self.nets(square)
        sizes = ", ".join(dict.fromkeys(str(n.sizes) for n in nets))
        if self.form.name in ONE_EXAMPLE:
            data = "one example"
        else:
            N = self._batch(nets)
            data = (f"a mini-batch of {N} examples as "
                    f"{'columns' if self.form.feature_axis == 0 else 'rows'}")
        layers = _network_words(self.names["activation"], self.names["output_activation"])
        return (f"Checked in the {self.form.name} form on {len(nets)} random networks with "
                f"layer sizes {sizes}, {data} each, {layers}, {self.names['cost']} cost; "
                f"the truth is central differences with ε = {EPS:g}.")

    def _contract(self):
        x, y = self.arg_names[2:]
        return (f"The contract: backprop({', '.join(self.arg_names)}) returns (nabla_w, "
                f"nabla_b), two lists with one entry per layer, nabla_w[l] the shape of "
                f"weights[l] and nabla_b[l] the shape of biases[l]"
                + (" (plain numbers in the scalar chain)." if self.form.name == "scalar"
                   else "."))

    def _see(self, eq):
        page = PAGES[self.form.name]
        where = link(f"{page}/#{eq.lower()}-{self.form.name}")
        return f"Compare your code with {eq} in the {self.form.name} form: {where}"

    def _problem(self, problem_id):
        p = PROBLEMS[problem_id]
        return (f"More: the section \"{p.title}\" of the Common mistakes page: "
                f"{link(f'mistakes/#{p.anchor}')}")

    def _more(self, m):
        where = link(f"mistakes/#{m.anchor}")
        return f"More: the section \"{m.title}\" of the Common mistakes page: {where}"


class _Unit(NamedTuple):
    status: str
    error: float
    call: _Call | None
    net: _Net | None
    outputs: list          # [network][layer] the reader's outputs
    changed: list
    shape: tuple | None = None


#: The status of a bp1 with a softmax output: not checked, and not wrong.
SOFTMAX_BP1 = "not checked (a softmax output's BP1 is δᴸ = Jᵀ ∇ₐC, not elementwise)"
_LAYOUTS = {"vectorized": "one example as a column", "batched": "examples as columns",
            "rowmajor": "examples as rows", "scalar": "plain numbers, one neuron per layer"}
_ARG_NAMES = {"BP1": ("nabla_a", "sp"), "BP2": ("w_next", "delta_next", "sp"),
              "BP3": ("delta",), "BP4": ("a_prev", "delta")}
_GIVEN = {"BP1": "the right ∇ₐC and σ′(zᴸ)", "BP2": "the right δˡ⁺¹ and σ′(zˡ)",
          "BP3": "the right δˡ", "BP4": "the right aˡ⁻¹ and δˡ"}


#: σ′ written in terms of a = σ(z), as code often computes it.
_PRIMES_OF_A = {"sigmoid": ("a(1 − a)", lambda a: a * (1 - a)),
                "tanh": ("1 − a²", lambda a: 1 - a ** 2),
                "relu": ("(a > 0)", lambda a: (a > 0).astype(float))}


def _flags(settings, asked):
    """The command-line flags that turn the ``asked`` (activation, output activation,
    cost) into ``settings``: --output-activation only where the cost and --activation
    would not give it by default, or where the asked one was given and differs."""
    (a, o, c), (a0, o0, c0) = settings, asked
    out = [f"--activation {a}"] if a != a0 else []
    out += [f"--cost {c}"] if c != c0 else []
    if o != (_needed_output(c) or a) or (o0 != (_needed_output(c0) or a0) and o != o0):
        out.append(f"--output-activation {o}")
    return out


def _article(word):
    return ("an " if word[:1] in "aeiou" else "a ") + word


def _network_words(hidden, out):
    """"relu in every layer", "tanh hidden layers and a sigmoid output"."""
    if out in (None, hidden):
        return f"{hidden} in every layer"
    return f"{hidden} hidden layers and {_article(out)} output"


def _needed_output(cost):
    from derivations.costs import get_cost

    return get_cost(cost).output


def _column_case(net, data, form):
    """A ``check.Case`` in the column layout from a net's parameters and new data."""
    from derivations.check import Case

    x, y = data
    if form.feature_axis == 1:
        x, y = x.T, y.T
    return Case(net.args[0], net.args[1], x, y, net.names["activation"], net.names["cost"],
                net.names["output_activation"])


def _fixed_depth(error, net):
    """A sentence if ``error`` says the code unpacks the layers into a fixed number of names."""
    text = str(error)
    if not isinstance(error, ValueError) or "values to unpack" not in text:
        return ""
    found = re.search(r"expected (\d+)", text)
    L = len(net.sizes) - 1
    wrote = f"{found.group(1)} layers" if found else "a fixed number of layers"
    return (f"Your code seems written for {wrote} (it unpacks a list into that many names); "
            f"the test networks have {_layers_of_weights(L)}. Loop over the layers so that any "
            f"depth works, or check it on networks of your depth with --sizes, for example "
            f"--sizes {','.join(['3'] + ['4'] * (int(found.group(1)) - 1 if found else 1) + ['2'])} "
            "(in Python, sizes=[...]).")


def _per_network_ratio(pairs, nets):
    """A sentence when on each network the whole result is a multiple of the right one,
    the multiple differing between networks: a factor that depends on the network,
    such as 2/n_L from a cost averaged over the outputs."""
    ratios = []
    for p, n in zip(pairs, nets):
        got = np.concatenate([np.ravel(g) for g in p.w + p.b])
        want = np.concatenate([np.ravel(g) for g in n.truth.w + n.truth.b])
        if not np.all(np.isfinite(got)) or not np.any(want):
            return []
        c = float(got @ want / (want @ want))
        if c == 0 or rel_error(got, c * want) > 1e-6:
            return []
        ratios.append((n.sizes, c))
    if len(ratios) < 2 or len({f"{c:.3g}" for _, c in ratios}) == 1:
        return []
    out = ["On each network your gradients are a fixed multiple of the right ones, a "
           "different one on each: " + "; ".join(
               f"{c:.3g} times on the network with layer sizes {sizes}"
               for sizes, c in ratios) + "."]
    n_L = [sizes[-1] for sizes, _ in ratios]
    if all(abs(c - 2 / n) < 1e-6 for (_, c), n in zip(ratios, n_L)):
        out.append("That is 2/n_L, with n_L the number of outputs: your cost is the mean "
                   "over the outputs, C = (1/n_L) Σⱼ (aⱼ − yⱼ)², as PyTorch's "
                   "MSELoss() and Keras's mean_squared_error compute it, whose ∇ₐC is "
                   "(2/n_L)(a − y). The check's cost is C = ½‖a − y‖², whose ∇ₐC is a − y: "
                   "leave out the factor 2/n_L to check your code.")
    elif all(abs(c - 1 / n) < 1e-6 for (_, c), n in zip(ratios, n_L)):
        out.append("That is 1/n_L, with n_L the number of outputs: your cost is the mean "
                   "over the outputs of ½(aⱼ − yⱼ)², whose ∇ₐC is (a − y)/n_L. The check's "
                   "cost is C = ½‖a − y‖², the sum, whose ∇ₐC is a − y: leave out the "
                   "factor 1/n_L to check your code.")
    return out


def _layers_of_weights(n):
    return f"{n} layer{'s' if n != 1 else ''} of weights"


def _order_hint(fn, arg_names):
    """A sentence if ``fn``'s parameter names say the data come before the parameters."""
    try:
        names = list(inspect.signature(fn).parameters)[:4]
    except (TypeError, ValueError):
        return ""
    data = {"x", "y", "X", "Y", "a", "inputs", "input", "targets", "target", "data"}
    if len(names) == 4 and set(names[:2]) & data:
        return (f"Your function's parameters are ({', '.join(names)}); note that the check "
                f"passes them in the order ({', '.join(arg_names)}).")
    return ""


def _params(fn):
    try:
        return "(" + ", ".join(inspect.signature(fn).parameters) + ")"
    except (TypeError, ValueError):
        return "unknown"


def _errors(pairs, nets):
    """Relative errors of the results against the truth, joined over the networks:
    {("b" or "w", "out" / "hidden" / "every"): error}."""
    L = len(nets[0].sizes) - 1
    layers = {"out": [L - 1], "hidden": list(range(L - 1)), "every": list(range(L))}
    return {(part, name): rel_error([getattr(p, part)[l] for p in pairs for l in ls],
                                    [getattr(n.truth, part)[l] for n in nets for l in ls])
            for part in "bw" for name, ls in layers.items()}


#: What a line of the message is not broken inside: code, lists and shapes.
UNBROKEN = re.compile(r"`[^`]*`|\[[^\]]*\]|\([^()]{0,24}\)")


def _wrap(text):
    """Each paragraph of ``text`` in lines of at most WIDTH, continued lines indented;
    a line of code (indented already) as it is."""
    out = []
    for paragraph in text.split("\n"):
        if paragraph.startswith("    "):
            out.append(paragraph)
            continue
        glued = UNBROKEN.sub(lambda m: m.group(0).replace(" ", "\0"), paragraph)
        out += [line.replace("\0", " ") for line in textwrap.wrap(
            glued, WIDTH, subsequent_indent="  ", break_long_words=False,
            break_on_hyphens=False)]
    return "\n".join(out)


#: Below this relative error, low-precision gradients are as right as they can be;
#: float32 results are matched against the catalogue to this bound.
LOW_PRECISION = 1e-4


def _low_precision(results):
    """"float32" (or "float16") if any array the reader returned has that precision."""
    found = set()

    def walk(value):
        if isinstance(value, np.ndarray) or isinstance(value, np.floating):
            if value.dtype.kind == "f" and value.dtype.itemsize < 8:
                found.add(value.dtype.name)
        elif isinstance(value, (list, tuple)):
            for v in value:
                walk(v)

    for result in results:
        walk(result)
    return min(found) if found else None


def _bad(error, bound=BOUND):
    """Not within the bound (NaN counts as not within)."""
    return not error <= bound


def _differs(error, s, bound=BOUND):
    """'differ(s) from central differences by …', or 'hold(s) NaN or infinite values'."""
    if not np.isfinite(error):
        return f"hold{s} NaN or infinite values"
    return (f"differ{s} from central differences by a relative error of {error:.1e} "
            f"(the bound is {bound:g})")


def _period(text):
    return text if text.endswith((".", "?", "!")) else text + "."


def _sentence(text):
    return text[:1].upper() + text[1:] if text else text
