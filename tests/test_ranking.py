"""Tests of the ranking metrics and the top-k selection (skmultilabelnn.metrics)."""

import itertools

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.datasets import make_multilabel_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import ndcg_score
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.multiclass import OneVsRestClassifier
from sklearn.svm import LinearSVC

from skmultilabelnn import _ranking
from skmultilabelnn.metrics import (
    RankedLabels,
    inverse_propensities,
    ndcg_at_k,
    precision_at_k,
    psp_at_k,
    ranking_scorer,
    recall_at_k,
    top_k_labels,
)

METRICS = {
    "precision": precision_at_k,
    "recall": recall_at_k,
    "ndcg": ndcg_at_k,
}


def _strict_scores(relevant, order, k, weights):
    """The metrics of one sample ranked in one strict order."""
    top = order[:k]
    gains = relevant[top].astype(float)
    n_true = relevant.sum()
    ideal = sum(1 / np.log2(i + 2) for i in range(min(k, n_true)))
    return {
        "precision": gains.sum() / k,
        "recall": gains.sum() / n_true if n_true else 0.0,
        "ndcg": sum(g / np.log2(i + 2) for i, g in enumerate(gains)) / ideal
        if n_true
        else 0.0,
        "psp": (weights[top] * gains).sum() / k,
        "best": np.sort(weights * relevant)[::-1][:k].sum() / k,
    }


def brute_force(y_true, y_score, k, weights):
    """Each metric averaged over every order of tied labels, sample by sample.

    The tied labels' orders are enumerated (all permutations within each group
    of equal scores), so the reference needs no formula for ties.
    """
    totals = {name: [] for name in ("precision", "recall", "ndcg", "psp", "best")}
    for relevant, scores in zip(y_true, y_score, strict=True):
        groups = [np.flatnonzero(scores == value) for value in np.unique(scores)[::-1]]
        per_order = [
            _strict_scores(relevant, np.concatenate(orders), k, weights)
            for orders in itertools.product(*map(itertools.permutations, groups))
        ]
        for name in totals:
            totals[name].append(np.mean([s[name] for s in per_order]))
    result = {name: float(np.mean(values)) for name, values in totals.items()}
    result["psp"] = result["psp"] / result["best"] if result["best"] else 0.0
    return result


def _random_case(seed, n_samples=12, n_labels=6, n_values=3):
    rng = np.random.default_rng(seed)
    y_true = (rng.random((n_samples, n_labels)) < 0.35).astype(int)
    y_true[0] = 0  # a sample without true labels
    y_score = rng.integers(0, n_values, (n_samples, n_labels)).astype(float)
    return y_true, y_score


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("k", [1, 2, 4, 6])
@pytest.mark.parametrize("sparse", [False, True])
def test_metrics_agree_with_brute_force_over_tie_orders(seed, k, sparse):
    """Check P@k, R@k, nDCG@k and PSP@k on random cases full of ties against
    the mean over every order of the tied labels, dense and CSR y_true."""
    y_true, y_score = _random_case(seed)
    weights = inverse_propensities(y_true)
    expected = brute_force(y_true, y_score, k, weights)
    given = sp.csr_matrix(y_true) if sparse else y_true
    for name, metric in METRICS.items():
        assert metric(given, y_score, k=k) == pytest.approx(expected[name]), name
    assert psp_at_k(given, y_score, k=k) == pytest.approx(expected["psp"])


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("k", [1, 3, 5, 8])
@pytest.mark.parametrize("n_values", [2, 4, 1000])
def test_ndcg_agrees_with_scikit_learn(seed, k, n_values):
    """Check ndcg_at_k against sklearn.metrics.ndcg_score(k=...), ties included."""
    y_true, y_score = _random_case(seed, n_samples=40, n_labels=8, n_values=n_values)
    assert ndcg_at_k(y_true, y_score, k=k) == pytest.approx(
        ndcg_score(y_true, y_score, k=k)
    )
    weights = np.random.default_rng(seed).random(40)
    assert ndcg_at_k(y_true, y_score, k=k, sample_weight=weights) == pytest.approx(
        ndcg_score(y_true, y_score, k=k, sample_weight=weights)
    )


