"""MkDocs hook: large inline stylesheets become shared, cacheable files.

mkdocs-jupyter inlines JupyterLab's whole stylesheet (about 570 kB) into every
notebook page.  After each page is rendered, every ``<style>`` element larger
than ``LIMIT`` is written once to ``assets/inline-css/<sha256>.css`` in the
built site and replaced, in place (so the cascade order is unchanged), by a
``<link rel="stylesheet">`` to it.  Identical styles on several pages share one
file, which the browser downloads once and then takes from its cache.

Only styles whose ``url(...)`` references are all ``data:`` URIs are moved, so
no relative reference changes meaning.

After the build, each shared stylesheet is pruned (tinycss2): a rule is kept if
one of its selectors names only classes and ids that occur in the pages using
the stylesheet, or classes that scripts add at run time (``RUNTIME_PREFIXES``:
Material's ``md-*``, MathJax's); ``:not(...)`` and attribute parts are ignored,
at-rules other than @media/@supports are kept whole.  The notebooks are static
exports: no JupyterLab script adds the classes of the dropped rules later.
JupyterLab's 575 kB become
about 130 kB.  The pruned file is named by the hash of its content, so a
browser never keeps a stale copy.
"""

from __future__ import annotations

import hashlib
import logging
import os
import posixpath
import re
from pathlib import Path

log = logging.getLogger("mkdocs.hooks.shared_css")

LIMIT = 20_000
DEST = "assets/inline-css"
_STYLE = re.compile(r"<style\b([^>]*)>(.*?)</style>", re.IGNORECASE | re.DOTALL)
_URL = re.compile(r"""url\(\s*["']?([^"')\s]*)""", re.IGNORECASE)
_MEDIA = re.compile(r"""\bmedia\s*=\s*(["'])(.*?)\1""", re.IGNORECASE)
_CLASS_ATTR = re.compile(r"""\bclass\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_ID_ATTR = re.compile(r"""\bid\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_SEL_CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
_SEL_ID = re.compile(r"#(-?[_a-zA-Z][\w-]*)")

#: Classes that scripts add at run time: Material (md-typeset__scrollwrap around
#: tables, ...), MathJax, and the notebook math script (arithmatex).
RUNTIME_PREFIXES = ("md-", "mjx-", "MathJax", "arithmatex")

#: shared file name -> pages (dest paths) that link it, for this build
_users: dict[str, set[str]] = {}


def on_pre_build(config) -> None:
    _users.clear()


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
        _users.setdefault(name, set()).add(page.file.dest_uri)
        href = posixpath.relpath(uri, page_dir or ".")
        media = _MEDIA.search(m.group(1))
        media_attr = f' media="{media.group(2)}"' if media else ""
        return f'<link rel="stylesheet" href="{href}"{media_attr}>'

    return _STYLE.sub(move, output)


def _prune(css: str, classes: set[str], ids: set[str]) -> str | None:
    try:
        import tinycss2
    except ImportError:  # pragma: no cover - tinycss2 comes with nbconvert
        return None

    def present(c: str) -> bool:
        return c in classes or c.startswith(RUNTIME_PREFIXES)

    def selector_may_match(sel: str) -> bool:
        sel = re.sub(r"\[[^\]]*\]", "", sel)
        sel = re.sub(r":(?:not|is|where|has)\([^)]*\)", "", sel)
        return (all(present(c) for c in _SEL_CLASS.findall(sel))
                and all(i in ids for i in _SEL_ID.findall(sel)))

    def prune(rules) -> list[str]:
        out = []
        for r in rules:
            if r.type == "qualified-rule":
                prelude = tinycss2.serialize(r.prelude)
                if any(selector_may_match(s) for s in prelude.split(",")):
                    out.append(prelude.strip() + "{" + tinycss2.serialize(r.content).strip() + "}")
            elif r.type == "at-rule":
                if r.lower_at_keyword in ("media", "supports") and r.content is not None:
                    inner = prune(tinycss2.parse_rule_list(r.content, skip_comments=True,
                                                           skip_whitespace=True))
                    if inner:
                        out.append("@" + r.at_keyword + tinycss2.serialize(r.prelude)
                                   + "{" + "".join(inner) + "}")
                else:
                    out.append(tinycss2.serialize([r]).strip())
        return out

    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    if any(r.type == "error" for r in rules):
        return None
    return "".join(prune(rules))


def _pruned_cached(css: str, classes: set[str], ids: set[str], root: Path) -> str | None:
    """``_prune``, remembered in ``.cache/shared-css/`` by a hash of its inputs
    (tinycss2 takes about a second over JupyterLab's stylesheet)."""
    key = hashlib.sha256("\0".join([css, " ".join(sorted(classes)), " ".join(sorted(ids)),
                                     Path(__file__).read_text(encoding="utf-8")])
                         .encode("utf-8")).hexdigest()
    memo = root / ".cache" / "shared-css" / f"{key}.css"
    if memo.is_file():
        return memo.read_text(encoding="utf-8")
    pruned = _prune(css, classes, ids)
    if pruned:
        memo.parent.mkdir(parents=True, exist_ok=True)
        memo.write_text(pruned, encoding="utf-8")
    return pruned


def on_post_build(*, config) -> None:
    if os.environ.get("SHARED_CSS_NO_PRUNE"):  # to compare the pages with the full stylesheet
        return
    site_dir = Path(config["site_dir"])
    for name, pages in sorted(_users.items()):
        source = site_dir / DEST / name
        htmls = [site_dir / p for p in sorted(pages) if (site_dir / p).is_file()]
        if not source.is_file() or not htmls:
            continue
        classes: set[str] = set()
        ids: set[str] = set()
        texts = {}
        for h in htmls:
            text = h.read_text(encoding="utf-8")
            texts[h] = text
            for m in _CLASS_ATTR.finditer(text):
                classes.update((m.group(1) or m.group(2) or "").split())
            for m in _ID_ATTR.finditer(text):
                ids.add(m.group(1) or m.group(2) or "")
        css = source.read_text(encoding="utf-8")
        pruned = _pruned_cached(css, classes, ids, Path(config["config_file_path"]).parent)
        if not pruned:
            continue
        new_name = hashlib.sha256(pruned.encode("utf-8")).hexdigest()[:16] + ".css"
        (site_dir / DEST / new_name).write_text(pruned, encoding="utf-8")
        for h, text in texts.items():
            h.write_text(text.replace(f"{DEST}/{name}", f"{DEST}/{new_name}"), encoding="utf-8")
        if new_name != name:
            source.unlink()
        log.debug("pruned %s: %d -> %d bytes", name, len(css), len(pruned))
