"""Checking and applying decision thresholds on predicted probabilities (NumPy only)."""

import numbers

import numpy as np


def check_threshold(threshold, n_labels):
    """Validate a decision threshold against the number of labels.

    Parameters
    ----------
    threshold : float or array-like of shape (n_labels,)
        One cut-off for every label, or one per label. Values are real
        numbers in [0, 1]; bools, strings and None are refused.
    n_labels : int
        Number of label columns the model predicts.

    Returns
    -------
    threshold : float or ndarray of shape (n_labels,)
        A float for a scalar threshold, otherwise a new float64 array.

    Raises
    ------
    ValueError
        If ``threshold`` is not a real number or an array-like of them, a
        value lies outside [0, 1] or the number of values is not ``n_labels``.
    """
    if isinstance(threshold, numbers.Real) and not isinstance(threshold, bool):
        _check_range(np.asarray([threshold], dtype=np.float64), scalar=True)
        return float(threshold)
    try:
        # strings and None would be read as numbers by np.array(..., float)
        values = None if isinstance(threshold, str | bytes) else np.asarray(threshold)
    except ValueError:  # ragged nested sequences
        values = None
    if values is None or values.dtype.kind not in "iuf":
        raise ValueError(
            "threshold must be a float in [0, 1], an array-like with one float per "
            f'label, or "auto"; got {threshold!r}.'
        )
    values = values.astype(np.float64)  # always a copy
    if values.ndim == 0:
        _check_range(values.reshape(1), scalar=True)
        return float(values)
    if values.ndim != 1:
        raise ValueError(
            f"threshold must be a float or a 1-D array-like with one value per "
            f"label; got an array of shape {values.shape}."
        )
    if values.shape[0] != n_labels:
        raise ValueError(
            f"threshold has {values.shape[0]} values but the model predicts "
            f"{n_labels} labels."
        )
    _check_range(values, scalar=False)
    return values


def _check_range(values, *, scalar):
    bad = ~((values >= 0.0) & (values <= 1.0))  # also catches NaN
    if not bad.any():
        return
    if scalar:
        raise ValueError(f"threshold must be in [0, 1]; got {float(values[0])!r}.")
    index = int(np.flatnonzero(bad)[0])
    raise ValueError(
        f"threshold values must be in [0, 1]; got {float(values[index])!r} for the "
        f"label at index {index}."
    )


def apply_threshold(proba, threshold):
    """Turn probabilities into a 0/1 indicator matrix.

    Parameters
    ----------
    proba : ndarray of shape (n_samples, n_labels)
        Probability of each label.
    threshold : float or ndarray of shape (n_labels,)
        A label is predicted when its probability is greater than or equal
        to its threshold, as returned by :func:`check_threshold`.

    Returns
    -------
    indicator : ndarray of shape (n_samples, n_labels), dtype int64
        A new array; ``proba`` is not modified.
    """
    return (np.asarray(proba) >= threshold).astype(np.int64)


def ensure_one_label(indicator, scores):
    """Switch on the top-scoring label of every row that has none.

    Parameters
    ----------
    indicator : ndarray of shape (n_samples, n_labels)
        0/1 predictions; modified in place and returned.
    scores : ndarray of shape (n_samples, n_labels)
        Probabilities or decision scores the predictions come from.

    Returns
    -------
    indicator : ndarray of shape (n_samples, n_labels)
    """
    empty = ~indicator.any(axis=1)
    if empty.any():
        indicator[empty, np.argmax(scores[empty], axis=1)] = 1
    return indicator


def tune_thresholds(y_true, scores, *, metric="f1", default=0.5, n_sweeps=3):
    """Learn one threshold per label that maximises ``metric`` on held-out scores.

    Parameters
    ----------
    y_true : ndarray of shape (n_samples, n_labels)
        0/1 indicator of held-out labels.
    scores : ndarray of shape (n_samples, n_labels)
        Held-out probabilities or decision scores (higher means more likely).
    metric : {"f1", "f1_micro"}, default="f1"
        ``"f1"`` maximises each label's own F1 (the macro-F1); ``"f1_micro"``
        maximises the F1 of all label decisions pooled, by coordinate ascent
        over the labels.
    default : float, default=0.5
        Threshold of a label whose F1 cannot be improved on these rows (no
        positive among them).
    n_sweeps : int, default=3
        Passes of coordinate ascent for ``"f1_micro"``.

    Returns
    -------
    thresholds : ndarray of shape (n_labels,)
        A label is predicted when its score is at least its threshold. Each
        lies halfway between the last score kept and the first one cut (or
        on the last score kept, when every row is kept or no float lies
        between the two), so it stays within the range of the scores.
    """
    y_true = np.asarray(y_true, dtype=bool)
    scores = np.asarray(scores, dtype=np.float64)
    n_labels = y_true.shape[1]
    cuts = [_label_cuts(y_true[:, j], scores[:, j], default) for j in range(n_labels)]
    if metric == "f1":
        chosen = [int(np.argmax(_f1(tp, fp, fn))) for _, tp, fp, fn in cuts]
    else:
        chosen = [int(np.argmin(np.abs(thr - default))) for thr, *_ in cuts]
        for _ in range(n_sweeps):
            for j, (_, tp, fp, fn) in enumerate(cuts):
                totals = [
                    sum(c[k][chosen[i]] for i, c in enumerate(cuts) if i != j)
                    for k in (1, 2, 3)
                ]
                chosen[j] = int(
                    np.argmax(_f1(totals[0] + tp, totals[1] + fp, totals[2] + fn))
                )
    return np.array([thr[k] for (thr, *_), k in zip(cuts, chosen, strict=True)])


def _label_cuts(y, s, default):
    """Candidate thresholds of one label and the counts each one gives.

    Candidate 0 is ``default``; candidate k >= 1 keeps the k best scores.
    Returns (thresholds, tp, fp, fn), arrays of length n_samples + 1.
    """
    order = np.argsort(-s, kind="stable")
    s_sorted, y_sorted = s[order], y[order]
    # a cut can only fall between two different scores
    last_of_ties = np.r_[s_sorted[1:] != s_sorted[:-1], True]
    k = np.flatnonzero(last_of_ties) + 1
    tp = np.cumsum(y_sorted)[k - 1]
    fp = k - tp
    fn = y.sum() - tp
    # halfway to the next score; keeping every row cuts at the lowest score
    kept, below = s_sorted[k - 1], np.r_[s_sorted, s_sorted[-1]][k]
    halfway = (kept + below) / 2
    # between two neighbouring floats, halfway rounds to one of them: cut at
    # the score kept, so that the score below stays out
    thresholds = np.where(halfway > below, halfway, kept)
    default_tp = int(y[s >= default].sum())
    default_fp = int((s >= default).sum()) - default_tp
    return (
        np.r_[default, thresholds],
        np.r_[default_tp, tp],
        np.r_[default_fp, fp],
        np.r_[y.sum() - default_tp, fn],
    )


def _f1(tp, fp, fn):
    denominator = 2 * tp + fp + fn
    return np.divide(
        2 * tp, denominator, out=np.zeros(np.shape(tp)), where=denominator > 0
    )
