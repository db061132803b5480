"""Property-based checks (hypothesis) of target encoding, thresholds and the tuner.

Random small 0/1 indicator matrices (all-0, all-1, constant columns, single
rows) and probability matrices (exact 0 and 1 and values next to them) go
through the NumPy-only code; every test states an invariant that must hold
for all of them.
"""

import functools
import warnings

import numpy as np
import pytest
from _helpers import small
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import make_multilabel_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.multiclass import OneVsRestClassifier

from skmultilabelnn import MultilabelTargetEncoder, MultilabelThresholdTuner
from skmultilabelnn._decision import apply_threshold, check_threshold, ensure_one_label
from skmultilabelnn._thresholds import learn_thresholds, tune_thresholds

# No example database, so failures do not replay from files; hypothesis still
# caches constants in .hypothesis/, which .gitignore should list.
FAST = settings(deadline=None, max_examples=60, database=None)
SLOW = settings(deadline=None, max_examples=15, database=None)

#: Probabilities on and next to the edges, where comparisons go wrong.
EDGE_PROBABILITIES = [
    0.0,
    np.nextafter(0.0, 1.0),
    1e-12,
    0.5,
    np.nextafter(0.5, 0.0),
    np.nextafter(0.5, 1.0),
    1.0 - 1e-12,
    np.nextafter(1.0, 0.0),
    1.0,
]


@st.composite
def indicator_matrices(draw, min_rows=1, max_rows=8, min_labels=1, max_labels=5):
    """0/1 int matrices; some all-0 or all-1, some with constant columns."""
    n_rows = draw(st.integers(min_rows, max_rows))
    n_labels = draw(st.integers(min_labels, max_labels))
    kind = draw(st.sampled_from(["random", "zeros", "ones"]))
    if kind != "random":
        return np.full((n_rows, n_labels), int(kind == "ones"))
    cells = draw(
        st.lists(
            st.integers(0, 1), min_size=n_rows * n_labels, max_size=n_rows * n_labels
        )
    )
    y = np.array(cells, dtype=np.int64).reshape(n_rows, n_labels)
    for j in draw(st.sets(st.integers(0, n_labels - 1))):
        y[:, j] = draw(st.integers(0, 1))
    return y


def probability_matrices(shape):
    """Float64 matrices of ``shape`` with values in [0, 1], edges included."""
    n_cells = shape[0] * shape[1]
    values = st.one_of(
        st.sampled_from(EDGE_PROBABILITIES), st.floats(0.0, 1.0, allow_nan=False)
    )
    return st.lists(values, min_size=n_cells, max_size=n_cells).map(
        lambda cells: np.array(cells, dtype=np.float64).reshape(shape)
    )


@st.composite
def labels_and_probabilities(draw, **kwargs):
    """An indicator matrix and a probability matrix of the same shape."""
    y = draw(indicator_matrices(**kwargs))
    return y, draw(probability_matrices(y.shape))


def thresholds_for(n_labels):
    """A threshold in [0, 1] (edges included) or one per label."""
    value = st.one_of(
        st.sampled_from(EDGE_PROBABILITIES), st.floats(0.0, 1.0, allow_nan=False)
    )
    return st.one_of(
        value, st.lists(value, min_size=n_labels, max_size=n_labels).map(np.array)
    )


# --- target encoder -----------------------------------------------------------


@FAST
@given(
    y=indicator_matrices(min_labels=2),
    dtype=st.sampled_from([np.int64, np.uint8, np.float32, bool]),
)
def test_encoder_round_trip_of_indicator(y, dtype):
    """Check that an indicator matrix encodes to itself and decodes back."""
    y = y.astype(dtype)
    original = y.copy()
    encoder = MultilabelTargetEncoder()
    encoded = encoder.fit_transform(y)
    assert encoded.shape == y.shape and encoded.dtype == np.float32
    np.testing.assert_array_equal(encoded, y.astype(np.float32))
    np.testing.assert_array_equal(encoder.classes_, np.arange(y.shape[1]))
    assert encoder.target_type_ == "multilabel-indicator"
    assert encoder.n_outputs_ == encoder.n_classes_ == y.shape[1]
    decoded = encoder.inverse_transform(encoded)
    assert decoded.dtype == y.dtype
    np.testing.assert_array_equal(decoded, y)
    np.testing.assert_array_equal(y, original)


