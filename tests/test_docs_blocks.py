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
   the comment ``# output varies`` anywhere in its code;
5. the facts the page's blocks recorded (``derivations.book.facts``) are
   exactly the ones its Markdown quotes, each spec fits its value, a false
   ``claim`` fails the run, and no hidden block (``exec="on"`` without
   ``source``) prints prose -- only tables, figures, or nothing;
6. the blocks a reader sees -- plain ``python`` blocks and exec blocks with a
   ``source`` option, without their ``markdown-exec: hide`` lines -- run
   alone, in page order, in another fresh interpreter, without the hidden
   blocks (``test_shown_code_runs_alone``).

The extraction (fences, options, snippets) is ``docs_hooks/pageblocks.py``,
the one the build's exec cache uses, so the tests and the build see the same
blocks.  The strict build itself is tested on throwaway pages at the end:
broken blocks, wrong facts, and the cache rule.

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
from pageblocks import SnippetExpander, displayed_source, extract_fences, truthy

CONFIG = load_site_config()
DOCS = Path(CONFIG["docs_dir"])
PAGES = nav_pages(CONFIG)
MD_PAGES = [p for p in PAGES if is_markdown(p)]

PYTHON_LANGS = {"python"}
#: Fence languages that are Python but that the runner would not see.
FORBIDDEN_LANGS = {"py", "py3", "python3", "python2", "pycon", "ipython", "ipython3",
                   "python-console", "pyi", "numpy"}
VARIES_MARK = "# output varies"


# ---------------------------------------------------------------------------
# Extraction
# ---------------------------------------------------------------------------

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


@lru_cache(maxsize=1)
def _expander() -> SnippetExpander:
    names = [e if isinstance(e, str) else type(e).__module__ for e in CONFIG["markdown_extensions"]]
    assert "pymdownx.snippets" in names, "mkdocs.yml must enable pymdownx.snippets"
    return SnippetExpander(CONFIG["mdx_configs"], SITE_ROOT)


