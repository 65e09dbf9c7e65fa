"""Comparing our numbers with the numbers a source prints, at its printed precision."""

import numpy as np

__all__ = ["matches_printed", "printed_tolerance"]


def printed_tolerance(decimals):
    """Half a unit in the last printed place, plus a hair for binary rounding."""
    return 0.5 * 10.0 ** (-decimals) * (1 + 1e-9)


def matches_printed(ours, printed, decimals):
    """(agree, largest difference): do our values round to what the source printed?"""
    ours = np.asarray(ours, dtype=float).ravel()
    printed = np.asarray(printed, dtype=float).ravel()
    if ours.shape != printed.shape:
        raise ValueError(f"cannot compare {ours.shape} with {printed.shape}")
    diff = float(np.max(np.abs(ours - printed))) if ours.size else 0.0
    return diff <= printed_tolerance(decimals), diff