@FAST
@given(
    st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=2, max_size=12).filter(
        lambda labels: len(set(labels)) >= 2
    )
)
def test_encoder_round_trip_of_1d_labels(labels):
    """Check that 1-D labels encode to 1 or n_classes units and decode back."""
    y = np.array(labels)
    encoder = MultilabelTargetEncoder()
    encoded = encoder.fit_transform(y)
    np.testing.assert_array_equal(encoder.classes_, np.unique(y))
    n_classes = np.unique(y).shape[0]
    assert encoder.n_outputs_ == (1 if n_classes == 2 else n_classes)
    assert encoded.shape == (y.shape[0], encoder.n_outputs_)
    assert encoded.dtype == np.float32
    assert set(np.unique(encoded)) <= {0.0, 1.0}
    if n_classes > 2:
        np.testing.assert_array_equal(encoded.sum(axis=1), 1.0)
    np.testing.assert_array_equal(encoder.inverse_transform(encoded), y)


# --- check_threshold and apply_threshold ---------------------------------------


@FAST
@given(value=st.floats(allow_nan=True, allow_infinity=True), n_labels=st.integers(1, 4))
def test_check_threshold_accepts_exactly_the_unit_interval(value, n_labels):
    """Check that a float is accepted iff it lies in [0, 1], and kept as is."""
    if 0.0 <= value <= 1.0:
        assert check_threshold(value, n_labels) == value
        np.testing.assert_array_equal(
            check_threshold([value] * n_labels, n_labels), np.full(n_labels, value)
        )
    else:
        with pytest.raises(ValueError, match=r"\[0, 1\]"):
            check_threshold(value, n_labels)
        with pytest.raises(ValueError, match=r"\[0, 1\]"):
            check_threshold([value] * n_labels, n_labels)


@FAST
@given(
    data=st.data(),
    proba=indicator_matrices().flatmap(lambda y: probability_matrices(y.shape)),
)
def test_apply_threshold_is_a_comparison(data, proba):
    """Check that apply_threshold is proba >= threshold, as new int64 0/1 array."""
    threshold = check_threshold(
        data.draw(thresholds_for(proba.shape[1])), proba.shape[1]
    )
    original = proba.copy()
    indicator = apply_threshold(proba, threshold)
    assert indicator.shape == proba.shape and indicator.dtype == np.int64
    np.testing.assert_array_equal(indicator, (proba >= threshold).astype(np.int64))
    np.testing.assert_array_equal(proba, original)
    # a label is on at threshold 0 always, at threshold 1 only at probability 1
    np.testing.assert_array_equal(apply_threshold(proba, 0.0), 1)
    np.testing.assert_array_equal(apply_threshold(proba, 1.0), proba == 1.0)


@FAST
@given(
    data=st.data(),
    proba=indicator_matrices().flatmap(lambda y: probability_matrices(y.shape)),
)
def test_apply_threshold_is_monotone(data, proba):
    """Check that raising a threshold only ever switches labels off."""
    n_labels = proba.shape[1]
    low = check_threshold(data.draw(thresholds_for(n_labels)), n_labels)
    high = check_threshold(data.draw(thresholds_for(n_labels)), n_labels)
    low, high = np.minimum(low, high), np.maximum(low, high)
    assert np.all(apply_threshold(proba, high) <= apply_threshold(proba, low))


# --- ensure_one_label ----------------------------------------------------------


