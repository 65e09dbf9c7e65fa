"""The python blocks of a page: found, snippet-expanded, run, and keyed for the cache.

Not a hook itself: ``exec_cache.py`` (the build) and ``tests/test_docs_blocks.py``
(the page runner) share it, so the build and the tests find the same blocks.

* ``extract_fences`` finds every fenced block of a Markdown text, at any
  indentation (content tabs, admonitions), with its info string parsed;
* ``SnippetExpander`` expands ``--8<--`` lines with pymdownx.snippets set up
  from the site's own mkdocs.yml, exactly as the build expands them;
* ``exec_blocks`` lists the blocks markdown-exec runs (``exec="on"``);
* ``run_exec_blocks`` runs them as markdown-exec does -- sessions, the
  ``print`` it captures, module names, tracebacks -- and returns what each
  printed, the facts the page recorded (``derivations.book.facts``) and the
  package's modules it imported;
* ``src_files``, ``code_digest`` and ``environment_digest`` hash everything else
  a block's output can depend on: the files under ``src/``, the interpreter and
  every installed distribution, and this runner.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

_OPEN_RE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>.*?)[ \t]*$")
_OPT_RE = re.compile(r"""(?P<key>[A-Za-z][\w-]*)"""
                     r"""(?:=(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>\S+)))?""")
HIDE_MARK = "markdown-exec: hide"
#: Options of an exec block that change what it prints (the rest only change
#: how markdown-exec shows it, which is never cached).
RUN_OPTIONS = ("session", "id", "title", "workdir", "width")


@dataclass
class Fence:
    line: int                 # 1-based line of the opening fence
    fence: str                # ``` or ~~~ (with its length)
    indent: str
    lang: str
    options: dict[str, str]
    info: str
    code: str


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


class SnippetExpander:
    """``--8<--`` expansion with the site's pymdownx.snippets configuration.

    ``mdx_configs`` is the loaded config's ``mdx_configs``; relative base paths
    are taken relative to ``root`` (the directory of mkdocs.yml).
    """

    def __init__(self, mdx_configs: dict, root: Path):
        import markdown

        cfg = dict(mdx_configs.get("pymdownx.snippets", {}))
        base = cfg.get("base_path", ["."])
        base = [base] if isinstance(base, str) else list(base)
        cfg["base_path"] = [str(b if Path(b).is_absolute() else Path(root) / b) for b in base]
        self._md = markdown.Markdown(extensions=["pymdownx.snippets"],
                                     extension_configs={"pymdownx.snippets": cfg})

    def __call__(self, text: str) -> str:
        self._md.reset()
        return "\n".join(self._md.preprocessors["snippet"].run(text.split("\n")))


def truthy(value: str) -> bool:
    """markdown-exec's reading of an option value (``exec="on"``, ``html="1"``)."""
    return value.lower() not in {"", "no", "off", "false", "0"}


def displayed_source(code: str) -> str:
    """The source markdown-exec shows: lines marked ``markdown-exec: hide`` dropped."""
    return "\n".join(line for line in code.split("\n") if HIDE_MARK not in line)


def exec_blocks(expanded: str) -> list[dict]:
    """The python blocks markdown-exec runs, in page order, from snippet-expanded
    Markdown: for each, its code, the options that affect what it prints, and
    the line of its fence."""
    out = []
    for f in extract_fences(expanded):
        if f.lang == "python" and truthy(f.options.get("exec", "")):
            run = {k: f.options[k] for k in RUN_OPTIONS if f.options.get(k)}
            out.append({"code": f.code, "line": f.line, **run})
    return out


def block_key(blocks: list[dict]) -> list:
    """What a page's results depend on among its own text: code and run options."""
    return [[b["code"], *(b.get(k, "") for k in RUN_OPTIONS)] for b in blocks]


# ---------------------------------------------------------------------------
# Running, as markdown-exec runs (markdown_exec/_internal/formatters/python.py)
# ---------------------------------------------------------------------------

def _block_name(counter: dict, session: str, id_: str, title: str) -> str:
    counter[session] = counter.get(session, 0) + 1
    if id_:
        name = f"id {id_}"
    elif session:
        name = f"session {session}; n{counter[session]}"
    else:
        name = f"n{counter[session]}"
    if title and not id_:
        name = f"{name}; title {title}"
    return f"<code block: {name}>"


