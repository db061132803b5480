import numpy as np
import pytest

from skmultilabelnn.metrics import MULTILABEL_METRICS, multilabel_scores


def test_multilabel_scores_values():
    """Check each metric against a hand-computed case."""
    y_true = np.array([[1, 0, 1], [0, 1, 0]])
    y_pred = np.array([[1, 0, 0], [0, 1, 0]])
    scores = multilabel_scores(y_true, y_pred)
    assert set(scores) == set(MULTILABEL_METRICS)
    assert scores["hamming_loss"] == pytest.approx(1 / 6)
    assert scores["subset_accuracy"] == pytest.approx(0.5)
    assert scores["f1_micro"] == pytest.approx(2 * 2 / (2 * 2 + 1))
    assert scores["f1_macro"] == pytest.approx((1 + 1 + 0) / 3)
    assert scores["f1_samples"] == pytest.approx((2 / 3 + 1) / 2)
    assert scores["jaccard_samples"] == pytest.approx((1 / 2 + 1) / 2)


def test_multilabel_scores_perfect():
    """Check that a perfect prediction scores perfectly."""
    y = np.array([[1, 0], [1, 1], [0, 1]])
    scores = multilabel_scores(y, y)
    assert scores["hamming_loss"] == 0
    assert all(
        scores[name] == 1 for name, higher in MULTILABEL_METRICS.items() if higher
    )
