"""Companions to five source notebooks: each source's network, rebuilt with derivations.

One module per source; each states the source's conventions and maps them onto
ours (layer 0 is the input, wˡ is (n_l, n_{l-1}), C = ½‖a − y‖² per example,
the mini-batch cost is the mean):

* ``udl``: a deep ReLU network with a linear output (Understanding Deep
  Learning, backpropagation notebook);
* ``circles``: a sigmoid [2, 3, 3, 1] network on a 1-D step and on two circles,
  trained per example (Nielsen's loop) and as a batch;
* ``lecture``: a lecture notebook without biases, W stored in × out, ReLU on
  every layer and PyTorch's ``MSELoss``;
* ``nnfs``: Neural Networks from Scratch, chapter 9, examples as rows;
* ``coursera``: a 1-6-7-2 sigmoid network that draws a curve, cost ‖a − y‖²/N;
* ``conventions``: the notation map of all five against ours;
* ``report``: comparing our numbers with a source's printed ones.
"""

__all__ = ["circles", "conventions", "coursera", "lecture", "nnfs", "report", "udl"]
