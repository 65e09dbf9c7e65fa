"""Every python block on every page runs, and every output a page shows is what
the code prints now.

For each Markdown page in the nav (notebook pages have their own tests):

1. ``--8<--`` snippets are expanded by pymdownx's own snippet preprocessor, set
   up from the site's mkdocs.yml, exactly as the build expands them;
2. every fenced ``python`` block is extracted -- whatever its attributes
   (``exec="on" source=... session=... title=...``), however deeply it is
   indented inside content tabs or admonitions;
3. the page's blocks run in page order, in one namespace, in ONE fresh
   interpreter (a subprocess; cwd a temporary directory), like a reader pasting
   them one after another into a Python session;
4. for each markdown-exec block (``exec="on"``) whose output the page shows,
   what the block printed must appear, in order, in the built HTML.  A block
   whose output legitimately changes from run to run (timings) opts out with
   the comment ``# output varies`` anywhere in its code.

Python fences written ``~~~`` or tagged ``py``/``python3``/``pycon``/... fail the
test: CONTRIBUTING.md asks for ```` ```python ```` only, so that no code escapes
this runner.  Code that is not meant to run is fenced as ``text``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

import pytest
from conftest import SITE_ROOT, is_markdown, load_site_config, nav_pages, page_url

CONFIG = load_site_config()
DOCS = Path(CONFIG["docs_dir"])
PAGES = nav_pages(CONFIG)
MD_PAGES = [p for p in PAGES if is_markdown(p)]

PYTHON_LANGS = {"python"}
#: Fence languages that are Python but that the runner would not see.
FORBIDDEN_LANGS = {"py", "py3", "python3", "python2", "pycon", "ipython", "ipython3",
                   "python-console", "pyi", "numpy"}
VARIES_MARK = "# output varies"
HIDE_MARK = "markdown-exec: hide"

_OPEN_RE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>.*?)[ \t]*$")
_OPT_RE = re.compile(r"""(?P<key>[A-Za-z][\w-]*)"""
                     r"""(?:=(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>\S+)))?""")


# ---------------------------------------------------------------------------
# Extraction
# ---------------------------------------------------------------------------

@dataclass
class Fence:
    line: int                 # 1-based line of the opening fence
    fence: str                # ``` or ~~~ (with its length)
    indent: str
    lang: str
    options: dict[str, str]
    info: str
    code: str


@dataclass
class Block:
    page: str
    number: int               # 1-based among the page's python blocks
    line: int                 # 1-based line of the opening fence in the page source
    info: str
    options: dict[str, str]
    code: str                 # after snippet expansion: what runs
    from_snippet: bool        # the block's text came (partly) from --8<--
    exec: bool = False
    source: str = ""
    result: str = ""
    html: bool = False
    varies: bool = False
    displayed: str = ""       # what the page shows as source (hide lines removed)
    errors: list[str] = field(default_factory=list)

    @property
    def where(self) -> str:
        return f"docs/{self.page}, block {self.number} (fence at line {self.line}: {self.info!r})"


def parse_info(info: str) -> tuple[str, dict[str, str]]:
    """Language and options of a fence info string (superfences syntax)."""
    info = info.strip()
    if info.startswith("{") and info.endswith("}"):  # ``` {.python .cls key="v"}
        inner = info[1:-1]
        lang = ""
        m = re.search(r"(?:^|\s)\.([\w#+-]+)", inner)
        if m:
            lang = m.group(1)
        rest = re.sub(r"(?:^|\s)[.#][\w#+-]+", " ", inner)
    else:
        m = re.match(r"([\w#.+-]*)(.*)$", info)
        lang, rest = m.group(1), m.group(2)
    options: dict[str, str] = {}
    for om in _OPT_RE.finditer(rest):
        value = om.group("dq") if om.group("dq") is not None else (
            om.group("sq") if om.group("sq") is not None else om.group("bare"))
        options[om.group("key")] = "" if value is None else value
    return lang.lower(), options


def extract_fences(text: str) -> list[Fence]:
    """Every fenced block of a Markdown text, at any indentation, in order.

    A fence closes at a line holding only the same fence character, at least as
    many times; what lies inside a fence (even other fences) is its content.
    """
    lines = text.split("\n")
    fences: list[Fence] = []
    i = 0
    while i < len(lines):
        m = _OPEN_RE.match(lines[i])
        if not m or (m.group("fence")[0] == "`" and "`" in m.group("info")):
            i += 1
            continue
        indent, fence, info = m.group("indent"), m.group("fence"), m.group("info")
        lang, options = parse_info(info)
        close = re.compile(r"^[ \t]*" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}[ \t]*$")
        body: list[str] = []
        j = i + 1
        while j < len(lines) and not close.match(lines[j]):
            line = lines[j]
            if line.startswith(indent):
                line = line[len(indent):]
            else:
                line = line.lstrip(" \t")
            body.append(line)
            j += 1
        fences.append(Fence(i + 1, fence, indent, lang, options, info, "\n".join(body)))
        i = j + 1
    return fences


@lru_cache(maxsize=1)
def _snippet_markdown():
    """A Markdown instance with the site's own pymdownx.snippets configuration."""
    import markdown

    names = [e if isinstance(e, str) else type(e).__module__ for e in CONFIG["markdown_extensions"]]
    assert "pymdownx.snippets" in names, "mkdocs.yml must enable pymdownx.snippets"
    cfg = dict(CONFIG["mdx_configs"].get("pymdownx.snippets", {}))
    base = cfg.get("base_path", ["."])
    base = [base] if isinstance(base, str) else list(base)
    cfg["base_path"] = [str(b if Path(b).is_absolute() else SITE_ROOT / b) for b in base]
    return markdown.Markdown(extensions=["pymdownx.snippets"],
                             extension_configs={"pymdownx.snippets": cfg})


