"""MkDocs hook: run each page's exec blocks once, in fresh worker processes, and
cache what they printed.

markdown-exec runs ``exec="on"`` blocks inside the MkDocs process, on every
build.  Here they run instead in a worker process per page, forked from a
server that has numpy and matplotlib imported (so a worker starts in
milliseconds but imports ``derivations`` afresh: ``mkdocs serve`` sees edits
to the package).  Pages whose results are not cached run in parallel, one
worker per core, before any page is rendered (``on_files``).  markdown-exec
still renders every block -- source, tabs, result, Markdown or HTML output --
from the recorded output (``markdown_exec.formatters["python"]`` is replaced by
one that takes the output from here; ``base_format`` does the rest), and a
block that failed is reported exactly as markdown-exec reports it, so the
strict build fails.

The cache rule (CONTRIBUTING.md states it for authors): a page's results are
reused only when ALL of these are unchanged -- the code and run options
(session, id, title, workdir, width) of every exec block of the page, after
snippet expansion; every module of the package the page imported when it ran
(the worker records them), the list of files under ``src/`` and every file
there that is not a Python module; the interpreter, every installed
distribution and its version; ``pageblocks.py`` (the runner).  Prose never
enters the key, so a prose edit never re-runs code; any change to code the
page runs re-runs the page.  Results with an error are never kept.
The cache is one JSON file per page in ``.cache/exec/`` beside mkdocs.yml
(gitignored); ``EXEC_CACHE_DIR`` moves it, ``EXEC_CACHE_DIR=off`` keeps
nothing between builds.

``mkdocs serve --dirty`` re-renders only pages whose Markdown changed; a page
whose results changed for another reason (an edit under ``src/``) has its
built HTML deleted here, so it is re-rendered too.
"""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import os
import sys
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

import markdown_exec
import pageblocks  # beside this file (MkDocs puts a hook's directory on sys.path to load it)
from mkdocs.structure.files import Files

HOOK_DIR = Path(__file__).resolve().parent

log = logging.getLogger("mkdocs.hooks.exec_cache")

#: Bump to invalidate every cached result (the JSON layout changed).
FORMAT = 2


class _Build:
    """What this build knows: settings, digests, and the pages' pending runs."""

    root: Path
    cache_dir: Path | None
    expand: pageblocks.SnippetExpander
    digest: str
    files: dict[str, str]
    pool: ProcessPoolExecutor | None = None
    pending: dict[str, Future] = {}


_build = _Build()
_results: dict[str, dict] = {}          # key -> results, this process (serve keeps them)
_rendered: dict[str, str | None] = {}   # built HTML path -> _stamp of its results
_page: dict = {}                        # the page being rendered


def on_config(config):
    markdown_exec.formatters["python"] = _format_python
    root = Path(config["config_file_path"]).resolve().parent
    where = os.environ.get("EXEC_CACHE_DIR", str(root / ".cache" / "exec"))
    _build.root = root
    _build.cache_dir = None if where.lower() in {"", "off", "0", "no"} else Path(where)
    _build.expand = pageblocks.SnippetExpander(config["mdx_configs"], root)
    return config


def on_files(files, *, config):
    _build.files = pageblocks.src_files(_build.root / "src")
    _build.digest = hashlib.sha256(
        f"{FORMAT}\0{pageblocks.layout_digest(_build.files)}\0"
        f"{pageblocks.environment_digest()}".encode()).hexdigest()
    _build.pending = {}
    todo = []
    for f in files.documentation_pages():
        if not f.src_uri.endswith(".md"):
            continue
        blocks, key = _blocks_and_key(Path(f.abs_src_path).read_text(encoding="utf-8"))
        found = _cached(f.src_uri, key) if blocks else None
        if blocks and found is None:
            todo.append((f.src_uri, key, blocks))
        built = f.abs_dest_path
        if _rendered.get(built, _stamp(found)) != _stamp(found) and os.path.exists(built):
            os.remove(built)  # rendered with other results: render again (serve --dirty)
    # Pages are rendered in file order and each waits for its own results, so
    # submit in that order; and render the notebooks (no exec blocks) first,
    # while the workers run.  The order of files changes nothing else: the nav
    # comes from mkdocs.yml.
    for src_uri, key, blocks in todo:
        _submit(src_uri, key, blocks)
    if todo:
        log.info("exec blocks of %d page(s) run in %d worker process(es)", len(todo),
                 _build.pool._max_workers)
        return Files(sorted(files, key=lambda f: f.src_uri.endswith(".md")))
    return files


def on_page_markdown(markdown, *, page, config, files):
    blocks, key = _blocks_and_key(markdown)
    found = None
    if blocks:
        found = _cached(page.file.src_uri, key) or _collect(page.file.src_uri, key, blocks)
    _page.clear()
    _page.update(src=page.file.src_uri, blocks=blocks, stamp=_stamp(found), next=0,
                 results=found["results"] if found else [])
    page.facts = dict(found["facts"]) if found else {}
    return markdown


