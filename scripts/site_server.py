"""Serve a built site on 127.0.0.1 as its host would, for the browser tests,
the audit (``make audit``) and the PDF (``make pdf``).

* The sitemap's addresses are rewritten from ``site_url`` to this server's
  address, as if the site were deployed at its site_url: Material's instant
  navigation only follows links that the sitemap lists (it keeps the sitemap's
  port and path).
* Text (HTML, CSS, JS, JSON, SVG, XML) is sent gzip-compressed to a client that
  asks for it, and assets carry ``Cache-Control: max-age=600`` -- what GitHub
  Pages does, so page weights and Lighthouse see what a reader gets.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import os
import shutil
import threading
from pathlib import Path

#: Headless Chromium on this machine and in CI: no network but the loopback.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
#: Debian's Chromium first; $CHROMIUM overrides; Chrome is a last resort (CI images).
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")
COMPRESSED = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map")


def find_chromium() -> str | None:
    """Path of a Chromium executable, or None.  $CHROMIUM, when set, is the only
    candidate (CHROMIUM=/nonexistent shows what happens without a browser)."""
    chosen = os.environ.get("CHROMIUM")
    for name in ((chosen,) if chosen else CHROMIUM_CANDIDATES):
        path = name if os.path.isabs(name) else shutil.which(name)
        if path and os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    return None


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    site_url = ""
    base_url = ""

    def log_message(self, format, *args):  # noqa: A002
        pass

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().do_GET()  # the usual redirect to the directory's URL
            path = path / "index.html"
        if not path.is_file() or not path.name.endswith(COMPRESSED):
            return super().do_GET()
        body = path.read_bytes()
        if path.name == "sitemap.xml" and self.site_url and self.base_url:
            body = body.replace(self.site_url.encode(), self.base_url.encode())
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        if "gzip" in self.headers.get("Accept-Encoding", ""):
            body = _gzip(body)
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        self.wfile.write(body)

    def end_headers(self):
        if not self.path.split("?")[0].endswith((".html", "/", ".xml")):
            self.send_header("Cache-Control", "max-age=600")
        super().end_headers()


@functools.lru_cache(maxsize=512)
def _gzip(body: bytes) -> bytes:
    return gzip.compress(body, 6, mtime=0)


@contextlib.contextmanager
def serve(site_dir: Path, site_url: str = ""):
    """Serve ``site_dir`` on an ephemeral port; yields the base URL (ends in /)."""
    handler_cls = type("Handler", (SiteHandler,),
                       {"site_url": site_url.rstrip("/") + "/" if site_url else ""})
    handler = functools.partial(handler_cls, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    handler_cls.base_url = url
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
