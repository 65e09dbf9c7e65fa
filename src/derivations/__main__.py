"""Command line: ``python -m derivations check [--markdown] [--seed N]``."""

import argparse
import sys


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m derivations",
        description="Check BP1–BP4 in every form against central finite differences.")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="print the verification table")
    check.add_argument("--markdown", action="store_true", help="print a Markdown table")
    check.add_argument("--seed", type=int, default=0, help="seed for the random networks")
    args = parser.parse_args(argv)

    from derivations.check import format_table, run_checks, summary

    rows = run_checks(seed=args.seed)
    print(format_table(rows, markdown=args.markdown))
    print()
    print(summary(rows))
    return 0 if all(r.passed for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
