#!/usr/bin/env python3
"""What an author waits for: a cold build, the first page of `make serve`, an edit.

    python scripts/author_timings.py          # the three numbers, against their targets

Everything runs in a scratch copy of the project (the files git tracks, plus
untracked ones it does not ignore), so the caches start empty and the author's
files are never touched:

1. **cold build** -- ``mkdocs build --strict`` with empty caches, as in a fresh
   clone with a ready venv (no exec-block results, no notebook HTML);
2. **first page** -- ``mkdocs serve --livereload --dirty`` (what ``make serve``
   runs) from its start until ``/`` answers with the page, with the caches the
   cold build left, as an author finds them after any build (and, for
   information, once more with empty caches, as in a fresh clone);
3. **edit visible** -- a sentence appended to a paragraph of a chapter, from the
   file's save until the served chapter shows it (polled every 50 ms); the
   file is then restored.  For information it also times a code edit (an exec
   block added to the chapter), which re-runs that page's code.

``site_report.py`` prints these before the page weights.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"cold build": 10.0, "first page": 8.0, "edit visible": 3.0}
CHAPTER = "scalar.md"
POLL = 0.05


@dataclass
class Timings:
    cold_build: float
    first_page: float
    edit_visible: float
    code_edit_visible: float | None
    first_page_cold: float
    build_dir: Path            # the cold build, for the page weights
    scratch: tempfile.TemporaryDirectory


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    import platform

    return platform.processor() or "unknown CPU"


def scratch_copy() -> tempfile.TemporaryDirectory:
    """The project's files (tracked, and untracked but not ignored) in a temp dir."""
    tmp = tempfile.TemporaryDirectory(prefix="author-timings-")
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                             "--exclude-standard"], cwd=ROOT, capture_output=True,
                            check=True).stdout.decode().split("\0")
    for rel in filter(None, listed):
        src = ROOT / rel
        if src.is_file():
            dest = Path(tmp.name) / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest)
    # The installed npm packages (MathJax for the build), like the venv, are the
    # environment rather than the project: linked, not copied.
    (Path(tmp.name) / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    return tmp


def _env() -> dict:
    return dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.read().decode("utf-8", "replace") if r.status == 200 else None
    except OSError:
        return None


def _wait_for(url: str, test, limit: float) -> float | None:
    """Seconds until ``test(page)`` holds for the page at ``url``, or None."""
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        page = _get(url)
        if page is not None and test(page):
            return time.perf_counter() - start
        time.sleep(POLL)
    return None


def _edit(path: Path, transform) -> str:
    """Rewrite ``path`` with ``transform``, as an editor's save does; the old text."""
    old = path.read_text(encoding="utf-8")
    path.write_text(transform(old), encoding="utf-8")
    return old


def measure(chapter: str = CHAPTER) -> Timings:
    scratch = scratch_copy()
    here = Path(scratch.name)
    site = here / "site"
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir",
                          str(site)], cwd=here, env=_env(), capture_output=True, text=True,
                         check=False)
    cold = time.perf_counter() - start
    if out.returncode != 0:
        sys.stderr.write(out.stdout[-3000:] + out.stderr[-6000:])
        raise SystemExit(f"mkdocs build --strict failed (exit {out.returncode})")

    server, base, first = _serve(here)
    page_url = base + chapter.removesuffix(".md") + "/"
    try:
        _wait_for(page_url, lambda p: True, 30)
        source = here / "docs" / chapter
        stamp = f"{time.time():.0f}"
        marker = f"Edited at {stamp} by the timing script."
        old = _edit(source, lambda text: _append_to_first_paragraph(text, marker))
        edit = _wait_for(page_url, lambda p: marker in p, 60)
        source.write_text(old, encoding="utf-8")
        _wait_for(page_url, lambda p: marker not in p, 60)
        # A new exec block changes the page's code: the page re-runs, in a worker.
        session = re.search(r'^```python exec="on".*session="([^"]+)"', old, re.M)
        probe = f"timing probe {stamp}"
        _edit(source, lambda text: text + f'\n```python exec="on" result="text" session='
                                          f'"{session.group(1) if session else "probe"}"\n'
                                          f'print("{probe}")\n```\n')
        code_edit = _wait_for(page_url, lambda p: probe in p, 120)
        source.write_text(old, encoding="utf-8")
    finally:
        _stop(server)
    if edit is None:
        raise SystemExit(f"the edit to docs/{chapter} did not show within 60 s")
    shutil.rmtree(here / ".cache")   # as in a fresh clone
    server, _, first_cold = _serve(here)
    _stop(server)
    return Timings(cold, first, edit, code_edit, first_cold, site, scratch)


def _serve(here: Path) -> tuple[subprocess.Popen, str, float]:
    """`make serve`'s command, started in ``here``; it, its URL, and the seconds
    from its start until ``/`` answered with the page."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    log = here / "serve.log"
    start = time.perf_counter()
    with open(log, "a", encoding="utf-8") as out:
        server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--livereload",
                                   "--dirty", "--dev-addr", f"127.0.0.1:{port}"], cwd=here,
                                  env=_env(), stdout=out, stderr=subprocess.STDOUT,
                                  start_new_session=True)
    if _wait_for(base, lambda p: "</html>" in p.lower(), 120) is None:
        _stop(server)
        raise SystemExit(f"mkdocs serve did not answer within 120 s; see {log}")
    return server, base, time.perf_counter() - start


def _stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)  # the server and the workers it started
    server.wait(timeout=30)


def _append_to_first_paragraph(text: str, sentence: str) -> str:
    """The first prose line after the title, with ``sentence`` added to its paragraph."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if i and line and line[0].isalpha() and (i + 1 == len(lines) or not lines[i + 1]):
            lines[i] = f"{line} {sentence}"
            return "\n".join(lines)
    raise SystemExit("found no paragraph to edit")


def report(t: Timings) -> list[str]:
    def line(label, value):
        limit = TARGETS[label]
        verdict = "OK" if value <= limit else "MISSED"
        return f"  {label:13} {value:6.1f} s   target {limit:4.0f} s   {verdict}"

    out = [f"Authoring times on {cpu_model()} ({os.cpu_count()} cores), in a scratch copy:",
           line("cold build", t.cold_build) + "   (mkdocs build --strict, empty caches)",
           line("first page", t.first_page) + "   (make serve until / answers)",
           line("edit visible", t.edit_visible) + f"   (a sentence added to docs/{CHAPTER})"]
    if t.code_edit_visible is not None:
        out.append(f"  {'code edit':13} {t.code_edit_visible:6.1f} s   (an exec block added "
                   f"to docs/{CHAPTER}: the page re-runs; no target)")
    out.append(f"  {'first page':13} {t.first_page_cold:6.1f} s   (make serve with empty caches, "
               "as in a fresh clone; no target)")
    return out


def main() -> int:
    t = measure()
    print("\n".join(report(t)))
    t.scratch.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