@FAST
@given(pair=labels_and_probabilities())
def test_ensure_one_label_fills_only_empty_rows(pair):
    """Check that every row ends non-empty and only empty rows change, in place."""
    indicator, scores = pair
    before, scores_before = indicator.copy(), scores.copy()
    result = ensure_one_label(indicator, scores)
    assert result is indicator  # documented: modified in place and returned
    assert result.shape == before.shape and result.dtype == before.dtype
    assert np.all(result.sum(axis=1) >= 1)
    empty = before.sum(axis=1) == 0
    np.testing.assert_array_equal(result[~empty], before[~empty])
    np.testing.assert_array_equal(result[empty].sum(axis=1), 1)
    np.testing.assert_array_equal(
        result[empty].argmax(axis=1), scores[empty].argmax(axis=1)
    )
    np.testing.assert_array_equal(scores, scores_before)


# --- tune_thresholds -----------------------------------------------------------


def _per_label_f1(y, scores, thresholds):
    predicted = scores >= thresholds
    return np.array(
        [f1_score(y[:, j], predicted[:, j], zero_division=0) for j in range(y.shape[1])]
    )


@FAST
@given(pair=labels_and_probabilities())
def test_tune_thresholds_never_loses_to_the_default_per_label(pair):
    """Check that each label's F1 at its tuned threshold is at least F1 at 0.5."""
    y, scores = pair
    y_before, scores_before = y.copy(), scores.copy()
    thresholds = tune_thresholds(y, scores, metric="f1")
    assert thresholds.shape == (y.shape[1],) and thresholds.dtype == np.float64
    assert np.all(np.isfinite(thresholds))
    assert np.all((thresholds >= 0.0) & (thresholds <= 1.0))
    tuned = _per_label_f1(y, scores, thresholds)
    default = _per_label_f1(y, scores, np.full(y.shape[1], 0.5))
    assert np.all(tuned >= default - 1e-12), (tuned, default)
    np.testing.assert_array_equal(y, y_before)
    np.testing.assert_array_equal(scores, scores_before)


@FAST
@given(pair=labels_and_probabilities())
def test_tune_thresholds_never_loses_to_the_default_on_micro_f1(pair):
    """Check that "f1_micro" thresholds give at least the micro-F1 of 0.5."""
    y, scores = pair
    thresholds = tune_thresholds(y, scores, metric="f1_micro")
    assert thresholds.shape == (y.shape[1],)
    assert np.all((thresholds >= 0.0) & (thresholds <= 1.0))

    def micro_f1(t):
        # from the counts: f1_score reads a one-column y as binary, not multilabel
        predicted = scores >= t
        tp = np.sum(predicted & (y == 1))
        errors = np.sum(predicted != (y == 1))
        return 2 * tp / (2 * tp + errors) if tp + errors else 0.0

    assert micro_f1(thresholds) >= micro_f1(0.5) - 1e-12


@FAST
@given(pair=labels_and_probabilities())
def test_tune_thresholds_finds_the_best_cut_of_each_label(pair):
    """Check that no cut at a score or at 0.5 beats a label's tuned F1."""
    y, scores = pair
    tuned = _per_label_f1(y, scores, tune_thresholds(y, scores, metric="f1"))
    for cut in np.unique(np.r_[scores.ravel(), 0.5]):
        other = _per_label_f1(y, scores, np.full(y.shape[1], cut))
        assert np.all(tuned >= other - 1e-12), (cut, tuned, other)


# --- the tuner -----------------------------------------------------------------


class FirstColumnsAsProbabilities(ClassifierMixin, BaseEstimator):
    """Reads its probabilities off the first n_labels columns of X."""

    def fit(self, X, y):
        self.classes_ = np.arange(y.shape[1])
        self.n_features_in_ = X.shape[1]
        return self

    def predict_proba(self, X):
        return np.asarray(X)[:, : len(self.classes_)].copy()

    def predict(self, X):
        return (self.predict_proba(X) >= 0.5).astype(np.int64)


