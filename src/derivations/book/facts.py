"""Facts: the numbers a page's prose quotes, computed once and checked.

A hidden block of a page computes its numbers and records them by name, and
states every qualitative claim its prose makes about them as a ``claim``:

    ```python exec="on" session="checking"
    worst = per_entry.max()
    facts(worst_entry=worst, bound=BOUND)
    claim(worst > BOUND, "a per-entry test would fail this correct code")
    ```

The Markdown quotes a fact with a Python format spec, inside math too:

    The worst entry is off by {{ worst_entry:.1e }}, above the bound
    $10^{ {{ bound_exponent }} }$, so a per-entry test would fail this code.

The site's ``docs_hooks/facts.py`` fills the placeholders in after the page's
blocks ran (``quote``); an unknown name, a fact no placeholder quotes, or a
format spec that does not fit its value fails the strict build, and the page
runner of the tests checks the same.  A false claim raises ``ClaimError``,
which fails the build and the tests.  The sentence is written once, in
Markdown; nothing picks a word from a computed value.
"""

from __future__ import annotations

import html
import math
import numbers
import re

__all__ = ["ClaimError", "PLACEHOLDER", "claim", "facts", "quote", "recorded", "references",
           "reset"]

#: ``{{ name }}`` or ``{{ name:spec }}``; a name starts with a letter and does
#: not end with ``_`` (so Markdown never reads it as emphasis).
NAME = r"[A-Za-z](?:\w*[A-Za-z0-9])?"
PLACEHOLDER = re.compile(r"\{\{\s*(?P<name>" + NAME + r")\s*(?::(?P<spec>[^{}\n]*?))?\s*\}\}")

_recorded: dict[str, int | float | str] = {}


class ClaimError(AssertionError):
    """A page states something about a computed result that is not true."""


def facts(**named) -> None:
    """Record named values for the page's prose to quote.

    Values are numbers or short strings (a layer list, a label); numpy scalars
    become Python numbers.  Booleans are refused -- a verdict is a ``claim``,
    not a fact -- and so are arrays, NaN and infinities.  A name may be
    recorded once per page.
    """
    for name, value in named.items():
        if not re.fullmatch(NAME, name):
            raise ValueError(f"fact name {name!r}: use letters, digits and _, starting with "
                             "a letter and not ending with _")
        if name in _recorded:
            raise ValueError(f"fact {name!r} is already recorded on this page")
        _recorded[name] = _plain(name, value)


def claim(condition, statement: str) -> None:
    """Fail, naming ``statement``, unless ``condition`` holds."""
    if not bool(condition):
        raise ClaimError(f"the page claims that {statement}, and that is false")


def recorded() -> dict[str, int | float | str]:
    """The facts recorded so far, by name."""
    return dict(_recorded)


def reset() -> None:
    """Forget the recorded facts (before the next page runs)."""
    _recorded.clear()


def _plain(name, value):
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        raise TypeError(f"fact {name!r} is a boolean; state it with claim(...) and write "
                        "the sentence in Markdown")
    if hasattr(value, "item") and getattr(value, "shape", None) == ():
        value = value.item()  # a numpy scalar
    if isinstance(value, str):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        if not math.isfinite(value):
            raise ValueError(f"fact {name!r} is {value}")
        return float(value)
    raise TypeError(f"fact {name!r} must be a number or a string, not "
                    f"{type(value).__name__}")


_CODE = re.compile(r"(<pre\b.*?</pre>|<code\b.*?</code>)", re.S | re.I)
_FENCE_OPEN = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_INLINE_CODE = re.compile(r"(`+).+?\1", re.S)


def references(markdown: str) -> list[tuple[str, str]]:
    """(name, spec) of every placeholder in Markdown prose, outside code."""
    prose, fence = [], None
    for line in markdown.split("\n"):
        if fence is None:
            m = _FENCE_OPEN.match(line)
            if m:
                fence = m.group(1)
            else:
                prose.append(line)
        elif re.fullmatch(r"[ \t]*" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}[ \t]*",
                          line):
            fence = None
    text = _INLINE_CODE.sub("", "\n".join(prose))
    return [(m.group("name"), m.group("spec") or "") for m in PLACEHOLDER.finditer(text)]


def quote(page_html: str, values: dict) -> tuple[str, set[str], list[str]]:
    """Fill every placeholder of rendered HTML outside <pre> and <code>.

    Returns the new HTML, the names it quoted, and one message per placeholder
    it could not fill (unknown name, or a spec that does not fit the value);
    those placeholders stay as they are.
    """
    used: set[str] = set()
    problems: list[str] = []

    def fill(m: re.Match) -> str:
        name, spec = m.group("name"), m.group("spec") or ""
        if name not in values:
            problems.append(f"{m.group(0)} names no fact of this page "
                            f"(recorded: {', '.join(sorted(values)) or 'none'})")
            return m.group(0)
        try:
            text = format(values[name], spec)
        except (TypeError, ValueError) as exc:
            problems.append(f"{m.group(0)}: format spec {spec!r} does not fit "
                            f"{values[name]!r} ({exc})")
            return m.group(0)
        used.add(name)
        return html.escape(text, quote=False)

    parts = _CODE.split(page_html)
    for i in range(0, len(parts), 2):  # even parts lie outside code
        parts[i] = PLACEHOLDER.sub(fill, parts[i])
    return "".join(parts), used, problems
