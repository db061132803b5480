import numpy as np
import pytest

from skmultilabelnn._thresholds import apply_threshold, check_threshold

PROBA = np.array([[0.1, 0.5, 0.9], [0.25, 0.75, 1.0]])


@pytest.mark.parametrize("threshold", [0.0, 0.25, 0.5, 0.75, 1.0])
def test_apply_threshold_scalar(threshold):
    """Check that a label is on exactly when its probability reaches the threshold."""
    indicator = apply_threshold(PROBA, check_threshold(threshold, 3))
    assert indicator.dtype == np.int64
    assert indicator.shape == PROBA.shape
    np.testing.assert_array_equal(indicator, (PROBA >= threshold).astype(int))


def test_apply_threshold_per_label():
    """Check that each column is compared with its own threshold."""
    threshold = check_threshold([0.05, 0.8, 0.95], 3)
    np.testing.assert_array_equal(
        apply_threshold(PROBA, threshold), [[1, 0, 0], [1, 0, 1]]
    )


def test_apply_threshold_does_not_modify_input():
    """Check that the probabilities are left as they were."""
    proba = PROBA.copy()
    apply_threshold(proba, 0.5)
    np.testing.assert_array_equal(proba, PROBA)


@pytest.mark.parametrize(
    "threshold, message",
    [
        (1.5, r"threshold must be in \[0, 1\]; got 1.5"),
        (-0.1, r"threshold must be in \[0, 1\]; got -0.1"),
        (np.nan, r"threshold must be in \[0, 1\]; got nan"),
        ([0.5, 0.5], "threshold has 2 values but the model predicts 3 labels"),
        ([0.5, 2.0, 0.5], r"got 2.0 for the label at index 1"),
        ([[0.5, 0.5, 0.5]], r"1-D array-like .* shape \(1, 3\)"),
        ("high", "threshold must be a float in"),
    ],
)
def test_check_threshold_errors(threshold, message):
    """Check that a bad threshold names the bad value and what was expected."""
    with pytest.raises(ValueError, match=message):
        check_threshold(threshold, 3)


def test_check_threshold_returns_copy():
    """Check that an array threshold is returned as a new float array."""
    given = np.array([0.2, 0.4, 0.6], dtype=np.float32)
    checked = check_threshold(given, 3)
    assert checked.dtype == np.float64
    assert checked is not given
