"""Rows of a sparse X as the compiled functions take them: padded non-zeros.

A group of rows (a batch, or a chunk to predict) becomes three arrays of one
length: each non-zero's column, value and row within the group. Groups are
padded to a common length, a bucket (see ``_buckets``) of the longest, so
that one compilation serves a whole epoch and nearby lengths; a padding
entry has the column ``n_features`` (past the last), value 0 and row 0, and
changes nothing.
"""

import numpy as np
import scipy.sparse
from scipy.special import gammaln

from ._buckets import bucket

#: The sparse product pays when X has at least this many times more columns
#: than a step's rows touch (training) or have non-zeros (prediction): below,
#: a batch densified over all the columns is cheaper. Measured on JAX, hidden
#: (512,), batch 32 (``benchmarks/bench_wide_text``): a training step through
#: the product costs 2.3 to 2.6 times what a densified step costs per column
#: it computes (enron, 1,001 columns, about 870 touched a batch: 2.2 times
#: slower through the product; delicious, 500 columns, about 290 touched: 1.4
#: times slower); a 200,000-column X, 1,000 non-zeros a batch, trained about
#: 150 times faster.
MIN_WIDTH_RATIO = 4

#: Rows per step assumed when predicting.
PREDICT_ROWS = 32


def prefers_sparse_product(X, rows_per_step=PREDICT_ROWS):
    """Whether predicting on sparse ``X`` is cheaper through the first
    layer's sparse product (one kernel row gathered per non-zero) than
    densified, at ``rows_per_step`` rows a step."""
    non_zeros_per_step = rows_per_step * X.nnz / max(X.shape[0], 1)
    return X.shape[1] >= MIN_WIDTH_RATIO * non_zeros_per_step


def trains_through_sparse_product(X, batch_size):
    """Whether training on sparse ``X`` is cheaper through the first layer's
    sparse product than densified, at ``batch_size`` rows a step.

    A step through the product computes and updates the kernel rows of the
    columns its batch touches (``x_local @ W[touched]``), a densified step
    all of them, so the cost ratio is the number of columns over the number
    a batch touches: :func:`expected_touched_columns`, fewer than its
    non-zeros wherever words repeat across documents.
    """
    return X.shape[1] >= MIN_WIDTH_RATIO * expected_touched_columns(X, batch_size)


def expected_touched_columns(X, batch_size):
    """The expected number of distinct columns with a non-zero in a batch of
    ``batch_size`` distinct rows of sparse ``X`` drawn at random.

    Column ``j``, with entries in ``d_j`` of the ``n`` rows, is missed by the
    batch with probability ``C(n - d_j, batch_size) / C(n, batch_size)``.
    """
    X = scipy.sparse.csc_matrix(X)
    rows_with = np.diff(X.indptr) if X.has_canonical_format else _rows_with(X)
    n_rows = X.shape[0]
    batch_size = min(batch_size, n_rows)
    without = n_rows - np.minimum(rows_with, n_rows)
    missed = np.zeros(rows_with.shape[0])
    fits = without >= batch_size
    missed[fits] = np.exp(
        gammaln(without[fits] + 1.0)
        - gammaln(without[fits] - batch_size + 1.0)
        - gammaln(n_rows + 1.0)
        + gammaln(n_rows - batch_size + 1.0)
    )
    return float(np.sum(1.0 - missed))


def _rows_with(X):
    """Rows with an entry in each column of CSC ``X`` (duplicates once)."""
    X = X.copy()
    X.sum_duplicates()
    return np.diff(X.indptr)