def run_exec_blocks(blocks: list[dict], cwd: str | None = None) -> dict:
    """Run a page's exec blocks in order, as markdown-exec would, in this process
    (in ``cwd``, the directory of mkdocs.yml, when given).

    Returns ``{"results": [{"output": ...} or {"error": traceback}, ...],
    "facts": {...}, "imported": [...], "seconds": ...}``, ``imported`` being the
    files of the ``derivations`` package that were imported, relative to its
    ``src`` directory.  Blocks of one ``session`` share a namespace; a block
    without one gets its own.  Like markdown-exec, a block that fails does not
    stop the blocks after it.
    """
    import io
    import traceback
    from types import ModuleType

    from derivations.book import facts

    if cwd:
        os.chdir(cwd)
    facts.reset()
    start = time.perf_counter()
    sessions: dict[str, dict] = {}
    counter: dict[str, int] = {}
    sources: dict[str, list[str]] = {}
    results = []
    for b in blocks:
        session = b.get("session", "")
        name = _block_name(counter, session, b.get("id", ""), b.get("title", ""))
        sources[name] = b["code"].split("\n")
        namespace = sessions.setdefault(session, {}) if session else {}
        module_name = re.sub(r"[^a-zA-Z\d]+", "_", name)
        namespace["__name__"] = module_name
        sys.modules[module_name] = ModuleType(module_name)
        buffer = io.StringIO()

        def _print(*texts, end="\n", _buffer=buffer, **kwargs):
            _buffer.write(" ".join(str(t) for t in texts) + end)

        namespace["print"] = _print
        try:
            with _workdir(b.get("workdir")), _columns(b.get("width")):
                exec(compile(b["code"], name, "exec"), namespace)  # noqa: S102
        except Exception as error:
            trace = traceback.TracebackException.from_exception(error)
            trace.stack = traceback.StackSummary.from_list(
                [frame for frame in trace.stack if frame.filename != __file__])
            for frame in trace.stack:
                if frame.filename in sources:
                    frame._line = sources[frame.filename][frame.lineno - 1]
            results.append({"error": "".join(trace.format())})
        else:
            results.append({"output": buffer.getvalue()})
    src = Path(facts.__file__).resolve().parents[2]
    imported = sorted({Path(m.__file__).resolve().relative_to(src).as_posix()
                       for m in list(sys.modules.values())
                       if getattr(m, "__file__", None)
                       and Path(m.__file__).resolve().is_relative_to(src)})
    return {"results": results, "facts": facts.recorded(), "imported": imported,
            "seconds": round(time.perf_counter() - start, 3)}


@contextmanager
def _workdir(path):
    """markdown-exec's ``workdir`` option (without importing markdown-exec, which
    would cost every worker a sixth of a second)."""
    if not path:
        yield
        return
    old = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


@contextmanager
def _columns(width):
    """markdown-exec's ``width`` option: $COLUMNS while the block runs."""
    if not width or not int(width):
        yield
        return
    old = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = str(int(width))
    try:
        yield
    finally:
        if old is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = old


# ---------------------------------------------------------------------------
# What else the results depend on
# ---------------------------------------------------------------------------

def src_files(src: Path) -> dict[str, str]:
    """sha256 of every file under ``src`` (the package's code and data, and the
    snippets pages include), by path relative to ``src``; bytecode left out."""
    out = {}
    for p in sorted(Path(src).rglob("*")):
        if not p.is_file() or "__pycache__" in p.parts or p.suffix == ".pyc" \
                or any(part.endswith(".egg-info") for part in p.parts):
            continue
        out[p.relative_to(src).as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def code_digest(src: Path) -> str:
    """sha256 over every file under ``src``, by path and content."""
    return hashlib.sha256(repr(sorted(src_files(src).items())).encode()).hexdigest()


def layout_digest(files: dict[str, str]) -> str:
    """sha256 of what every page depends on besides the modules it imports: the
    names of all files under ``src`` (a module added or removed) and the
    contents of those that are not Python modules (data a page could read)."""
    kept = sorted((name, digest if not name.endswith(".py") else "")
                  for name, digest in files.items())
    return hashlib.sha256(repr(kept).encode()).hexdigest()


def environment_digest() -> str:
    """sha256 of the interpreter, every installed distribution with its version,
    and this runner's own source."""
    from importlib.metadata import distributions

    dists = sorted(f"{d.metadata['Name']}=={d.version}" for d in distributions())
    h = hashlib.sha256()
    h.update(sys.version.encode() + b"\0" + "\n".join(dists).encode() + b"\0")
    h.update(Path(__file__).read_bytes())
    return h.hexdigest()
