"""MkDocs hook: large inline stylesheets become shared, cacheable files.

mkdocs-jupyter inlines JupyterLab's whole stylesheet (about 570 kB) into every
notebook page.  After each page is rendered, every ``<style>`` element larger
than ``LIMIT`` is written once to ``assets/inline-css/<sha256>.css`` in the
built site and replaced, in place (so the cascade order is unchanged), by a
``<link rel="stylesheet">`` to it.  Identical styles on several pages share one
file, which the browser downloads once and then takes from its cache.

Only styles whose ``url(...)`` references are all ``data:`` URIs are moved, so
no relative reference changes meaning.
"""

from __future__ import annotations

import hashlib
import logging
import posixpath
import re
from pathlib import Path

log = logging.getLogger("mkdocs.hooks.shared_css")

LIMIT = 20_000
DEST = "assets/inline-css"
_STYLE = re.compile(r"<style\b([^>]*)>(.*?)</style>", re.IGNORECASE | re.DOTALL)
_URL = re.compile(r"""url\(\s*["']?([^"')\s]*)""", re.IGNORECASE)
_MEDIA = re.compile(r"""\bmedia\s*=\s*(["'])(.*?)\1""", re.IGNORECASE)


def on_post_page(output: str, *, page, config) -> str:
    site_dir = Path(config["site_dir"])
    page_dir = posixpath.dirname(page.file.dest_uri)

    def move(m: re.Match) -> str:
        css = m.group(2)
        if len(css) < LIMIT:
            return m.group(0)
        if any(not u.startswith("data:") for u in _URL.findall(css)) or "@import" in css:
            return m.group(0)
        name = hashlib.sha256(css.encode("utf-8")).hexdigest()[:16] + ".css"
        uri = f"{DEST}/{name}"
        target = site_dir / uri
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(css, encoding="utf-8")
        href = posixpath.relpath(uri, page_dir or ".")
        media = _MEDIA.search(m.group(1))
        media_attr = f' media="{media.group(2)}"' if media else ""
        return f'<link rel="stylesheet" href="{href}"{media_attr}>'

    return _STYLE.sub(move, output)
