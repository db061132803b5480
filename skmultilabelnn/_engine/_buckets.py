"""Shape buckets: sizes rounded up so that one compilation serves nearby sizes.

A compiled function is specialised to the shapes of its arguments; fits whose
row counts differ by one (cross-validation folds, validation splits,
``X[i:]``) would each compile their own. Rounding a size up to the next of a
geometric grid of sizes, and padding the data to it with rows or batches that
change nothing, bounds the compilations to a few per octave of sizes.
"""

import numpy as np

#: Arrays of up to this many rows are padded to their row bucket (see
#: :func:`pad_rows`); larger ones, whose training outlasts a compilation by
#: far, are left as they are.
PADDED_ROWS_MAX = 2**16

#: Sizes per doubling: a size is padded by less than ``1 / STEPS_PER_OCTAVE``
#: (12.5%) of itself.
STEPS_PER_OCTAVE = 8


def bucket(n, *, multiple=1):
    """The smallest grid size at least ``n``, a multiple of ``multiple``.

    Up to ``STEPS_PER_OCTAVE * multiple`` every multiple of ``multiple`` is a
    size of its own; above, the sizes are ``STEPS_PER_OCTAVE`` equal steps
    per doubling.

    >>> [bucket(n) for n in (1, 8, 9, 17, 28, 29, 900)]
    [1, 8, 9, 18, 28, 30, 960]
    """
    units = -(-n // multiple)
    step = 1
    while units > 2 * STEPS_PER_OCTAVE * step:
        step *= 2
    return -(-units // step) * step * multiple


def pad_batches(batches):
    """Row-index batches padded to their bucket of batch counts, and how many
    are real: ``(padded, n_real)``.

    A padding batch holds -1 only, as the short tail of the last real batch
    does: no row of it is trained on, and the backends skip its step.
    """
    n_real = batches.shape[0]
    n_padding = bucket(n_real) - n_real
    if n_padding:
        padding = np.full((n_padding, *batches.shape[1:]), -1, dtype=batches.dtype)
        batches = np.concatenate([batches, padding])
    return batches, n_real


def pad_rows(array):
    """``array`` with zero rows appended up to its bucket (up to
    ``PADDED_ROWS_MAX`` rows; a larger array is returned as it is).

    The engine indexes rows by number, so rows no batch names change nothing.
    """
    n_rows = array.shape[0]
    padded = bucket(n_rows)
    if padded == n_rows or n_rows > PADDED_ROWS_MAX:
        return array
    padding = np.zeros((padded - n_rows, *array.shape[1:]), dtype=array.dtype)
    return np.concatenate([array, padding])
