"""Gates: the chain rule at one node of a computational graph.

A gate takes two numbers p and q and computes its output o = f(p, q).  In the
backward pass it receives the upstream gradient ∂C/∂o and hands each input

    ∂C/∂p = (∂o/∂p) · ∂C/∂o,      ∂C/∂q = (∂o/∂q) · ∂C/∂o:

local gradient × upstream gradient.  A gate knows only its own local
gradients; ``backward`` applies the rule, once, for every gate.  The three
gates of the text, and what their local gradients do to the upstream gradient:

* ``ADD``, o = p + q, local gradients (1, 1): it *distributes* the upstream
  gradient, unchanged, to both inputs;
* ``MULTIPLY``, o = p q, local gradients (q, p): it *swaps* the inputs, each
  input receiving the other times the upstream gradient;
* ``MAX``, o = max(p, q), local gradients (1, 0) or (0, 1): it *routes* the
  whole upstream gradient to the larger input.  At a tie, p = q, max has no
  derivative; the gradient goes to q, so that ReLU(z) = max(z, 0) gets
  ReLU′(0) = 0, the convention of ``activations``.

Inputs are real numbers (floats); an input used by several gates receives the
sum of what they hand back.
"""

# --8<-- [start:gates]
from typing import Callable, NamedTuple

from derivations import validate


class Gate(NamedTuple):
    """A gate: its name, its output o = f(p, q), and its local gradients (∂o/∂p, ∂o/∂q)."""

    name: str
    f: Callable
    local: Callable


ADD = Gate("add", lambda p, q: p + q, lambda p, q: (1.0, 1.0))
MULTIPLY = Gate("multiply", lambda p, q: p * q, lambda p, q: (q, p))
MAX = Gate("max", lambda p, q: max(p, q),
           lambda p, q: (1.0, 0.0) if p > q else (0.0, 1.0))
# --8<-- [end:gates]

__all__ = ["ADD", "GATES", "MAX", "MULTIPLY", "Gate", "backward", "forward"]

GATES = {g.name: g for g in (ADD, MULTIPLY, MAX)}


def _gate(gate):
    if not isinstance(gate, Gate):
        raise TypeError(f"gate must be a Gate, one of {', '.join(GATES)} "
                        f"(gates.ADD, ...); got {type(gate).__name__}")
    return gate


def forward(gate, p, q):
    """The gate's output o = f(p, q), for real numbers p and q."""
    return _gate(gate).f(validate.number(p, "p"), validate.number(q, "q"))


# --8<-- [start:backward]
def backward(gate, p, q, upstream):
    """(∂C/∂p, ∂C/∂q) = local gradient × upstream gradient ∂C/∂o, for each input."""
    local_p, local_q = _gate(gate).local(validate.number(p, "p"), validate.number(q, "q"))
    upstream = validate.number(upstream, "upstream")
    return local_p * upstream, local_q * upstream
# --8<-- [end:backward]
