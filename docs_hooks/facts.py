"""MkDocs hook: fill a page's ``{{ name:spec }}`` placeholders with its facts.

A hidden exec block records the facts (``derivations.book.facts.facts``); the
exec cache hands them to the page as ``page.facts`` (``exec_cache.py``).  After
the page is rendered to HTML, and before anything renders its math, every
placeholder outside ``<pre>`` and ``<code>`` -- in prose and inside ``$…$``
alike -- becomes ``format(value, spec)``; the rest of the LaTeX is left alone.

A WARNING (so ``mkdocs build --strict`` fails) for a placeholder whose name the
page did not record, for a spec that does not fit its value, for a fact the
page records but never quotes, and for a placeholder in a heading (the table
of contents is made from the Markdown, before any fact is known).  Only
Markdown pages are read; a notebook page's LaTeX is left as it is.
"""

from __future__ import annotations

import logging

from derivations.book.facts import PLACEHOLDER, quote

log = logging.getLogger("mkdocs.hooks.facts")


def on_page_content(html, *, page, config, files):
    if not page.file.src_uri.endswith(".md"):
        return html
    values = getattr(page, "facts", None) or {}
    html, used, problems = quote(html, values)
    problems += [f"the heading {title!r} quotes a fact; headings cannot (the table of "
                 "contents is made before facts are known)" for title in _titles(page.toc)
                 if PLACEHOLDER.search(title)]
    for problem in problems:
        log.warning("Doc file '%s': %s", page.file.src_uri, problem)
    for name in sorted(set(values) - used):
        log.warning("Doc file '%s': the fact %r is recorded but never quoted; quote it "
                    "as {{ %s }} or do not record it", page.file.src_uri, name, name)
    return html


def _titles(toc):
    for item in toc:
        yield item.title
        yield from _titles(item.children)
