"""What an exception raised in a reader's code means: where, and which shapes.

``explain(exc, skip)`` finds the last line of the traceback that is the
reader's own (not numpy's, not a frame of the files in ``skip``), and says
what failed there in plain words:

* a matrix product whose inner sizes differ: "``w @ delta`` multiplies
  (4, 5) @ (4, 1): the columns of the left (5) must equal the rows of the
  right (4)";
* an elementwise product or sum whose shapes do not broadcast;
* otherwise the shapes and values of the names on that line.

To find the shapes, the operands of the failing expression are evaluated
again in the failing frame, but only expressions that cannot change
anything: names, constants, subscripts, ``.T``, arithmetic on those, and
calls of numpy functions and of a few read-only array methods.  Nothing
else of the reader's code is run.
"""

import ast
import linecache
import os
import traceback
import types
from typing import NamedTuple

import numpy as np

__all__ = ["Explanation", "explain"]

NUMPY_DIR = os.path.dirname(np.__file__)
#: Array methods that only read: safe to call again while explaining.
READ_ONLY_METHODS = {"dot", "reshape", "sum", "mean", "transpose", "ravel", "flatten",
                     "copy", "squeeze", "astype", "max", "min", "item"}
PRODUCTS = {ast.MatMult: "@", ast.Mult: "*", ast.Add: "+", ast.Sub: "-", ast.Div: "/"}


class Explanation(NamedTuple):
    """Where the reader's code raised, and what it means.

    * ``where``: "line 12 of my_backprop.py" (or "my_backprop.py" without a line);
    * ``line``: that line of source, stripped ("" when the source is not available);
    * ``error``: "ValueError: …", the exception as Python prints it;
    * ``detail``: the failing product and its shapes, or the shapes of the
      names on the line ("" when there is nothing to add);
    * ``product``: the failing product's operator ("@", "*", …) or None.
    """

    where: str
    line: str
    error: str
    detail: str
    product: str | None

    def text(self):
        """The explanation as lines of plain text."""
        out = [f"{self.error}, at {self.where}" + (":" if self.line else ".")]
        if self.line:
            out.append(f"    {self.line}")
        if self.detail:
            out.append(self.detail)
        return "\n".join(out)


def explain(exc, skip=(), within=None):
    """An ``Explanation`` of ``exc``, raised by code called from the files ``skip``;
    with ``within`` (a file), at the innermost line of that file, so that an error
    raised inside the standard library is placed where the reader's code called it."""
    error = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    error = error.splitlines()[-1] if error else type(exc).__name__
    if isinstance(exc, SyntaxError) and exc.filename:      # raised by the parser, no frame
        where = f"line {exc.lineno} of {os.path.basename(exc.filename)}"
        return Explanation(where, (exc.text or "").strip(), error, "", None)
    frame, summary = _reader_frame(exc, skip, within)
    if frame is None:
        return Explanation("an unknown place", "", error, "", None)
    name = os.path.basename(summary.filename)
    where = f"line {summary.lineno} of {name}" if summary.lineno else name
    line = (linecache.getline(summary.filename, summary.lineno) or "").strip()
    segment = _segment(summary)
    detail, product = _detail(segment or line, frame)
    return Explanation(where, line, error, detail, product)


def _reader_frame(exc, skip, within=None):
    """The innermost frame of the traceback that is neither numpy's nor in ``skip``
    (with ``within``, the innermost one in that file, if there is one)."""
    skip = {os.path.abspath(f) for f in skip}
    frames = list(traceback.walk_tb(exc.__traceback__))
    summaries = traceback.extract_tb(exc.__traceback__)
    if within is not None:
        inside = [(f, s) for (f, _), s in zip(frames, summaries)
                  if s.filename[:1] != "<" and os.path.abspath(s.filename)
                  == os.path.abspath(within)]
        if inside:
            return inside[-1]
    for (frame, _), summary in zip(reversed(frames), reversed(summaries)):
        filename = os.path.abspath(summary.filename) if summary.filename[:1] != "<" else ""
        if filename.startswith(NUMPY_DIR) or filename in skip:
            continue
        if summary.filename.startswith(("<__array_function__", "<frozen ")):
            continue
        return frame, summary
    return None, None


def _segment(summary):
    """The source of the failing expression (Python 3.11 records its columns)."""
    if not (summary.lineno and summary.end_lineno and summary.colno is not None
            and summary.end_colno is not None):
        return ""
    lines = [linecache.getline(summary.filename, n).encode("utf-8")
             for n in range(summary.lineno, summary.end_lineno + 1)]
    if not lines or not lines[0]:
        return ""
    if len(lines) == 1:
        text = lines[0][summary.colno:summary.end_colno]
    else:
        text = lines[0][summary.colno:] + b"".join(lines[1:-1]) + lines[-1][:summary.end_colno]
    return text.decode("utf-8", errors="replace").strip()


def _detail(source, frame):
    """What failed in ``source`` (an expression or a statement), evaluated in ``frame``."""
    tree = _parse(source)
    if tree is None:
        return "", None
    for node in _products(tree):
        found = _failing_product(node, frame)
        if found:
            return found
    return _names(tree, frame), None