@FAST
@given(
    pair=labels_and_probabilities(min_rows=3, max_rows=9, min_labels=2),
    scoring=st.sampled_from(["f1", "f1_micro", "f1_samples"]),
    at_least_one_label=st.booleans(),
)
def test_tuner_tunes_on_the_estimator_scores(pair, scoring, at_least_one_label):
    """Check the tuner's thresholds and predictions on known out-of-fold scores."""
    y, proba = pair
    tuner = MultilabelThresholdTuner(
        FirstColumnsAsProbabilities(),
        scoring=scoring,
        cv=3,
        at_least_one_label=at_least_one_label,
    ).fit(proba, y)
    # the estimator's scores do not depend on its training rows
    np.testing.assert_array_equal(
        tuner.thresholds_, learn_thresholds(y, proba, metric=scoring)
    )
    y_pred = tuner.predict(proba)
    assert y_pred.shape == y.shape and y_pred.dtype == y.dtype
    expected = apply_threshold(proba, tuner.thresholds_)
    if at_least_one_label:
        expected = ensure_one_label(expected, proba)
        assert np.all(y_pred.sum(axis=1) >= 1)
    np.testing.assert_array_equal(y_pred, expected)


@SLOW
@given(
    y=indicator_matrices(min_rows=6, max_rows=10, min_labels=2, max_labels=3),
    seed=st.integers(0, 2**16),
)
def test_tuner_around_one_vs_rest(y, seed):
    """Check fitted shapes, ranges and dtypes with OneVsRest logistic regression."""
    X = np.random.default_rng(seed).normal(size=(y.shape[0], 3))
    tuner = MultilabelThresholdTuner(OneVsRestClassifier(LogisticRegression()), cv=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # labels constant in a fold
        tuner.fit(X, y)
        proba = tuner.predict_proba(X)
        y_pred = tuner.predict(X)
    assert tuner.thresholds_.shape == (y.shape[1],)
    assert np.all((tuner.thresholds_ >= 0.0) & (tuner.thresholds_ <= 1.0))
    assert y_pred.shape == y.shape and y_pred.dtype == y.dtype
    np.testing.assert_array_equal(y_pred, proba >= tuner.thresholds_)


# --- predict-time parameters ---------------------------------------------------

_PREDICT_TIME_DATA = dict(n_samples=60, n_features=5, n_classes=3, random_state=0)


@functools.lru_cache(maxsize=1)
def _fitted_for_predict_time():
    """One tiny fitted classifier (and its data), shared by the examples below."""
    X, Y = make_multilabel_classification(**_PREDICT_TIME_DATA)
    return small(hidden_layer_sizes=(4,), epochs=2).fit(X, Y), X, Y


@settings(deadline=None, max_examples=8, database=None)
@given(
    threshold=st.one_of(
        st.floats(0, 1),
        st.lists(st.floats(0, 1), min_size=3, max_size=3),
    ),
    decision=st.sampled_from(["threshold", "label_set"]),
    at_least_one_label=st.booleans(),
)
def test_predict_time_set_params_equals_a_fresh_fit(
    threshold, decision, at_least_one_label
):
    """Check that set_params of predict-time parameters predicts as a fresh fit.

    The fitted network is not touched: the same model, the same weights.
    """
    fitted, X, Y = _fitted_for_predict_time()
    params = dict(
        threshold=threshold, decision=decision, at_least_one_label=at_least_one_label
    )
    model, weights = fitted.model_, fitted.model_.get_weights()
    fresh = small(hidden_layer_sizes=(4,), epochs=2, **params).fit(X, Y)
    try:
        np.testing.assert_array_equal(
            fitted.set_params(**params).predict(X), fresh.predict(X)
        )
    finally:
        fitted.set_params(threshold=0.5, decision="threshold", at_least_one_label=False)
    assert fitted.model_ is model
    for before, after in zip(weights, fitted.model_.get_weights(), strict=True):
        np.testing.assert_array_equal(before, after)