def expand_snippets(text: str) -> str:
    md = _snippet_markdown()
    md.reset()
    return "\n".join(md.preprocessors["snippet"].run(text.split("\n")))


def displayed_source(code: str) -> str:
    """The source markdown-exec shows: lines marked ``markdown-exec: hide`` dropped."""
    return "\n".join(line for line in code.split("\n") if HIDE_MARK not in line)


@lru_cache(maxsize=None)
def page_blocks(page: str) -> tuple[list[Block], list[str]]:
    """The python blocks of a page, and the problems found while extracting them."""
    raw = (DOCS / page).read_text(encoding="utf-8")
    expanded = expand_snippets(raw)
    raw_fences = extract_fences(raw)
    fences = extract_fences(expanded)
    problems: list[str] = []
    same_shape = [f.info for f in raw_fences] == [f.info for f in fences]

    blocks: list[Block] = []
    for k, f in enumerate(fences):
        line = raw_fences[k].line if same_shape else f.line
        is_py = f.lang in PYTHON_LANGS
        if f.lang in FORBIDDEN_LANGS or (f.fence[0] == "~" and f.lang in PYTHON_LANGS):
            problems.append(
                f"docs/{page}, line {line}: python fence {f.fence}{f.info!r} -- use ```python "
                "(or ```text for code that is not meant to run); only ```python blocks are run")
            continue
        if not is_py:
            continue
        from_snippet = not same_shape or raw_fences[k].code != f.code
        b = Block(page, len(blocks) + 1, line, f.info, f.options, f.code, from_snippet)
        b.exec = f.options.get("exec", "no").lower() in {"1", "on", "true", "yes"}
        b.source = f.options.get("source", "")
        b.result = f.options.get("result", "")
        b.html = f.options.get("html", "no").lower() in {"1", "on", "true", "yes"}
        b.varies = VARIES_MARK in f.code
        b.displayed = displayed_source(f.code) if b.exec else f.code
        if b.exec and b.source == "console":
            problems.append(f"{b.where}: source=\"console\" mixes code and output in one block; "
                            "use source=\"block\" (or above/below/tabbed-left/tabbed-right)")
        if b.exec and b.source == "material-block":
            problems.append(f"{b.where}: source=\"material-block\" is deprecated; use source=\"block\"")
        if "--8<--" in f.code:
            problems.append(f"{b.where}: a --8<-- line survived snippet expansion")
        blocks.append(b)
    return blocks, problems


# ---------------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------------

DRIVER = r'''
import contextlib, io, json, linecache, sys, traceback

blocks = json.load(open(sys.argv[1], encoding="utf-8"))
results = []
ns = {"__name__": "__main__", "__builtins__": __builtins__}

def run():
    for b in blocks:
        name = f"<docs/{b['page']} block {b['number']}>"
        code = b["code"] + "\n"
        linecache.cache[name] = (len(code), None, code.splitlines(True), name)
        printed, stray = io.StringIO(), io.StringIO()
        if b["exec"]:
            # markdown-exec shows what `print` wrote (its own print, see
            # markdown_exec/_internal/formatters/python.py); mimic it exactly.
            def _print(*texts, end="\n", _buf=printed, **kwargs):
                _buf.write(" ".join(str(t) for t in texts) + end)
            ns["print"] = _print
        else:
            ns.pop("print", None)
        rec = {"number": b["number"]}
        results.append(rec)
        try:
            with contextlib.redirect_stdout(printed if not b["exec"] else stray):
                exec(compile(code, name, "exec"), ns)
        except BaseException as exc:  # SystemExit too: a block must not end the session
            tb = traceback.TracebackException.from_exception(exc)
            tb.stack = traceback.StackSummary.from_list(
                [fr for fr in tb.stack if fr.filename != __file__])
            rec["error"] = "".join(tb.format())
            frames = [fr for fr in tb.stack if fr.filename == name]
            rec["error_line"] = frames[-1].lineno if frames else None
            rec["output"] = printed.getvalue()
            return
        finally:
            ns.pop("print", None)
        rec["output"] = printed.getvalue()
        rec["stray"] = stray.getvalue()

run()
json.dump(results, open(sys.argv[2], "w", encoding="utf-8"))
'''


