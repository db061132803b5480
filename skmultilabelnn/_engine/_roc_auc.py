"""The validation rows' ROC AUC, the early-stopping score of ``scoring="roc_auc"``."""

import numpy as np

from .._rows import subset_rows

#: Scores the validation ROC AUC is computed from, at most: with more
#: validation rows times labels, a random subset of the rows (drawn once per
#: fit) is scored (64 MB of float32 outputs).
ROC_AUC_ENTRIES = 2**24

#: Scores ranked at a time (a block of labels), bounding the sort's arrays.
_BLOCK_ENTRIES = 2**20


def macro_roc_auc(y_true, scores, sample_weight):
    """The mean over labels of each label's ROC AUC, as scikit-learn's.

    ``roc_auc_score(y_true, scores, average="macro",
    sample_weight=sample_weight)``, except that a label whose rows of
    non-zero weight are all positive or all negative is left out of the
    mean (scikit-learn raises); NaN when every label is. Ties count half, as
    there. Vectorised over labels: one sort per block of labels.

    Parameters
    ----------
    y_true : ndarray of shape (n_samples, n_labels)
        0/1 indicator.
    scores : ndarray of shape (n_samples, n_labels)
    sample_weight : ndarray of shape (n_samples,)
        Weight of each row; rows of weight 0 are left out.

    Returns
    -------
    auc : float
    """
    kept = np.asarray(sample_weight) > 0
    y = np.asarray(y_true)[kept] > 0
    w = np.asarray(sample_weight, dtype=np.float64)[kept]
    # the labels with both classes among the rows, one per row (contiguous)
    n_positives = y.sum(axis=0)
    both = (n_positives > 0) & (n_positives < y.shape[0])
    y = np.ascontiguousarray(y[:, both].T)
    s = np.ascontiguousarray(np.asarray(scores)[kept][:, both].T)
    if y.shape[0] == 0:
        return np.nan
    step = max(1, _BLOCK_ENTRIES // y.shape[1])
    aucs = [
        _label_aucs(y[j : j + step], s[j : j + step], w)
        for j in range(0, y.shape[0], step)
    ]
    return float(np.concatenate(aucs).mean())


def _label_aucs(y, s, w):
    """ROC AUC of each label (a row of ``y`` and ``s``), the rows weighted."""
    n_rows = y.shape[1]
    order = np.argsort(s, axis=1)
    s_sorted = np.take_along_axis(s, order, axis=1)
    weight = w[order]
    pos = np.where(np.take_along_axis(y, order, axis=1), weight, 0.0)
    neg = weight - pos
    cumulative = np.cumsum(neg, axis=1)
    # each position's run of tied scores (saturated outputs tie): the
    # negatives' weight below the run, and within it (counting half)
    first = np.ones(s_sorted.shape, dtype=bool)
    first[:, 1:] = s_sorted[:, 1:] != s_sorted[:, :-1]
    if first.all():
        below, tied = cumulative - neg, neg
    else:
        index = np.arange(n_rows)
        last = np.ones(s_sorted.shape, dtype=bool)
        last[:, :-1] = first[:, 1:]
        start = np.maximum.accumulate(np.where(first, index, 0), axis=1)
        end = np.where(last, index, n_rows - 1)[:, ::-1]
        end = np.minimum.accumulate(end, axis=1)[:, ::-1]
        below = np.take_along_axis(cumulative, start, axis=1)
        below -= np.take_along_axis(neg, start, axis=1)
        tied = np.take_along_axis(cumulative, end, axis=1) - below
    wins = (pos * (below + 0.5 * tied)).sum(axis=1)
    return wins / (pos.sum(axis=1) * neg.sum(axis=1))


def roc_auc_rows(Y, row_weight, rows, seed=0):
    """The validation rows whose outputs the ROC AUC is computed from: all
    of ``rows`` (the array itself), or a random subset (sorted) of
    ``ROC_AUC_ENTRIES`` scores; None where no label has both classes among
    those rows of non-zero weight (the ROC AUC is undefined there)."""
    scored = subset_rows(rows, max(1, ROC_AUC_ENTRIES // max(Y.shape[1], 1)), seed)
    weighted = scored[row_weight[scored] > 0]
    positives = np.asarray(Y[weighted].sum(axis=0)).ravel()
    if not np.any((positives > 0) & (positives < weighted.shape[0])):
        return None
    return scored