def sparse_groups(X, groups, min_length=1):
    """The non-zeros of each group of rows of ``X``, padded.

    Parameters
    ----------
    X : sparse matrix of shape (n_samples, n_features)
    groups : ndarray of int of shape (n_groups, group_size)
        Row indices, -1 for padding rows (no entries).
    min_length : int, default=1
        Pad to at least this length (a fit keeps the longest it has used,
        so that its later epochs reuse that compilation).

    Returns
    -------
    columns : ndarray of int32 of shape (n_groups, length)
    values : ndarray of shape (n_groups, length), X's dtype
    segments : ndarray of int32 of shape (n_groups, length)
        Each entry's row within its group (``0 .. group_size - 1``).
    """
    X = scipy.sparse.csr_matrix(X)
    n_groups, group_size = groups.shape
    flat = groups.ravel()
    positions = np.flatnonzero(flat >= 0)
    rows = X[flat[positions]]
    per_row = np.diff(rows.indptr)
    # each entry's place in the flat list of group slots, and its group
    slot = np.repeat(positions, per_row)
    group = slot // group_size
    per_group = np.bincount(group, minlength=n_groups)
    length = max(bucket(max(int(per_group.max(initial=0)), 1)), min_length)
    group_start = np.concatenate([[0], np.cumsum(per_group)[:-1]])
    offset = np.arange(slot.shape[0]) - group_start[group]
    columns = np.full((n_groups, length), X.shape[1], dtype=np.int32)
    values = np.zeros((n_groups, length), dtype=X.dtype)
    segments = np.zeros((n_groups, length), dtype=np.int32)
    columns[group, offset] = rows.indices
    values[group, offset] = rows.data
    segments[group, offset] = slot % group_size
    return columns, values, segments


def row_starts(X, rows, length):
    """Where each of ``rows`` starts among the non-zeros of their group, as
    :func:`sparse_groups` lays out one group (row order), with ``length``
    (padding included) at the end: a CSR matrix's ``indptr`` whose last row
    holds the padding.

    Parameters
    ----------
    X : CSR matrix of shape (n_samples, n_features)
    rows : ndarray of int of shape (group_size,)
        Row indices, -1 for padding rows (no entries).
    length : int
        The group's padded length.

    Returns
    -------
    starts : ndarray of int32 of shape (group_size + 1,)
    """
    safe = np.maximum(rows, 0)
    per_row = np.where(rows >= 0, X.indptr[safe + 1] - X.indptr[safe], 0)
    starts = np.zeros(rows.shape[0] + 1, dtype=np.int32)
    np.cumsum(per_row, out=starts[1:])
    starts[-1] = length
    return starts


def touched_columns(columns, n_features, min_touched=1):
    """Each group's distinct columns, and each entry's place among them.

    A training step computes its first layer on the kernel rows its batch
    touches only: ``x_local @ W[touched]``, with ``x_local`` the batch's
    rows over those columns.

    Parameters
    ----------
    columns : ndarray of int32 of shape (n_groups, length)
        As :func:`sparse_groups` gives them (``n_features`` for padding).
    n_features : int
    min_touched : int, default=1
        Pad ``touched`` to at least this width (see ``min_length`` of
        :func:`sparse_groups`).

    Returns
    -------
    touched : ndarray of int32 of shape (n_groups, n_touched)
        Each group's distinct columns in increasing order, padded with
        ``n_features``; ``n_touched`` is a bucket of the most a group has.
    inverse : ndarray of int32 of shape (n_groups, length)
        Each entry's position in its group's ``touched``.
    """
    order = np.argsort(columns, axis=1, kind="stable")
    ordered = np.take_along_axis(columns, order, axis=1)
    first = np.ones(ordered.shape, dtype=bool)
    first[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    rank = np.cumsum(first, axis=1, dtype=np.int32) - 1
    inverse = np.empty_like(rank)
    np.put_along_axis(inverse, order, rank, axis=1)
    n_touched = max(bucket(int(rank[:, -1].max(initial=0)) + 1), min_touched)
    touched = np.full((columns.shape[0], n_touched), n_features, dtype=np.int32)
    group = np.broadcast_to(np.arange(columns.shape[0])[:, None], first.shape)
    touched[group[first], rank[first]] = ordered[first]
    return touched, inverse
