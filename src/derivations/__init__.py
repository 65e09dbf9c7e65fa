"""derivations: backpropagation's four equations, BP1–BP4, in every form.

Each form module holds ``bp1``, ``bp2``, ``bp3``, ``bp4`` and ``backprop``:

* ``scalar``: one neuron per layer, plain floats;
* ``index``: one example, explicit loops over j and k;
* ``vectorized``: one example as a column vector;
* ``batched``: a mini-batch, examples as columns;
* ``rowmajor``: a mini-batch, examples as rows.
"""

from derivations import (
    activations,
    algorithm,
    batched,
    costs,
    index,
    network,
    rowmajor,
    scalar,
    vectorized,
)

__version__ = "0.1.0"

#: The forms, in the order the text introduces them.
FORMS = {
    "scalar": scalar,
    "index": index,
    "vectorized": vectorized,
    "batched": batched,
    "rowmajor": rowmajor,
}

__all__ = ["FORMS", "activations", "algorithm", "batched", "costs", "index",
           "network", "rowmajor", "scalar", "vectorized"]
