"""MkDocs hook: links in markdown-exec output are rewritten and validated like
links written in the page.

markdown-exec renders what a block prints with a Markdown instance of its own,
which lacks MkDocs' link processing, so ``[Checking](checking.md#tolerance)``
printed by a hidden block would reach the HTML as ``href="checking.md#..."``
(a 404 on the published site) and escape the strict build's link checks.

After a page is rendered, every remaining relative ``href`` that points at a
``.md`` file (or a bare ``#anchor``) is

* rewritten to the target page's URL, as MkDocs does for the page's own links;
* reported as a WARNING (so ``mkdocs build --strict`` fails) when the target
  file does not exist;
* for in-page links that markdown-exec prefixed with ``exec-N--`` although the
  anchor is a heading of the page itself, restored to that anchor;
* handed to MkDocs' own anchor validation (``validation.links.anchors``), which
  warns when the target page has no such anchor.
"""

from __future__ import annotations

import html
import logging
import posixpath
import re
from urllib.parse import unquote, urlsplit

log = logging.getLogger("mkdocs.hooks.exec_links")

_EXEC_PREFIX = re.compile(r"^exec-\d+--(.+)$")
_HREF = re.compile(r"""(<a\b[^>]*?\bhref=)(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)


def on_page_content(content: str, *, page, config, files) -> str:
    src = page.file.src_uri

    def fix(m: re.Match) -> str:
        raw = html.unescape(m.group(3))
        parts = urlsplit(raw)
        if parts.scheme or parts.netloc:
            return m.group(0)
        path, frag = unquote(parts.path), unquote(parts.fragment)
        if not path:
            m_prefixed = _EXEC_PREFIX.match(frag)
            if m_prefixed and f'id="{frag}"' not in content and \
                    f'id="{m_prefixed.group(1)}"' in content:
                # markdown-exec prefixes ids *and* in-page links in its output with
                # "exec-N--"; a link to a heading of the page itself lost its target.
                frag = m_prefixed.group(1)
                raw = "#" + frag
                return f"{m.group(1)}{m.group(2)}{html.escape(raw, quote=True)}{m.group(2)}"
            if frag and page.links_to_anchors is not None:
                page.links_to_anchors.setdefault(page.file, {}).setdefault(frag, raw)
            return m.group(0)
        if not path.endswith(".md"):
            return m.group(0)
        target_uri = posixpath.normpath(posixpath.join(posixpath.dirname(src), path))
        target = files.get_file_from_path(target_uri)
        if target is None:
            log.warning("Doc file '%s' prints a link '%s' (markdown-exec output), but the "
                        "target '%s' is not found among documentation files.", src, raw,
                        target_uri)
            return m.group(0)
        url = target.url_relative_to(page.file)
        if parts.query:
            url += "?" + parts.query
        if frag:
            url += "#" + parts.fragment
            if page.links_to_anchors is not None:
                page.links_to_anchors.setdefault(target, {}).setdefault(frag, raw)
        return f"{m.group(1)}{m.group(2)}{html.escape(url, quote=True)}{m.group(2)}"

    return _HREF.sub(fix, content)
