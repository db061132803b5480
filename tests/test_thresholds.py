import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.metrics import f1_score

from skmultilabelnn._thresholds import (
    SHRINK_POSITIVES,
    learn_thresholds,
    score_decisions,
    tune_thresholds,
)


def _noisy_scores(seed=0, n_samples=300):
    rng = np.random.default_rng(seed)
    y = rng.random((n_samples, 4)) < [0.05, 0.3, 0.6, 0.0]
    scores = np.clip(0.3 * y + 0.7 * rng.random(y.shape), 0, 1)
    return y.astype(int), scores


def _best_f1_by_brute_force(y, s):
    return max(f1_score(y, s >= t, zero_division=0) for t in np.r_[s, 0.5])


def test_tune_thresholds_maximises_each_label_f1():
    """Check that each label's threshold reaches the best F1 any cut could."""
    y, scores = _noisy_scores()
    thresholds = tune_thresholds(y, scores)
    assert thresholds.shape == (4,)
    for j in range(3):
        achieved = f1_score(y[:, j], scores[:, j] >= thresholds[j])
        assert achieved == pytest.approx(_best_f1_by_brute_force(y[:, j], scores[:, j]))
    # far better than 0.5 on the rare label
    assert f1_score(y[:, 0], scores[:, 0] >= thresholds[0]) > f1_score(
        y[:, 0], scores[:, 0] >= 0.5
    )


def test_tune_thresholds_keeps_default_without_positives():
    """Check that a label with no positive keeps the default threshold."""
    y, scores = _noisy_scores()
    assert tune_thresholds(y, scores)[3] == 0.5
    assert tune_thresholds(y, scores, default=0.25)[3] == 0.25


def test_tune_thresholds_stay_within_score_range():
    """Check that thresholds lie within [min score, max score], between two scores."""
    y, scores = _noisy_scores(seed=1)
    thresholds = tune_thresholds(y, scores)
    for j in range(3):
        assert scores[:, j].min() <= thresholds[j] <= scores[:, j].max()
        assert not np.isin(thresholds[j], scores[:, j]) or thresholds[j] == (
            scores[:, j].min()
        )


def test_tune_thresholds_all_positive_label_keeps_every_row():
    """Check that a label present in every row gets a cut at or below every score."""
    scores = np.array([[0.2], [0.4], [0.9]])
    threshold = tune_thresholds(np.ones((3, 1)), scores)
    assert np.all(scores >= threshold)


def test_tune_thresholds_micro_beats_per_label_on_micro_f1():
    """Check that "f1_micro" gives at least the micro-F1 of per-label tuning."""
    y, scores = _noisy_scores(seed=2)
    per_label = tune_thresholds(y, scores, metric="f1")
    micro = tune_thresholds(y, scores, metric="f1_micro")

    def micro_f1(t):
        return f1_score(y, scores >= t, average="micro")

    assert micro_f1(micro) >= micro_f1(per_label)
    assert micro_f1(micro) > micro_f1(0.5)


def test_tune_thresholds_works_on_decision_scores():
    """Check that unbounded scores (decision_function) are thresholded too."""
    y, scores = _noisy_scores(seed=3)
    decision = 10 * (scores - 0.5)
    np.testing.assert_allclose(
        tune_thresholds(y, decision, default=0.0)[:3],
        10 * (tune_thresholds(y, scores)[:3] - 0.5),
    )


@pytest.mark.parametrize("low", [0.0, 0.5, 0.3])
def test_tune_thresholds_between_neighbouring_floats(low):
    """Check that a cut between two adjacent floats keeps the lower score out."""
    high = np.nextafter(low, 1.0)
    scores = np.array([[high], [low]])
    threshold = tune_thresholds(np.array([[1], [0]]), scores)
    np.testing.assert_array_equal(scores >= threshold, [[True], [False]])


