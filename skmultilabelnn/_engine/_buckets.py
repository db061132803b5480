"""Shape buckets: sizes rounded up so that one compilation serves nearby sizes.

A compiled function is specialised to the shapes of its arguments; fits whose
row counts differ by one (cross-validation folds, validation splits,
``X[i:]``) would each compile their own. Rounding a size up to the next of a
geometric grid of sizes, and padding the data to it with rows or batches that
change nothing, bounds the compilations to a few per octave of sizes. The
rows of a small array cost next to nothing to pad, so their grid is the
powers of two (one compilation per octave); an epoch's padding batches are
skipped, at a cost, so theirs has two sizes per octave.
"""

import numpy as np

#: Arrays of up to this many rows are padded to their row bucket (see
#: :func:`pad_rows`); larger ones, whose training outlasts a compilation by
#: far, are left as they are.
PADDED_ROWS_MAX = 2**16

#: Sizes per doubling: a size is padded by less than ``1 / STEPS_PER_OCTAVE``
#: (12.5%) of itself.
STEPS_PER_OCTAVE = 8

#: An array of rows is padded to the next power of two where that adds at
#: most this many bytes (a 900 x 10 float32 X: 4.9 kB), else to its bucket.
POWER_OF_TWO_PADDING_BYTES = 2**23

#: Sizes per doubling of an epoch's batch count. A padding batch's step is
#: skipped, but on JAX the skip (a ``lax.cond`` in the epoch's scan) costs
#: about half a real step of a small network (57 against 128 microseconds,
#: yeast, hidden (100,)): with two sizes per octave, at most a third of the
#: batches are padding (the powers of two made one such fit 12% slower).
BATCH_STEPS_PER_OCTAVE = 2


def bucket(n, *, multiple=1, steps_per_octave=STEPS_PER_OCTAVE):
    """The smallest grid size at least ``n``, a multiple of ``multiple``.

    Up to ``steps_per_octave * multiple`` every multiple of ``multiple`` is a
    size of its own; above, the sizes are ``steps_per_octave`` equal steps
    per doubling (with 1, the powers of two times ``multiple``).

    >>> [bucket(n) for n in (1, 8, 9, 17, 28, 29, 900)]
    [1, 8, 9, 18, 28, 30, 960]
    >>> [bucket(n, steps_per_octave=1) for n in (1, 2, 3, 28, 29, 33, 900)]
    [1, 2, 4, 32, 32, 64, 1024]
    >>> [bucket(n, steps_per_octave=2) for n in (3, 5, 28, 29, 33, 47)]
    [3, 6, 32, 32, 48, 48]
    """
    units = -(-n // multiple)
    step = 1
    while units > 2 * steps_per_octave * step:
        step *= 2
    return -(-units // step) * step * multiple


def pad_batches(batches, most=None):
    """Row-index batches padded to their grid of batch counts (see
    ``BATCH_STEPS_PER_OCTAVE``), or to ``most`` batches if fewer, and how
    many are real: ``(padded, n_real)``.

    A padding batch holds -1 only, as the short tail of the last real batch
    does: no row of it is trained on, and the backends skip its step. An
    epoch sent a block of batches at a time passes its full blocks' size as
    ``most``, so that the last block is never larger than they are (nor, if
    near their size, another shape).
    """
    n_real = batches.shape[0]
    n_padded = bucket(n_real, steps_per_octave=BATCH_STEPS_PER_OCTAVE)
    if most is not None:
        n_padded = max(min(n_padded, most), n_real)
    n_padding = n_padded - n_real
    if n_padding:
        padding = np.full((n_padding, *batches.shape[1:]), -1, dtype=batches.dtype)
        batches = np.concatenate([batches, padding])
    return batches, n_real


def padded_blocks(batches, per_block):
    """``pad_batches`` of each block of ``per_block`` batches, in order: an
    epoch sent a block at a time. The full blocks' size bounds the last
    block's padding."""
    most = bucket(per_block)
    for start in range(0, batches.shape[0], per_block):
        yield pad_batches(batches[start : start + per_block], most=most)


def pad_rows(array):
    """``array`` with zero rows appended up to the next power of two rows
    where that adds at most ``POWER_OF_TWO_PADDING_BYTES``, else up to its
    bucket (up to ``PADDED_ROWS_MAX`` rows; a larger array is returned as it
    is).

    The engine indexes rows by number, so rows no batch names change nothing.
    """
    n_rows = array.shape[0]
    padded = bucket(n_rows, steps_per_octave=1)
    row_bytes = array.itemsize * int(np.prod(array.shape[1:], dtype=np.int64))
    if (padded - n_rows) * row_bytes > POWER_OF_TWO_PADDING_BYTES:
        padded = bucket(n_rows)
    if padded == n_rows or n_rows > PADDED_ROWS_MAX:
        return array
    padding = np.zeros((padded - n_rows, *array.shape[1:]), dtype=array.dtype)
    return np.concatenate([array, padding])