def test_ranked_labels_score_as_their_strict_order():
    """Check that a RankedLabels is scored in its own order (no tie averaging),
    and agrees with the score matrix where no two scores tie."""
    rng = np.random.default_rng(0)
    y_true = (rng.random((30, 7)) < 0.3).astype(int)
    y_score = rng.random((30, 7))
    ranked = top_k_labels(y_score, k=4)
    for name, metric in METRICS.items():
        assert metric(y_true, ranked, k=3) == pytest.approx(
            metric(y_true, y_score, k=3)
        ), name
    # all scores tied: the matrix averages, the ranking takes columns 0..k-1
    flat = np.zeros((30, 7))
    expected = y_true[:, :2].sum(axis=1).mean() / 2
    assert precision_at_k(y_true, top_k_labels(flat, k=2), k=2) == expected
    assert precision_at_k(y_true, flat, k=2) == pytest.approx(y_true.mean())


def test_top_k_labels_orders_best_first_and_breaks_ties_to_the_lower_column():
    scores = np.array([[0.2, 0.9, 0.2, 0.5, 0.2], [1.0, 1.0, 1.0, 1.0, 1.0]])
    ranked = top_k_labels(scores, k=3, classes=np.array(list("abcde")))
    np.testing.assert_array_equal(ranked.indices, [[1, 3, 0], [0, 1, 2]])
    np.testing.assert_array_equal(ranked.scores, [[0.9, 0.5, 0.2], [1.0, 1.0, 1.0]])
    np.testing.assert_array_equal(ranked.labels, [list("bda"), list("abc")])
    assert ranked.k == 3 and ranked.n_labels == 5
    # against a stable full sort on random scores with ties
    rng = np.random.default_rng(1)
    scores = rng.integers(0, 4, (50, 9)).astype(float)
    expected = np.argsort(-scores, axis=1, kind="stable")[:, :4]
    np.testing.assert_array_equal(top_k_labels(scores, k=4).indices, expected)


def test_metrics_on_chunks_equal_one_pass(monkeypatch):
    """Check that scoring a few rows at a time changes nothing."""
    rng = np.random.default_rng(2)
    y_true = sp.csr_matrix((rng.random((101, 9)) < 0.3).astype(int))
    y_score = rng.integers(0, 5, (101, 9)).astype(float)
    whole = _ranking.ranking_scores(
        y_true, y_score, 3, inverse_propensity=np.arange(1, 10)
    )
    monkeypatch.setattr(_ranking, "CHUNK_ENTRIES", 20)  # 2 rows a chunk
    chunked = _ranking.ranking_scores(
        y_true, y_score, 3, inverse_propensity=np.arange(1, 10)
    )
    assert chunked == pytest.approx(whole)


def test_inverse_propensities_follow_jain_et_al():
    """Check the propensity model against its formula, computed by hand for a
    label seen 3 times in 10 samples, and that rarer labels weigh more."""
    y = np.zeros((10, 3), dtype=int)
    y[:3, 0] = 1
    y[:, 1] = 1
    weights = inverse_propensities(sp.csr_matrix(y), a=0.55, b=1.5)
    c = (np.log(10) - 1) * 2.5**0.55
    assert weights[0] == pytest.approx(1 + c * 4.5**-0.55)
    assert weights[2] > weights[0] > weights[1] > 1