def _skewed_labels(n_samples=400, n_labels=6, seed=0):
    rng = np.random.default_rng(seed)
    y = (rng.random((n_samples, n_labels)) < np.linspace(0.02, 0.4, n_labels)).astype(
        int
    )
    scores = np.clip(0.35 * y + rng.normal(0.3, 0.15, y.shape), 0, 1)
    return y, scores


@pytest.mark.parametrize("metric", ["f1", "f1_micro", "f1_samples"])
def test_score_decisions_matches_sklearn(metric):
    """Check macro-, micro- and samples-F1 of decisions against f1_score."""
    y, scores = _skewed_labels()
    decisions = scores >= 0.45
    average = {"f1": "macro", "f1_micro": "micro", "f1_samples": "samples"}[metric]
    expected = f1_score(y, decisions, average=average, zero_division=0)
    assert score_decisions(y > 0, decisions, metric) == pytest.approx(expected)


@pytest.mark.parametrize("metric", ["f1", "f1_micro", "f1_samples"])
def test_tune_thresholds_improves_its_metric(metric):
    """Check that each metric's tuned thresholds beat the 0.5 cut on that metric."""
    y, scores = _skewed_labels()
    tuned = tune_thresholds(y, scores, metric=metric)
    assert score_decisions(y > 0, scores >= tuned, metric) > score_decisions(
        y > 0, scores >= 0.5, metric
    )


@pytest.mark.parametrize("metric", ["f1", "f1_micro", "f1_samples"])
@pytest.mark.parametrize("seed", range(5))
def test_learn_thresholds_never_scores_below_the_default(metric, seed):
    """Check the guard: on the rows it learns from, neither the metric nor
    micro-F1 is below the default cut's."""
    y, scores = _skewed_labels(n_samples=120, seed=seed)
    learned = learn_thresholds(y, scores, metric=metric)
    for name in {metric, "f1_micro"}:
        assert (
            score_decisions(y > 0, scores >= learned, name)
            >= score_decisions(y > 0, scores >= 0.5, name) - 1e-12
        )


def test_learn_thresholds_shrinks_rare_labels_toward_the_shared_cut():
    """Check that a label with one positive keeps little of its own best cut,
    while a label with many positives keeps most of it."""
    rng = np.random.default_rng(1)
    n = 400
    y = np.zeros((n, 2), dtype=int)
    y[:150, 0] = 1  # common label
    y[0, 1] = 1  # a single positive, scored low
    scores = np.clip(rng.normal(0.3, 0.1, (n, 2)), 0, 1)
    scores[:150, 0] += 0.3
    scores[0, 1] = 0.05
    own = tune_thresholds(y, scores, metric="f1")
    learned = learn_thresholds(y, scores, metric="f1")
    # the lone positive alone would pull label 1's cut below almost every row
    assert own[1] <= 0.05
    assert abs(learned[1] - 0.05) > abs(learned[1] - learned[0])
    keep = 150 / (150 + SHRINK_POSITIVES)
    assert abs(learned[0] - own[0]) <= (1 - keep) * 1.0 + 1e-9


def test_learn_thresholds_falls_back_to_the_default_on_noise():
    """Check that scores unrelated to the labels give back the default cut."""
    rng = np.random.default_rng(2)
    y = (rng.random((200, 5)) < 0.05).astype(int)
    scores = rng.random((200, 5)) * 0.4  # nothing reaches 0.5: nothing predicted
    learned = learn_thresholds(y, scores, metric="f1")
    base = score_decisions(y > 0, scores >= 0.5, "f1_micro")
    assert score_decisions(y > 0, scores >= learned, "f1_micro") >= base


@pytest.mark.parametrize("metric", ["f1", "f1_micro", "f1_samples"])
def test_learn_thresholds_takes_a_sparse_indicator(metric):
    """Check that a sparse indicator learns the thresholds its dense copy does."""
    y, scores = _skewed_labels(n_samples=120, seed=3)
    dense = learn_thresholds(y, scores, metric=metric)
    np.testing.assert_array_equal(
        learn_thresholds(sp.csr_matrix(y), scores, metric=metric), dense
    )
    assert not np.all(dense == 0.5)  # something was learned
