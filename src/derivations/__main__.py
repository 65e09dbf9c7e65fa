"""Command line.

``python -m derivations check [--markdown] [--seed N]``: the verification table.

``python -m derivations diagnose FILE [--form F] [--activation A] [--cost C]
[--output-activation O] [--function NAME] [--sizes 3,4,2] [--json]``: which
equation of the backprop in FILE is wrong, and the likely mistake.  Exit status
0 when it is correct, 1 when it is wrong, 2 when FILE cannot be loaded or
defines nothing to check, or the command line is wrong.  With ``--json`` the
last line printed is one JSON object with the keys ok, equation, mistake and
message, also for a wrong command line.
"""

import argparse
import json
import os
import sys

from derivations import FORMS
from derivations.activations import ACTIVATIONS, HIDDEN_ACTIVATIONS
from derivations.costs import COSTS


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error of ``diagnose --json`` also ends with the JSON line."""

    def error(self, message):
        argv = self._argv if hasattr(self, "_argv") else sys.argv[1:]
        if "--json" in argv and "diagnose" in argv:
            self.print_usage(sys.stderr)
            print(json.dumps({"ok": False, "equation": None, "mistake": None,
                              "message": f"{self.prog}: error: {message}"}))
            sys.exit(2)
        super().error(message)


def _sizes(text):
    try:
        sizes = [int(n) for n in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--sizes takes layer widths separated by commas, such as 3,4,2; got {text!r}") from None
    if len(sizes) < 2 or min(sizes) < 1:
        raise argparse.ArgumentTypeError(
            f"--sizes takes two or more positive layer widths, such as 3,4,2; got {text!r}")
    return sizes


def main(argv=None):
    try:
        return _main(argv)
    except BrokenPipeError:            # `... | head`: the reader stopped reading
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


def _main(argv=None):
    parser = _Parser(
        prog="python -m derivations",
        description="Check BP1–BP4 against central finite differences: the package's own "
                    "forms (check), or your backprop (diagnose).")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="print the verification table")
    check.add_argument("--markdown", action="store_true", help="print a Markdown table")
    check.add_argument("--seed", type=int, default=0, help="seed for the random networks")

    argv = list(sys.argv[1:] if argv is None else argv)
    sub._parser_class = _Parser
    diagnose = sub.add_parser(
        "diagnose", help="say which equation of your backprop is wrong, and the likely mistake",
        description="Load FILE and check its backprop(weights, biases, x, y), which returns "
                    "(nabla_w, nabla_b), or its functions bp1…bp4, against central "
                    "differences. Exit status: 0 correct, 1 wrong, 2 FILE cannot be loaded or "
                    "defines nothing to check.")
    diagnose.add_argument("file", metavar="FILE", help="a Python file defining backprop or "
                                                       "some of bp1, bp2, bp3, bp4")
    diagnose.add_argument("--form", choices=list(FORMS), default="vectorized",
                          help="the layout your code uses (default: vectorized, one example "
                               "as a column)")
    diagnose.add_argument("--activation", choices=list(HIDDEN_ACTIVATIONS), default="sigmoid",
                          help="σ of the hidden layers, and of the output layer unless "
                               "--output-activation or --cost says otherwise (default: "
                               "sigmoid); a tanh network with a sigmoid output is "
                               "--activation tanh --output-activation sigmoid")
    diagnose.add_argument("--cost", choices=list(COSTS), default="quadratic",
                          help="the cost (default: quadratic, ½‖a − y‖²)")
    diagnose.add_argument("--output-activation", choices=list(ACTIVATIONS), default=None,
                          help="σ of the output layer (default: the one the cost needs, "
                               "else --activation)")
    diagnose.add_argument("--function", default=None,
                          help="the name of your backprop function (default: backprop, "
                               "else bp1…bp4); bp1, bp2, bp3 or bp4 checks that equation "
                               "alone")
    diagnose.add_argument("--seed", type=int, default=0, help="seed for the random networks")
    diagnose.add_argument("--sizes", type=_sizes, default=None, metavar="N0,N1,...",
                          help="the layer widths of the test networks, for code written for "
                               "one depth (default: three networks of 4 layers, each with "
                               "its own widths)")
    diagnose.add_argument("--json", action="store_true",
                          help="print one JSON object (ok, equation, mistake, message) as "
                               "the last line of standard output (usage errors: the usage "
                               "text on standard error)")
    parser._argv = diagnose._argv = argv
    args = parser.parse_args(argv)
    if args.command == "diagnose":
        return _diagnose(args)

    from derivations.check import format_table, run_checks, summary

    rows = run_checks(seed=args.seed)
    print(format_table(rows, markdown=args.markdown))
    print()
    print(summary(rows))
    return 0 if all(r.passed for r in rows) else 1


def _diagnose(args):
    from derivations import diagnose

    try:
        result = diagnose.file(args.file, form=args.form, activation=args.activation,
                               cost=args.cost, output_activation=args.output_activation,
                               seed=args.seed, function=args.function, sizes=args.sizes)
    except (diagnose.CannotCheck, ValueError) as exc:
        if args.json:
            print(json.dumps({"ok": False, "equation": None, "mistake": None,
                              "message": str(exc)}))
        else:
            print(exc, file=sys.stderr)
        return 2
    print(result.to_json() if args.json else result.message)
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
