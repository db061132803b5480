"""Tests of the decision rule: thresholds, label sets, at least one label."""

import numpy as np
import pytest
from _helpers import small
from sklearn.datasets import make_multilabel_classification

from skmultilabelnn._compat._sklearn import InvalidParameterError
from skmultilabelnn._decision import (
    DecisionRule,
    apply_threshold,
    check_threshold,
    ensure_one_label,
)

X, Y = make_multilabel_classification(
    n_samples=150, n_features=6, n_classes=4, n_labels=2, random_state=3
)


@pytest.fixture(scope="module")
def tiny_fitted(tiny_data):
    return small(hidden_layer_sizes=(4,), epochs=2).fit(*tiny_data)


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


@pytest.mark.parametrize(
    "threshold, shown",
    [
        (True, "True"),
        (np.True_, r"np.True_"),
        (None, "None"),
        ("0.5", "'0.5'"),
        (b"0.5", "b'0.5'"),
        ([True, False, True], r"\[True, False, True\]"),
        ([0.5, None, 0.5], r"\[0.5, None, 0.5\]"),
        (["0.5", "0.5", "0.5"], r"\['0.5', '0.5', '0.5'\]"),
        ([[0.5], [0.5, 0.5]], r"\[\[0.5\], \[0.5, 0.5\]\]"),
    ],
)
def test_check_threshold_refuses_what_is_not_a_real_number(threshold, shown):
    """Check that bools, strings, None and objects are refused by one rule."""
    message = (
        r"threshold must be a float in \[0, 1\], an array-like with one float per "
        rf'label, or "auto"; got {shown}\.'
    )
    with pytest.raises(ValueError, match=message):
        check_threshold(threshold, 3)


@pytest.mark.parametrize(
    "threshold, expected",
    [(np.float32(0.25), 0.25), (np.int64(1), 1.0), (0, 0.0), (np.array(0.5), 0.5)],
)
def test_check_threshold_accepts_numpy_scalars(threshold, expected):
    """Check that NumPy and integer scalars in [0, 1] are read as floats."""
    checked = check_threshold(threshold, 3)
    assert isinstance(checked, float) and checked == expected


def test_check_threshold_returns_copy():
    """Check that an array threshold is returned as a new float array."""
    given = np.array([0.2, 0.4, 0.6], dtype=np.float32)
    checked = check_threshold(given, 3)
    assert checked.dtype == np.float64
    assert checked is not given


def test_ensure_one_label_switches_on_top_label_only_for_empty_rows():
    """Check that only empty rows change, and get their top-scoring label."""
    scores = np.array([[0.1, 0.3, 0.2], [0.9, 0.1, 0.8], [0.2, 0.1, 0.4]])
    indicator = apply_threshold(scores, 0.5)
    result = ensure_one_label(indicator, scores)
    np.testing.assert_array_equal(result, [[0, 1, 0], [1, 0, 1], [0, 0, 1]])


@pytest.mark.parametrize(
    "params, name",
    [
        ({"decision": "top_n"}, "decision"),
        ({"top_k": 0}, "top_k"),
        ({"at_least_one_label": "no"}, "at_least_one_label"),
        ({"threshold": "half"}, "threshold"),
        ({"threshold": 1.5}, "threshold"),
    ],
)
def test_predict_checks_predict_time_parameters_as_fit_does(
    tiny_data, tiny_fitted, params, name
):
    """Check that predict refuses a bad predict-time parameter with fit's message."""
    X, Y = tiny_data
    with pytest.raises(InvalidParameterError, match=f"'{name}' parameter") as at_fit:
        small(hidden_layer_sizes=(4,), epochs=2, **params).fit(X, Y)
    clf = tiny_fitted.set_params(**params)
    try:
        with pytest.raises(InvalidParameterError) as at_predict:
            clf.predict(X[:2])
        assert str(at_predict.value) == str(at_fit.value)
    finally:
        clf.set_params(
            decision="threshold", at_least_one_label=False, threshold=0.5, top_k=5
        )


def test_auto_after_warm_start_predicts_at_one_half_until_a_full_fit(tiny_data):
    """Check that threshold='auto' on a model that learned no thresholds (a
    warm start trains on and learns none) predicts at 0.5, and that a full fit
    then learns them."""
    X, Y = tiny_data
    clf = small(hidden_layer_sizes=(4,), epochs=2, warm_start=True).fit(X, Y)
    clf.set_params(threshold="auto", threshold_cv=2)
    clf.fit(X, Y)  # a warm start: trains on, learns nothing
    assert not hasattr(clf, "thresholds_")
    np.testing.assert_array_equal(clf.predict(X), clf.predict_proba(X) >= 0.5)
    clf.set_params(warm_start=False).fit(X, Y)
    np.testing.assert_array_equal(
        clf.predict(X), clf.predict_proba(X) >= clf.thresholds_
    )


def test_at_least_one_label():
    """Check that every sample gets its most probable label when none passes."""
    clf = small(threshold=1.0, at_least_one_label=True).fit(X, Y)
    y_pred = clf.predict(X)
    np.testing.assert_array_equal(y_pred.sum(axis=1), np.ones(len(X)))
    np.testing.assert_array_equal(
        y_pred.argmax(axis=1), clf.predict_proba(X).argmax(axis=1)
    )


