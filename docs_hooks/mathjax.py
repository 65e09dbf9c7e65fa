"""MkDocs hook: serve MathJax 3.2.2 from the site itself (no CDN).

The files come from the installed ``django-static-mathjax`` package (MathJax's
own ``es5`` build).  Only what the pages load is added to the site, under ``assets/mathjax/``:

* ``startup.js`` -- the loader, listed in ``extra_javascript``; it loads the
  components named in ``loader.load`` of ``docs/javascripts/mathjax.js``:
  ``core.js``, ``input/tex.js`` (TeX with ams, newcommand, autoload, ...),
  ``output/chtml.js`` with ``output/chtml/fonts/tex.js`` and
  ``a11y/assistive-mml.js`` (MathML for screen readers);
* ``output/chtml/fonts/woff-v2/`` -- the fonts CHTML requests;
* ``input/tex/extensions/`` -- TeX packages loaded on demand (``autoload``).

The combined ``tex-chtml.js`` would be 1.16 MB (it bundles the 426 kB context
menu); these components are 0.76 MB, about 165 kB gzipped.

The files are registered as MkDocs ``File`` objects, so ``mkdocs build`` copies
them and ``mkdocs serve`` serves them, with no extra step.
"""

from __future__ import annotations

import importlib.util
import logging
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

log = logging.getLogger("mkdocs.hooks.mathjax")

VERSION = "3.2.2"
DEST = "assets/mathjax"
COMPONENT = "startup.js"
INCLUDE = [
    COMPONENT,
    "core.js",
    "input/tex.js",
    "output/chtml.js",
    "output/chtml/fonts/tex.js",
    "output/chtml/fonts/woff-v2",
    "input/tex/extensions",
    "a11y/assistive-mml.js",
]


def mathjax_root() -> Path:
    """The ``es5`` directory of the installed MathJax."""
    spec = importlib.util.find_spec("mathjax")
    if spec is None or not spec.submodule_search_locations:
        raise PluginError("MathJax is not installed: pip install django-static-mathjax==3.2.2.1")
    root = Path(next(iter(spec.submodule_search_locations))) / "static" / "mathjax" / "es5"
    component = root / "core.js"
    if not component.is_file():
        raise PluginError(f"MathJax component missing: {component}")
    head = component.read_text(encoding="utf-8", errors="replace")
    if f'VERSION="{VERSION}"' not in head:
        raise PluginError(f"{component} is not MathJax {VERSION}")
    return root


def mathjax_files(root: Path | None = None) -> list[tuple[str, Path]]:
    """(site path, source path) of every MathJax file the site serves."""
    root = root or mathjax_root()
    out = []
    for item in INCLUDE:
        src = root / item
        paths = [src] if src.is_file() else sorted(p for p in src.rglob("*") if p.is_file())
        if not paths:
            raise PluginError(f"MathJax files missing: {src}")
        for p in paths:
            out.append((f"{DEST}/{p.relative_to(root).as_posix()}", p))
    return out


def on_files(files: Files, *, config) -> Files:
    for uri, path in mathjax_files():
        if files.get_file_from_path(uri) is None:
            files.append(File.generated(config, uri, abs_src_path=str(path)))
    return files