def expand_snippets(text: str) -> str:
    return _expander()(text)


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
        b.exec = truthy(f.options.get("exec", ""))
        b.source = f.options.get("source", "")
        b.result = f.options.get("result", "")
        b.html = truthy(f.options.get("html", ""))
        b.varies = VARIES_MARK in f.code
        b.displayed = displayed_source(f.code) if b.exec else f.code
        if b.exec and b.source == "console":
            problems.append(f"{b.where}: source=\"console\" mixes code and output in one block; "
                            "use source=\"block\" (or above/below/tabbed-left/tabbed-right)")
        if b.exec and b.source == "material-block":
            problems.append(f"{b.where}: source=\"material-block\" is deprecated; "
                            "use source=\"block\"")
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
from derivations.book.facts import recorded  # what the page's hidden blocks recorded
json.dump({"results": results, "facts": recorded()}, open(sys.argv[2], "w", encoding="utf-8"))
'''


def shown_blocks(page: str) -> list[Block]:
    """The blocks a reader sees, as they see them: plain python blocks, and exec
    blocks with a ``source`` option, with ``markdown-exec: hide`` lines removed."""
    blocks, _ = page_blocks(page)
    out = []
    for b in blocks:
        if b.exec and not b.source:
            continue
        shown = Block(**{**asdict(b), "code": b.displayed, "exec": False})
        out.append(shown)
    return out


def start_page(page: str, workdir: str, blocks: list[Block] | None = None) -> subprocess.Popen:
    """Start running a page's python blocks in order in one fresh interpreter."""
    if blocks is None:
        blocks, _ = page_blocks(page)
    wd = Path(workdir)
    (wd / "driver.py").write_text(DRIVER, encoding="utf-8")
    (wd / "blocks.json").write_text(json.dumps([asdict(b) for b in blocks]), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(MPLBACKEND="Agg", PYTHONDONTWRITEBYTECODE="1")
    proc = subprocess.Popen([sys.executable, str(wd / "driver.py"), "blocks.json",
                             "results.json"], cwd=wd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    proc.page, proc.workdir = page, wd
    return proc


def page_results(proc: subprocess.Popen) -> list[dict]:
    """What each block printed (or its error), and the facts the page recorded
    (``.facts``), once the interpreter started by ``start_page`` is done."""
    stdout, stderr = proc.communicate(timeout=1200)
    if proc.returncode != 0 or not (proc.workdir / "results.json").exists():
        raise AssertionError(f"docs/{proc.page}: the interpreter running the page's blocks "
                             f"died (exit {proc.returncode}):\n{stdout[-3000:]}\n"
                             f"{stderr[-5000:]}")
    ran = json.loads((proc.workdir / "results.json").read_text(encoding="utf-8"))
    return Results(ran["results"], ran["facts"])


def run_page(page: str, workdir: str, blocks: list[Block] | None = None) -> list[dict]:
    """Run a page's python blocks in order in one fresh interpreter."""
    return page_results(start_page(page, workdir, blocks))


class Results(list):
    """Each block's record, in order, and the page's facts."""

    def __init__(self, records: list[dict], facts: dict):
        super().__init__(records)
        self.facts = facts


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
# Facts and prose
# ---------------------------------------------------------------------------

def fact_problems(page: str, facts: dict, site_dir: Path | None = None) -> list[str]:
    """Every placeholder of the page names a recorded fact and its spec fits the
    value; every recorded fact is quoted; the built page shows no placeholder."""
    from derivations.book.facts import quote, references

    refs = references((DOCS / page).read_text(encoding="utf-8"))
    problems = []
    for name, spec in refs:
        if name not in facts:
            problems.append(f"docs/{page}: {{{{ {name} }}}} names no fact the page records "
                            f"(recorded: {', '.join(sorted(facts)) or 'none'})")
            continue
        try:
            format(facts[name], spec)
        except (TypeError, ValueError) as exc:
            problems.append(f"docs/{page}: {{{{ {name}:{spec} }}}} does not fit "
                            f"{facts[name]!r}: {exc}")
    for name in sorted(set(facts) - {n for n, _ in refs}):
        problems.append(f"docs/{page}: the fact {name!r} is recorded but never quoted")
    if site_dir is not None:
        built = (site_dir / page_url(page)).read_text(encoding="utf-8")
        problems += [f"docs/{page}: the built page still shows a placeholder: {p}"
                     for p in quote(built, {})[2]]
    return problems


def printed_prose(blocks: list[Block], results: list[dict]) -> list[str]:
    """Hidden blocks (exec without source) may print a table or a figure, and
    nothing else: a sentence belongs in the Markdown, quoting facts."""
    from bs4 import BeautifulSoup

    by_number = {r["number"]: r for r in results}
    problems = []
    for b in blocks:
        output = by_number.get(b.number, {}).get("output", "")
        if not b.exec or b.source or not output.strip():
            continue
        if b.html:
            text = BeautifulSoup(output, "html.parser").get_text().strip()
            prose = [text] if text else []
        else:
            prose = [line for line in output.splitlines()
                     if line.strip() and not line.lstrip().startswith("|")]
        if prose:
            problems.append(f"{b.where}: a hidden block prints prose ({prose[0][:120]!r}); "
                            "write the sentence in Markdown and quote the numbers as facts "
                            "(CONTRIBUTING.md, Facts)")
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


#: The shown-blocks-only runs, started beside each page's full run (two
#: interpreters, two cores) and collected by test_shown_code_runs_alone.
_shown_runs: dict[str, subprocess.Popen] = {}


@pytest.fixture(scope="module", autouse=True)
def _finish_shown_runs():
    """Wait for shown-only runs no test collected (when only some tests run)."""
    yield
    for proc in _shown_runs.values():
        proc.communicate()
    _shown_runs.clear()


@pytest.mark.parametrize("page", MD_PAGES)
def test_page_blocks_run(page, site_dir, tmp_path):
    blocks, problems = page_blocks(page)
    assert not problems, "\n".join(problems)
    if not blocks:
        pytest.skip(f"docs/{page} has no python blocks to run")
    shown = shown_blocks(page)
    if shown:
        (tmp_path / "shown").mkdir()
        _shown_runs[page] = start_page(page, str(tmp_path / "shown"), shown)
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
    problems = fact_problems(page, results.facts, site_dir) + printed_prose(blocks, results)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("page", MD_PAGES)
def test_shown_code_runs_alone(page, tmp_path):
    """The blocks a reader sees, pasted in page order into a fresh interpreter
    WITHOUT the hidden blocks, run."""
    blocks = shown_blocks(page)
    if not blocks:
        return
    started = _shown_runs.pop(page, None)
    results = page_results(started) if started else run_page(page, str(tmp_path), blocks)
    last = results[-1]
    if "error" in last:
        block = next(b for b in blocks if b.number == last["number"])
        pytest.fail("shown code does not run without the hidden blocks:\n"
                    + failure_message(block, last), pytrace=False)


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

```python exec="on" session="t"
from derivations.book.facts import claim, facts

facts(answer=6 * 7, ratio=0.123456)
claim(6 * 7 > 40, "the answer exceeds forty")
```

The answer is {{ answer }}, $x^{ {{ answer }} }$ in math, {{ ratio:.1% }} as a share;
`{{ not_a_fact }}` in code stays as it is.
'''

#: One page with each way a page's facts can be wrong.
_BAD_FACTS_PAGE = _GOOD_PAGE + '''
```python exec="on" session="t"
facts(unquoted=1.5)
claim(6 * 7 < 40, "the answer is below forty")
```

{{ typo }} and {{ answer:.2q }}.
'''


def test_strict_build_renders_a_good_page(tmp_path):
    out = _build_one_page(_GOOD_PAGE, tmp_path)
    assert out.returncode == 0, (out.stdout + out.stderr)[-4000:]
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "42" in html
    assert "The answer is 42, " in html and "12.3% as a share" in html
    # the fact inside $…$ reached the math: MathJax typeset it at build time,
    # and its assistive MathML holds the superscript 42
    assert re.search(r"<msup><mi>x</mi>(<mrow[^>]*>)?<mn>42</mn>", html), html[-3000:]
    assert "{{ not_a_fact }}" in html


