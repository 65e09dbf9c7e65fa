"""Shared fixtures for the site tests: the MkDocs configuration, the pages in the
nav, and the built site.

The built site comes from ``$SITE_DIR`` when it is set and holds a build
(``make test`` builds once with ``mkdocs build --strict`` and passes it on);
otherwise the tests that need it build the site once into a temporary directory.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "docs_hooks"))  # pageblocks, shared with the build

from site_pages import nav_entries, page_url  # noqa: E402, F401, I001  (page_url: re-exported for the tests)
from site_server import find_chromium  # noqa: E402, F401  (re-exported for the tests)
#: The site under test.  $MKDOCS_CONFIG points the site tests at another
#: mkdocs.yml (used to check that the tests catch defects in a throwaway site).
MKDOCS_YML = Path(os.environ.get("MKDOCS_CONFIG") or ROOT / "mkdocs.yml").resolve()
SITE_ROOT = MKDOCS_YML.parent

_browser_skip_reason: list[str] = []


def note_browser_skip(reason: str) -> None:
    """Remember why the browser tests were skipped, for the terminal summary."""
    if reason not in _browser_skip_reason:
        _browser_skip_reason.append(reason)


def load_site_config():
    """The site's mkdocs.yml, loaded and validated by MkDocs itself."""
    from mkdocs.config import load_config

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    cwd = os.getcwd()
    os.chdir(SITE_ROOT)  # relative paths in mkdocs.yml (snippets base_path) are relative to it
    try:
        return load_config(config_file=str(MKDOCS_YML))
    finally:
        os.chdir(cwd)


def nav_pages(config) -> list[str]:
    """Every page in the nav, in nav order, as paths relative to docs_dir."""
    return [page for _, page in nav_entries(config)]


def is_markdown(page: str) -> bool:
    return page.endswith(".md")


def build_site(dest: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(MKDOCS_YML),
         "--site-dir", str(dest)],
        cwd=SITE_ROOT, env=env, capture_output=True, text=True, check=False)


@pytest.fixture(scope="session")
def site_config():
    return load_site_config()


@pytest.fixture(scope="session")
def pages(site_config) -> list[str]:
    found = nav_pages(site_config)
    assert found, "mkdocs.yml has no pages in its nav"
    return found


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory) -> Path:
    """The built site: $SITE_DIR if set, else a fresh strict build in a temp dir."""
    given = os.environ.get("SITE_DIR")
    if given:
        path = Path(given)
        if not path.is_absolute():
            path = SITE_ROOT / path
        assert (path / "index.html").is_file(), (
            f"SITE_DIR={given} holds no built site; run `make build` or unset SITE_DIR")
        return path
    dest = tmp_path_factory.mktemp("site")
    out = build_site(dest)
    assert out.returncode == 0, (
        "mkdocs build --strict failed:\n" + out.stdout[-5000:] + out.stderr[-10000:])
    return dest


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not _browser_skip_reason:
        return
    bar = "!" * 78
    tr = terminalreporter
    tr.write_line("")
    tr.write_line(bar, red=True, bold=True)
    tr.write_line("!!  BROWSER TESTS SKIPPED: the site was NOT checked in a real browser.",
                  red=True, bold=True)
    for reason in _browser_skip_reason:
        tr.write_line(f"!!  {reason}", red=True, bold=True)
    tr.write_line("!!  Install Debian's Chromium and run the tests again:", red=True, bold=True)
    tr.write_line("!!      sudo apt-get install chromium    (as root: apt-get install chromium)",
                  red=True, bold=True)
    tr.write_line("!!  (No browser download is needed; the tests use /usr/bin/chromium.)",
                  red=True, bold=True)
    tr.write_line(bar, red=True, bold=True)
