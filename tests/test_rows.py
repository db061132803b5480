"""The one rule for which training rows train and which are held out."""

import numpy as np
import pytest

from skmultilabelnn._rows import split_rows


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
