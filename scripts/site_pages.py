"""The site's pages, shared by the site tests and scripts/site_report.py."""

from __future__ import annotations


def nav_entries(config) -> list[tuple[str, str]]:
    """(title, page) for every page in the nav, in nav order; page relative to docs_dir."""
    out: list[tuple[str, str]] = []

    def walk(item, title=""):
        if isinstance(item, str):
            if "://" not in item:
                out.append((title or item, item))
        elif isinstance(item, dict):
            for key, value in item.items():
                walk(value, key)
        elif isinstance(item, list):
            for value in item:
                walk(value)

    walk(config["nav"])
    return out


def page_url(page: str) -> str:
    """The built file of a page (use_directory_urls): index.md -> index.html,
    notation.md -> notation/index.html, notebooks/x.ipynb -> notebooks/x/index.html."""
    stem = page.rsplit(".", 1)[0]
    if stem == "index" or stem.endswith("/index"):
        return stem + ".html"
    return stem + "/index.html"
