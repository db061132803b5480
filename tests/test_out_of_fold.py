"""Tests of the out-of-fold scores builder shared by threshold="auto" and the tuner."""

import numpy as np
import pytest

from skmultilabelnn._out_of_fold import out_of_fold_scores


def _splits(n_samples, n_folds):
    rows = np.arange(n_samples)
    folds = np.array_split(rows, n_folds)
    return [(np.setdiff1d(rows, fold), fold) for fold in folds]


@pytest.mark.parametrize("n_jobs", [None, 2])
def test_each_row_scored_by_the_fold_that_left_it_out(n_jobs):
    """Check that a row's score comes from the model fitted without it."""
    seen = []

    def fit_and_score(k, train, test):
        seen.append((k, set(train.tolist()), set(test.tolist())))
        return np.column_stack([np.full(len(test), k), test])

    splits = _splits(10, 3)
    scores = out_of_fold_scores(fit_and_score, splits, 10, n_jobs=n_jobs)
    assert scores.shape == (10, 2) and scores.dtype == np.float64
    np.testing.assert_array_equal(scores[:, 1], np.arange(10))
    for k, (_, test) in enumerate(splits):
        np.testing.assert_array_equal(scores[test, 0], k)
    if n_jobs is None:  # in this process: the calls can be inspected
        assert [k for k, *_ in seen] == [0, 1, 2]
        assert all(not train & test for _, train, test in seen)


def test_rows_in_no_test_fold_score_zero():
    """Check that rows left out of every test fold (weight 0) are scored 0."""
    splits = [(np.array([2, 3]), np.array([0])), (np.array([0]), np.array([2, 3]))]
    scores = out_of_fold_scores(
        lambda k, train, test: np.ones((len(test), 1)), splits, 5, rows=[0, 2, 3]
    )
    np.testing.assert_array_equal(scores[:, 0], [1, 0, 1, 1, 0])
    with pytest.raises(ValueError, match="2 never"):
        out_of_fold_scores(lambda k, train, test: np.ones((len(test), 1)), splits, 5)


@pytest.mark.parametrize(
    "splits, message",
    [
        (
            [(np.array([1]), np.array([0])), (np.array([0]), np.array([], int))],
            "Fold 1",
        ),
        ([(np.array([1]), np.array([0])), (np.array([1]), np.array([0]))], "1 rows"),
    ],
)
def test_bad_folds_are_refused(splits, message):
    """Check that empty or overlapping test folds are refused before any fit."""
    calls = []

    def fit_and_score(k, train, test):
        calls.append(k)
        return np.zeros((len(test), 1))

    with pytest.raises(ValueError, match=message):
        out_of_fold_scores(fit_and_score, splits, 2)
    assert calls == []
