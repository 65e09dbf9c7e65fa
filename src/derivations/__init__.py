"""derivations: backpropagation's four equations, BP1–BP4, in every form.

Each form module holds ``bp1``, ``bp2``, ``bp3``, ``bp4``, its contract
``FORM`` (``algorithm.Form``: its layout and those four functions) and
``backprop``, a call to the one algorithm in ``algorithm``:

* ``scalar``: one neuron per layer, plain floats;
* ``index``: one example, explicit loops over j and k;
* ``vectorized``: one example as a column vector;
* ``batched``: a mini-batch, examples as columns;
* ``rowmajor``: a mini-batch, examples as rows.

``backprop(weights, biases, x, y, activation="sigmoid", cost="quadratic",
output_activation=None)`` returns ``(nabla_w, nabla_b)``, weights first (Nielsen's
network.py returns ``(nabla_b, nabla_w)``); ``output_activation=None`` means
the output layer uses ``activation`` too.  ``gradcheck`` holds the finite
differences, ``check`` the verification table, ``mistakes`` a catalogue of
wrong variants, ``modes`` forward mode (the layer Jacobian, Jacobian–vector
products, the gradient one tangent pass per parameter) and ``gates`` the add,
multiply and max gates of a computational graph.  What only builds the site lives in ``derivations.book``,
which this package does not import.
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