def test_psp_with_equal_weights_is_precision_over_the_best_precision():
    y_true, y_score = _random_case(3)
    best = precision_at_k(y_true, y_true, k=2)
    assert psp_at_k(y_true, y_score, k=2, inverse_propensity=np.ones(6)) == (
        pytest.approx(precision_at_k(y_true, y_score, k=2) / best)
    )
    # the best ranking: true labels first, the rarest (heaviest) first
    weights = inverse_propensities(y_true)
    assert psp_at_k(y_true, y_true * weights, k=2) == pytest.approx(1.0)
    assert psp_at_k(y_true, y_true, k=2) < 1.0  # true labels tied: averaged


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"k": 0}, ValueError, "k must be a positive integer; got 0"),
        ({"k": 2.0}, ValueError, "k must be a positive integer; got 2.0"),
        ({"k": 4}, ValueError, "k=4 is more than the 3 labels"),
        ({"y_true": [[0, 2, 1]]}, ValueError, "only 0s and 1s; got 2"),
        ({"y_true": [0, 1, 1]}, ValueError, "got an array of shape"),
        ({"y_score": [[0.1, 0.2]]}, ValueError, r"y_score has shape \(1, 2\)"),
        ({"y_score": [[0.1, np.nan, 0.2]]}, ValueError, "NaN or infinite"),
        ({"y_score": sp.csr_matrix([[0.1, 0.3, 0.2]])}, TypeError, "sparse"),
        ({"sample_weight": [1, 2]}, ValueError, "sample_weight has shape"),
    ],
)
def test_metric_errors_name_the_bad_value(kwargs, error, message):
    arguments = {"y_true": [[0, 1, 1]], "y_score": [[0.1, 0.3, 0.2]], "k": 2}
    arguments.update(kwargs)
    with pytest.raises(error, match=message):
        precision_at_k(arguments.pop("y_true"), arguments.pop("y_score"), **arguments)


def test_ranked_labels_must_match_y_true_and_k():
    ranked = top_k_labels([[0.1, 0.3, 0.2]], k=2)
    with pytest.raises(ValueError, match="k=3 is more than the 2 labels"):
        precision_at_k([[0, 1, 1]], ranked, k=3)
    with pytest.raises(ValueError, match="among 3 labels, but y_true has shape"):
        precision_at_k([[0, 1, 1, 0]], ranked, k=1)
    with pytest.raises(ValueError, match=r"inverse_propensity has shape \(2,\)"):
        psp_at_k([[0, 1, 1]], ranked, k=1, inverse_propensity=[1, 2])
    assert isinstance(ranked, RankedLabels)


def test_scorers_rank_with_proba_or_decision_function_on_sparse_y():
    """Check that the scorers score what the metric gives on the estimator's
    scores (decision_function where there is no predict_proba), and that
    GridSearchCV runs them with a sparse y."""
    X, Y = make_multilabel_classification(n_samples=120, n_classes=6, random_state=0)
    Y = sp.csr_matrix(Y)
    svm = OneVsRestClassifier(LinearSVC()).fit(X, Y)
    logistic = OneVsRestClassifier(LogisticRegression(max_iter=500)).fit(X, Y)
    for name, metric in METRICS.items():
        scorer = ranking_scorer(name, k=2)
        assert scorer(svm, X, Y) == metric(Y, svm.decision_function(X), k=2)
        assert scorer(logistic, X, Y) == metric(Y, logistic.predict_proba(X), k=2)
    psp = ranking_scorer("psp", k=3, a=0.6, b=2.6)
    assert psp(svm, X, Y) == psp_at_k(Y, svm.decision_function(X), k=3, a=0.6, b=2.6)
    search = GridSearchCV(
        OneVsRestClassifier(LinearSVC()),
        {"estimator__C": [0.01, 1.0]},
        cv=KFold(3),
        scoring={
            "p1": ranking_scorer("precision", k=1),
            "n3": ranking_scorer("ndcg", k=3),
        },
        refit="p1",
    ).fit(X, Y)
    assert search.cv_results_["mean_test_n3"].shape == (2,)
    assert 0 < search.best_score_ <= 1


def test_ranking_scorer_refuses_unknown_metrics_and_bad_k():
    with pytest.raises(ValueError, match="metric must be one of"):
        ranking_scorer("map")
    with pytest.raises(ValueError, match="k must be a positive integer"):
        ranking_scorer("ndcg", k=-1)
