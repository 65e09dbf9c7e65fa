"""The Jupyter kernel that executes the notebook pages: this environment's Python.

`make notebooks` (scripts/notebooks.py) executes each companion notebook, and
the tests re-execute them to catch stale outputs.  A kernel called ``python3``
is whatever kernelspec of that name Jupyter finds first, which need not be the
interpreter running the project.  ``register`` writes a kernelspec with its own
name into this environment's ``share/jupyter/kernels`` whose command is
``sys.executable`` itself, so the notebooks run with exactly the packages the
project is installed with.  Both callers register it before executing.
"""

import json
import sys
from pathlib import Path

__all__ = ["KERNEL_NAME", "describe", "interpreter_location", "kernel_dir", "kernelspec",
           "register"]

KERNEL_NAME = "derivations-venv"


def kernelspec():
    """The kernel.json contents: ipykernel run by this very interpreter."""
    return {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python (derivations)",
        "language": "python",
        "metadata": {"interpreter_prefix": sys.prefix},
    }


def kernel_dir():
    """Where the kernelspec lives: inside this environment, not in the user's home."""
    return Path(sys.prefix) / "share" / "jupyter" / "kernels" / KERNEL_NAME


def register():
    """Write the kernelspec if it is missing or stale; return the kernel's name.

    The kernelspec goes into this environment; if that is read-only (a system
    Python), into the user's Jupyter data directory instead.
    """
    text = json.dumps(kernelspec(), indent=1, sort_keys=True) + "\n"
    try:
        _write(kernel_dir() / "kernel.json", text)
    except OSError:
        from jupyter_core.paths import jupyter_data_dir

        _write(Path(jupyter_data_dir()) / "kernels" / KERNEL_NAME / "kernel.json", text)
    return KERNEL_NAME


def _write(path, text):
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def interpreter_location():
    """sys.prefix, relative to the repository when it lies inside it (e.g. ``.venv``)."""
    import derivations

    root = Path(derivations.__file__).resolve().parents[2]
    prefix = Path(sys.prefix).resolve()
    try:
        return prefix.relative_to(root).as_posix()
    except ValueError:
        return str(prefix)


def describe():
    """One line naming the interpreter that runs this code, printed by every notebook."""
    import platform

    import numpy as np

    venv = sys.prefix != sys.base_prefix
    return (f"Executed by the kernel in {interpreter_location()} "
            f"(virtual environment: {venv}; Python {platform.python_version()}, "
            f"numpy {np.__version__})")
