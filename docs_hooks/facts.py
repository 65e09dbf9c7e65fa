"""MkDocs hook: fill a page's ``{{ name:spec }}`` placeholders with its facts.

A hidden exec block records the facts (``derivations.book.facts.facts``); the
exec cache hands them to the page as ``page.facts`` (``exec_cache.py``).  After
the page is rendered to HTML, and before anything renders its math, every
placeholder outside ``<pre>`` and ``<code>`` -- in prose and inside ``$…$``
alike -- becomes ``format(value, spec)``; the rest of the LaTeX is left alone.

A WARNING (so ``mkdocs build --strict`` fails) for a placeholder whose name the
page did not record, for a spec that does not fit its value, and for a fact
the page records but never quotes.
"""

from __future__ import annotations

import logging

from derivations.book.facts import quote

log = logging.getLogger("mkdocs.hooks.facts")


def on_page_content(html, *, page, config, files):
    values = getattr(page, "facts", None) or {}
    html, used, problems = quote(html, values)
    for problem in problems:
        log.warning("Doc file '%s': %s", page.file.src_uri, problem)
    for name in sorted(set(values) - used):
        log.warning("Doc file '%s': the fact %r is recorded but never quoted; quote it "
                    "as {{ %s }} or do not record it", page.file.src_uri, name, name)
    return html