def test_label_set_decision_picks_the_most_probable_seen_set():
    """Check that decision="label_set" predicts, for each sample, the seen label
    set of highest probability, found here by brute force, without a refit."""
    clf = small(threshold=0.5, epochs=10).fit(X, Y)
    np.testing.assert_array_equal(clf.label_sets_, np.unique(Y, axis=0))
    proba = clf.predict_proba(X)
    likelihood = np.prod(
        np.where(clf.label_sets_[None], proba[:, None], 1 - proba[:, None]), axis=2
    )
    expected = clf.label_sets_[likelihood.argmax(axis=1)]
    predicted = clf.set_params(decision="label_set").predict(X)
    np.testing.assert_array_equal(predicted, expected)
    assert predicted.dtype == Y.dtype
    # a threshold no longer matters
    np.testing.assert_array_equal(clf.set_params(threshold=0.9).predict(X), expected)


def test_top_k_rule_switches_on_each_rows_k_highest_scores():
    """Check the top-k rule: k labels per row, the highest, ties to the lower column."""
    scores = np.array([[0.1, 0.8, 0.8, 0.3], [0.9, 0.2, 0.4, 0.4]])
    rule = DecisionRule("top_k", k=2)
    np.testing.assert_array_equal(rule.decide(scores), [[0, 1, 1, 0], [1, 0, 1, 0]])
    assert rule.shown_thresholds() is None
    assert "2 most probable labels" in rule.summary
    with pytest.raises(ValueError, match='"top_k" needs k'):
        DecisionRule("top_k")


def test_top_k_decision_predicts_the_most_probable_labels_without_refit():
    """Check decision="top_k": predict switches on each sample's top_k most
    probable labels, follows set_params(top_k=...) and refuses a top_k above
    the number of labels, naming it."""
    clf = small(epochs=5).fit(X, Y)
    proba = clf.predict_proba(X)
    order = np.argsort(-proba, axis=1, kind="stable")
    for k in (1, 3):
        predicted = clf.set_params(decision="top_k", top_k=k).predict(X)
        expected = np.zeros_like(Y)
        np.put_along_axis(expected, order[:, :k], 1, axis=1)
        np.testing.assert_array_equal(predicted, expected)
        assert predicted.dtype == Y.dtype
    clf.set_params(top_k=5)
    with pytest.raises(ValueError, match="top_k=5 is more than the 4 labels"):
        clf.predict(X)
    with pytest.raises(ValueError, match="top_k=5 is more than the 4 labels"):
        clf.predict_ranked(X)


def test_predict_ranked_gives_the_top_labels_with_their_probabilities():
    """Check predict_ranked against predict_proba: indices best first, their
    probabilities, the classes_ names as labels, for a DataFrame y."""
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(Y, columns=["a", "b", "c", "d"])
    clf = small(epochs=5, top_k=2).fit(X, frame)
    proba = clf.predict_proba(X)
    ranked = clf.predict_ranked(X)
    expected = np.argsort(-proba, axis=1, kind="stable")[:, :2]
    np.testing.assert_array_equal(ranked.indices, expected)
    np.testing.assert_array_equal(
        ranked.scores, np.take_along_axis(proba, expected, axis=1)
    )
    np.testing.assert_array_equal(ranked.labels, np.array(list("abcd"))[expected])
    assert clf.predict_ranked(X, k=4).indices.shape == (len(X), 4)
    with pytest.raises(ValueError, match="k must be a positive integer; got 0"):
        clf.predict_ranked(X, k=0)


def test_multiclass_predict_ranked_ranks_the_classes():
    y = np.array(["w", "x", "y", "z"])[Y.argmax(axis=1)]
    clf = small(epochs=3).fit(X, y)
    ranked = clf.predict_ranked(X, k=2)
    np.testing.assert_array_equal(
        ranked.labels[:, 0], clf.classes_[clf.predict_proba(X).argmax(axis=1)]
    )


def test_predictions_in_chunks_of_outputs_equal_one_chunk(monkeypatch):
    """Check that predict, predict_proba and predict_ranked cut into chunks of a
    few rows (many labels) give what one chunk gives, in several network calls."""
    from skmultilabelnn import _classifier

    clf = small(epochs=5).fit(X, Y)
    whole = (clf.predict_proba(X), clf.predict(X), clf.predict_ranked(X, k=2))
    calls = []
    original = _classifier.predict_in_chunks

    def counted(model, chunk, **kwargs):
        calls.append(chunk.shape[0])
        return original(model, chunk, **kwargs)

    monkeypatch.setattr(_classifier, "predict_in_chunks", counted)
    monkeypatch.setattr(_classifier, "OUTPUT_CHUNK_BYTES", 4 * 4 * 40)  # 40 rows
    np.testing.assert_allclose(clf.predict_proba(X), whole[0], rtol=1e-6)
    np.testing.assert_array_equal(clf.predict(X), whole[1])
    ranked = clf.predict_ranked(X, k=2)
    np.testing.assert_array_equal(ranked.indices, whole[2].indices)
    assert calls[:4] == [40, 40, 40, 30]
