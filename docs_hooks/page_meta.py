"""MkDocs hook: what a page says about itself, and what the footer says about the build.

* **Meta description.**  A page without ``description:`` in its front matter
  gets one made of the first whole sentences after its title, at most 160
  characters; simple math is read from the page's MathML (``$\\sigma'$``
  reads "σ′").  Runs after docs_hooks/mathjax.py has typeset the page.
* **Footer.**  ``config.extra.verified_with`` holds the Python and numpy that
  computed the site's snippets and numbers, and the build date
  (``$SOURCE_DATE_EPOCH`` if set), for docs_hooks/theme/partials/copyright.html.
* **Row headers.**  A table whose first header cell is empty names its rows
  in its first column: that corner cell becomes ``<td></td>`` (a header
  without text tells a screen reader nothing; axe: empty-table-header) and the
  first cell of each body row becomes ``<th scope="row">``, so every data cell
  has a column and a row header (axe: td-has-header).
"""

from __future__ import annotations

import datetime
import html
import importlib.metadata
import os
import platform
import re

LIMIT = 160

_H1 = re.compile(r"<h1\b", re.IGNORECASE)
_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL | re.IGNORECASE)
_CONTAINER = re.compile(r"<mjx-container\b.*?</mjx-container>", re.DOTALL)
_MATHML = re.compile(r"<math\b.*?</math>", re.DOTALL)
_STRUCTURE = re.compile(r"<(msub|msup|msubsup|mfrac|munder|mover|munderover|msqrt|mroot|mtable)\b")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_LOST = "\x00"  # marks a sentence whose math does not read as plain text
_TAG = re.compile(r"<[^>]+>")
_TABLE = re.compile(r"<table\b.*?</table>", re.IGNORECASE | re.DOTALL)
_CORNER = re.compile(r"(<thead>\s*<tr>\s*)<th(\s[^>]*)?>\s*</th>", re.IGNORECASE)
_ROW_START = re.compile(r"(<tr>\s*)<td(\s[^>]*)?>(.*?)</td>", re.IGNORECASE | re.DOTALL)
_HEAD_META = re.compile(r'<meta name="viewport"[^>]*>', re.IGNORECASE)
_DESCRIPTION = re.compile(r'<meta name="description"[^>]*>', re.IGNORECASE)


def on_config(config):
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    built = (datetime.datetime.fromtimestamp(int(epoch), datetime.UTC) if epoch
             else datetime.datetime.now(datetime.UTC))
    config.extra["verified_with"] = {
        "python": platform.python_version(),
        "numpy": importlib.metadata.version("numpy"),
        "date": built.date().isoformat(),
    }
    return config


def on_page_content(content: str, *, page, config, files) -> str:
    return _TABLE.sub(lambda m: row_headers(m.group(0)), content)


def row_headers(table: str) -> str:
    """A table with an empty corner cell, with its first column marked as row headers."""
    corner = _CORNER.search(table)
    if corner is None:
        return table
    table = table[:corner.start()] + f"{corner.group(1)}<td{corner.group(2) or ''}></td>" \
        + table[corner.end():]
    head_end = table.lower().find("</thead>")
    body = _ROW_START.sub(lambda r: f'{r.group(1)}<th scope="row"{r.group(2) or ""}>'
                                    f"{r.group(3)}</th>", table[head_end:])
    return table[:head_end] + body


def description(page_html: str) -> str | None:
    """Whole sentences from the first paragraphs after the page's h1, as plain text of at
    most LIMIT characters.  A sentence is left out if it is unfinished (it ends in a
    colon, before a display equation) or holds math whose structure plain text loses
    (a subscript, a fraction)."""
    h1 = _H1.search(page_html)
    if h1 is None:
        return None
    sentences: list[str] = []
    for n, m in enumerate(_PARAGRAPH.finditer(page_html, h1.end())):
        if n == 5 or sum(map(len, sentences)) >= 110:
            break
        text = _CONTAINER.sub(_math_text, m.group(1))
        text = " ".join(html.unescape(_TAG.sub("", text)).split())
        sentences += [s for s in _SENTENCE.split(text)
                      if s.endswith((".", "!", "?")) and _LOST not in s]
    text = " ".join(sentences)
    if len(text) < 40:
        return None
    if len(text) <= LIMIT:
        return text
    cut = text[:LIMIT - 1]
    end = max(cut.rfind(". "), cut.rfind("? "), cut.rfind("! "))
    if end >= 80:
        return cut[:end + 1]
    return cut.rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _math_text(m: re.Match) -> str:
    mathml = _MATHML.search(m.group(0))
    if mathml is None or _STRUCTURE.search(mathml.group(0)):
        return _LOST
    return _TAG.sub("", mathml.group(0))


def on_post_page(output: str, *, page, config) -> str:
    if _DESCRIPTION.search(output) and page.meta.get("description"):
        return output
    text = description(output)
    if not text:
        return output
    tag = f'<meta name="description" content="{html.escape(text, quote=True)}">'
    if _DESCRIPTION.search(output):  # the site's description: this page's own is better
        return _DESCRIPTION.sub(lambda m: tag, output, count=1)
    viewport = _HEAD_META.search(output)
    if viewport is None:
        return output.replace("</head>", tag + "</head>", 1)
    return output[:viewport.end()] + tag + output[viewport.end():]