def _parse(source):
    for mode in ("eval", "exec"):
        try:
            return ast.parse(source, mode=mode)
        except SyntaxError:
            continue
    try:                                   # a line of a longer statement: `x = (a @`
        return ast.parse(source.rstrip("\\ (,[") or "None", mode="exec")
    except SyntaxError:
        return None


def _products(tree):
    """Products and sums in ``tree``, innermost first (they are evaluated first)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and type(node.op) in PRODUCTS:
            found.append((node, node.left, node.right, PRODUCTS[type(node.op)]))
        elif isinstance(node, ast.AugAssign) and type(node.op) in PRODUCTS:
            found.append((node, node.target, node.value, PRODUCTS[type(node.op)]))
        elif isinstance(node, ast.Call) and len(node.args) >= 2:
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(
                node.func, "id", "")
            if name in ("dot", "matmul"):
                found.append((node, node.args[0], node.args[1], "@"))
            elif name in ("multiply", "add", "subtract"):
                found.append((node, node.args[0], node.args[1], "*"))
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr == "dot" and len(node.args) == 1):
            found.append((node, node.func.value, node.args[0], "@"))
    found.reverse()
    return found


def _failing_product(item, frame):
    node, left_node, right_node, op = item
    left, right = _value(left_node, frame), _value(right_node, frame)
    if not (isinstance(left, np.ndarray) and isinstance(right, np.ndarray)):
        return None
    text = ast.unparse(node)
    ls, rs = tuple(left.shape), tuple(right.shape)
    if op == "@":
        if left.ndim == 0 or right.ndim == 0:
            return None
        inner_left = ls[-1]
        inner_right = rs[-2] if right.ndim >= 2 else rs[0]
        if inner_left == inner_right:
            return None
        return (f"`{text}` multiplies {ls} @ {rs}: a matrix product needs the columns "
                f"of the left ({inner_left}) to equal the rows of the right "
                f"({inner_right})."), "@"
    try:
        np.broadcast_shapes(ls, rs)
    except ValueError:
        return (f"`{text}` combines {ls} and {rs} entry by entry, which needs equal "
                f"shapes (or shapes numpy can broadcast), and these are not."), op
    return None


def _names(tree, frame):
    """The shapes (arrays), lengths (lists) and values (numbers) of the names in ``tree``."""
    seen, parts = set(), []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Name) or node.id in seen:
            continue
        seen.add(node.id)
        value = _value(node, frame)
        if isinstance(value, np.ndarray):
            parts.append(f"{node.id} has shape {tuple(value.shape)}")
        elif isinstance(value, (list, tuple)):
            parts.append(f"{node.id} is a {type(value).__name__} of {len(value)}")
        elif isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
                value, bool):
            parts.append(f"{node.id} = {value}")
        if len(parts) == 6:
            break
    return ("On that line, " + ", ".join(parts) + ".") if parts else ""


_MISSING = object()


def _value(node, frame):
    """``node`` evaluated in ``frame`` if that cannot change anything, else ``_MISSING``."""
    if not _safe(node, frame):
        return _MISSING
    try:
        code = compile(ast.Expression(body=node), "<explain>", "eval")
        with np.errstate(all="ignore"):
            return eval(code, frame.f_globals, dict(frame.f_locals))  # noqa: S307 (checked)
    except Exception:
        return _MISSING


def _safe(node, frame):
    """Only names, constants, subscripts, .T, arithmetic, numpy calls, read-only methods."""
    if isinstance(node, (ast.Name, ast.Constant)):
        return True
    if isinstance(node, (ast.Tuple, ast.List)):
        return all(_safe(e, frame) for e in node.elts)
    if isinstance(node, ast.Slice):
        return all(p is None or _safe(p, frame) for p in (node.lower, node.upper, node.step))
    if isinstance(node, ast.Subscript):
        return _safe(node.value, frame) and _safe(node.slice, frame)
    if isinstance(node, ast.UnaryOp):
        return _safe(node.operand, frame)
    if isinstance(node, ast.BinOp):
        return _safe(node.left, frame) and _safe(node.right, frame)
    if isinstance(node, ast.Attribute):
        if node.attr == "T" or node.attr == "shape":
            return _safe(node.value, frame)
        return isinstance(_value(node.value, frame), types.ModuleType)
    if isinstance(node, ast.Call):
        if not all(_safe(a, frame) for a in node.args) or not all(
                _safe(k.value, frame) for k in node.keywords):
            return False
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in READ_ONLY_METHODS:
            return isinstance(_value(func.value, frame), np.ndarray) or _numpy_function(
                func, frame)
        return _numpy_function(func, frame)
    return False


def _numpy_function(func, frame):
    if not isinstance(func, (ast.Name, ast.Attribute)):
        return False
    if isinstance(func, ast.Attribute) and not isinstance(_value(func.value, frame),
                                                         types.ModuleType):
        return False
    f = _value(func, frame) if isinstance(func, ast.Attribute) else (
        frame.f_locals.get(func.id, frame.f_globals.get(func.id)))
    return isinstance(f, np.ufunc) or (callable(f) and (getattr(f, "__module__", "") or "")
                                       .startswith("numpy"))
