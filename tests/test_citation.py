"""CITATION.cff: the Citation File Format's required fields, well formed, and the
same version as the package."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def test_citation_file_is_valid_and_matches_the_package():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0"
    for key in ("message", "title", "authors", "type", "license", "abstract"):
        assert cff.get(key), f"CITATION.cff lacks {key}"
    assert cff["type"] in ("software", "dataset")
    for author in cff["authors"]:
        assert author.get("name") or author.get("family-names"), author
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    version = re.search(r'^version = "([^"]+)"', pyproject, re.M).group(1)
    assert str(cff["version"]) == version
    assert cff["license"] in pyproject
