"""The one rule for which training rows train and which are held out."""

import numpy as np
import pytest
import scipy.sparse as sp

from skmultilabelnn._rows import multilabel_folds, split_rows


def test_no_held_out_rows():
    """Check that a fraction of 0 trains on every row of non-zero weight."""
    train, held = split_rows(6, None, held_out=0.0, seed=0, purpose="p")
    np.testing.assert_array_equal(train, np.arange(6))
    assert held is None
    train, _ = split_rows(
        4, np.array([1.0, 0.0, 2.0, 0.0]), held_out=0, seed=0, purpose="p"
    )
    np.testing.assert_array_equal(train, [0, 2])


def test_held_out_rows_are_random_disjoint_and_seeded():
    """Check the held-out count, disjointness, zero weights left out, and seeding."""
    weights = np.ones(100)
    weights[::10] = 0
    train, held = split_rows(100, weights, held_out=0.2, seed=3, purpose="p")
    assert held.shape == (18,) and train.shape == (72,)
    assert not set(train) & set(held)
    assert not set(np.flatnonzero(weights == 0)) & (set(train) | set(held))
    again = split_rows(100, weights, held_out=0.2, seed=3, purpose="p")
    np.testing.assert_array_equal(held, again[1])
    other = split_rows(100, weights, held_out=0.2, seed=4, purpose="p")
    assert not np.array_equal(held, other[1])
    assert not np.array_equal(held, np.arange(82, 100))  # not the last rows


def test_holding_out_everything_is_refused():
    """Check the error when the held-out part leaves no row to train on."""
    with pytest.raises(ValueError, match=r"Holding out 0.9 of the 3 .*to learn"):
        split_rows(3, None, held_out=0.9, seed=0, purpose="to learn")


def test_multilabel_folds_partition_the_rows_and_share_out_positives():
    """Check that the folds partition the rows, have near-equal sizes, and that
    each label's positives are shared out more evenly than by a random split."""
    rng = np.random.default_rng(0)
    Y = (rng.random((300, 12)) < np.linspace(0.01, 0.5, 12)).astype(int)
    rows = np.arange(0, 300, 1)
    folds = multilabel_folds(Y, rows, 3, seed=0)
    assert len(folds) == 3
    np.testing.assert_array_equal(np.sort(np.concatenate(folds)), rows)
    sizes = [fold.shape[0] for fold in folds]
    assert max(sizes) - min(sizes) <= 3
    per_fold = np.array([Y[fold].sum(axis=0) for fold in folds])
    assert (per_fold.max(axis=0) - per_fold.min(axis=0)).max() <= 1
    again = multilabel_folds(Y, rows, 3, seed=0)
    assert all(np.array_equal(a, b) for a, b in zip(folds, again, strict=True))


def test_multilabel_folds_on_a_subset_of_rows_and_a_binary_target():
    """Check that only the given rows are split, and that a 1-D target works."""
    y = np.array([0, 1] * 10)
    rows = np.arange(2, 20)
    folds = multilabel_folds(y, rows, 2, seed=1)
    np.testing.assert_array_equal(np.sort(np.concatenate(folds)), rows)
    assert [int(y[fold].sum()) for fold in folds] == [5, 4] or [
        int(y[fold].sum()) for fold in folds
    ] == [4, 5]


def test_multilabel_folds_of_a_sparse_y_are_those_of_its_dense_form():
    """Check that a CSR Y (read label by label, never densified) gives the folds
    of the same Y dense, on random cases."""
    rng = np.random.default_rng(3)
    for seed in range(5):
        Y = (rng.random((120, 9)) < rng.random(9) * 0.4).astype(np.float32)
        rows = np.sort(rng.choice(120, size=100, replace=False))
        dense = multilabel_folds(Y, rows, 4, seed=seed)
        sparse = multilabel_folds(sp.csr_matrix(Y), rows, 4, seed=seed)
        assert all(np.array_equal(a, b) for a, b in zip(dense, sparse, strict=True))
