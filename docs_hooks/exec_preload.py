"""Imported once by the process the exec workers fork from (``exec_cache.py``).

It pays, once per ``mkdocs build`` or ``mkdocs serve``, the costs every page's
first figure and first array would pay again in each worker: importing numpy
and matplotlib, loading matplotlib's fonts, the SVG backend and the mathtext
parser.  It must not import ``derivations``: a worker imports the package
afresh, so ``mkdocs serve`` runs the code as it is after an edit.
"""

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pageblocks  # noqa: E402, F401  (the workers' entry point)

_fig, _ax = plt.subplots()
_ax.plot(np.linspace(0, 1, 3), np.linspace(0, 1, 3), "o-", label="$a^L_j$")
_ax.legend()
_fig.savefig(io.BytesIO(), format="svg")
plt.close(_fig)
np.linalg.norm(np.ones((3, 3)) @ np.ones((3, 1)))
