"""Out-of-fold scores: each row scored by a model that never trained on it.

The one loop behind ``threshold="auto"`` and :class:`MultilabelThresholdTuner`
(NumPy and scikit-learn only).
"""

import numpy as np
from sklearn.utils.parallel import Parallel, delayed


def out_of_fold_scores(fit_and_score, splits, n_samples, *, rows=None, n_jobs=None):
    """Scores of the rows of each test fold, by a model fitted on its training rows.

    Parameters
    ----------
    fit_and_score : callable
        ``fit_and_score(k, train_rows, test_rows) -> scores`` of shape
        ``(len(test_rows), n_outputs)``: fits a new model on ``train_rows``
        and scores ``test_rows``.
    splits : list of (ndarray, ndarray)
        ``(train_rows, test_rows)`` of each fold. The test folds must not
        overlap; rows in none of them are scored 0.
    n_samples : int
        Number of rows.
    rows : ndarray of int or None, default=None
        The rows that must be in a test fold; None for all of them.
    n_jobs : int or None, default=None
        Folds fitted in parallel (joblib).

    Returns
    -------
    scores : ndarray of shape (n_samples, n_outputs), dtype float64

    Raises
    ------
    ValueError
        If a test fold is empty, two test folds share a row, or one of
        ``rows`` is in no test fold.

    Examples
    --------
    >>> import numpy as np
    >>> splits = [(np.array([1, 2]), np.array([0])),
    ...           (np.array([0]), np.array([1, 2]))]
    >>> out_of_fold_scores(
    ...     lambda k, train, test: np.full((len(test), 1), k), splits, 3)
    array([[0.],
           [1.],
           [1.]])
    """
    splits = [(np.asarray(train), np.asarray(test)) for train, test in splits]
    tested = np.zeros(n_samples, dtype=int)
    for k, (_, test) in enumerate(splits):
        if test.shape[0] == 0:
            raise ValueError(
                f"Fold {k} of {len(splits)} has no test rows: every fold needs at "
                "least one row to score."
            )
        np.add.at(tested, test, 1)
    untested = tested[slice(None) if rows is None else rows] == 0
    if (tested > 1).any() or untested.any():
        raise ValueError(
            f"The folds must test every row once (a partition, such as KFold's); "
            f"{int((tested > 1).sum())} rows are tested more than once and "
            f"{int(untested.sum())} never."
        )
    fold_scores = Parallel(n_jobs=n_jobs)(
        delayed(fit_and_score)(k, train, test) for k, (train, test) in enumerate(splits)
    )
    n_outputs = np.asarray(fold_scores[0]).reshape(len(splits[0][1]), -1).shape[1]
    scores = np.zeros((n_samples, n_outputs))
    for (_, test), fold in zip(splits, fold_scores, strict=True):
        scores[test] = np.asarray(fold).reshape(test.shape[0], n_outputs)
    return scores
