"""Deciding which training rows the network trains on and which it holds out."""

import math

import numpy as np
import scipy.sparse as sp


def split_rows(n_samples, sample_weight, *, held_out, seed, purpose):
    """Split the rows of a fit into trained-on and held-out rows, at random.

    Rows of weight 0 take part in neither.

    Parameters
    ----------
    n_samples : int
        Rows of the training data.
    sample_weight : ndarray of shape (n_samples,) or None
        Sample weights.
    held_out : float
        Fraction of the rows held out, in [0, 1); 0 holds out none.
    seed : int or None
        Seed of the split; None splits at random.
    purpose : str
        What the held-out rows are for, for the error message.

    Returns
    -------
    train_rows : ndarray of int
    held_rows : ndarray of int or None
        None when ``held_out`` is 0. Both sorted.
    """
    rows = (
        np.arange(n_samples) if sample_weight is None else np.flatnonzero(sample_weight)
    )
    if not held_out:
        return rows, None
    n_held = math.ceil(held_out * rows.shape[0])
    if rows.shape[0] < 2 or n_held >= rows.shape[0]:
        raise ValueError(
            f"Holding out {held_out:g} of the {rows.shape[0]} training rows "
            f"({purpose}) leaves none to train on; give more rows or hold out "
            "fewer."
        )
    order = np.random.default_rng(seed).permutation(rows)
    return np.sort(order[n_held:]), np.sort(order[:n_held])


def subset_rows(rows, most, seed):
    """``rows`` if there are at most ``most`` of them, else a random subset
    of ``most`` (sorted), drawn from ``seed``."""
    if rows.shape[0] <= most:
        return rows
    return np.sort(np.random.default_rng(seed).choice(rows, size=most, replace=False))


def multilabel_folds(Y, rows, n_folds, seed):
    """Split ``rows`` into ``n_folds`` folds that share out each label's positives.

    Iterative stratification (Sechidis, Tsoumakas and Vlahavas, 2011): rows
    are placed one at a time, those of the rarest labels first, each in the
    fold that still wants the most positives of that label (ties go to the
    fold that wants the most rows, then at random). Rows without a label fill
    the folds that want rows. A 1-D ``Y`` (a binary target) is one label.

    Parameters
    ----------
    Y : {ndarray, sparse matrix} of shape (n_samples, n_labels) or (n_samples,)
        0/1 labels (a one-hot multiclass encoding works too). A sparse Y is
        read label by label, never densified.
    rows : ndarray of int
        The rows to split.
    n_folds : int
        Number of folds, at most ``len(rows)``.
    seed : int or None
        Seed of the tie-breaking.

    Returns
    -------
    folds : list of ndarray of int
        ``n_folds`` sorted arrays of rows; together they are ``rows``.
    """
    rng = np.random.default_rng(seed)
    if sp.issparse(Y):
        Y = sp.csr_matrix(Y)[rows]
    else:
        Y = sp.csr_matrix(np.asarray(Y).reshape(Y.shape[0], -1)[rows])
    Y.data = (Y.data > 0).astype(np.int64)
    Y.eliminate_zeros()
    Y.sort_indices()
    by_label = Y.tocsc()
    by_label.sort_indices()
    n_rows = rows.shape[0]
    # the loop places one row at a time: Python lists of the folds' wants
    # (a few floats each) are quicker there than NumPy's arrays
    wanted_rows = [n_rows / n_folds] * n_folds
    counts = np.asarray(Y.sum(axis=0)).ravel()
    # per label, the positives each fold still wants
    wanted_labels = np.outer(counts, np.full(n_folds, 1 / n_folds)).tolist()
    indptr = Y.indptr.tolist()
    fold_of = np.full(n_rows, -1)
    order = rng.permutation(n_rows)
    rank = np.empty(n_rows, dtype=np.int64)
    rank[order] = np.arange(n_rows)
    # counts: each label's positives among the rows not placed yet
    while counts.any():
        label = int(np.argmin(np.where(counts > 0, counts, np.inf)))
        column = by_label.indices[by_label.indptr[label] : by_label.indptr[label + 1]]
        column = column[fold_of[column] < 0]
        for i in column[np.argsort(rank[column])]:  # in the permutation's order
            fold = _neediest_fold(wanted_labels[label], wanted_rows, rng)
            fold_of[i] = fold
            wanted_rows[fold] -= 1
            labels = Y.indices[indptr[i] : indptr[i + 1]]
            for other in labels.tolist():
                wanted_labels[other][fold] -= 1
            counts[labels] -= 1
    for i in order[fold_of[order] < 0]:  # rows with no label left
        fold = wanted_rows.index(max(wanted_rows))  # the first, as np.argmax
        fold_of[i] = fold
        wanted_rows[fold] -= 1
    return [np.sort(rows[fold_of == k]) for k in range(n_folds)]


def _neediest_fold(want, wanted_rows, rng):
    """The fold that wants the most of a label (``want``, per fold), then the
    most rows, then one of those at random (a draw even if one is left)."""
    most = max(want)
    best = [k for k, wanted in enumerate(want) if wanted == most]
    most_rows = max(wanted_rows[k] for k in best)
    best = [k for k in best if wanted_rows[k] == most_rows]
    # the draw of rng.choice(best), whose stream the folds have kept
    return best[int(rng.integers(len(best)))]