def run_page(page: str, workdir: str) -> list[dict]:
    """Run a page's python blocks in order in one fresh interpreter."""
    blocks, _ = page_blocks(page)
    wd = Path(workdir)
    (wd / "driver.py").write_text(DRIVER, encoding="utf-8")
    (wd / "blocks.json").write_text(json.dumps([asdict(b) for b in blocks]), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(MPLBACKEND="Agg", PYTHONDONTWRITEBYTECODE="1")
    out = subprocess.run([sys.executable, str(wd / "driver.py"), "blocks.json", "results.json"],
                         cwd=wd, env=env, capture_output=True, text=True, timeout=1200, check=False)
    if out.returncode != 0 or not (wd / "results.json").exists():
        raise AssertionError(f"docs/{page}: the interpreter running the page's blocks died "
                             f"(exit {out.returncode}):\n{out.stdout[-3000:]}\n"
                             f"{out.stderr[-5000:]}")
    return json.loads((wd / "results.json").read_text(encoding="utf-8"))


def failure_message(block: Block, rec: dict) -> str:
    n = rec.get("error_line")
    lines = block.code.split("\n")
    if n and not block.from_snippet:
        where = f"docs/{block.page}, line {block.line + n}"
    elif n:
        where = f"line {n} of the snippet-expanded block"
    else:
        where = "(no line inside the block: the error was raised while compiling or elsewhere)"
    text = lines[n - 1].strip() if n and 0 < n <= len(lines) else ""
    return (f"{block.where} failed\n  at {where}: {text}\n\n"
            f"{textwrap.indent(rec['error'], '    ')}")


# ---------------------------------------------------------------------------
# Outputs shown on the built page
# ---------------------------------------------------------------------------

def _norm(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


@lru_cache(maxsize=1)
def _site_markdown():
    import markdown
    return markdown.Markdown(extensions=CONFIG["markdown_extensions"],
                             extension_configs=CONFIG["mdx_configs"])


def shown_form(block: Block, output: str):
    """(text, images) of what markdown-exec puts on the page for this output."""
    from bs4 import BeautifulSoup

    if block.result and not block.html:
        return _norm(output), []
    if block.html:
        html = output
    else:
        md = _site_markdown()
        md.reset()
        html = md.convert(output)
    soup = BeautifulSoup(html, "html.parser")
    images = [(img.get("src", ""), img.get("alt", "")) for img in soup.find_all("img")]
    return _text(soup), images


def _text(soup) -> str:
    """The text, each piece of math as one token: the built page holds typeset math
    (docs_hooks/mathjax.py), a block's printed Markdown holds its TeX."""
    for el in soup.select(".arithmatex"):
        el.replace_with(" \u27e8math\u27e9 ")
    return _norm(soup.get_text())


def check_outputs(page: str, blocks: list[Block], results: list[dict], site_dir: Path) -> list[str]:
    from bs4 import BeautifulSoup

    html_file = site_dir / page_url(page)
    assert html_file.is_file(), f"docs/{page} was not built: no {html_file}"
    soup = BeautifulSoup(html_file.read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article.md-content__inner") or soup
    page_text = _text(article)
    page_images = {(img.get("src", ""), img.get("alt", "")) for img in article.find_all("img")}
    problems = []
    cursor = 0
    by_number = {r["number"]: r for r in results}
    for b in blocks:
        rec = by_number.get(b.number)
        if not b.exec or rec is None or b.varies:
            continue
        output = rec.get("output", "")
        if not output.strip():
            continue
        text, images = shown_form(b, output)
        for img in images:
            if img not in page_images:
                problems.append(f"{b.where}: the page does not show the image this block draws "
                                f"now (alt={img[1]!r}); rebuild the site, or the figure is not "
                                "deterministic")
        if not text:
            continue
        at = page_text.find(text, cursor)
        if at < 0:
            earlier = page_text.find(text)
            hint = " (it appears earlier on the page, out of order)" if earlier >= 0 else ""
            problems.append(
                f"{b.where}: the built page does not show what the block prints when the page's "
                f"blocks run in order{hint}.\n  printed: {output[:800]!r}\n"
                f"  If the output legitimately varies (timings), add the comment "
                f"'{VARIES_MARK}' to the block.")
        else:
            cursor = at + len(text)
    return problems


# ---------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------

def test_nav_has_markdown_pages():
    assert MD_PAGES, "no Markdown pages in the nav"
    for page in MD_PAGES:
        assert (DOCS / page).is_file(), f"nav lists {page} but docs/{page} does not exist"


def test_blocks_were_collected():
    """The runner must have something to run: a site whose pages show no python
    at all would make every page test pass trivially."""
    total = sum(len(page_blocks(p)[0]) for p in MD_PAGES)
    executed_at_build = sum(b.exec for p in MD_PAGES for b in page_blocks(p)[0])
    assert total > 0, "no ```python blocks found on any page"
    assert executed_at_build > 0, "no markdown-exec (exec=\"on\") blocks found on any page"


@pytest.mark.parametrize("page", MD_PAGES)
def test_page_blocks_run(page, site_dir, tmp_path):
    blocks, problems = page_blocks(page)
    assert not problems, "\n".join(problems)
    if not blocks:
        return
    results = run_page(page, str(tmp_path))
    assert len(results) >= 1
    last = results[-1]
    if "error" in last:
        block = blocks[last["number"] - 1]
        pytest.fail(failure_message(block, last), pytrace=False)
    assert [r["number"] for r in results] == [b.number for b in blocks], (
        f"docs/{page}: not every block ran")
    mismatches = check_outputs(page, blocks, results, site_dir)
    assert not mismatches, "\n\n".join(mismatches)


def test_extractor_sees_nested_and_forbidden_fences():
    """The extractor itself: tabs, admonitions, attributes, long fences, bad fences."""
    text = textwrap.dedent('''\
        # T
        ```python
        a = 1
        ```
        === "Tab"

            ```python exec="on" source="block" result="text" session="t" title="x.py"
            print(a)
            ```

        !!! note
            ??? success "Answer"
                ````python
                b = 2
                ```text
                not a fence end
                ```
                ````
        ~~~python
        c = 3
        ~~~
        ```py
        d = 4
        ```
        ``` {.python .numberLines}
        e = 5
        ```
        ```text
        ```python
        not python
        ```
        ''')
    fences = extract_fences(text)
    langs = [(f.lang, f.line) for f in fences]
    assert langs == [("python", 2), ("python", 7), ("python", 13), ("python", 19),
                     ("py", 22), ("python", 25), ("text", 28)], langs
    assert fences[1].options == {"exec": "on", "source": "block", "result": "text",
                                 "session": "t", "title": "x.py"}
    assert fences[1].code == "print(a)"
    assert fences[2].code == "b = 2\n```text\nnot a fence end\n```"


# ---------------------------------------------------------------------------
# The strict build itself rejects broken exec blocks (a throwaway page, built
# with the site's own mkdocs.yml in a temporary directory)
# ---------------------------------------------------------------------------

_BUILD_ONE_PAGE = r"""
import logging, sys
logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
cfg = load_config(sys.argv[1], docs_dir=sys.argv[2], site_dir=sys.argv[3],
                  nav=[{"Home": "index.md"}], strict=True)
try:
    build(cfg)
except Abort as exc:
    print("ABORTED:", exc)
    sys.exit(3)
"""

_GOOD_PAGE = '''# Throwaway

$$ a = b \\tag{BP1} $$

```python exec="on" source="block" result="text" session="t"
print(6 * 7)
```
'''


@pytest.mark.parametrize("case, body, expect", [
    ("good", _GOOD_PAGE, None),
    ("exec-error", _GOOD_PAGE + '\n```python exec="on"\nraise ValueError("boom")\n```\n',
     "Execution of python code block"),
    ("printed-link", _GOOD_PAGE + '\n```python exec="on"\nprint("[x](missing.md)")\n```\n',
     "missing.md"),
    ("missing-snippet", _GOOD_PAGE + '\n```python\n--8<-- "derivations/nope.py:x"\n```\n',
     "nope.py"),
])
def test_strict_build_rejects_broken_pages(case, body, expect, tmp_path):
    from conftest import MKDOCS_YML
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text(body, encoding="utf-8")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    out = subprocess.run([sys.executable, "-c", _BUILD_ONE_PAGE, str(MKDOCS_YML), str(docs),
                          str(tmp_path / "site")], cwd=SITE_ROOT, env=env, capture_output=True,
                         text=True, timeout=300, check=False)
    log = out.stdout + out.stderr
    if expect is None:
        assert out.returncode == 0, log[-4000:]
        assert "42" in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    else:
        assert out.returncode != 0, (
            f"the strict build accepted a page with a {case}:\n{log[-3000:]}")
        assert expect in log, log[-4000:]
