"""Tests of resolving the parameters of a fit (scikeras routing, batch size)."""

import numpy as np
import pytest
from _helpers import small


@pytest.mark.parametrize("batch_size", [0, -5, 2.5, True])
def test_routed_batch_size_checked_as_batch_size(tiny_data, batch_size):
    """Check that fit__batch_size is refused, with its name, where batch_size is."""
    X, Y = tiny_data
    with pytest.raises(ValueError, match=rf"fit__batch_size .*; got {batch_size!r}"):
        small(hidden_layer_sizes=(4,), epochs=1, fit__batch_size=batch_size).fit(X, Y)


def test_routed_batch_size_minus_one_is_all_rows(tiny_data):
    """Check that fit__batch_size=-1 trains on all the rows in one batch."""
    X, Y = tiny_data
    one_batch = small(epochs=2, fit__batch_size=-1).fit(X, Y)
    same = small(epochs=2, batch_size=X.shape[0]).fit(X, Y)
    np.testing.assert_array_equal(one_batch.predict_proba(X), same.predict_proba(X))