@pytest.mark.parametrize("case, body, expected", [
    # Problems the build reports all at once (one build, to keep the suite fast):
    # an exec block that raises, a printed link to a missing page, and each way a
    # page's facts can be wrong -- a false claim, an unknown name, a spec that does
    # not fit, a fact never quoted.
    ("errors", _BAD_FACTS_PAGE + '\n```python exec="on"\nraise ValueError("boom")\n```\n'
     '\n```python exec="on"\nprint("[x](missing.md)")\n```\n',
     ["Execution of python code block", "missing.md",
      "the page claims that the answer is below forty, and that is false",
      "{{ typo }} names no fact of this page",
      "{{ answer:.2q }}: format spec '.2q' does not fit 42",
      "the fact 'unquoted' is recorded but never quoted"]),
    # A missing snippet stops the build at once.
    ("missing-snippet", _GOOD_PAGE + '\n```python\n--8<-- "derivations/nope.py:x"\n```\n',
     ["nope.py"]),
])
def test_strict_build_rejects_broken_pages(case, body, expected, tmp_path):
    out = _build_one_page(body, tmp_path)
    log = out.stdout + out.stderr
    assert out.returncode != 0, f"the strict build accepted a page with {case}:\n{log[-3000:]}"
    for text in expected:
        assert text in log, f"not reported: {text!r}\n{log[-4000:]}"


def _build_one_page(body: str, tmp_path: Path, site: str = "site") -> subprocess.CompletedProcess:
    """A strict build of one page with the site's own mkdocs.yml (and a cache of its own)."""
    from conftest import MKDOCS_YML
    docs = tmp_path / "docs"
    docs.mkdir(exist_ok=True)
    (docs / "index.md").write_text(body, encoding="utf-8")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", EXEC_CACHE_DIR=str(tmp_path / "cache"))
    return subprocess.run([sys.executable, "-c", _BUILD_ONE_PAGE, str(MKDOCS_YML), str(docs),
                           str(tmp_path / site)], cwd=SITE_ROOT, env=env, capture_output=True,
                          text=True, timeout=300, check=False)


_CLOCK_PAGE = '''# Clock

Some prose.

```python exec="on" source="block" result="text" session="clock"
import time
print("ran at", time.time_ns())
```
'''


def test_exec_cache_reruns_a_page_only_when_its_code_changes(tmp_path):
    """The cache rule (CONTRIBUTING.md): a prose edit reuses the results, a code
    edit runs the page again."""
    def ran_at(site):
        html = (tmp_path / site / "index.html").read_text(encoding="utf-8")
        return re.search(r"ran at (\d+)", html).group(1), html

    for site, body in [("cold", _CLOCK_PAGE),
                       ("prose", _CLOCK_PAGE.replace("Some prose.", "Edited prose.")),
                       ("code", _CLOCK_PAGE.replace("import time", "import time  # edited"))]:
        out = _build_one_page(body, tmp_path, site)
        assert out.returncode == 0, (out.stdout + out.stderr)[-3000:]
    (cold, _), (prose, prose_html), (code, _) = map(ran_at, ["cold", "prose", "code"])
    assert "Edited prose." in prose_html
    assert prose == cold, "a prose edit ran the page's code again"
    assert code != cold, "a code edit reused the old results"


def test_page_results_follow_the_modules_they_imported(tmp_path):
    """The other half of the cache rule: results record the package files the
    page imported; a change to one of them, or a file added under src/, makes
    them stale; bytecode does not."""
    from pageblocks import layout_digest, src_files

    module = tmp_path / "pkg" / "m.py"
    module.parent.mkdir()
    module.write_text("x = 1\n", encoding="utf-8")
    (tmp_path / "pkg" / "data.txt").write_text("1\n", encoding="utf-8")
    before = src_files(tmp_path)
    module.write_text("x = 2\n", encoding="utf-8")
    (tmp_path / "pkg" / "__pycache__").mkdir()
    (tmp_path / "pkg" / "__pycache__" / "m.cpython-311.pyc").write_bytes(b"\0")
    after = src_files(tmp_path)
    assert set(before) == set(after) == {"pkg/m.py", "pkg/data.txt"}
    assert before["pkg/m.py"] != after["pkg/m.py"]
    assert layout_digest(before) == layout_digest(after)       # checked per page instead
    (tmp_path / "pkg" / "data.txt").write_text("2\n", encoding="utf-8")
    assert layout_digest(src_files(tmp_path)) != layout_digest(after)   # data: every page
    (tmp_path / "pkg" / "new.py").write_text("", encoding="utf-8")
    assert layout_digest(src_files(tmp_path)) != layout_digest(after)   # a new module


def test_a_page_records_the_modules_it_imports():
    from pageblocks import run_exec_blocks

    ran = run_exec_blocks([{"code": "from derivations import gradcheck\nprint(1)",
                            "session": "s"}])
    assert ran["results"] == [{"output": "1\n"}]
    assert {"derivations/gradcheck.py", "derivations/__init__.py",
            "derivations/book/facts.py"} <= set(ran["imported"])