def on_page_content(html, *, page, config, files):
    if _page.get("next", 0) != len(_page.get("blocks", [])):
        log.warning("Doc file '%s': markdown-exec rendered %d of the %d exec blocks the "
                    "exec cache found; see docs_hooks/pageblocks.py:exec_blocks",
                    page.file.src_uri, _page.get("next", 0), len(_page.get("blocks", [])))
    _rendered[page.file.abs_dest_path] = _page.get("stamp")
    _page.clear()
    return html


def on_post_build(*, config):
    _shutdown()


def on_build_error(*, error):
    _shutdown()


# ---------------------------------------------------------------------------

def _blocks_and_key(markdown: str) -> tuple[list[dict], str]:
    blocks = pageblocks.exec_blocks(_build.expand(markdown))
    text = json.dumps(pageblocks.block_key(blocks))
    return blocks, hashlib.sha256(f"{_build.digest}\0{text}".encode()).hexdigest()


def _cache_file(src_uri: str) -> Path | None:
    if _build.cache_dir is None:
        return None
    tag = hashlib.sha256(str(_build.root / src_uri).encode()).hexdigest()[:10]
    return _build.cache_dir / f"{src_uri.replace('/', '__')}-{tag}.json"


def _stamp(entry: dict | None) -> str | None:
    """What identifies a page's results: its key, and the modules it imported."""
    return entry and entry["key"] + json.dumps(entry["imported"], sort_keys=True)


def _current(entry: dict | None, key: str) -> bool:
    """The entry was computed from this code, and from the package's modules as
    they are now."""
    return bool(entry) and entry.get("key") == key and all(
        _build.files.get(name) == digest for name, digest in entry["imported"].items())


def _cached(src_uri: str, key: str) -> dict | None:
    entry = _results.get(key)
    if entry is None:
        path = _cache_file(src_uri)
        try:
            entry = json.loads(path.read_text(encoding="utf-8")) if path else None
        except (OSError, ValueError):
            entry = None
    if _current(entry, key):
        _results[key] = entry
        return entry
    return None


def _forkserver():
    """The multiprocessing context whose server process the workers fork from
    (where there is no forkserver, Windows, each worker starts afresh)."""
    if str(HOOK_DIR) not in sys.path:  # the workers import the runner by name
        sys.path.append(str(HOOK_DIR))
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    # "__main__": the server imports the main script (mkdocs's) once, instead of
    # every worker importing it again.
    ctx.set_forkserver_preload(["__main__", "exec_preload"])
    return ctx


def _submit(src_uri: str, key: str, blocks: list[dict]) -> None:
    if _build.pool is None:
        # One fresh process per page (max_tasks_per_child=1): no state leaks
        # from one page into the next, and the package is imported as it is now.
        _build.pool = ProcessPoolExecutor(os.cpu_count() or 1, mp_context=_forkserver(),
                                          max_tasks_per_child=1)
    _build.pending[key] = _build.pool.submit(pageblocks.run_exec_blocks, blocks,
                                             str(_build.root))


def _collect(src_uri: str, key: str, blocks: list[dict]) -> dict:
    """The page's results, waiting for its worker (started now if need be)."""
    if key not in _build.pending:
        _submit(src_uri, key, blocks)
    entry = _build.pending.pop(key).result()
    entry["key"] = key
    entry["imported"] = {name: _build.files.get(name) for name in entry["imported"]}
    if any("error" in r for r in entry["results"]):
        return entry                    # not kept: a failure runs again next time
    _results[key] = entry
    path = _cache_file(src_uri)
    if path:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(entry), encoding="utf-8")
        os.replace(tmp, path)
    return entry


def _shutdown():
    if _build.pool is not None:
        _build.pool.shutdown(cancel_futures=True)
    _build.pool = None
    _build.pending = {}


def _format_python(**kwargs):
    return markdown_exec.base_format(language="python", run=_recorded_output, **kwargs)


def _recorded_output(code, returncode=None, session=None, id=None, **extra):  # noqa: A002
    """markdown-exec's ``run``: what the worker recorded for this block."""
    n = _page.get("next", 0)
    blocks = _page.get("blocks", [])
    if n >= len(blocks) or blocks[n]["code"] != code or blocks[n].get("session", "") != \
            (session or ""):
        raise markdown_exec.ExecutionError(markdown_exec.code_block("text", (
            f"The exec cache found other blocks on this page than markdown-exec renders "
            f"(block {n + 1}); see docs_hooks/pageblocks.py:exec_blocks.")))
    _page["next"] = n + 1
    result = _page["results"][n]
    if "error" in result:
        raise markdown_exec.ExecutionError(
            markdown_exec.code_block("python", result["error"], **extra))
    return result["output"]
